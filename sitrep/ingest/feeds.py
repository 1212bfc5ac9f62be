"""RSS and Atom feeds (feedparser), screened with defusedxml first.

The raw bytes are parsed once with defusedxml, which refuses entity declarations
(billion laughs, quadratic blow-up) and external entities; only then does feedparser
see them. Feedparser is never given a URL, so it never fetches anything itself.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sitrep.errors import Errors, InputError
from sitrep.ingest.readers import parse_published

log = logging.getLogger(__name__)

MAX_FEED_BYTES = 10 * 1024 * 1024
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json"}  # fmt: skip
_LOOKS_FEED = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?"
                         rb"<(?:rss|feed|rdf:RDF)\b", re.S | re.I)  # fmt: skip
MIN_CONTENT_CHARS = 400  # inline content shorter than this is a teaser: fetch the link


@dataclass(slots=True)
class FeedItem:
    key: str  # stable identity: the entry id, else its link, else a hash of its title
    url: str | None
    title: str | None
    published: str | None
    content_html: str | None  # full content when the feed carries it
    author: str | None = None


@dataclass(slots=True)
class Feed:
    origin: str
    title: str | None
    items: list[FeedItem] = field(default_factory=list)


def looks_like_feed(data: bytes) -> bool:
    return bool(_LOOKS_FEED.match(data[:4096]))


def _screen(data: bytes, origin: str) -> None:
    """Refuse XML with entity declarations or external references (defusedxml)."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(
            Errors.E318, input=origin, detail=f"unsafe XML ({type(exc).__name__})"
        ) from None
    except DET.ParseError as exc:
        # not well-formed: feedparser's lenient parser may still read it (it expands no
        # DTD entities); report only if it finds nothing either
        log.debug("%s: not well-formed XML: %s", origin, exc)


def parse_feed(data: bytes, origin: str) -> Feed:
    """Parse feed bytes; ``InputError`` (E317/E318) for unusable or unsafe feeds."""
    import feedparser

    if len(data) > MAX_FEED_BYTES:
        raise InputError(Errors.E005, input=origin, size_mb=len(data) / 1e6,
                         limit_mb=MAX_FEED_BYTES // 1_000_000)  # fmt: skip
    if not data.strip():
        raise InputError(Errors.E002, input=origin)
    _screen(data, origin)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            detail = str(parsed.get("bozo_exception") or "not a feed").splitlines()[0][:200]
            raise InputError(Errors.E317, input=origin, detail=detail)
        if not parsed.get("version"):
            raise InputError(Errors.E317, input=origin, detail="not an RSS or Atom feed")
    feed = Feed(origin=origin, title=(parsed.get("feed") or {}).get("title"))
    for entry in entries:
        feed.items.append(_item(entry, origin))
    return feed


def _item(entry: dict, origin: str) -> FeedItem:  # type: ignore[type-arg]
    url = entry.get("link") or None
    title = entry.get("title") or None
    key = entry.get("id") or url or "sha1:" + hashlib.sha1(
        f"{title}|{entry.get('summary', '')}".encode()).hexdigest()  # fmt: skip
    published = None
    for name in ("published_parsed", "updated_parsed"):
        value = entry.get(name)
        if value:
            published = f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
            break
    if published is None:
        for name in ("published", "updated"):
            try:
                published = parse_published(entry.get(name), origin)
            except InputError:
                published = None
            if published:
                break
    content = None
    for part in entry.get("content") or []:
        if part.get("value") and len(part["value"]) > len(content or ""):
            content = part["value"]
    if not content and entry.get("summary"):
        content = entry["summary"]
    return FeedItem(key=str(key), url=url, title=title, published=published, content_html=content,
                    author=entry.get("author") or None)  # fmt: skip


def item_articles(feed: Feed, fetch_opts: object | None) -> Iterator[object]:
    """``RawArticle`` (or ``InputError``) for every item: inline content when it is a full
    article, else the linked page fetched and extracted."""
    from sitrep.ingest.readers import RawArticle
    from sitrep.ingest.sources import read_url

    for item in feed.items:
        where = f"{feed.origin}#{item.url or item.key}"
        try:
            text = _inline_text(item, where)
            if text is None:
                if not item.url:
                    raise InputError(
                        Errors.E317, input=where, detail="item without content or link"
                    )
                articles = list(read_url(item.url, fetch_opts, follow_feeds=False))
                for art in articles:
                    if isinstance(art, RawArticle):
                        art.title = art.title or item.title
                        art.published = art.published or item.published
                        art.source = feed.title or art.source
                        art.id = art.id or item.key
                        art.author = art.author or item.author
                    yield art
                continue
            yield RawArticle(text=text, origin=where, id=item.key, title=item.title,
                             published=item.published, source=feed.title, url=item.url,
                             author=item.author)  # fmt: skip
        except InputError as err:
            yield err


def _inline_text(item: FeedItem, where: str) -> str | None:
    if not item.content_html or len(item.content_html) < MIN_CONTENT_CHARS:
        return None
    from sitrep.ingest.html import extract_html

    wrapped = f"<html><body><article>{item.content_html}</article></body></html>"
    try:
        text = extract_html(wrapped, where, url=item.url).text
    except InputError:
        return None
    return text if len(text) >= MIN_CONTENT_CHARS // 2 else None
