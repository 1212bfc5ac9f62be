/* Map of located events on a bundled Natural Earth basemap (TopoJSON, decoded here). */
"use strict";

let basemapPromise = null;

function loadBasemap() {
  basemapPromise = basemapPromise || fetch("/static/vendor/world-atlas/countries-110m.json").then((r) => r.json());
  return basemapPromise;
}

/** TopoJSON arcs to absolute [lon, lat] coordinates. */
function decodeArcs(topo) {
  const [sx, sy] = topo.transform ? topo.transform.scale : [1, 1];
  const [tx, ty] = topo.transform ? topo.transform.translate : [0, 0];
  return topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
}

function ringPath(ring, arcs) {
  const pts = [];
  for (const i of ring) {
    const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    pts.push(...(pts.length ? arc.slice(1) : arc));
  }
  return "M" + pts.map(([x, y]) => `${x.toFixed(2)},${(-y).toFixed(2)}`).join("L") + "Z";
}

function geometryPath(g, arcs) {
  if (g.type === "Polygon") return g.arcs.map((r) => ringPath(r, arcs)).join("");
  if (g.type === "MultiPolygon") return g.arcs.map((p) => p.map((r) => ringPath(r, arcs)).join("")).join("");
  return "";
}

async function drawMap(container, places, onPick) {
  clear(container);
  const topo = await loadBasemap();
  const arcs = decodeArcs(topo);
  let [x0, y0, x1, y1] = [-180, -85, 180, 85];
  if (places.length) {
    const lons = places.map((p) => p.lon), lats = places.map((p) => p.lat);
    const pad = 6;
    x0 = Math.max(-180, Math.min(...lons) - pad); x1 = Math.min(180, Math.max(...lons) + pad);
    y0 = Math.max(-85, Math.min(...lats) - pad); y1 = Math.min(85, Math.max(...lats) + pad);
    const w = Math.max(x1 - x0, 24), hgt = Math.max(y1 - y0, 16);
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    [x0, x1, y0, y1] = [cx - w / 2, cx + w / 2, cy - hgt / 2, cy + hgt / 2];
  }
  const svg = s("svg", { viewBox: `${x0} ${-y1} ${x1 - x0} ${y1 - y0}`, class: "map-svg",
    preserveAspectRatio: "xMidYMid meet" });
  svg.appendChild(s("rect", { x: -540, y: -270, width: 1080, height: 540, class: "sea" }));
  const land = s("g", { class: "land" });
  for (const g of topo.objects.countries.geometries) {
    land.appendChild(s("path", { d: geometryPath(g, arcs) }, s("title", {}, (g.properties && g.properties.name) || "")));
  }
  svg.appendChild(land);
  const scale = (x1 - x0) / 60;
  const maxE = Math.max(1, ...places.map((p) => p.events));
  for (const p of places) {
    const types = Object.entries(p.types).map(([t, c]) => `${t} ${c}`).join(", ");
    const dot = s("circle", { cx: p.lon, cy: -p.lat, r: scale * (0.5 + 1.5 * Math.sqrt(p.events / maxE)),
      fill: toneColor(p.tone), class: "dot" },
      s("title", {}, `${p.name || "?"}${p.country ? " (" + p.country + ")" : ""}: ${p.events} event(s) — ${types}`));
    dot.addEventListener("click", () => onPick && onPick(p.name));
    svg.appendChild(dot);
  }
  container.appendChild(svg);
  if (!places.length) container.appendChild(h("p", { class: "muted overlay" }, "No located events match."));
}
