"""Dashboard aggregates (network, map, monthly timeline) over the query layer's filters.

These reuse ``sitrep.query``'s filter semantics (its WHERE builder) so the dashboard shows
exactly what ``/api/events`` returns for the same filter. They are small, dashboard-shaped
summaries; the query layer remains the one place that defines what a filter means.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitrep.query import EventFilter, query_timeline
from sitrep.query.api import EVENT_FROM, _event_where
from sitrep.store import Store

# How cooperative (+1) or conflictual (-1) each PLOVER type is, for colouring; the same
# scale ships to the browser as static/plover-scale.json.
PLOVER_SCALE: dict[str, float] = {
    "AGREE": 0.8, "CONSULT": 0.4, "SUPPORT": 0.6, "CONCEDE": 0.5, "COOPERATE": 0.7,
    "AID": 0.9, "RETREAT": 0.3, "REQUEST": 0.1, "ACCUSE": -0.3, "REJECT": -0.4,
    "THREATEN": -0.6, "PROTEST": -0.4, "SANCTION": -0.6, "MOBILIZE": -0.5, "COERCE": -0.8,
    "ASSAULT": -1.0,
}  # fmt: skip


def _split(names: str | None) -> list[str]:
    return [n.strip() for n in (names or "").split(";") if n.strip()]


def timeline(store: Store, f: EventFilter, bucket: str = "day") -> list[dict[str, Any]]:
    """Counts per bucket (day or month) and type: date, type, events, killed."""
    rows = query_timeline(store, f)
    if bucket == "day":
        return [{k: r[k] for k in ("date", "type", "events", "killed")} for r in rows]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = ((r["date"] or "")[:7], r["type"])
        m = merged.setdefault(key, {"date": key[0], "type": key[1], "events": 0, "killed": None})
        m["events"] += r["events"]
        if r["killed"] is not None:
            m["killed"] = (m["killed"] or 0) + r["killed"]
    return list(merged.values())


def network(store: Store, f: EventFilter, limit: int = 150) -> dict[str, Any]:
    """Who acts on whom: nodes and directed edges with counts per type and a tone in [-1, 1]."""
    where, params = _event_where(f.validated())
    cond = "e.source_names IS NOT NULL AND e.target_names IS NOT NULL"
    where = f"{where} AND {cond}" if where else f" WHERE {cond}"
    sql = (
        f"SELECT e.source_names AS s, e.target_names AS t, e.type, COUNT(*) AS n{EVENT_FROM}"
        f"{where} GROUP BY e.source_names, e.target_names, e.type ORDER BY n DESC LIMIT ?"
    )
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for r in store.rows(sql, tuple(params) + (limit * 4,)):
        for s in _split(r["s"]):
            for t in _split(r["t"]):
                if s == t:
                    continue
                edge = edges.setdefault(
                    (s, t), {"source": s, "target": t, "events": 0, "types": {}}
                )
                edge["events"] += r["n"]
                edge["types"][r["type"]] = edge["types"].get(r["type"], 0) + r["n"]
    top = sorted(edges.values(), key=lambda e: -e["events"])[:limit]
    weight: dict[str, int] = defaultdict(int)
    for edge in top:
        edge["tone"] = round(
            sum(PLOVER_SCALE.get(t, 0.0) * n for t, n in edge["types"].items()) / edge["events"], 3
        )
        weight[edge["source"]] += edge["events"]
        weight[edge["target"]] += edge["events"]
    nodes = [{"name": n, "events": w} for n, w in sorted(weight.items(), key=lambda x: -x[1])]
    return {"nodes": nodes, "edges": top}


def located(store: Store, f: EventFilter, limit: int = 1000) -> list[dict[str, Any]]:
    """Located events grouped by place: name, country, lat, lon, events, types, tone."""
    where, params = _event_where(f.validated())
    cond = "e.lat IS NOT NULL AND e.lon IS NOT NULL"
    where = f"{where} AND {cond}" if where else f" WHERE {cond}"
    sql = (
        "SELECT e.place_name AS name, e.place_country AS country, e.lat, e.lon, e.type,"
        f" COUNT(*) AS n{EVENT_FROM}{where}"
        " GROUP BY e.place_name, e.place_country, e.lat, e.lon, e.type"
    )
    places: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in store.rows(sql, tuple(params)):
        key = (r["name"], r["country"], r["lat"], r["lon"])
        p = places.setdefault(key, {"name": r["name"], "country": r["country"], "lat": r["lat"],
                                    "lon": r["lon"], "events": 0, "types": {}})  # fmt: skip
        p["events"] += r["n"]
        p["types"][r["type"]] = p["types"].get(r["type"], 0) + r["n"]
    out = sorted(places.values(), key=lambda p: -p["events"])[:limit]
    for p in out:
        p["tone"] = round(sum(PLOVER_SCALE.get(t, 0.0) * n for t, n in p["types"].items())
                          / p["events"], 3)  # fmt: skip
    return out
