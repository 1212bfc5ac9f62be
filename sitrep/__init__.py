"""sitrep: news articles to structured, checkable facts about conflict and diplomacy.

Public API::

    import sitrep
    doc = sitrep.analyze(text, published="2025-05-19")
    doc.events, doc.actors, doc.quotes
    doc.to_dict()   # the sitrep/1 JSON contract
"""

from sitrep.analyze import analyze, analyze_many
from sitrep.config import Config
from sitrep.errors import InputError, SitrepError, StoreError
from sitrep.records import (
    Actor,
    ArticleMeta,
    Document,
    Event,
    EventDate,
    NumberExpr,
    Place,
    Quote,
    Span,
    TimeExpr,
)

__version__ = "0.1.0"

__all__ = [
    "Actor", "ArticleMeta", "Config", "Document", "Event", "EventDate", "InputError",
    "NumberExpr", "Place", "Quote", "SitrepError", "Span", "StoreError", "TimeExpr",
    "analyze", "analyze_many", "__version__",
]  # fmt: skip
