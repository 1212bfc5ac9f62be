"""JSON API under ``/api``: the CLI's query filters over HTTP, paginated, plus analysis."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from sitrep import __version__
from sitrep.errors import Errors, SitrepError
from sitrep.query import (
    ActorFilter,
    ArticleFilter,
    EventFilter,
    PlaceFilter,
    QuoteFilter,
    query_actors,
    query_articles,
    query_events,
    query_incidents,
    query_places,
    query_quotes,
)
from sitrep.store import Store
from sitrep.web import aggregates
from sitrep.web.deps import analyze_text, store_for
from sitrep.web.security import check_write
from sitrep.web.settings import WebSettings

router = APIRouter(prefix="/api")

Str = Annotated[str | None, Query()]


def settings_of(request: Request) -> WebSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_store(settings: Annotated[WebSettings, Depends(settings_of)]) -> Store:
    return store_for(settings.db_url)


StoreDep = Annotated[Store, Depends(get_store)]


class PageParams(BaseModel):
    limit: int = Field(50, ge=1, le=1000, description="Items per page (1-1000).")
    offset: int = Field(0, ge=0, description="Items to skip.")


PageDep = Annotated[PageParams, Query()]


class EventParams(BaseModel):
    """The same filters as ``sitrep events`` (``sitrep.query.EventFilter``)."""

    type: str | None = Field(None, description="PLOVER type(s), comma-separated, e.g. ASSAULT.")
    actor: str | None = Field(None, description="Source or target actor name (substring).")
    since: str | None = Field(None, description="Events on or after YYYY-MM-DD.")
    until: str | None = Field(None, description="Events on or before YYYY-MM-DD.")
    place: str | None = Field(None, description="Place or region name (substring).")
    country: str | None = Field(None, description="Country code of the place, e.g. UA.")
    status: str | None = Field(
        None, description="occurred, planned, denied, ... (comma-separated)."
    )
    text: str | None = Field(None, description="Words in the evidence sentence.")
    article: str | None = Field(None, description="Article id, sha256 or external id.")
    order: str | None = Field(None, description="By event date: asc (oldest first) or desc.")

    def to_filter(self, limit: int | None = None, offset: int = 0) -> EventFilter:
        data = {k: v for k, v in self.model_dump().items() if v not in (None, "")}
        return EventFilter(**data, limit=limit, offset=offset).validated()


EventDep = Annotated[EventParams, Query()]


class Paged(BaseModel):
    items: list[dict[str, Any]]
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="Offset of the next page; null at the end.")


def _paged(rows: list[dict[str, Any]], page: PageParams) -> Paged:
    more = len(rows) > page.limit
    return Paged(items=rows[: page.limit], limit=page.limit, offset=page.offset,
                 next_offset=page.offset + page.limit if more else None)  # fmt: skip


@router.get("/health", summary="Server and database status")
def health(store: StoreDep) -> dict[str, Any]:
    return {"status": "ok", "sitrep_version": __version__,
            "schema_version": store.schema_version(), "articles": store.count("articles")}  # fmt: skip


@router.get("/events", response_model=Paged, summary="Events matching the filters")
def events(store: StoreDep, ev: EventDep, page: PageDep) -> Paged:
    """Events, oldest first; e.g. ``/api/events?type=ASSAULT&actor=Russia&since=2025-05-01``."""
    return _paged(query_events(store, ev.to_filter(page.limit + 1, page.offset)), page)


@router.get("/incidents", response_model=Paged, summary="Events merged across articles")
def incidents(store: StoreDep, ev: EventDep, page: PageDep) -> Paged:
    return _paged(query_incidents(store, ev.to_filter(page.limit + 1, page.offset)), page)


@router.get("/actors", response_model=Paged, summary="Actors across articles")
def actors(store: StoreDep, page: PageDep, name: Str = None, kind: Str = None,
           country: Str = None) -> Paged:  # fmt: skip
    f = ActorFilter(name=name, kind=kind, country=country, limit=page.limit + 1, offset=page.offset)
    return _paged(query_actors(store, f), page)


@router.get("/quotes", response_model=Paged, summary="Quotes, with their speakers")
def quotes(store: StoreDep, page: PageDep, speaker: Str = None, text: Str = None,
           since: Str = None, until: Str = None, article: Str = None) -> Paged:  # fmt: skip
    f = QuoteFilter(speaker=speaker, text=text, since=since, until=until, article=article,
                    limit=page.limit + 1, offset=page.offset)  # fmt: skip
    return _paged(query_quotes(store, f), page)


@router.get("/places", response_model=Paged, summary="Places across articles")
def places(store: StoreDep, page: PageDep, name: Str = None, country: Str = None) -> Paged:
    f = PlaceFilter(name=name, country=country, limit=page.limit + 1, offset=page.offset)
    return _paged(query_places(store, f), page)


@router.get("/articles", response_model=Paged, summary="Stored articles (without text)")
def articles(store: StoreDep, page: PageDep, text: Str = None, source: Str = None,
             since: Str = None, until: Str = None) -> Paged:  # fmt: skip
    f = ArticleFilter(text=text, source=source, since=since, until=until,
                      limit=page.limit + 1, offset=page.offset)  # fmt: skip
    return _paged(query_articles(store, f), page)


@router.get("/articles/{key}", summary="One stored article: text and every extracted fact")
def article(store: StoreDep, key: str) -> dict[str, Any]:
    """The sitrep/1 document with ``text`` included, plus the store's numeric ``id``."""
    doc = store.get_document(int(key) if key.isdigit() else key)
    if doc is None:
        raise SitrepError(Errors.E403, key=key)
    found = list(store.rows("SELECT id FROM articles WHERE sha256 = ?", (doc.article.sha256,)))
    return {"id": found[0]["id"], **doc.to_dict(include_text=True)}


@router.get("/stats/timeline", summary="Event counts per day or month and type")
def stats_timeline(store: StoreDep, ev: EventDep,
                   bucket: Annotated[str, Query(pattern="^(day|month)$")] = "month",
                   ) -> list[dict[str, Any]]:  # fmt: skip
    return aggregates.timeline(store, ev.to_filter(), bucket)


@router.get("/stats/network", summary="Actor network: who acts on whom, with a tone")
def stats_network(store: StoreDep, ev: EventDep,
                  limit: Annotated[int, Query(ge=1, le=500)] = 150) -> dict[str, Any]:  # fmt: skip
    return aggregates.network(store, ev.to_filter(), limit)


@router.get("/stats/map", summary="Located events grouped by place")
def stats_map(store: StoreDep, ev: EventDep,
              limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> list[dict[str, Any]]:  # fmt: skip
    return aggregates.located(store, ev.to_filter(), limit)


class AnalyzeIn(BaseModel):
    text: str | None = Field(None, description="Article text (or give url).", max_length=2_000_000)
    url: str | None = Field(None, description="Article URL to fetch (http/https).")
    published: str | None = Field(None, description="Publication date YYYY-MM-DD.")
    title: str | None = None
    source: str | None = None
    store: bool = Field(True, description="Store the result (same text is stored once).")


@router.post("/analyze", summary="Analyse an article (text or URL) and store it")
def analyze(body: AnalyzeIn, request: Request,
            settings: Annotated[WebSettings, Depends(settings_of)]) -> dict[str, Any]:  # fmt: skip
    """Runs ``sitrep.analyze``; returns ``{"article_id", "created", "document"}``."""
    check_write(request, settings)
    if bool(body.text) == bool(body.url):
        raise SitrepError(Errors.E402, detail="give exactly one of 'text' or 'url'")
    text, url = body.text or "", body.url
    title, source, published = body.title, body.source, body.published
    if url:
        from sitrep.web.fetch import fetch_article

        page = fetch_article(url)
        text, url = page.text, page.url or url
        title, source = title or page.title, source or page.source
        published = published or page.published
    doc = analyze_text(text, published=published, title=title, source=source, url=url)
    article_id, created = None, False
    if body.store:
        saved = store_for(settings.db_url).save(doc)
        article_id, created = saved.article_id, saved.created
    return {
        "article_id": article_id,
        "created": created,
        "document": doc.to_dict(include_text=True),
    }
