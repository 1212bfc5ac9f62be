/* Article view: the text with actors, places, times, events and quotes highlighted and
   linked to each other. Selecting anything highlights everything related to it. */
"use strict";

function asList(x) {
  return x === null || x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** Annotations {start, end, kind, key, label} and the links between keys. */
function annotate(doc) {
  const anns = [];
  const links = new Map();  // key -> Set(keys)
  const link = (a, b) => {
    if (!a || !b) return;
    if (!links.has(a)) links.set(a, new Set());
    if (!links.has(b)) links.set(b, new Set());
    links.get(a).add(b); links.get(b).add(a);
  };
  for (const a of doc.actors || []) {
    for (const m of a.mentions || []) anns.push({ start: m.start, end: m.end, kind: "actor", key: "a:" + a.id });
  }
  for (const p of doc.places || []) {
    for (const m of p.mentions || []) anns.push({ start: m.start, end: m.end, kind: "place", key: "p:" + p.id });
  }
  (doc.times || []).forEach((t, i) => anns.push({ start: t.start, end: t.end, kind: "time", key: "t:" + i }));
  for (const q of doc.quotes || []) {
    anns.push({ start: q.start, end: q.end, kind: "quote", key: "q:" + q.id });
    if (q.speaker) link("q:" + q.id, "a:" + q.speaker);
  }
  for (const e of doc.events || []) {
    const key = "e:" + e.id;
    const ev = e.evidence || {};
    anns.push({ start: ev.start, end: ev.end, kind: "event", key });
    for (const m of e.mentions || []) anns.push({ start: m.start, end: m.end, kind: "event", key });
    for (const id of asList(e.source).concat(asList(e.target))) link(key, "a:" + id);
    if (e.place) link(key, "p:" + e.place);
    if (e.date && e.date.text) {
      (doc.times || []).forEach((t, i) => {
        if (t.text === e.date.text && t.start >= ev.start && t.end <= ev.end) link(key, "t:" + i);
      });
    }
  }
  const n = (doc.text || "").length;
  return { anns: anns.filter((a) => a.start >= 0 && a.end <= n && a.start < a.end), links };
}

/** Split the text at every annotation boundary; each piece knows what covers it. */
function segments(text, anns) {
  const cuts = new Set([0, text.length]);
  for (const a of anns) { cuts.add(a.start); cuts.add(a.end); }
  const points = [...cuts].sort((x, y) => x - y);
  const byStart = [...anns].sort((x, y) => x.start - y.start);
  const out = [];
  let active = [];
  let next = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i], to = points[i + 1];
    active = active.filter((a) => a.end > from);
    while (next < byStart.length && byStart[next].start <= from) {
      if (byStart[next].end > from) active.push(byStart[next]);
      next++;
    }
    out.push({ text: text.slice(from, to), covers: active.slice() });
  }
  return out;
}

function describeEvent(e, names) {
  const who = (ids) => asList(ids).map((id) => names.get(id) || id).join(", ");
  const parts = [e.type, e.status !== "occurred" ? `(${e.status})` : ""];
  const src = who(e.source), tgt = who(e.target);
  if (src || tgt) parts.push(`${src || "?"} → ${tgt || "?"}`);
  if (e.date && e.date.start) parts.push(e.date.start);
  const counts = Object.entries(e.counts || {}).map(([k, v]) => `${k} ${v}`).join(", ");
  if (counts) parts.push(counts);
  return parts.filter(Boolean).join(" ");
}

/** Render ``doc`` (a sitrep/1 document with text) into ``container``. */
function renderDocument(container, doc) {
  clear(container);
  const text = doc.text || "";
  const { anns, links } = annotate(doc);
  const names = new Map((doc.actors || []).map((a) => [a.id, a.name]));
  const placeNames = new Map((doc.places || []).map((p) => [p.id, p.name]));
  const pieces = [];
  const body = h("div", { class: "article-text", id: "article-text" });
  for (const seg of segments(text, anns)) {
    if (!seg.covers.length) { body.appendChild(document.createTextNode(seg.text)); continue; }
    const kinds = [...new Set(seg.covers.map((a) => a.kind))];
    const inner = seg.covers.reduce((x, y) => (y.end - y.start < x.end - x.start ? y : x));
    const span = h("span", { class: "ann " + kinds.map((k) => "k-" + k).join(" ") }, seg.text);
    span.dataset.keys = seg.covers.map((a) => a.key).join(" ");
    span.dataset.primary = inner.key;
    span.addEventListener("click", () => select(inner.key));
    pieces.push(span);
    body.appendChild(span);
  }
  const items = [];
  const item = (key, label, kind) => {
    const b = h("button", { type: "button", class: "item k-" + kind }, label);
    b.dataset.key = key;
    b.addEventListener("click", () => select(key));
    items.push(b);
    return h("li", {}, b);
  };
  const section = (title, list) => list.length ? h("div", { class: "side-section" }, h("h3", {}, `${title} (${list.length})`), h("ul", {}, list)) : null;
  const side = h("aside", { class: "article-side" },
    section("Events", (doc.events || []).map((e) => item("e:" + e.id, describeEvent(e, names) + (e.place ? " @ " + (placeNames.get(e.place) || e.place) : ""), "event"))),
    section("Actors", (doc.actors || []).map((a) => item("a:" + a.id, `${a.name} (${a.kind}${a.country ? ", " + a.country : ""})`, "actor"))),
    section("Places", (doc.places || []).map((p) => item("p:" + p.id, `${p.name}${p.country ? " (" + p.country + ")" : ""}`, "place"))),
    section("Times", (doc.times || []).map((t, i) => item("t:" + i, `${t.text} → ${typeof t.value === "object" && t.value ? JSON.stringify(t.value) : fmt(t.value)}`, "time"))),
    section("Quotes", (doc.quotes || []).map((q) => item("q:" + q.id, `${names.get(q.speaker) || "unknown"}: “${q.text}”`, "quote"))),
  );
  const legend = h("div", { class: "legend ann-legend" },
    ["actor", "place", "time", "event", "quote"].map((k) => h("span", { class: "ann k-" + k }, k)));
  container.appendChild(h("div", { class: "article-layout" }, h("div", { class: "article-main" }, legend, body), side));

  let current = null;
  function select(key) {
    current = current === key ? null : key;
    const related = new Set(current ? [current, ...(links.get(current) || [])] : []);
    for (const p of pieces) {
      const keys = p.dataset.keys.split(" ");
      p.classList.toggle("hl", keys.some((k) => related.has(k)));
      p.classList.toggle("sel", keys.includes(current));
    }
    for (const b of items) {
      b.classList.toggle("hl", related.has(b.dataset.key));
      b.classList.toggle("sel", b.dataset.key === current);
    }
    const first = pieces.find((p) => p.dataset.keys.split(" ").includes(current));
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "nearest" });
  }
  return { select };
}
