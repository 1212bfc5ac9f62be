"""Dashboard aggregates (timeline, network, map) for an ``EventFilter``.

The query layer (``sitrep.query``) defines what a filter means for event lists; these are
dashboard-shaped summaries over the same filter. Filters on event fields run over the
``events`` table alone, so the covering indexes of migration 3 serve them; a ``place`` or
``article`` filter falls back to the query layer's own WHERE clause (with its joins).
``since``/``until`` compare the event's own dates here (every stored event has one; an
event without a date is left out of date-filtered charts).

Results are cached per process, keyed by the filter and checked against the database's
data version (highest article id and article count). A result that was cheap to compute is
recomputed as soon as the data change; an expensive one (a whole-table summary on a large
database) is served stale while one background thread recomputes it, so the dashboard
stays responsive while articles are being added.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import Any

from sitrep.query import EventFilter
from sitrep.query.api import EVENT_FROM, _event_where, event_conditions
from sitrep.store import Store

log = logging.getLogger(__name__)

# How cooperative (+1) or conflictual (-1) each PLOVER type is, for colouring; the same
# table is in static/js/common.js and docs/api.md.
PLOVER_SCALE: dict[str, float] = {
    "AGREE": 0.8, "CONSULT": 0.4, "SUPPORT": 0.6, "CONCEDE": 0.5, "COOPERATE": 0.7,
    "AID": 0.9, "RETREAT": 0.3, "REQUEST": 0.1, "ACCUSE": -0.3, "REJECT": -0.4,
    "THREATEN": -0.6, "PROTEST": -0.4, "SANCTION": -0.6, "MOBILIZE": -0.5, "COERCE": -0.8,
    "ASSAULT": -1.0,
}  # fmt: skip

CACHE_SIZE = 256
CACHE_TTL_S = 600.0  # even with unchanged data (deletes do not move the version)
SLOW_S = 0.15  # results that take longer are refreshed in the background when stale


@dataclass(slots=True)
class _Entry:
    version: tuple[Any, ...]
    at: float
    value: Any
    cost_s: float
    refreshing: bool = False


_cache: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
_cache_lock = threading.Lock()


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(f: EventFilter, extra: str) -> tuple[str, str, list[Any]]:
    """(FROM, WHERE, params) for ``f`` plus the condition ``extra``."""
    if f.place or f.article is not None:
        where, params = _event_where(f)
        return EVENT_FROM, (f"{where} AND {extra}" if extra else where), params
    conds, params = event_conditions(f)  # the same meaning as the event lists
    conds = [extra, *conds] if extra else conds
    return " FROM events e", (" WHERE " + " AND ".join(conds)) if conds else "", params


def data_version(store: Store) -> tuple[Any, ...]:
    row = store.rows("SELECT MAX(id) AS m, COUNT(*) AS n FROM articles")[0]
    return (row["m"], row["n"])


def _compute(full: tuple[Any, ...], version: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    value = compute()
    entry = _Entry(version, time.monotonic(), value, time.perf_counter() - t0)
    with _cache_lock:
        _cache[full] = entry
        _cache.move_to_end(full)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _refresh(url: str, full: tuple[Any, ...], compute: Callable[[Store], Any]) -> None:
    from sitrep.web.deps import store_for

    try:
        store = store_for(url)
        _compute(full, data_version(store), lambda: compute(store))
    except Exception:  # keep serving the old value; the next request tries again
        log.exception("background refresh failed")
        with _cache_lock:
            if full in _cache:
                _cache[full].refreshing = False


def cached(store: Store, key: tuple[Any, ...], compute: Callable[[Store], Any]) -> Any:
    """``compute(store)``, cached per key; see the module docstring for staleness."""
    full = (store.url, *key)
    version = data_version(store)
    with _cache_lock:
        entry = _cache.get(full)
        if entry is not None:
            fresh = entry.version == version and time.monotonic() - entry.at < CACHE_TTL_S
            if fresh:
                _cache.move_to_end(full)
                return entry.value
            if entry.cost_s >= SLOW_S:
                if not entry.refreshing:
                    entry.refreshing = True
                    threading.Thread(target=_refresh, args=(store.url, full, compute),
                                     daemon=True).start()  # fmt: skip
                return entry.value
    return _compute(full, version, lambda: compute(store))


def _split(names: str | None) -> list[str]:
    return [n.strip() for n in (names or "").split(";") if n.strip()]


def _tone(types: dict[str, int], total: int) -> float:
    return round(sum(PLOVER_SCALE.get(t, 0.0) * n for t, n in types.items()) / max(total, 1), 3)


def timeline(store: Store, f: EventFilter, bucket: str = "day") -> list[dict[str, Any]]:
    """Counts per bucket (day or month) and type: date, type, events."""
    f = f.validated()
    return cached(store, ("timeline", astuple(f), bucket), lambda st: _timeline(st, f, bucket))  # type: ignore[no-any-return]


def _timeline(store: Store, f: EventFilter, bucket: str) -> list[dict[str, Any]]:
    frm, where, params = _where(f, "e.date_start IS NOT NULL")
    sql = (f"SELECT e.date_start AS d, e.type AS t, COUNT(*) AS n{frm}{where}"
           " GROUP BY e.date_start, e.type")  # fmt: skip
    width = 7 if bucket == "month" else 10
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in store.rows(sql, tuple(params)):
        key = (r["d"][:width], r["t"])
        m = merged.setdefault(key, {"date": key[0], "type": key[1], "events": 0})
        m["events"] += r["n"]
    return sorted(merged.values(), key=lambda m: (m["date"], m["type"]))


def network(store: Store, f: EventFilter, limit: int = 150) -> dict[str, Any]:
    """Who acts on whom: nodes and directed edges with counts per type and a tone in [-1, 1]."""
    f = f.validated()
    return cached(store, ("network", astuple(f), limit), lambda st: _network(st, f, limit))  # type: ignore[no-any-return]


def _network(store: Store, f: EventFilter, limit: int) -> dict[str, Any]:
    frm, where, params = _where(f, "e.source_names IS NOT NULL AND e.target_names IS NOT NULL")
    # the busiest (source, target) name pairs first, then their counts per type
    top = store.rows(
        f"SELECT e.source_names AS s, e.target_names AS t, COUNT(*) AS n{frm}{where}"
        " GROUP BY e.source_names, e.target_names ORDER BY n DESC LIMIT ?",
        (*params, limit * 2),
    )
    pairs = {(r["s"], r["t"]) for r in top}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    if pairs:
        sources = sorted({s for s, _ in pairs})
        targets = sorted({t for _, t in pairs})
        rows = store.rows(
            f"SELECT e.source_names AS s, e.target_names AS t, e.type, COUNT(*) AS n{frm}{where}"
            f" AND e.source_names IN ({','.join('?' * len(sources))})"
            f" AND e.target_names IN ({','.join('?' * len(targets))})"
            " GROUP BY e.source_names, e.target_names, e.type",
            (*params, *sources, *targets),
        )
        for r in rows:
            if (r["s"], r["t"]) not in pairs:
                continue
            for s in _split(r["s"]):
                for t in _split(r["t"]):
                    if s == t:
                        continue
                    edge = edges.setdefault(
                        (s, t), {"source": s, "target": t, "events": 0, "types": {}}
                    )
                    edge["events"] += r["n"]
                    edge["types"][r["type"]] = edge["types"].get(r["type"], 0) + r["n"]
    chosen = sorted(edges.values(), key=lambda e: (-e["events"], e["source"], e["target"]))[:limit]
    weight: dict[str, int] = defaultdict(int)
    for edge in chosen:
        edge["tone"] = _tone(edge["types"], edge["events"])
        weight[edge["source"]] += edge["events"]
        weight[edge["target"]] += edge["events"]
    nodes = [
        {"name": n, "events": w} for n, w in sorted(weight.items(), key=lambda x: (-x[1], x[0]))
    ]
    return {"nodes": nodes, "edges": chosen}


def located(store: Store, f: EventFilter, limit: int = 1000) -> list[dict[str, Any]]:
    """Located events grouped by place: name, country, lat, lon, events, types, tone."""
    f = f.validated()
    return cached(store, ("map", astuple(f), limit), lambda st: _located(st, f, limit))  # type: ignore[no-any-return]


def _located(store: Store, f: EventFilter, limit: int) -> list[dict[str, Any]]:
    frm, where, params = _where(f, "e.lat IS NOT NULL AND e.lon IS NOT NULL")
    sql = ("SELECT e.place_name AS name, e.place_country AS country, e.lat, e.lon, e.type,"
           f" COUNT(*) AS n{frm}{where}"
           " GROUP BY e.type, e.place_name, e.place_country, e.lat, e.lon")  # fmt: skip
    places: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in store.rows(sql, tuple(params)):
        key = (r["name"], r["country"], r["lat"], r["lon"])
        p = places.setdefault(key, {"name": r["name"], "country": r["country"], "lat": r["lat"],
                                    "lon": r["lon"], "events": 0, "types": {}})  # fmt: skip
        p["events"] += r["n"]
        p["types"][r["type"]] = p["types"].get(r["type"], 0) + r["n"]
    out = sorted(places.values(), key=lambda p: (-p["events"], p["name"] or ""))[:limit]
    for p in out:
        p["tone"] = _tone(p["types"], p["events"])
    return out


def warm(store: Store) -> None:
    """Compute the unfiltered dashboard views now (server start), so the first visit is fast."""
    f = EventFilter()
    timeline(store, f, "month")
    network(store, f)
    located(store, f)
