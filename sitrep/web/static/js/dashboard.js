/* Dashboard: filters (mirrored in the URL), timeline, map, network, event table, analysis box. */
"use strict";

const PAGE = 25;
const state = { offset: 0 };

function filters() {
  const form = document.getElementById("filters");
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (String(v).trim()) out[k] = String(v).trim();
  return out;
}

function setFilters(values) {
  const form = document.getElementById("filters");
  for (const el of form.elements) if (el.name) el.value = values[el.name] || "";
}

function setStatus(node, text, isError) {
  node.textContent = text;
  node.classList.toggle("error", !!isError);
}

function showError(container, err) {
  clear(container).appendChild(h("p", { class: "error" }, `error[${err.code}]: ${err.message}`));
}

async function loadTable(f) {
  const tbody = document.querySelector("#events tbody");
  const info = document.getElementById("page-info");
  try {
    const page = await api("/api/events", { ...f, limit: PAGE, offset: state.offset });
    clear(tbody);
    for (const e of page.items) {
      tbody.appendChild(h("tr", {},
        h("td", {}, fmt(e.date_start)),
        h("td", {}, h("span", { class: "type t-" + e.type }, e.type)),
        h("td", {}, fmt(e.source)),
        h("td", {}, fmt(e.target)),
        h("td", {}, [e.place, e.country].filter(Boolean).join(", ")),
        h("td", {}, fmt(e.status)),
        h("td", { class: "num" }, fmt(e.killed)),
        h("td", { class: "evidence" }, fmt(e.evidence)),
        h("td", {}, h("a", { href: "/articles/" + Number(e.article_id) }, fmt(e.title || e.article || "article " + e.article_id)))));
    }
    if (!page.items.length) tbody.appendChild(h("tr", {}, h("td", { colspan: 9, class: "muted" }, "No events match.")));
    info.textContent = page.items.length ? `${state.offset + 1}–${state.offset + page.items.length}` : "";
    document.getElementById("prev").disabled = state.offset === 0;
    document.getElementById("next").disabled = page.next_offset === null;
  } catch (err) {
    clear(tbody).appendChild(h("tr", {}, h("td", { colspan: 9, class: "error" }, `error[${err.code}]: ${err.message}`)));
  }
}

function pick(changes) {
  setFilters({ ...filters(), ...changes });
  state.offset = 0;
  refresh();
}

async function refresh() {
  const f = filters();
  history.replaceState(null, "", "?" + new URLSearchParams(f).toString());
  const bucket = document.getElementById("bucket").value;
  const jobs = [
    api("/api/stats/timeline", { ...f, bucket }).then(
      (rows) => drawTimeline(document.getElementById("timeline"), document.getElementById("timeline-legend"), rows,
        (d, t) => pick({ type: t })),
      (err) => showError(document.getElementById("timeline"), err)),
    api("/api/stats/map", f).then(
      (rows) => drawMap(document.getElementById("map"), rows, (name) => name && pick({ place: name })),
      (err) => showError(document.getElementById("map"), err)),
    api("/api/stats/network", f).then(
      (data) => drawNetwork(document.getElementById("network"), document.getElementById("tone-legend"), data,
        (name) => pick({ actor: name })),
      (err) => showError(document.getElementById("network"), err)),
    loadTable(f),
  ];
  await Promise.all(jobs);
  document.body.dataset.ready = "1";
}

async function analyzeSubmit(ev) {
  ev.preventDefault();
  const form = ev.target;
  const status = document.getElementById("analyze-status");
  const out = document.getElementById("analyze-result");
  const data = Object.fromEntries(new FormData(form).entries());
  const body = { text: data.text || "", store: form.elements.store.checked };
  for (const k of ["published", "title", "source"]) if (data[k]) body[k] = data[k];
  setStatus(status, "Analysing…");
  clear(out);
  try {
    const res = await postJSON("/api/analyze", body, sessionStorage.getItem("sitrep-token"));
    const doc = res.document;
    setStatus(status, `${doc.events.length} event(s), ${doc.actors.length} actor(s), ${doc.quotes.length} quote(s)` +
      (res.article_id ? (res.created ? " — stored" : " — already stored") : ""));
    if (res.article_id) out.appendChild(h("p", {}, h("a", { href: "/articles/" + Number(res.article_id), id: "analyzed-link" }, "Open the stored article")));
    const view = h("div", { class: "article-view", id: "analyzed-view" });
    out.appendChild(view);
    renderDocument(view, doc);
    if (res.created) refresh();
  } catch (err) {
    if (err.code === "E401") {
      const token = window.prompt("This server needs an API token for writes:");
      if (token) { sessionStorage.setItem("sitrep-token", token); return analyzeSubmit(ev); }
    }
    setStatus(status, `error[${err.code}]: ${err.message}`, true);
  }
}

window.addEventListener("DOMContentLoaded", () => {
  setFilters(Object.fromEntries(new URLSearchParams(location.search).entries()));
  const form = document.getElementById("filters");
  form.addEventListener("submit", (ev) => { ev.preventDefault(); state.offset = 0; refresh(); });
  form.addEventListener("reset", () => setTimeout(() => { state.offset = 0; refresh(); }, 0));
  document.getElementById("bucket").addEventListener("change", refresh);
  document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTable(filters()); });
  document.getElementById("next").addEventListener("click", () => { state.offset += PAGE; loadTable(filters()); });
  document.getElementById("analyze-form").addEventListener("submit", analyzeSubmit);
  refresh();
});
