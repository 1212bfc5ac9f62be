"""HTML pages: dashboard, article list and view, offline API docs.

Templates autoescape everything; data-driven parts are drawn by static JavaScript that
fetches ``/api`` and writes text with ``textContent`` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from sitrep import __version__
from sitrep.errors import Errors, SitrepError
from sitrep.query import ArticleFilter, query_articles
from sitrep.records import PLOVER_TYPES
from sitrep.store import Store
from sitrep.web.api import get_store

router = APIRouter(include_in_schema=False)
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _http_url(value: str | None) -> str | None:
    """The URL if it is http(s), else None: never put javascript: or data: in an href."""
    return value if value and value.lower().startswith(("http://", "https://")) else None


_env.filters["http_url"] = _http_url


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(version=__version__, **context)
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
def dashboard() -> HTMLResponse:
    return render("dashboard.html", page="dashboard", plover_types=PLOVER_TYPES)


@router.get("/articles", response_class=HTMLResponse)
def articles_page(store: Annotated[Store, Depends(get_store)],
                  text: Annotated[str | None, Query(max_length=500)] = None,
                  offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:  # fmt: skip
    limit = 50
    rows = query_articles(store, ArticleFilter(text=text or None, limit=limit + 1, offset=offset))
    return render("articles.html", page="articles", rows=rows[:limit], text=text or "",
                  offset=offset, limit=limit, more=len(rows) > limit)  # fmt: skip


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: int, store: Annotated[Store, Depends(get_store)]) -> HTMLResponse:
    found = list(store.rows("SELECT id, title, source, url, published FROM articles WHERE id = ?",
                            (article_id,)))  # fmt: skip
    row = found[0] if found else None
    if row is None:
        raise SitrepError(Errors.E403, key=str(article_id))
    return render("article.html", page="articles", article=row)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return render("docs.html", page="docs", openapi_url=request.app.openapi_url)
