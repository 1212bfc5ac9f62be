"""Fold repeated mentions of one event into a single ``Event`` with several evidence spans.

Within a sentence, same-type triggers in one clause ("killed one and injured three") are one
event. Across the article, a later mention joins an earlier event of the same type when
their participants, dates and places do not contradict each other and either both name
the same participants or the mentions are in neighbouring sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitrep.extract.event_anchor import DateRef
from sitrep.records import Event

_NEIGHBOUR_SENTS = 2
# future-oriented statuses: mentions of one planned event may differ in wording
_PHYSICAL = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"})
_FUTURE = frozenset({"planned", "proposed", "hypothetical"})


@dataclass(slots=True)
class Draft:
    """An event under construction, with what merging needs to know."""

    event: Event
    sent_index: int
    anchor_i: int
    depth: int
    strong_status: bool  # status came from a verb/cue, not defaulted on a bare noun
    tokens: range = range(0)  # anchor's left to right edge (same-clause test)
    anaphoric: bool = False  # a definite noun mention ("the demand", "the talks")
    place_target: str | None = None  # "country:ISO3" when no target actor (event_targets)
    domestic: bool = False  # its sentence names actors and places of one country only
    date_ref: DateRef | None = None  # "hours after the meeting": dated by another event
    mention_only: bool = False  # a bare noun: kept only as a further mention of an event
    distinct: bool = False  # told as another event ("gunmen later shot", "another attack")


def _as_set(value: str | list[str] | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


def _compatible(a: Event, b: Event, broad: frozenset[str] = frozenset(),
                countries: dict[str, str] | None = None) -> bool:  # fmt: skip
    countries = countries or {}
    for x, y in ((a.source, b.source), (a.target, b.target)):
        sx, sy = _as_set(x), _as_set(y)
        if sx and sy and not (sx & sy):
            # "Russian military" and "Russia" are one side; different actors otherwise
            cx = {countries.get(i) for i in sx}
            cy = {countries.get(i) for i in sy}
            if None in cx or None in cy or not (cx & cy):
                return False
    if a.place and b.place and a.place != b.place and not ({a.place, b.place} & broad):
        return False
    if a.date and b.date and not a.date.inferred and not b.date.inferred:
        if a.date.start != b.date.start:
            return False
    return True


def _same_participants(a: Event, b: Event) -> bool:
    sa, sb = _as_set(a.source), _as_set(b.source)
    ta, tb = _as_set(a.target), _as_set(b.target)
    return bool(sa) and sa == sb and (ta == tb or not ta or not tb)


def _status_ok(a: Draft, b: Draft) -> bool:
    sa, sb = a.event.status, b.event.status
    if sa == sb or not a.strong_status or not b.strong_status:
        return True
    return sa in _FUTURE and sb in _FUTURE


def _absorb(keep: Draft, other: Draft) -> None:
    k, o = keep.event, other.event
    k.mentions.append(o.evidence)
    k.mentions.extend(o.mentions)
    for key, value in o.counts.items():
        if key not in k.counts or value > k.counts[key]:
            k.counts[key] = value
            if key in o.counts_qualifier:
                k.counts_qualifier[key] = o.counts_qualifier[key]
    if other.mention_only and not keep.mention_only:
        return  # a bare noun mentioning the event again: evidence and counts only
    for role, rest in (("source", "target"), ("target", "source")):
        value = getattr(o, role)
        if not getattr(k, role) and value and _as_set(value) != _as_set(getattr(k, rest)):
            setattr(k, role, value)  # (never the event's other role: nobody acts on itself)
            if role in o.inferred and role not in k.inferred:
                k.inferred.append(role)
    k.place = k.place or o.place
    keep.place_target = keep.place_target or other.place_target
    keep.domestic = keep.domestic and other.domestic
    keep.date_ref = keep.date_ref or other.date_ref
    keep.mention_only = keep.mention_only and other.mention_only
    if k.mode is None and o.mode:
        k.mode, k.cameo = o.mode, o.cameo
    if k.date is None or (k.date.inferred and o.date and not o.date.inferred):
        k.date = o.date
    if not keep.strong_status and other.strong_status:
        k.status = o.status
        keep.strong_status = True
    k.confidence = max(k.confidence, o.confidence)


def merge_sentence(drafts: list[Draft]) -> list[Draft]:
    """Same-type triggers of one clause become one event (the higher one in the tree)."""
    drafts = sorted(drafts, key=lambda d: (d.depth, d.anchor_i))
    kept: list[Draft] = []
    for d in drafts:
        host = next(
            (k for k in kept if k.event.type == d.event.type and d.anchor_i in k.tokens
             and _compatible(k.event, d.event) and _status_ok(k, d)),
            None,
        )  # fmt: skip
        if host is None:
            kept.append(d)
        else:
            if d.event.evidence != host.event.evidence:
                _absorb(host, d)
            else:
                _absorb_same_span(host, d)
    return sorted(kept, key=lambda d: d.anchor_i)


def _absorb_same_span(keep: Draft, other: Draft) -> None:
    mentions = list(keep.event.mentions)
    _absorb(keep, other)
    keep.event.mentions = mentions


def merge_document(drafts: list[Draft], broad: frozenset[str] = frozenset(),
                   countries: dict[str, str] | None = None) -> list[Draft]:  # fmt: skip
    """Later mentions of an already-seen event join it as further evidence.

    ``broad`` holds place ids of countries: "Ukraine" does not contradict "Kyiv".
    """
    kept: list[Draft] = []
    for d in drafts:
        host = None
        for k in [] if d.distinct else reversed(kept):
            if k.event.type != d.event.type or not _compatible(k.event, d.event, broad, countries):
                continue
            if not _status_ok(k, d):
                continue
            near = 0 < d.sent_index - k.sent_index <= _NEIGHBOUR_SENTS
            if (
                _same_participants(k.event, d.event)
                or (near and _loose_match(k.event, d.event, countries))
                or (near and d.anaphoric and _nameless(d.event))
                or (
                    d.anaphoric
                    and _nameless(d.event)
                    and d.event.place is not None
                    and d.event.place == k.event.place
                    and k.event.status == "occurred"
                    and k.event.date is not None
                    and not k.event.date.inferred
                )
                # ^ "the meeting in Istanbul" again: the dated meeting held there
                or _same_occasion(k.event, d.event)
            ):
                host = k
                break
        if host is None and d.mention_only:
            host = next((k for k in reversed(kept) if k.event.type == d.event.type
                         and not k.mention_only and _status_ok(k, d)
                         and _compatible(k.event, d.event, broad, countries)), None)  # fmt: skip
            if host is None:
                continue  # "sanctions" in passing: no event of its own
        if host is None:
            kept.append(d)
        else:
            _absorb(host, d)
    return kept


def _loose_match(a: Event, b: Event, countries: dict[str, str] | None = None) -> bool:
    """Neighbouring mentions sharing a participant; for violent events (often reported
    without the perpetrator: "one man was killed") also when one side names nobody."""
    sa, sb = _as_set(a.source) | _as_set(a.target), _as_set(b.source) | _as_set(b.target)
    if sa & sb:
        return True
    if sa and sb:
        ca = {countries.get(i) for i in sa} - {None} if countries else set()
        cb = {countries.get(i) for i in sb} - {None} if countries else set()
        return a.type in _PHYSICAL and bool(ca & cb)
    return a.type in _PHYSICAL or bool(a.place and a.place == b.place)


def _nameless(e: Event) -> bool:
    return not (_as_set(e.source) | _as_set(e.target))


def _same_occasion(a: Event, b: Event) -> bool:
    """Far-apart mentions sharing a participant and an explicit date (or a place)."""
    pa, pb = _as_set(a.source) | _as_set(a.target), _as_set(b.source) | _as_set(b.target)
    if not (pa & pb):
        return False
    dated = bool(a.date and b.date and not a.date.inferred and not b.date.inferred)
    future = a.status in _FUTURE and b.status in _FUTURE  # one planned call, many mentions
    return dated or future or bool(a.place and a.place == b.place)
