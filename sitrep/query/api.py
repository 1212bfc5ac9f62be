"""Query functions over a store: filters in, JSON-ready dicts out.

Every function takes an open store (SQLite or PostgreSQL; see ``sitrep.store``) and a
filter dataclass from :mod:`sitrep.query.filters`, and returns ``list[dict]`` whose keys
are documented on each function. SQL is written with ``?`` placeholders; the store turns
them into its driver's style.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from typing import Any, Protocol

from sitrep.query.filters import (
    MAX_LIMIT,
    ActorFilter,
    ArticleFilter,
    EventFilter,
    Page,
    PlaceFilter,
    QuoteFilter,
    _check_date,
)


class Rows(Protocol):
    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> Any: ...


@functools.lru_cache(maxsize=256)
def _codes(value: str) -> tuple[str, ...]:
    import pycountry

    value = value.strip()
    codes = {value.upper()}
    try:
        c = pycountry.countries.lookup(value)
        codes |= {c.alpha_2, c.alpha_3}
    except LookupError:
        pass
    return tuple(sorted(codes))


def country_codes(value: str) -> list[str]:
    """A country as given (UA, UKR or Ukraine) plus its ISO alpha-2 and alpha-3 codes."""
    return list(_codes(value))


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


LIKE = " LIKE ? ESCAPE '\\'"

EVENT_COLUMNS = (
    "e.article_id, e.local_id, e.type, e.mode, e.source, e.target, e.source_names,"
    " e.target_names, e.date_start, e.date_end, e.date_text, e.date_inferred, e.place_id,"
    " e.place_name, e.place_country, e.lat, e.lon, e.killed, e.injured, e.counts,"
    " e.counts_qualifier, e.status, e.confidence, e.cameo, e.evidence_text, e.evidence_start,"
    " e.evidence_end, a.ext_id, a.title, a.source AS outlet, a.url, a.published,"
    " p.admin1, p.kind AS place_kind"
)
# Events drive the join (CROSS JOIN keeps SQLite from starting at articles, which forces a
# sort of every row); the join condition is in every WHERE that ``_event_where`` builds.
EVENT_FROM = (
    " FROM events e CROSS JOIN articles a"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id"
)
JOIN_ON = "a.id = e.article_id"
# An actor or place filter that matches at most this many events is narrowed to them
# through an index first; one matching more is answered by walking events in date order.
NARROW_MAX = 5_000


def _article_clause(alias: str, key: str | int) -> tuple[str, list[Any]]:
    try:
        num = int(key)
    except (TypeError, ValueError):
        num = -1
    return (
        f"({alias}.id = ? OR {alias}.sha256 = ? OR {alias}.ext_id = ?)",
        [num, str(key), str(key)],
    )


def _ids(value: str | None) -> list[str]:
    if not value or value == "null":
        return []
    if value[0] == '"' and value.count('"') == 2 and "\\" not in value:
        return [value[1:-1]]  # one plain id: the common case, without the JSON parser
    data = json.loads(value)
    if data is None:
        return []
    return data if isinstance(data, list) else [data]


def _obj(value: str | None) -> dict[str, Any]:
    return {} if not value or value == "{}" else json.loads(value)


def event_row(r: dict[str, Any]) -> dict[str, Any]:
    """Shape a raw joined events row into the public event dict."""
    return {
        "article_id": r["article_id"],
        "event_id": r["local_id"],
        "type": r["type"],
        "mode": r["mode"],
        "source": r["source_names"],
        "target": r["target_names"],
        "source_ids": _ids(r["source"]),
        "target_ids": _ids(r["target"]),
        "date_start": r["date_start"],
        "date_end": r["date_end"],
        "date_text": r["date_text"],
        "date_inferred": None if r["date_inferred"] is None else bool(r["date_inferred"]),
        "place": r["place_name"],
        "place_id": r["place_id"],
        "place_kind": r.get("place_kind"),
        "admin1": r.get("admin1"),
        "country": r["place_country"],
        "lat": r["lat"],
        "lon": r["lon"],
        "killed": r["killed"],
        "injured": r["injured"],
        "counts": _obj(r["counts"]),
        "counts_qualifier": _obj(r["counts_qualifier"]),
        "status": r["status"],
        "confidence": r["confidence"],
        "cameo": r["cameo"],
        "evidence": r["evidence_text"],
        "evidence_start": r["evidence_start"],
        "evidence_end": r["evidence_end"],
        "article": r["ext_id"],
        "title": r["title"],
        "outlet": r["outlet"],
        "url": r["url"],
        "published": r["published"],
    }


def date_conditions(f: EventFilter) -> tuple[list[str], list[Any]]:
    """``since``/``until`` on the event's start date (indexed), over ``events e`` alone.

    Dates compare as ISO text, so a month-level start such as ``2025-03`` sorts before
    ``2025-03-01``: the lower bound is the month of ``since`` and the exact test admits
    month-level dates of that month.
    """
    conds: list[str] = []
    params: list[Any] = []
    if f.since:
        conds.append("e.date_start >= ? AND (e.date_start >= ? OR e.date_start = ?)")
        params += [f.since[:7], f.since, f.since[:7]]
    if f.until:
        conds.append("e.date_start <= ?")
        params.append(f.until)
    return conds, params


def event_conditions(f: EventFilter) -> tuple[list[str], list[Any]]:
    """Conditions of ``f`` that need only the ``events e`` table (no place or article)."""
    conds: list[str] = []
    params: list[Any] = []
    if f.actor:
        conds.append(f"(LOWER(COALESCE(e.source_names, '')){LIKE}"
                     f" OR LOWER(COALESCE(e.target_names, '')){LIKE})")  # fmt: skip
        params += [_like(f.actor), _like(f.actor)]
    if f.type:
        types = [t.strip().upper() for t in f.type.split(",") if t.strip()]
        conds.append(f"e.type IN ({','.join('?' * len(types))})")
        params += types
    dconds, dparams = date_conditions(f)
    conds += dconds
    params += dparams
    if f.country:
        codes = country_codes(f.country)
        conds.append(f"UPPER(e.place_country) IN ({','.join('?' * len(codes))})")
        params += codes
    if f.status:
        statuses = [s.strip().lower() for s in f.status.split(",") if s.strip()]
        conds.append(f"e.status IN ({','.join('?' * len(statuses))})")
        params += statuses
    if f.text:
        conds.append(f"LOWER(e.evidence_text){LIKE}")
        params.append(_like(f.text))
    return conds, params


def _narrowing(store: Rows | None, f: EventFilter) -> tuple[list[str], list[Any]]:
    """Index-friendly superset conditions for rare actors and places (see NARROW_MAX).

    The names matching the filter are looked up in the small summary tables; when they
    cover few events, ``e.article_id IN (...)`` / ``e.place_name IN (...)`` lets the
    database fetch just those. The exact LIKE conditions still apply on top.
    """
    conds: list[str] = []
    params: list[Any] = []
    if store is None:
        return conds, params
    if f.actor and ";" not in f.actor:
        found = store.rows(f"SELECT name, SUM(events) AS n FROM actor_names WHERE LOWER(name){LIKE}"
                           " GROUP BY name", (_like(f.actor),))  # fmt: skip
        if sum(int(r["n"] or 0) for r in found) <= NARROW_MAX:
            names = [r["name"] for r in found] or [""]
            conds.append("e.article_id IN (SELECT x.article_id FROM actors x WHERE x.name IN"
                         f" ({','.join('?' * len(names))}))")  # fmt: skip
            params += names
    if f.text and _text_index(store, f.text):
        probe = f"%{f.text.lower()}%"
        n = store.rows("SELECT COUNT(*) AS n FROM (SELECT rowid FROM events_fts"
                       " WHERE evidence_text LIKE ? LIMIT ?) t", (probe, NARROW_MAX + 1))[0]["n"]  # fmt: skip
        if int(n) <= NARROW_MAX:
            conds.append("e.rowid IN (SELECT rowid FROM events_fts WHERE evidence_text LIKE ?)")
            params.append(probe)
    if f.place:
        found = store.rows(f"SELECT name, SUM(events) AS n FROM place_names WHERE LOWER(name){LIKE}"
                           f" OR LOWER(admin1){LIKE} GROUP BY name", (_like(f.place), _like(f.place)))  # fmt: skip
        if sum(int(r["n"] or 0) for r in found) <= NARROW_MAX:
            names = [r["name"] for r in found] or [""]
            conds.append(f"e.place_name IN ({','.join('?' * len(names))})")
            params += names
    return conds, params


def _text_index(store: Rows, text: str) -> bool:
    """Whether ``text`` can be looked up in SQLite's trigram index (3+ characters, no
    LIKE wildcards, which the index cannot escape)."""
    if len(text) < 3 or any(c in text for c in "%_\\"):
        return False
    has = getattr(store, "has_text_index", None)
    return bool(has and has())


def _event_where(f: EventFilter, store: Rows | None = None) -> tuple[str, list[Any]]:
    """WHERE (with the join condition) for ``EVENT_FROM``; ``store`` enables narrowing."""
    where, params = [JOIN_ON], []
    narrow, nparams = _narrowing(store, f)
    where += narrow
    params += nparams
    conds, cparams = event_conditions(f)
    where += conds
    params += cparams
    if f.place:
        where.append(f"(LOWER(COALESCE(e.place_name, '')){LIKE}"
                     f" OR LOWER(COALESCE(p.admin1, '')){LIKE})")  # fmt: skip
        params += [_like(f.place), _like(f.place)]
    if f.article is not None:
        clause, extra = _article_clause("x", f.article)
        where.append(f"e.article_id IN (SELECT x.id FROM articles x WHERE {clause})")
        params += extra
    return " WHERE " + " AND ".join(where), params


def query_events(store: Rows, f: EventFilter | None = None) -> list[dict[str, Any]]:
    """Events matching ``f`` by event date, then article and event id (``f.order``: asc
    oldest first, the default, or desc newest first)."""
    f = (f or EventFilter()).validated()
    where, params = _event_where(f, store)
    page, extra = Page(f.limit, f.offset).clause()
    d = " DESC" if f.order == "desc" else ""
    sql = (f"SELECT {EVENT_COLUMNS}{EVENT_FROM}{where}"
           f" ORDER BY e.date_start{d}, e.article_id{d}, e.local_id{d}" + page)  # fmt: skip
    return [event_row(r) for r in store.rows(sql, tuple(params + extra))]


def count_events(store: Rows, f: EventFilter | None = None) -> int:
    """How many events match ``f`` (ignoring its paging)."""
    f = (f or EventFilter()).validated()
    where, params = _event_where(f, store)
    rows = list(store.rows(f"SELECT COUNT(*) AS n{EVENT_FROM}{where}", tuple(params)))
    return int(rows[0]["n"])


def query_actors(store: Rows, f: ActorFilter | None = None) -> list[dict[str, Any]]:
    """Actors grouped by (name, kind, country) across articles, most-mentioned first.

    Keys: name, kind, country, kb_id, articles, mentions, events. Read from the
    ``actor_names`` summary that ``Store.save`` keeps (migration 7).
    """
    f = f or ActorFilter()
    where: list[str] = []
    params: list[Any] = []
    if f.name:
        where.append(f"LOWER(x.name){LIKE}")
        params.append(_like(f.name))
    if f.kind:
        where.append("x.kind = ?")
        params.append(f.kind.lower())
    if f.country:
        codes = country_codes(f.country)
        where.append(f"UPPER(x.country) IN ({','.join('?' * len(codes))})")
        params += codes
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    page, extra = Page(f.limit, f.offset).clause()
    sql = ("SELECT x.name, x.kind, x.country, x.kb_id, x.articles, x.mentions, x.events"
           f" FROM actor_names x{clause} ORDER BY x.mentions DESC, x.name" + page)  # fmt: skip
    return [
        {**r, "kind": r["kind"] or None, "country": r["country"] or None,
         "articles": int(r["articles"]), "mentions": int(r["mentions"] or 0),
         "events": int(r["events"] or 0)}
        for r in store.rows(sql, tuple(params + extra))
    ]  # fmt: skip


def query_quotes(
    store: Rows, f: QuoteFilter | None = None, *, speaker: str | None = None
) -> list[dict[str, Any]]:
    """Quotes, by article date. Keys: article_id, quote_id, speaker, text, kind, start, end,
    cue, channel, article, title, outlet, url, published."""
    f = f or QuoteFilter()
    if speaker:
        f = replace(f, speaker=speaker)
    where: list[str] = []
    params: list[Any] = []
    if f.speaker:
        where.append(f"LOWER(COALESCE(q.speaker_name, '')){LIKE}")
        params.append(_like(f.speaker))
    if f.text:
        where.append(f"LOWER(q.text){LIKE}")
        params.append(_like(f.text))
    if since := _check_date("since", f.since):
        where.append("a.published >= ?")
        params.append(since)
    if until := _check_date("until", f.until):
        where.append("a.published <= ?")
        params.append(until)
    if f.article is not None:
        clause, extra_a = _article_clause("a", f.article)
        where.append(clause)
        params += extra_a
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    page, extra = Page(f.limit, f.offset).clause()
    sql = (
        "SELECT q.article_id, q.local_id AS quote_id, q.speaker_name AS speaker, q.speaker_id,"
        ' q.text, q.kind, q.start, q."end", q.cue, q.channel, a.ext_id AS article, a.title,'
        " a.source AS outlet, a.url, a.published"
        f" FROM quotes q JOIN articles a ON a.id = q.article_id{clause}"
        " ORDER BY a.published, q.article_id, q.start" + page
    )
    return [dict(r) for r in store.rows(sql, tuple(params + extra))]


def query_places(store: Rows, f: PlaceFilter | None = None) -> list[dict[str, Any]]:
    """Places grouped by (name, country), most-reported first. Keys: name, kind, country,
    admin1, lat, lon, geonames_id, articles, events (events located there). Read from the
    ``place_names`` summary that ``Store.save`` keeps (migration 7)."""
    f = f or PlaceFilter()
    where: list[str] = []
    params: list[Any] = []
    if f.name:
        where.append(f"LOWER(p.name){LIKE}")
        params.append(_like(f.name))
    if f.country:
        codes = country_codes(f.country)
        where.append(f"UPPER(p.country) IN ({','.join('?' * len(codes))})")
        params += codes
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    page, extra = Page(f.limit, f.offset).clause()
    sql = (
        "SELECT p.name, MAX(p.kind) AS kind, p.country, MAX(p.admin1) AS admin1,"
        " MAX(p.lat) AS lat, MAX(p.lon) AS lon, MAX(p.geonames_id) AS geonames_id,"
        " SUM(p.articles) AS articles, SUM(p.events) AS events"
        f" FROM place_names p{clause} GROUP BY p.name, p.country"
        " ORDER BY SUM(p.articles) DESC, p.name" + page
    )
    return [
        {**r, "country": r["country"] or None, "admin1": r["admin1"] or None,
         "articles": int(r["articles"]), "events": int(r["events"] or 0)}
        for r in store.rows(sql, tuple(params + extra))
    ]  # fmt: skip


def query_articles(store: Rows, f: ArticleFilter | None = None) -> list[dict[str, Any]]:
    """Stored articles (no body text). Keys: id, sha256, ext_id, title, author, source, url,
    published, language, analyzed_at, events, quotes."""
    f = f or ArticleFilter()
    where: list[str] = []
    params: list[Any] = []
    if f.text:
        where.append(f"(LOWER(COALESCE(a.title, '')){LIKE} OR LOWER(a.text){LIKE})")
        params += [_like(f.text), _like(f.text)]
    if f.source:
        where.append(f"LOWER(COALESCE(a.source, '')){LIKE}")
        params.append(_like(f.source))
    if since := _check_date("since", f.since):
        where.append("a.published >= ?")
        params.append(since)
    if until := _check_date("until", f.until):
        where.append("a.published <= ?")
        params.append(until)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    page, extra = Page(f.limit, f.offset).clause()
    sql = (
        "SELECT a.id, a.sha256, a.ext_id, a.title, a.author, a.source, a.url, a.published,"
        " a.language, a.analyzed_at,"
        " (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) AS events,"
        " (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quotes"
        f" FROM articles a{clause} ORDER BY a.published, a.id" + page
    )
    return [dict(r) for r in store.rows(sql, tuple(params + extra))]


def query_skipped(
    store: Rows, reason: str | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Articles kept out of analysis. Keys: sha256, ext_id, title, source, url, published,
    origin, reason (language | near-duplicate), detail, language, duplicate_of (sha256 of
    the first copy), first_copy (its ext_id when stored), similarity, skipped_at."""
    where, params = ("", []) if not reason else (" WHERE s.reason = ?", [reason])
    page, extra = Page(limit, offset).clause()
    sql = (
        "SELECT s.sha256, s.ext_id, s.title, s.source, s.url, s.published, s.origin, s.reason,"
        " s.detail, s.language, s.duplicate_of, a.ext_id AS first_copy, s.similarity,"
        " s.skipped_at FROM skipped_articles s LEFT JOIN articles a ON a.sha256 = s.duplicate_of"
        f"{where} ORDER BY s.id" + page
    )
    return [dict(r) for r in store.rows(sql, tuple(params + extra))]


def query_incidents(store: Rows, f: EventFilter | None = None) -> list[dict[str, Any]]:
    """Incidents: events from several articles merged (see :mod:`sitrep.query.incidents`).

    ``f`` selects the events considered (the first ``MAX_LIMIT`` by date); its paging
    applies to the incidents returned. (All selected events are merged: an incident at a
    place with daily reports can run on for the whole window, so no page is final early.)
    """
    from sitrep.query.incidents import merge_incidents

    f = (f or EventFilter()).validated()
    page = Page(f.limit, f.offset)
    page.clause()
    events = _merge_rows(store, replace(f, limit=MAX_LIMIT, offset=0, order="asc"))
    _add_actor_keys(store, events)
    limit = 1000 if page.limit is None else page.limit
    chosen = merge_incidents(events)[page.offset : page.offset + limit]
    _fill_events(store, chosen)
    return [i.to_dict() for i in chosen]


# What merging needs of an event; the rest (evidence, outlet, ...) is read for the page only.
_MERGE_COLUMNS = (
    "e.article_id, e.local_id, e.type, e.source, e.target, e.source_names, e.target_names,"
    " e.date_start, e.date_end, e.date_inferred, e.place_name, e.place_country, e.lat, e.lon,"
    " e.counts, a.published, p.admin1"
)


def _merge_rows(store: Rows, f: EventFilter) -> list[dict[str, Any]]:
    where, params = _event_where(f, store)
    page, extra = Page(f.limit, f.offset).clause()
    sql = (f"SELECT {_MERGE_COLUMNS}{EVENT_FROM}{where}"
           " ORDER BY e.date_start, e.article_id, e.local_id" + page)  # fmt: skip
    return [
        {"article_id": r["article_id"], "event_id": r["local_id"], "type": r["type"],
         "source": r["source_names"], "target": r["target_names"], "source_ids": _ids(r["source"]),
         "target_ids": _ids(r["target"]), "date_start": r["date_start"], "date_end": r["date_end"],
         "date_inferred": None if r["date_inferred"] is None else bool(r["date_inferred"]),
         "place": r["place_name"], "admin1": r["admin1"], "country": r["place_country"],
         "lat": r["lat"], "lon": r["lon"], "counts": _obj(r["counts"]), "published": r["published"]}
        for r in store.rows(sql, tuple(params + extra))
    ]  # fmt: skip


def _fill_events(store: Rows, incidents: list[Any], chunk: int = 200) -> None:
    """Replace the merge rows of these incidents' events by full event rows."""
    wanted = sorted({(e["article_id"], e["event_id"]) for i in incidents for e in i.events})
    full: dict[tuple[int, str], dict[str, Any]] = {}
    for k in range(0, len(wanted), chunk):
        keys = wanted[k : k + chunk]
        match = " OR ".join(["(e.article_id = ? AND e.local_id = ?)"] * len(keys))
        sql = f"SELECT {EVENT_COLUMNS}{EVENT_FROM} WHERE {JOIN_ON} AND ({match})"
        for r in store.rows(sql, tuple(v for key in keys for v in key)):
            full[(r["article_id"], r["local_id"])] = event_row(r)
    for i in incidents:
        i.events = [{**e, **full.get((e["article_id"], e["event_id"]), {})} for e in i.events]


def _add_actor_keys(store: Rows, events: list[dict[str, Any]], chunk: int = 500) -> None:
    """Give each event ``source_keys``/``target_keys``: its actors' KB ids and countries."""
    article_ids = sorted({e["article_id"] for e in events})
    keys: dict[tuple[int, str], set[str]] = {}
    for i in range(0, len(article_ids), chunk):
        ids = article_ids[i : i + chunk]
        rows = store.rows(
            "SELECT article_id, local_id, kb_id, country FROM actors"
            f" WHERE article_id IN ({','.join('?' * len(ids))})",
            tuple(ids),
        )
        for r in rows:
            found = set()
            if r["kb_id"]:
                found.add(f"kb:{r['kb_id']}")
            if r["country"]:
                found.add(f"cc:{','.join(country_codes(r['country']))}")
            keys[(r["article_id"], r["local_id"])] = found
    for e in events:
        for side in ("source", "target"):
            e[f"{side}_keys"] = set().union(*(keys.get((e["article_id"], a), set())
                                              for a in e[f"{side}_ids"]))  # fmt: skip


def query_timeline(store: Rows, f: EventFilter | None = None) -> list[dict[str, Any]]:
    """Event counts per day and type. Keys: date, type, events, killed, articles."""
    f = (f or EventFilter()).validated()
    if f.place or f.article is not None:
        where, params = _event_where(f, store)
        source = EVENT_FROM
    else:  # events alone: the (date_start, type) index serves the grouping
        conds, params = event_conditions(f)
        where = (" WHERE " + " AND ".join(conds)) if conds else ""
        source = " FROM events e"
    sql = (
        "SELECT e.date_start AS date, e.type, COUNT(*) AS events, SUM(e.killed) AS killed,"
        f" COUNT(DISTINCT e.article_id) AS articles{source}{where}"
        " GROUP BY e.date_start, e.type ORDER BY e.date_start, e.type"
    )
    return [
        {**r, "events": int(r["events"]), "articles": int(r["articles"]),
         "killed": None if r["killed"] is None else int(r["killed"])}
        for r in store.rows(sql, tuple(params))
    ]  # fmt: skip
