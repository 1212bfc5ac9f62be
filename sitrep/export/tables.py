"""Event tables for export: a PLOVER/POLECAT-style table and an ACLED-style table.

Rows come from ``sitrep.query.query_events`` (so every query filter applies) and are
completed from the stored ``sitrep/1`` documents (actor countries and sectors, place
details such as ``admin2`` when the places stage provides them).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

from sitrep.query import EventFilter, query_events

PLOVER_COLUMNS = (
    "event_id", "story_id", "story_date", "event_date", "event_date_end", "event_type",
    "event_mode", "event_status", "confidence", "cameo", "source_actor", "source_kind",
    "source_country", "source_sector", "target_actor", "target_kind", "target_country",
    "target_sector", "location", "admin1", "admin2", "country", "latitude", "longitude",
    "killed", "injured", "counts", "event_text", "event_text_start", "event_text_end",
    "url", "publisher", "title",
)  # fmt: skip
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "fatalities", "notes",
    "source", "source_url", "plover_type", "plover_mode", "status",
)  # fmt: skip
ACLED_STATUSES = ("occurred", "ongoing")


@functools.lru_cache(maxsize=1)
def acled_map() -> dict[tuple[str, str], tuple[str, str]]:
    """``(plover_type, mode or '*') -> (event_type, sub_event_type)`` from acled.tsv."""
    text = resources.files("sitrep").joinpath("data/export/acled.tsv").read_text(encoding="utf-8")
    table: dict[tuple[str, str], tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ptype, mode, etype, sub = (part.strip() for part in line.split("\t"))
        table[(ptype, mode)] = (etype, sub)
    return table


def acled_type(ptype: str, mode: str | None) -> tuple[str, str] | None:
    table = acled_map()
    hit = table.get((ptype, mode or "*")) or table.get((ptype, "*"))
    if hit is None or hit[0] == "-":
        return None
    return hit


class _Documents:
    """Stored documents' actors and places by article, loaded once per article."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._cache: dict[int, tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]] = {}

    def get(self, article_id: int) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        if article_id not in self._cache:
            rows = self.store.rows("SELECT document FROM articles WHERE id = ?", (article_id,))
            doc = json.loads(rows[0]["document"]) if rows else {}
            actors = {a["id"]: a for a in doc.get("actors", [])}
            places = {p["id"]: p for p in doc.get("places", [])}
            if len(self._cache) > 1000:
                self._cache.clear()
            self._cache[article_id] = (actors, places)
        return self._cache[article_id]


def _join(actors: dict[str, dict[str, Any]], ids: list[str], key: str) -> str | None:
    values = [str(actors[i][key]) for i in ids if i in actors and actors[i].get(key)]
    return "; ".join(dict.fromkeys(values)) or None


def iter_events(
    store: Any, f: EventFilter | None = None, page: int = 5000
) -> Iterator[dict[str, Any]]:
    """All events matching ``f`` (ignoring its limit), page by page."""
    f = f or EventFilter()
    offset = f.offset
    remaining = f.limit
    while True:
        size = page if remaining is None else min(page, remaining)
        if size <= 0:
            return
        batch = query_events(store, EventFilter(**{**_fields(f), "limit": size, "offset": offset}))
        yield from batch
        if len(batch) < size:
            return
        offset += size
        if remaining is not None:
            remaining -= size


def _fields(f: EventFilter) -> dict[str, Any]:
    return {name: getattr(f, name) for name in EventFilter.__dataclass_fields__}


def plover_rows(store: Any, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    docs = _Documents(store)
    for e in events:
        actors, places = docs.get(e["article_id"])
        place = places.get(e["place_id"] or "", {})
        src, tgt = e["source_ids"], e["target_ids"]
        yield {
            "event_id": f"{e['article_id']}-{e['event_id']}",
            "story_id": e["article"] or str(e["article_id"]),
            "story_date": e["published"],
            "event_date": e["date_start"],
            "event_date_end": e["date_end"],
            "event_type": e["type"],
            "event_mode": e["mode"],
            "event_status": e["status"],
            "confidence": e["confidence"],
            "cameo": e["cameo"],
            "source_actor": e["source"],
            "source_kind": _join(actors, src, "kind"),
            "source_country": _join(actors, src, "country"),
            "source_sector": _join(actors, src, "sector"),
            "target_actor": e["target"],
            "target_kind": _join(actors, tgt, "kind"),
            "target_country": _join(actors, tgt, "country"),
            "target_sector": _join(actors, tgt, "sector"),
            "location": e["place"],
            "admin1": place.get("admin1") or e.get("admin1"),
            "admin2": place.get("admin2"),
            "country": e["country"],
            "latitude": e["lat"],
            "longitude": e["lon"],
            "killed": e["killed"],
            "injured": e["injured"],
            "counts": json.dumps(e["counts"], ensure_ascii=False) if e["counts"] else None,
            "event_text": e["evidence"],
            "event_text_start": e["evidence_start"],
            "event_text_end": e["evidence_end"],
            "url": e["url"],
            "publisher": e["outlet"],
            "title": e["title"],
        }


def acled_rows(store: Any, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """ACLED-style rows for events that happened and have an ACLED counterpart."""
    for row in plover_rows(store, events):
        if row["event_status"] not in ACLED_STATUSES:
            continue
        mapped = acled_type(row["event_type"], row["event_mode"])
        if mapped is None:
            continue
        date = row["event_date"] or row["story_date"]
        location = row["location"]
        admin1 = row["admin1"]
        if location and not admin1 and _is_region(row):
            admin1 = location
        alpha3, name = _country(row["country"])
        yield {
            "event_id_cnty": f"{alpha3 or 'XXX'}{row['event_id']}",
            "event_date": date,
            "year": int(date[:4]) if date else None,
            "event_type": mapped[0],
            "sub_event_type": mapped[1],
            "actor1": row["source_actor"],
            "actor2": row["target_actor"],
            "country": name,
            "admin1": admin1,
            "admin2": row["admin2"],
            "location": location,
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "fatalities": row["killed"] or 0,
            "notes": row["event_text"],
            "source": row["publisher"] or row["story_id"],
            "source_url": row["url"],
            "plover_type": row["event_type"],
            "plover_mode": row["event_mode"],
            "status": row["event_status"],
        }


@functools.lru_cache(maxsize=512)
def _country(code: str | None) -> tuple[str | None, str | None]:
    """ISO alpha-3 and English name (ACLED uses names) for an ISO code."""
    if not code:
        return None, None
    import pycountry

    try:
        c = pycountry.countries.lookup(code)
    except LookupError:
        return None, code
    return c.alpha_3, getattr(c, "common_name", None) or c.name


def _is_region(row: dict[str, Any]) -> bool:
    name = (row["location"] or "").lower()
    return any(w in name for w in ("oblast", "region", "province", "governorate", "state"))
