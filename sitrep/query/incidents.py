"""Merge events reported by several articles into incidents.

Two events belong to the same incident when they have the same PLOVER type, dates
within a small window, places that do not contradict each other and actors that do not
contradict each other (an empty side is compatible with anything). Every source event
is kept with its evidence span; counts that disagree between sources (one outlet says
9 killed, another 10) are reported in ``conflicts`` rather than resolved silently.

Events are processed in date order against a sliding window of open incidents of the
same type, so the cost grows with the number of events times the (small) number of
incidents open in a window, not quadratically in the whole table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DATE_WINDOW_DAYS = 1  # both dates stated in the text
INFERRED_WINDOW_DAYS = 2  # one date was only the publication date
_NARROW = dt.timedelta(days=DATE_WINDOW_DAYS)
_WIDE = dt.timedelta(days=INFERRED_WINDOW_DAYS)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_GENERIC = frozenset("the of and a an forces force army military government officials".split())


def _day(e: dict[str, Any]) -> dt.date | None:
    value = e.get("date_start") or e.get("published")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _names(value: str | None) -> set[str]:
    return {n.strip().casefold() for n in (value or "").split(";") if n.strip()}


def _tokens(names: set[str]) -> set[str]:
    return {w for n in names for w in _WORD.findall(n) if w not in _GENERIC}


def _actors_compatible(
    a: set[str],
    b: set[str],
    keys_a: set[str],
    keys_b: set[str],
    tokens_a: set[str] | None = None,
    tokens_b: set[str] | None = None,
) -> bool:
    """Either side unknown, or a shared name, name word, KB id or country."""
    if not a or not b:
        return True
    if a & b or keys_a & keys_b:
        return True
    return bool((_tokens(a) if tokens_a is None else tokens_a)
                & (_tokens(b) if tokens_b is None else tokens_b))  # fmt: skip


def _keys(e: dict[str, Any], side: str) -> set[str]:
    return set(e.get(f"{side}_keys") or ())


def _place_keys(e: dict[str, Any]) -> set[str]:
    return {str(v).casefold() for v in (e.get("place"), e.get("admin1")) if v}


@dataclass(slots=True)
class _Feat:
    """What ``Incident.accepts`` compares, computed once per event."""

    day: dt.date | None
    inferred: bool
    country: str
    places: set[str]
    src: set[str]
    tgt: set[str]
    src_keys: set[str]
    tgt_keys: set[str]
    src_tokens: set[str]
    tgt_tokens: set[str]
    src_all: set[str] = field(default_factory=set)  # names, name words and keys together
    tgt_all: set[str] = field(default_factory=set)


def _feat(e: dict[str, Any], day: dt.date | None) -> _Feat:
    src, tgt = _names(e.get("source")), _names(e.get("target"))
    sk, tk = _keys(e, "source"), _keys(e, "target")
    st, tt = _tokens(src), _tokens(tgt)
    return _Feat(day, bool(e.get("date_inferred")), (e.get("country") or "").upper(),
                 _place_keys(e), src, tgt, sk, tk, st, tt, src | st | sk, tgt | tt | tk)  # fmt: skip


@dataclass(slots=True)
class Incident:
    id: str
    type: str
    date_start: str | None
    date_end: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    source_keys: set[str] = field(default_factory=set)  # KB ids, countries (optional)
    target_keys: set[str] = field(default_factory=set)
    last_day: dt.date | None = None
    display: dict[str, str] = field(default_factory=dict)  # casefolded name -> as written
    first_day: dt.date | None = None  # earliest event day
    first_inferred: bool = False  # the first event's date was only the publication date
    seq: int = 0  # creation order (the first open incident that accepts an event wins)
    source_tokens: set[str] = field(default_factory=set)  # name words of sources/targets
    target_tokens: set[str] = field(default_factory=set)
    source_all: set[str] = field(default_factory=set)  # names, words and keys (prefilter)
    target_all: set[str] = field(default_factory=set)

    def accepts(self, e: dict[str, Any], day: dt.date | None) -> bool:
        return self.accepts_feat(_feat(e, day))

    def accepts_feat(self, ft: _Feat) -> bool:
        day = ft.day
        if day is None or self.last_day is None:
            return False
        window = _WIDE if ft.inferred or self.first_inferred else _NARROW
        start = self.first_day or self.last_day
        if not (start - window <= day <= self.last_day + window):
            return False
        if ft.country and self.countries and ft.country not in self.countries:
            return False
        keys = ft.places
        if keys and self.places and not keys & self.places:
            return False
        src, tgt = ft.src, ft.tgt
        if not keys and not self.places and not (src & self.sources or tgt & self.targets):
            return False  # no place on either side: require a shared actor
        if src and not ft.src_tokens:
            ft.src_tokens = _tokens(src)
        if tgt and not ft.tgt_tokens:
            ft.tgt_tokens = _tokens(tgt)
        return (_actors_compatible(src, self.sources, ft.src_keys, self.source_keys,
                                   ft.src_tokens, self.source_tokens)
                and _actors_compatible(tgt, self.targets, ft.tgt_keys, self.target_keys,
                                       ft.tgt_tokens, self.target_tokens))  # fmt: skip

    def add(self, e: dict[str, Any], day: dt.date | None) -> None:
        if not self.events:
            self.first_inferred = bool(e.get("date_inferred"))
        self.events.append(e)
        self.places |= _place_keys(e)
        if e.get("country"):
            self.countries.add(str(e["country"]).upper())
        src, tgt = _names(e.get("source")), _names(e.get("target"))
        self.source_tokens |= _tokens(src - self.sources)
        self.target_tokens |= _tokens(tgt - self.targets)
        self.sources |= src
        self.targets |= tgt
        self.source_keys |= _keys(e, "source")
        self.target_keys |= _keys(e, "target")
        self.source_all |= self.sources | self.source_tokens | self.source_keys
        self.target_all |= self.targets | self.target_tokens | self.target_keys
        for side in ("source", "target"):
            for name in (e.get(side) or "").split(";"):
                if name.strip():
                    self.display.setdefault(name.strip().casefold(), name.strip())
        if day is None:
            self.date_start = self.date_start or e.get("date_start")
            self.date_end = self.date_end or e.get("date_end")
        else:
            iso = day.isoformat()
            self.date_start = min(filter(None, [self.date_start, iso]))
            end = e.get("date_end") or iso
            self.date_end = max(filter(None, [self.date_end, end, iso]))
            self.last_day = max(filter(None, [self.last_day, day]))
            self.first_day = min(filter(None, [self.first_day, day]))

    def counts(self) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
        """Per count kind: agreed value or min/max; and the conflicting reports."""
        by_kind: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for e in self.events:
            for kind, value in (e.get("counts") or {}).items():
                if isinstance(value, int | float):
                    by_kind[kind].append((int(value), e))
        summary: dict[str, dict[str, Any]] = {}
        conflicts: dict[str, list[dict[str, Any]]] = {}
        for kind, reports in sorted(by_kind.items()):
            values = sorted({v for v, _ in reports})
            summary[kind] = {"value": values[0] if len(values) == 1 else None,
                             "min": values[0], "max": values[-1]}  # fmt: skip
            if len(values) > 1:
                conflicts[kind] = [
                    {"value": v, "article_id": e["article_id"], "event_id": e["event_id"],
                     "outlet": e.get("outlet"), "evidence": e.get("evidence"),
                     "qualifier": (e.get("counts_qualifier") or {}).get(kind)}
                    for v, e in reports
                ]  # fmt: skip
        return summary, conflicts

    def to_dict(self) -> dict[str, Any]:
        summary, conflicts = self.counts()
        first = self.events[0]
        return {
            "id": self.id,
            "type": self.type,
            "date_start": self.date_start,
            "date_end": self.date_end,
            "place": first.get("place")
            or next((e["place"] for e in self.events if e.get("place")), None),
            "country": next(iter(sorted(self.countries)), None),
            "lat": next((e["lat"] for e in self.events if e.get("lat") is not None), None),
            "lon": next((e["lon"] for e in self.events if e.get("lon") is not None), None),
            "source": "; ".join(sorted(self.display.get(n, n) for n in self.sources)) or None,
            "target": "; ".join(sorted(self.display.get(n, n) for n in self.targets)) or None,
            "statuses": sorted({e.get("status") for e in self.events if e.get("status")}),
            "articles": len({e["article_id"] for e in self.events}),
            "counts": summary,
            "killed": summary.get("killed", {}).get("value"),
            "conflicts": conflicts,
            "has_conflict": bool(conflicts),
            "events": [
                {
                    k: e.get(k)
                    for k in (
                        "article_id",
                        "event_id",
                        "article",
                        "outlet",
                        "url",
                        "published",
                        "status",
                        "evidence",
                        "evidence_start",
                        "evidence_end",
                        "counts",
                        "source",
                        "target",
                        "place",
                    )
                }
                for e in self.events
            ],  # fmt: skip
        }


def _incident_id(e: dict[str, Any]) -> str:
    key = f"{e['article_id']}:{e['event_id']}"
    return "inc-" + hashlib.sha1(key.encode()).hexdigest()[:12]


HORIZON = dt.timedelta(days=max(DATE_WINDOW_DAYS, INFERRED_WINDOW_DAYS))


@dataclass(slots=True)
class _TypeState:
    """Open incidents of one type, indexed by place key (see ``Merger``)."""

    open_all: list[Incident] = field(default_factory=list)
    by_place: dict[str, list[Incident]] = field(default_factory=lambda: defaultdict(list))
    unplaced: list[Incident] = field(default_factory=list)
    pruned: dict[int, dt.date] = field(default_factory=dict)

    def live(self, group: list[Incident], day: dt.date) -> list[Incident]:
        if self.pruned.get(id(group)) != day:  # once per list and day (events come in day order)
            group[:] = [i for i in group if i.last_day and i.last_day + HORIZON >= day]
            self.pruned[id(group)] = day
        return group


class Merger:
    """Incremental ``merge_incidents``: feed events in date order, in as many batches as
    wanted (each batch sorted here; batches must follow each other in date order)."""

    def __init__(self) -> None:
        self.incidents: list[Incident] = []
        self.states: dict[str, _TypeState] = defaultdict(_TypeState)

    def feed(self, events: Iterable[dict[str, Any]]) -> None:
        by_type: dict[str, list[tuple[dt.date | None, dict[str, Any]]]] = defaultdict(list)
        for e in events:
            by_type[e["type"]].append((_day(e), e))
        for etype, items in by_type.items():
            items.sort(key=lambda x: (x[0] or dt.date.min, x[1]["article_id"], x[1]["event_id"]))
            state = self.states[etype]
            for day, e in items:
                self._add(state, etype, day, e)

    def _add(self, st: _TypeState, etype: str, day: dt.date | None, e: dict[str, Any]) -> None:
        ft = _feat(e, day)
        target = None
        if day is not None:
            if ft.places:
                seen: dict[int, Incident] = {}
                for key in ft.places:
                    for i in st.live(st.by_place[key], day) if key in st.by_place else ():
                        seen[i.seq] = i
                for i in st.live(st.unplaced, day):
                    if not i.places:
                        seen[i.seq] = i
                candidates = [seen[k] for k in sorted(seen)]
            else:
                candidates = st.live(st.open_all, day)
            # cheap exact prefilter: compatible actors share a name, name word or key
            target = next((i for i in candidates
                           if (not ft.src or not i.sources or ft.src_all & i.source_all)
                           and (not ft.tgt or not i.targets or ft.tgt_all & i.target_all)
                           and i.accepts_feat(ft)), None)  # fmt: skip
        if target is None:
            target = Incident(id=_incident_id(e), type=etype, date_start=None, date_end=None,
                              seq=len(self.incidents))  # fmt: skip
            self.incidents.append(target)
            if day is not None:
                st.open_all.append(target)
                if not ft.places:
                    st.unplaced.append(target)
        before = set(target.places)
        target.add(e, day)
        if day is not None:
            for key in target.places - before:
                st.by_place[key].append(target)

    def result(self) -> list[Incident]:
        """Incidents so far, by start date, type and id."""
        return sorted(self.incidents, key=lambda i: (i.date_start or "", i.type, i.id))


def merge_incidents(events: Iterable[dict[str, Any]]) -> list[Incident]:
    """Cluster event dicts (as returned by ``query_events``) into incidents.

    Optional ``source_keys``/``target_keys`` on an event (e.g. ``{"kb:Q159", "cc:RUS"}``,
    see ``sitrep.query.api.query_incidents``) let differently named actors match.

    Open incidents are indexed by place key, so an event with a place is only compared
    with the open incidents at that place and those without a place."""
    merger = Merger()
    merger.feed(events)
    return merger.result()
