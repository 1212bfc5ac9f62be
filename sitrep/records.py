"""Typed records passed between pipeline stages and returned by the public API.

Every record that points into the article carries character offsets such that
``article_text[start:end] == text``. ``Document.to_dict()`` gives the ``sitrep/1``
JSON contract described in ``sitrep/schema/sitrep-1.schema.json`` and docs/output.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any, Literal

SCHEMA_VERSION = "sitrep/1"

ActorKind = Literal[
    "person", "organization", "government", "military", "country", "group", "media", "other"
]
PlaceKind = Literal["city", "region", "country", "other"]
EventStatus = Literal["occurred", "ongoing", "planned", "proposed", "hypothetical", "denied"]
QuoteKind = Literal["direct", "partial", "indirect"]

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
EVENT_STATUSES: tuple[str, ...] = (
    "occurred", "ongoing", "planned", "proposed", "hypothetical", "denied",
)  # fmt: skip


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_ATOMS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """JSON-ready copy of a record: like ``dataclasses.asdict`` but without its deep copies
    (several times faster, which matters when storing or printing thousands of documents)."""
    kind = type(value)
    if kind in _ATOMS:  # most values: skip the dataclass test (same result, ~2x faster)
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


@dataclass(slots=True)
class Span:
    """A stretch of the article text: ``text == article[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class ArticleMeta:
    id: str | None
    title: str | None
    source: str | None
    url: str | None
    published: str | None  # ISO date YYYY-MM-DD
    language: str
    sha256: str
    author: str | None = None  # byline, when the input carries one (HTML, feeds)


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Place:
    id: str
    name: str
    kind: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class TimeExpr:
    text: str
    start: int
    end: int
    value: str | dict[str, str] | None
    granularity: str  # day | month | year | range | duration | unknown


@dataclass(slots=True)
class NumberExpr:
    """A number found in the text (digits or words), with what it counts when known."""

    text: str
    start: int
    end: int
    value: float
    unit: str | None = None  # killed | injured | drones | age | duration | ... or None
    qualifier: str | None = None  # "at least", "more than", "about", ...
    upper: float | None = None  # top of a range: "between 10 and 15" -> value 10, upper 15


@dataclass(slots=True)
class EventDate:
    start: str | None
    end: str | None
    text: str | None
    inferred: bool = False  # True when no expression pointed to it (publication date used)


@dataclass(slots=True)
class Event:
    id: str
    type: str
    evidence: Span
    mode: str | None = None
    source: str | list[str] | None = None
    target: str | list[str] | None = None
    date: EventDate | None = None
    place: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    counts_qualifier: dict[str, str] = field(default_factory=dict)
    status: str = "occurred"
    confidence: float = 0.5
    trigger: Span | None = None
    cameo: str | None = None
    context: str | None = None
    mentions: list[Span] = field(default_factory=list)  # further evidence spans, same event
    # roles filled by an event-coding convention, not by an actor named in the event's own
    # phrase: "target" for a curfew's place or a domestic act's country, "source" for
    # protesters known only by where they march
    inferred: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    id: str
    speaker: str | None
    text: str
    kind: str
    start: int
    end: int
    cue: str | None = None
    channel: str | None = None
    speaker_text: str | None = None  # the speaker as written ("he", "regional officials")


@dataclass(slots=True)
class Document:
    """Everything sitrep extracted from one article."""

    article: ArticleMeta
    text: str
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    numbers: list[NumberExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    schema: str = SCHEMA_VERSION

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def place(self, place_id: str | None) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema": self.schema,
            "article": plain(self.article),
            "actors": [plain(a) for a in self.actors],
            "places": [plain(p) for p in self.places],
            "times": [plain(t) for t in self.times],
            "numbers": [plain(n) for n in self.numbers],
            "events": [plain(e) for e in self.events],
            "quotes": [plain(q) for q in self.quotes],
        }
        if include_text:
            data["text"] = self.text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str = "") -> Document:
        """Rebuild a Document from ``to_dict()`` output (``text`` if it was not included)."""

        def spans(items: list[dict[str, Any]] | None) -> list[Span]:
            return [Span(**m) for m in items or []]

        events = []
        for e in data.get("events", []):
            e = dict(e)
            e["evidence"] = Span(**e["evidence"])
            e["trigger"] = Span(**e["trigger"]) if e.get("trigger") else None
            e["date"] = EventDate(**e["date"]) if e.get("date") else None
            e["mentions"] = spans(e.get("mentions"))
            events.append(Event(**e))
        return cls(
            article=ArticleMeta(**data["article"]),
            text=data.get("text", text),
            actors=[Actor(**{**a, "mentions": spans(a.get("mentions"))}) for a in data["actors"]],
            places=[Place(**{**p, "mentions": spans(p.get("mentions"))}) for p in data["places"]],
            times=[TimeExpr(**t) for t in data.get("times", [])],
            numbers=[NumberExpr(**n) for n in data.get("numbers", [])],
            events=events,
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            schema=data.get("schema", SCHEMA_VERSION),
        )
