/* sitrep dashboard helpers. Untrusted data is only ever written with textContent
   (via text nodes), never parsed as HTML. No external code is loaded. */
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";

/** Build an HTML element; string children become text nodes. */
function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** Build an SVG element. */
function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVGNS, tag), attrs, children);
}

function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "class") node.setAttribute("class", v);
    else if (k === "href" && !/^(\/|#|https?:)/i.test(String(v))) continue;  // no javascript: URLs
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

class ApiError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

async function api(path, params) {
  const qs = params ? "?" + new URLSearchParams(params).toString() : "";
  const res = await fetch(path + qs, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = body.error || {};
    throw new ApiError(err.code || String(res.status), err.message || res.statusText);
  }
  return body;
}

async function postJSON(path, data, token) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const res = await fetch(path, { method: "POST", headers, body: JSON.stringify(data) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = body.error || {};
    throw new ApiError(err.code || String(res.status), err.message || res.statusText);
  }
  return body;
}

const PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
  "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
  "ASSAULT"];
/* Cooperation (+1) to conflict (-1); the same scale as sitrep/web/aggregates.py. */
const TONE = { AGREE: 0.8, CONSULT: 0.4, SUPPORT: 0.6, CONCEDE: 0.5, COOPERATE: 0.7, AID: 0.9,
  RETREAT: 0.3, REQUEST: 0.1, ACCUSE: -0.3, REJECT: -0.4, THREATEN: -0.6, PROTEST: -0.4,
  SANCTION: -0.6, MOBILIZE: -0.5, COERCE: -0.8, ASSAULT: -1.0 };

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Colour for a tone in [-1, 1]: red (conflict) - grey - blue (cooperation). */
function toneColor(t) {
  const red = [192, 57, 43], grey = [150, 150, 150], blue = [36, 113, 163];
  const c = t < 0 ? mix(grey, red, Math.min(1, -t)) : mix(grey, blue, Math.min(1, t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function typeColor(type) {
  return toneColor(TONE[type] ?? 0);
}

/* Distinct colours per type for the stacked timeline (conflict warm, cooperation cool). */
const TYPE_PALETTE = {
  AGREE: "#1f77b4", CONSULT: "#6baed6", SUPPORT: "#2ca02c", CONCEDE: "#98df8a",
  COOPERATE: "#17becf", AID: "#9edae5", RETREAT: "#bcbd22", REQUEST: "#dbdb8d",
  ACCUSE: "#ff9896", REJECT: "#ffbb78", THREATEN: "#ff7f0e", PROTEST: "#c5b0d5",
  SANCTION: "#9467bd", MOBILIZE: "#8c564b", COERCE: "#e377c2", ASSAULT: "#d62728",
};

function fmt(n) {
  return n === null || n === undefined ? "" : String(n);
}
