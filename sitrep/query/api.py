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
EVENT_FROM = (
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN places p ON p.article_id = e.article_id AND p.local_id = e.place_id"
)


def _article_clause(alias: str, key: str | int) -> tuple[str, list[Any]]:
    try:
        num = int(key)
    except (TypeError, ValueError):
        num = -1
    return (f"({alias}.id = ? OR {alias}.sha256 = ? OR {alias}.ext_id = ?)", [num, str(key), str(key)])


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    data = json.loads(value)
    if data is None:
        return []
    return data if isinstance(data, list) else [data]


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
        "counts": json.loads(r["counts"] or "{}"),
        "counts_qualifier": json.loads(r["counts_qualifier"] or "{}"),
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


def _event_where(f: EventFilter) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.actor:
        where.append(f"(LOWER(COALESCE(e.source_names, '')){LIKE}"
                     f" OR LOWER(COALESCE(e.target_names, '')){LIKE})")  # fmt: skip
        params += [_like(f.actor), _like(f.actor)]
    if f.type:
        types = [t.strip().upper() for t in f.type.split(",") if t.strip()]
        where.append(f"e.type IN ({','.join('?' * len(types))})")
        params += types
    if f.since:
        where.append("COALESCE(e.date_end, e.date_start, a.published) >= ?")
        params.append(f.since)
    if f.until:
        where.append("COALESCE(e.date_start, a.published) <= ?")
        params.append(f.until)
    if f.place:
        where.append(f"(LOWER(COALESCE(e.place_name, '')){LIKE}"
                     f" OR LOWER(COALESCE(p.admin1, '')){LIKE})")  # fmt: skip
        params += [_like(f.place), _like(f.place)]
    if f.country:
        codes = country_codes(f.country)
        where.append(f"UPPER(e.place_country) IN ({','.join('?' * len(codes))})")
        params += codes
    if f.status:
        statuses = [s.strip().lower() for s in f.status.split(",") if s.strip()]
        where.append(f"e.status IN ({','.join('?' * len(statuses))})")
        params += statuses
    if f.text:
        where.append(f"LOWER(e.evidence_text){LIKE}")
        params.append(_like(f.text))
    if f.article is not None:
        clause, extra = _article_clause("a", f.article)
        where.append(clause)
        params += extra
    return (" WHERE " + " AND ".join(where)) if where else "", params


def query_events(store: Rows, f: EventFilter | None = None) -> list[dict[str, Any]]:
    """Events matching ``f``, oldest first (by event date, then article and event id)."""
    f = (f or EventFilter()).validated()
    where, params = _event_where(f)
    page, extra = Page(f.limit, f.offset).clause()
    sql = (f"SELECT {EVENT_COLUMNS}{EVENT_FROM}{where}"
           " ORDER BY COALESCE(e.date_start, a.published), e.article_id, e.local_id" + page)  # fmt: skip
    return [event_row(r) for r in store.rows(sql, tuple(params + extra))]


def count_events(store: Rows, f: EventFilter | None = None) -> int:
    """How many events match ``f`` (ignoring its paging)."""
    f = (f or EventFilter()).validated()
    where, params = _event_where(f)
    rows = list(store.rows(f"SELECT COUNT(*) AS n{EVENT_FROM}{where}", tuple(params)))
    return int(rows[0]["n"])


def query_actors(store: Rows, f: ActorFilter | None = None) -> list[dict[str, Any]]:
    """Actors grouped by (name, kind, country) across articles, most-mentioned first.

    Keys: name, kind, country, kb_id, articles, mentions, events.
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
    # events per actor: an indexed count in the event_actors link table
    involved = (
        "(SELECT COUNT(DISTINCT ea.event_id) FROM event_actors ea"
        " WHERE ea.article_id = x.article_id AND ea.actor_id = x.local_id)"
    )
    sql = (
        "SELECT name, kind, country, MAX(kb_id) AS kb_id, COUNT(DISTINCT article_id) AS articles,"
        " SUM(mention_count) AS mentions, SUM(involved) AS events FROM ("
        f"SELECT x.name, x.kind, x.country, x.kb_id, x.article_id, x.mention_count, {involved}"
        f" AS involved FROM actors x{clause}) t GROUP BY name, kind, country"
        " ORDER BY SUM(mention_count) DESC, name" + page
    )
    return [
        {**r, "articles": int(r["articles"]), "mentions": int(r["mentions"] or 0),
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
    """Places grouped by (name, country). Keys: name, kind, country, admin1, lat, lon,
    geonames_id, articles, events."""
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
        " COUNT(DISTINCT p.article_id) AS articles,"
        " (SELECT COUNT(*) FROM events e WHERE e.place_name = p.name) AS events"
        f" FROM places p{clause} GROUP BY p.name, p.country"
        " ORDER BY COUNT(DISTINCT p.article_id) DESC, p.name" + page
    )
    return [
        {**r, "articles": int(r["articles"]), "events": int(r["events"] or 0)}
        for r in store.rows(sql, tuple(params + extra))
    ]


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

    ``f`` selects the events considered; its paging applies to the incidents returned.
    """
    from sitrep.query.incidents import merge_incidents

    f = (f or EventFilter()).validated()
    page = Page(f.limit, f.offset)
    events = query_events(store, replace(f, limit=MAX_LIMIT, offset=0))
    _add_actor_keys(store, events)
    incidents = [i.to_dict() for i in merge_incidents(events)]
    limit = 1000 if page.limit is None else page.limit
    return incidents[page.offset : page.offset + limit]


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
    where, params = _event_where(f)
    day = "COALESCE(e.date_start, a.published)"
    sql = (
        f"SELECT {day} AS date, e.type, COUNT(*) AS events, SUM(e.killed) AS killed,"
        f" COUNT(DISTINCT e.article_id) AS articles{EVENT_FROM}{where}"
        f" GROUP BY {day}, e.type ORDER BY {day}, e.type"
    )
    return [
        {**r, "events": int(r["events"]), "articles": int(r["articles"]),
         "killed": None if r["killed"] is None else int(r["killed"])}
        for r in store.rows(sql, tuple(params))
    ]  # fmt: skip
