"""Typed filters for the query layer (shared by the CLI and the HTTP API).

Every field is optional; ``None`` means "no constraint". Text-like filters match
case-insensitively as substrings; ``type``, ``status`` and ``country`` match exactly
(case-insensitively). Dates are ISO ``YYYY-MM-DD`` strings, inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

from sitrep.errors import Errors, SitrepError

DEFAULT_LIMIT = 1000
MAX_LIMIT = 100_000


def _check_date(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise SitrepError(Errors.E300, name=name, value=value) from None


@dataclass(frozen=True, slots=True)
class Page:
    """Paging shared by every query; ``limit=None`` means :data:`DEFAULT_LIMIT`."""

    limit: int | None = None
    offset: int = 0

    def clause(self) -> tuple[str, list[Any]]:
        limit = DEFAULT_LIMIT if self.limit is None else self.limit
        if limit < 0 or limit > MAX_LIMIT or self.offset < 0:
            raise SitrepError(Errors.E301, limit=limit, offset=self.offset, max=MAX_LIMIT)
        return " LIMIT ? OFFSET ?", [limit, self.offset]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to return.

    ``actor`` matches a source or target actor name; ``place`` the place name;
    ``text`` the evidence sentence; ``since``/``until`` the event's start date (every
    stored event has one: the publication date when the text gives none; a month-level
    date such as ``2025-03`` is inside any window that overlaps that month); ``article``
    an article's numeric id, sha256 or external id.
    """

    actor: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None
    country: str | None = None
    status: str | None = None
    text: str | None = None
    article: str | int | None = None
    limit: int | None = None
    offset: int = 0
    order: str = "asc"  # by event date: "asc" (oldest first) or "desc" (newest first)

    def validated(self) -> EventFilter:
        """A copy with dates normalised; raises ``SitrepError`` (E300/E301/E341) when invalid."""
        Page(self.limit, self.offset).clause()
        order = (self.order or "asc").strip().lower()
        if order not in ("asc", "desc"):
            raise SitrepError(Errors.E341, value=self.order)
        return replace(
            self, since=_check_date("since", self.since), until=_check_date("until", self.until),
            order=order,
        )  # fmt: skip

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EventFilter:
        """Build from a dict (e.g. HTTP query parameters); unknown keys are ignored."""
        names = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {
            k: v for k, v in data.items() if k in names and v not in ("", None)
        }
        for key in ("limit", "offset"):
            if key in kwargs:
                try:
                    kwargs[key] = int(kwargs[key])
                except (TypeError, ValueError):
                    raise SitrepError(Errors.E301, limit=data.get("limit"),
                                      offset=data.get("offset"), max=MAX_LIMIT) from None  # fmt: skip
        return cls(**kwargs).validated()


@dataclass(frozen=True, slots=True)
class ActorFilter:
    """Actors aggregated across articles (by name and kind)."""

    name: str | None = None
    kind: str | None = None
    country: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    speaker: str | None = None
    text: str | None = None
    since: str | None = None  # article publication date
    until: str | None = None
    article: str | int | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class PlaceFilter:
    name: str | None = None
    country: str | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    text: str | None = None  # title or body
    source: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    offset: int = 0
