"""Web benchmark: p95 latency of dashboard pages and API queries on a large database.

    .venv/bin/python -m sitrep.bench_web                    # 1,000,000 events (builds the DB once)
    .venv/bin/python -m sitrep.bench_web --events 100000 --repeat 10 --json out.json

Builds a synthetic SQLite database (rows inserted directly: fast, no NLP), then requests
every page and API query in-process through the ASGI app (FastAPI TestClient) with varied
filters, and reports p50/p95 per route and over all requests. The database is kept
(``--db``) so later runs reuse it. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import random
import sqlite3
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.records import PLOVER_TYPES

log = logging.getLogger(__name__)

EVENTS_PER_ARTICLE = 10
COUNTRIES = ["UA", "RU", "SY", "IL", "PS", "SD", "YE", "ML", "MM", "ET", "CD", "SO", "AF", "IQ",
             "LB", "TR", "US", "FR", "DE", "CN"]  # fmt: skip
NAMED = ["Russia", "Ukraine", "Kremlin", "European Union", "NATO", "United States", "Turkey",
         "Hamas", "Israel", "United Nations", "Iran", "China", "Wagner Group", "Red Cross"]  # fmt: skip
TYPE_WEIGHTS = [3, 8, 4, 1, 3, 3, 1, 4, 5, 3, 3, 4, 2, 2, 3, 12]  # ASSAULT most frequent
STATUSES = ["occurred"] * 8 + ["planned", "denied", "proposed", "ongoing"]


def _actors(rng: random.Random) -> list[tuple[str, str, str | None]]:
    out = [(n, "country" if i < 3 else "organization", None) for i, n in enumerate(NAMED)]
    for i in range(600):
        out.append((f"Actor {i:03d} {rng.choice(['Brigade', 'Ministry', 'Party', 'Council'])}",
                    rng.choice(["group", "military", "government", "person"]),
                    rng.choice(COUNTRIES)))  # fmt: skip
    return out


def _places(rng: random.Random) -> list[tuple[str, str, float, float]]:
    named = [("Kharkiv", "UA", 49.98, 36.25), ("Kyiv", "UA", 50.45, 30.52),
             ("Gaza", "PS", 31.5, 34.47), ("Khartoum", "SD", 15.5, 32.56),
             ("Aleppo", "SY", 36.2, 37.16), ("Istanbul", "TR", 41.01, 28.98)]  # fmt: skip
    out = list(named)
    for i in range(800):
        c = rng.choice(COUNTRIES)
        base = (hash(c) % 120) - 50
        out.append((f"Town {i:03d}", c, max(-60, min(70, base / 2 + rng.gauss(0, 4))),
                    ((hash(c) // 7) % 300) - 150 + rng.gauss(0, 4)))  # fmt: skip
    return out


def _zipf_pick(rng: random.Random, items: list[Any]) -> Any:
    return items[min(len(items) - 1, int(rng.paretovariate(1.1)) - 1)]


def build(db: Path, n_events: int, seed: int = 7) -> None:
    """Create ``db`` with ``n_events`` synthetic events (and articles, actors, places, quotes)."""
    from sitrep.store import open_store

    if db.exists():
        db.unlink()
    open_store(f"sqlite:///{db}").close()  # schema via the real migrations
    rng = random.Random(seed)
    actors, places = _actors(rng), _places(rng)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    n_articles = max(1, n_events // EVENTS_PER_ARTICLE)
    start = dt.date(2024, 1, 1)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    for chunk in _chunks(range(1, n_articles + 1), 5000):
        arts, acts, plcs, evs, qts, links = [], [], [], [], [], []
        for aid in chunk:
            day = start + dt.timedelta(days=rng.randrange(730))
            text = f"Synthetic article {aid}. " + "Filler sentence about the conflict. " * 8
            doc = {"schema": "sitrep/1", "article": {"id": f"syn-{aid}", "title": f"Report {aid}",
                   "source": "bench", "url": None, "published": day.isoformat(), "language": "en",
                   "sha256": hashlib.sha256(text.encode()).hexdigest()}, "actors": [], "places": [],
                   "times": [], "numbers": [], "events": [], "quotes": []}  # fmt: skip
            arts.append((aid, doc["article"]["sha256"], f"syn-{aid}", f"Report {aid}", "bench", None,
                         day.isoformat(), "en", text, now, "bench", json.dumps(doc)))  # fmt: skip
            local_actors = {}
            for _ in range(4):
                name, kind, country = (
                    _zipf_pick(rng, actors) if rng.random() < 0.7 else rng.choice(actors)
                )
                if name not in local_actors:
                    lid = f"A{len(local_actors) + 1}"
                    local_actors[name] = lid
                    acts.append((aid, lid, name, kind, country, None, None, None, 2, "[]"))
            pname, pcountry, lat, lon = (
                _zipf_pick(rng, places) if rng.random() < 0.6 else rng.choice(places)
            )
            plcs.append((aid, "P1", pname, "city", pcountry, None, lat, lon, None, "[]"))
            names = list(local_actors)
            for k in range(EVENTS_PER_ARTICLE):
                etype = rng.choices(PLOVER_TYPES, TYPE_WEIGHTS)[0]
                src, tgt = rng.sample(names, 2) if len(names) > 1 else (names[0], None)
                located = rng.random() < 0.7
                eday = (day - dt.timedelta(days=rng.randrange(3))).isoformat()
                killed = rng.randrange(1, 40) if etype == "ASSAULT" and rng.random() < 0.4 else None
                ev = f"{src} and {tgt} event {k} of type {etype}."
                links.append((aid, f"E{k + 1}", local_actors[src], "source"))
                if tgt:
                    links.append((aid, f"E{k + 1}", local_actors[tgt], "target"))
                evs.append((aid, f"E{k + 1}", etype, None, json.dumps(local_actors[src]),
                            json.dumps(local_actors.get(tgt)) if tgt else "null", src, tgt,
                            eday, eday, None, int(rng.random() < 0.3),
                            "P1" if located else None, pname if located else None,
                            pcountry if located else None, lat if located else None,
                            lon if located else None, killed, None,
                            json.dumps({"killed": killed} if killed else {}), "{}",
                            rng.choice(STATUSES), 0.6, None, ev, 0, len(ev), "{}"))  # fmt: skip
            if rng.random() < 0.5:
                q = "We will respond."
                qts.append((aid, "Q1", "A1", names[0], q, "direct", 0, len(q), "said", None))
        conn.executemany(f"INSERT INTO articles (id, sha256, ext_id, title, source, url, published,"
                         f" language, text, analyzed_at, sitrep_version, document)"
                         f" VALUES ({','.join('?' * 12)})", arts)  # fmt: skip
        conn.executemany("INSERT INTO actors (article_id, local_id, name, kind, country, sector,"
                         " kb_id, role, mention_count, mentions) VALUES (?,?,?,?,?,?,?,?,?,?)", acts)  # fmt: skip
        conn.executemany("INSERT INTO places (article_id, local_id, name, kind, country, admin1,"
                         " lat, lon, geonames_id, mentions) VALUES (?,?,?,?,?,?,?,?,?,?)", plcs)  # fmt: skip
        conn.executemany(
            "INSERT INTO events (article_id, local_id, type, mode, source, target, source_names,"
            " target_names, date_start, date_end, date_text, date_inferred, place_id, place_name,"
            " place_country, lat, lon, killed, injured, counts, counts_qualifier, status,"
            " confidence, cameo, evidence_text, evidence_start, evidence_end, record)"
            f" VALUES ({','.join('?' * 28)})", evs)  # fmt: skip
        if _has_table(conn, "event_actors"):  # migration 5: who took part in which event
            conn.executemany("INSERT INTO event_actors (article_id, event_id, actor_id, role)"
                             " VALUES (?,?,?,?)", links)  # fmt: skip
        conn.executemany('INSERT INTO quotes (article_id, local_id, speaker_id, speaker_name, text,'
                         ' kind, start, "end", cue, channel) VALUES (?,?,?,?,?,?,?,?,?,?)', qts)  # fmt: skip
    conn.execute("COMMIT")
    conn.close()
    with open_store(f"sqlite:///{db}") as store, store.transaction():
        if hasattr(store, "rebuild_summaries"):  # migration 7: rows were inserted directly
            store.rebuild_summaries()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("ANALYZE")
    conn.close()
    log.info("built %s: %d events in %.0f s", db, n_events, time.perf_counter() - t0)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                             (name,)).fetchone())  # fmt: skip


def _chunks(seq: range, size: int) -> Iterator[range]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def requests(rng: random.Random, n_articles: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(route name, path, params) for one round of dashboard and API use."""
    t = rng.choice(PLOVER_TYPES)
    actor = rng.choice(NAMED)
    since = (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))).isoformat()
    until = (dt.date.fromisoformat(since) + dt.timedelta(days=7)).isoformat()
    aid = rng.randrange(1, n_articles + 1)
    return [
        ("page /", "/", {}),
        ("page /articles", "/articles", {}),
        ("page /articles/{id}", f"/articles/{aid}", {}),
        ("events (no filter)", "/api/events", {"limit": 25}),
        ("events type", "/api/events", {"type": t, "limit": 25}),
        ("events actor", "/api/events", {"actor": actor, "limit": 25}),
        ("events type+actor+since", "/api/events", {"type": "ASSAULT", "actor": actor, "since": since, "limit": 25}),
        ("events week", "/api/events", {"since": since, "until": until, "limit": 25}),
        ("events place", "/api/events", {"place": "Kharkiv", "limit": 25}),
        ("events article", "/api/events", {"article": aid}),
        ("events actor rare", "/api/events", {"actor": f"Actor {rng.randrange(600):03d}", "limit": 25}),
        ("events country", "/api/events", {"country": rng.choice(COUNTRIES), "limit": 25}),
        ("events status", "/api/events", {"status": rng.choice(STATUSES[-4:]), "limit": 25}),
        ("events text", "/api/events", {"text": f"{actor} and", "limit": 25}),
        ("events text rare", "/api/events", {"text": f"Actor {rng.randrange(600):03d}", "limit": 25}),
        ("events newest first", "/api/events", {"order": "desc", "limit": 25}),
        ("events page 10", "/api/events", {"type": t, "limit": 25, "offset": 250}),
        ("actors", "/api/actors", {"limit": 25}),
        ("actors name", "/api/actors", {"name": actor, "limit": 25}),
        ("actors country", "/api/actors", {"country": rng.choice(COUNTRIES), "limit": 25}),
        ("quotes", "/api/quotes", {"limit": 25}),
        ("places", "/api/places", {"limit": 25}),
        ("places country", "/api/places", {"country": rng.choice(COUNTRIES), "limit": 25}),
        ("articles", "/api/articles", {"limit": 25}),
        ("article", f"/api/articles/{aid}", {}),
        ("incidents week", "/api/incidents", {"type": "ASSAULT", "since": since, "until": until, "limit": 25}),
        ("timeline", "/api/stats/timeline", {}),
        ("timeline type", "/api/stats/timeline", {"type": t}),
        ("network", "/api/stats/network", {}),
        ("network actor", "/api/stats/network", {"actor": actor}),
        ("map", "/api/stats/map", {}),
        ("map type", "/api/stats/map", {"type": t}),
    ]  # fmt: skip


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def measure(db: Path, repeat: int, seed: int = 11, cap_s: float = 10.0) -> dict[str, Any]:
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

    import sitrep.web.deps as deps
    from sitrep.web import WebSettings, create_app

    deadline = [0.0]
    open_store = deps.open_store

    def capped(url: str):  # type: ignore[no-untyped-def]
        """A store whose queries abort once the current request is over its time cap."""
        store = open_store(url)
        store.conn.set_progress_handler(lambda: int(time.perf_counter() > deadline[0]), 20_000)
        return store

    deps.open_store = capped  # type: ignore[assignment]
    client = TestClient(
        create_app(WebSettings(db_url=f"sqlite:///{db}")), raise_server_exceptions=False
    )
    n_articles = int(client.get("/api/health").json()["articles"])
    # as `sitrep serve` does at start: compute the unfiltered dashboard charts once
    from sitrep.query import EventFilter
    from sitrep.web import aggregates
    from sitrep.web.deps import store_for

    warm_ms: dict[str, float] = {}
    store = store_for(f"sqlite:///{db}")
    for name, fn in (("timeline", lambda: aggregates.timeline(store, EventFilter(), "month")),
                     ("network", lambda: aggregates.network(store, EventFilter())),
                     ("map", lambda: aggregates.located(store, EventFilter()))):  # fmt: skip
        deadline[0] = time.perf_counter() + 600
        t0 = time.perf_counter()
        fn()
        warm_ms[name] = round((time.perf_counter() - t0) * 1000, 1)
    rng = random.Random(seed)
    times: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    aborted: set[str] = set()
    for _ in range(repeat):
        for name, path, params in requests(rng, n_articles):
            if name in aborted:
                continue
            t0 = time.perf_counter()
            deadline[0] = t0 + cap_s
            r = client.get(path, params=params)
            ms = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                if ms < cap_s * 1000:
                    raise SystemExit(f"{name}: HTTP {r.status_code}: {r.text[:200]}")
                aborted.add(name)  # over the cap: counted at the cap, not run again
                ms = cap_s * 1000
            first.setdefault(name, ms)
            times.setdefault(name, []).append(ms)
    deps.open_store = open_store  # type: ignore[assignment]
    every = [ms for values in times.values() for ms in values]
    return {
        "requests": len(every),
        "p50_ms": round(pct(every, 0.5), 1),
        "p95_ms": round(pct(every, 0.95), 1),
        "aborted_over_cap": sorted(aborted),
        "warm_up_ms": warm_ms,
        "cap_s": cap_s,
        "routes": {
            name: {
                "p50_ms": round(pct(v, 0.5), 1),
                "p95_ms": round(pct(v, 0.95), 1),
                "first_ms": round(first[name], 1),
                "aborted": name in aborted,
            }
            for name, v in times.items()
        },  # fmt: skip
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sitrep.bench_web", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("build/bench-web.db"))
    ap.add_argument("--rebuild", action="store_true", help="Rebuild the database even if present.")
    ap.add_argument("--repeat", type=int, default=20, help="Rounds over every route.")
    ap.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    ap.add_argument(
        "--cap",
        type=float,
        default=10.0,
        help="Abort a request after this many seconds (counted at the cap).",
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild or not _has_events(args.db, args.events):
        build(args.db, args.events)
    result = {"events": args.events, **measure(args.db, args.repeat, cap_s=args.cap)}
    for name, r in result["routes"].items():
        sys.stdout.write(f"{name:28s} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms"
                         f"  first {r['first_ms']:8.1f} ms"
                         f"{'  ABORTED at the cap' if r['aborted'] else ''}\n")  # fmt: skip
    sys.stdout.write(
        f"warm-up at start (unfiltered charts, computed once): {result['warm_up_ms']}\n"
    )
    sys.stdout.write(f"ALL {result['requests']} requests on {args.events:,} events: "
                     f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms\n")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def _has_events(db: Path, n: int) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]) == n
    except sqlite3.Error:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
