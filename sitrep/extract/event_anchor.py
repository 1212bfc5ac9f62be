"""Dates by reference to another event: "hours after the meeting in Istanbul".

An event whose own clause names no date but sits in a phrase "(hours|shortly|two days)
after/before the NOUN" takes the date of the most recent earlier event the noun names (its
type from the trigger lexicon; the same place when the phrase names one), shifted by a
stated number of days. Only a dated earlier event is used, and the date keeps the phrase as
its text, so the reader sees where it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sitrep.extract.event_lexicon import EventLexicon
from sitrep.extract.number_words import parse_number
from sitrep.nlp.tree import Node
from sitrep.records import Event, EventDate

_RELATIONS = {"after": 1, "before": -1, "following": 1}
_DAY_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}


@dataclass(slots=True)
class DateRef:
    """A pointer from an undated event to the event it is dated by."""

    etype: str  # the type of the event the noun names
    place: str | None  # the place id the phrase names, if any
    days: int | None  # shift in days (None: a vague number of days: no date is given)
    text: str  # the phrase, for the date's text
    start: int  # character offset of the phrase, to find earlier events
    direction: int = 1  # 1 after, -1 before


def find_ref(anchor: Node, lex: EventLexicon, place_of_token: dict[int, str]) -> DateRef | None:
    """The "after the meeting" phrase governing the event's anchor, if any."""
    sent = anchor.sent
    if _RELATIONS.keys().isdisjoint(sent.tree.lowers[sent.start : sent.end]):
        return None  # the usual case: no such word in the sentence
    tok = anchor
    for _ in range(3):
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in _RELATIONS:
                continue
            for noun in prep.children:
                if noun.dep_ != "pobj" or not any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children
                ):
                    continue
                entries = lex.triggers.get(noun.lemma_lower, ())
                entry = next((e for e in entries if e.pos in ("NOUN", "ANY")), None)
                if entry is None:
                    continue
                days = _shift(prep) * _RELATIONS[prep.lower_] if _shift(prep) is not None else None
                place = next((place_of_token[t.i] for t in noun.subtree if t.i in place_of_token),
                             None)  # fmt: skip
                left = min(t.i for t in prep.subtree)
                left = min([left] + [t.i for t in prep.lefts])
                right = max(t.i for t in prep.subtree)
                tree = tok.sent.tree
                start, end = tree.starts[left], tree.ends[right]
                return DateRef(
                    entry.type, place, days, tree.text[start:end], start, _RELATIONS[prep.lower_]
                )
        if tok.dep_ not in ("conj", "xcomp", "advcl") or tok.head.i == tok.i:
            break
        tok = tok.head
    return None


def _shift(prep: Node) -> int | None:
    """Days between the events: "hours/shortly/minutes after" 0, "two days after" 2."""
    for mod in prep.lefts:
        if mod.lower_ in ("hours", "hour", "minutes", "shortly", "soon", "just", "moments"):
            return 0
        unit = _DAY_UNITS.get(mod.lower_)
        if unit is not None:
            nums = [c for c in mod.children if c.dep_ in ("nummod", "det", "amod")]
            if not nums:
                return unit
            parsed = parse_number(nums[0].text)  # a vague one ("several") gives no date
            if parsed is None or parsed[1] is not None or not parsed[0].is_integer():
                return None
            return int(parsed[0]) * unit
        if mod.lower_ in ("day",):
            return 1
    return 0 if not list(prep.lefts) else None


def resolve(events: list[Event], refs: dict[int, DateRef]) -> None:
    """Give each event with a reference the date of the event it points to."""
    for n, ref in refs.items():
        event = events[n]
        if ref.days is None or event.date is None or not event.date.inferred:
            continue
        earlier = [
            e for e in events[:n] + events[n + 1:]
            if e.type == ref.etype and e.date is not None and not e.date.inferred
            and e.date.start and e.evidence.start < ref.start
            and (ref.place is None or e.place == ref.place)
        ]  # fmt: skip
        if not earlier:
            continue
        base = max(earlier, key=lambda e: e.evidence.start).date
        assert base is not None and base.start is not None
        start = _add(base.start, ref.days)
        end = _add(base.end or base.start, ref.days)
        if ref.days == 0 and ref.direction > 0:  # "hours after": that day or the next
            end = _add(base.end or base.start, 1) or end
        elif ref.days == 0:
            start = _add(base.start, -1) or start
        if start is None:
            continue
        event.date = EventDate(start, end, ref.text, inferred=False)


def _add(day: str, days: int) -> str | None:
    if days == 0:
        return day
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return None  # month or year precision: no day shift
