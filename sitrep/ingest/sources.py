"""Articles from URLs, HTML files and feed files (the non-plain-text inputs)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sitrep.errors import Errors, InputError
from sitrep.ingest.csvin import Columns
from sitrep.ingest.fetch import FetchOptions, fetch
from sitrep.ingest.html import extract_html, looks_like_html

ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")  # fmt: skip
HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How inputs are read: network rules for URLs, and column names for CSV/JSONL."""

    fetch: FetchOptions = field(default_factory=FetchOptions)
    columns: Columns = field(default_factory=Columns)


def html_article(data: bytes | str, origin: str, url: str | None = None) -> object:
    """A ``RawArticle`` from HTML (raises ``InputError``)."""
    from sitrep.ingest.readers import RawArticle

    page = extract_html(data, origin, url=url)
    return RawArticle(text=page.text, origin=origin, id=None, title=page.title,
                      published=page.published, source=page.sitename, url=page.url or url,
                      author=page.author)  # fmt: skip


def feed_articles(data: bytes, origin: str, fetch_opts: FetchOptions | None) -> Iterator[object]:
    from sitrep.ingest.feeds import item_articles, parse_feed

    try:
        feed = parse_feed(data, origin)
    except InputError as err:
        yield err
        return
    yield from item_articles(feed, fetch_opts)


def read_url(
    url: str, fetch_opts: object | None = None, *, follow_feeds: bool = True
) -> Iterator[object]:
    """``RawArticle``/``InputError`` for a URL: an HTML page, plain text or a feed."""
    from sitrep.ingest.feeds import FEED_TYPES, looks_like_feed
    from sitrep.ingest.readers import RawArticle, read_text_bytes

    opts = fetch_opts if isinstance(fetch_opts, FetchOptions) else FetchOptions()
    try:
        resp = fetch(url, opts, accept=ACCEPT)
        body = resp.body
        if resp.content_type in FEED_TYPES or (
            resp.content_type not in HTML_TYPES and looks_like_feed(body)
        ):
            if not follow_feeds:
                raise InputError(Errors.E322, input=url, ctype=resp.content_type)
            yield from feed_articles(body, url, opts)
            return
        if resp.content_type in HTML_TYPES or looks_like_html(body):
            art = html_article(resp.text().encode("utf-8"), url, url=resp.url)
            art.id = resp.url  # type: ignore[attr-defined]
            yield art
            return
        if resp.content_type in ("text/plain", ""):
            yield RawArticle(text=read_text_bytes(body, url), origin=url, id=resp.url, url=resp.url)
            return
        raise InputError(Errors.E322, input=url, ctype=resp.content_type)
    except InputError as err:
        yield err
