/* Timeline (stacked bars by PLOVER type) and actor network (force layout), plain SVG. */
"use strict";

function drawTimeline(container, legend, rows, onPick) {
  clear(container); clear(legend);
  if (!rows.length) { container.appendChild(h("p", { class: "muted" }, "No events match.")); return; }
  const dates = [...new Set(rows.map((r) => r.date || "undated"))].sort();
  const types = PLOVER.filter((t) => rows.some((r) => r.type === t));
  const cell = new Map(rows.map((r) => [(r.date || "undated") + "|" + r.type, r.events]));
  const totals = dates.map((d) => types.reduce((sum, t) => sum + (cell.get(d + "|" + t) || 0), 0));
  const max = Math.max(1, ...totals);
  const W = 960, H = 220, left = 44, bottom = 22, top = 8;
  const bw = Math.min(60, (W - left - 8) / dates.length);
  const y = (v) => (H - bottom - top) * (v / max);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline-svg", preserveAspectRatio: "none" });
  svg.appendChild(s("line", { x1: left, x2: W - 4, y1: H - bottom, y2: H - bottom, class: "axis" }));
  svg.appendChild(s("text", { x: left - 6, y: top + 10, class: "tick", "text-anchor": "end" }, String(max)));
  svg.appendChild(s("text", { x: left - 6, y: H - bottom, class: "tick", "text-anchor": "end" }, "0"));
  const every = Math.max(1, Math.ceil(dates.length / 10));
  dates.forEach((d, i) => {
    let base = H - bottom;
    const x = left + i * bw;
    for (const t of types) {
      const v = cell.get(d + "|" + t) || 0;
      if (!v) continue;
      const hgt = y(v);
      base -= hgt;
      const rect = s("rect", { x: x + 0.5, y: base, width: Math.max(1, bw - 1), height: hgt,
        fill: TYPE_PALETTE[t] || "#888", class: "bar" }, s("title", {}, `${d} ${t}: ${v}`));
      rect.dataset.date = d; rect.dataset.type = t;
      rect.addEventListener("click", () => onPick && onPick(d, t));
      svg.appendChild(rect);
    }
    if (i % every === 0) svg.appendChild(s("text", { x: x + bw / 2, y: H - 6, class: "tick", "text-anchor": "middle" }, d));
  });
  container.appendChild(svg);
  for (const t of types) legend.appendChild(h("span", { class: "key" }, h("i", { class: "swatch t-" + t }), t));
}

function layout(nodes, edges, W, H) {
  const n = nodes.length;
  const pos = nodes.map((_, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, n);
    return { x: W / 2 + (W / 3) * Math.cos(a), y: H / 2 + (H / 3) * Math.sin(a), vx: 0, vy: 0 };
  });
  const idx = new Map(nodes.map((nd, i) => [nd.name, i]));
  const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.85;
  for (let it = 0; it < 250; it++) {
    const temp = 10 * (1 - it / 250) + 0.5;
    for (const p of pos) { p.vx = 0; p.vy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const d2 = Math.max(dx * dx + dy * dy, 1), f = (k * k) / d2;
        pos[i].vx += dx * f / 10; pos[i].vy += dy * f / 10; pos[j].vx -= dx * f / 10; pos[j].vy -= dy * f / 10;
      }
    }
    for (const e of edges) {
      const a = pos[idx.get(e.source)], b = pos[idx.get(e.target)];
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1, f = (d - k) / d / 4;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    }
    for (const p of pos) {
      p.vx += (W / 2 - p.x) * 0.004; p.vy += (H / 2 - p.y) * 0.004;
      const v = Math.sqrt(p.vx * p.vx + p.vy * p.vy) || 1, step = Math.min(v, temp);
      p.x = Math.min(W - 40, Math.max(40, p.x + (p.vx / v) * step));
      p.y = Math.min(H - 20, Math.max(20, p.y + (p.vy / v) * step));
    }
  }
  return { pos, idx };
}

function drawNetwork(container, legend, data, onPick) {
  clear(container); clear(legend);
  const nodes = data.nodes.slice(0, 30);
  const keep = new Set(nodes.map((nd) => nd.name));
  const edges = data.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  if (!nodes.length) { container.appendChild(h("p", { class: "muted" }, "No actor pairs match.")); return; }
  const W = 480, H = 360;
  const { pos, idx } = layout(nodes, edges, W, H);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "network-svg" });
  svg.appendChild(s("defs", {}, s("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 22, refY: 5,
    markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto" }, s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))));
  const maxE = Math.max(1, ...edges.map((e) => e.events));
  for (const e of edges) {
    const a = pos[idx.get(e.source)], b = pos[idx.get(e.target)];
    const types = Object.entries(e.types).map(([t, c]) => `${t} ${c}`).join(", ");
    svg.appendChild(s("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: toneColor(e.tone),
      "stroke-width": 1 + 4 * Math.sqrt(e.events / maxE), "marker-end": "url(#arrow)", class: "edge" },
      s("title", {}, `${e.source} → ${e.target}: ${e.events} event(s) (${types})`)));
  }
  const maxN = Math.max(1, ...nodes.map((nd) => nd.events));
  nodes.forEach((nd, i) => {
    const p = pos[i];
    const g = s("g", { class: "node", transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})` },
      s("circle", { r: 4 + 8 * Math.sqrt(nd.events / maxN) }, s("title", {}, `${nd.name}: ${nd.events}`)),
      i < 15 ? s("text", { x: 0, y: -12, "text-anchor": "middle" }, nd.name) : null);
    g.addEventListener("click", () => onPick && onPick(nd.name));
    svg.appendChild(g);
  });
  container.appendChild(svg);
  legend.appendChild(h("span", { class: "key" }, h("i", { class: "swatch tone-neg" }), "conflict"));
  legend.appendChild(h("span", { class: "key" }, h("i", { class: "swatch tone-mid" }), "neutral"));
  legend.appendChild(h("span", { class: "key" }, h("i", { class: "swatch tone-pos" }), "cooperation"));
}
