"""HTML pages to article text and metadata (title, publication date, author) with
trafilatura. The HTML parser does not expand DTD entities, so entity bombs in HTML stay
inert; oversize pages are refused before parsing."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sitrep.errors import Errors, InputError

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 10 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_LOOKS_HTML = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


@dataclass(slots=True)
class HtmlArticle:
    text: str
    title: str | None
    published: str | None  # YYYY-MM-DD when found
    author: str | None
    url: str | None
    sitename: str | None


def looks_like_html(data: bytes) -> bool:
    return bool(_LOOKS_HTML.match(data[:4096]))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def extract_html(data: bytes | str, origin: str, url: str | None = None) -> HtmlArticle:
    """Main text and metadata of one HTML page; ``InputError`` (E005/E316) when unusable."""
    import trafilatura

    size = len(data)
    if size > MAX_HTML_BYTES:
        raise InputError(Errors.E005, input=origin, size_mb=size / 1e6,
                         limit_mb=MAX_HTML_BYTES // 1_000_000)  # fmt: skip
    html = _decode(data)
    if not html.strip():
        raise InputError(Errors.E002, input=origin)
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,
        )  # fmt: skip
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        log.debug("trafilatura failed on %s: %s", origin, exc)
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError(Errors.E316, input=origin)
    title = getattr(doc, "title", None) or None
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        text = rest.strip()  # the headline is kept as the title, not as body text
    date = getattr(doc, "date", None) or None
    return HtmlArticle(text=text, title=title, published=_iso_date(date), author=getattr(doc, "author", None) or None,
                       url=getattr(doc, "url", None) or url, sitename=getattr(doc, "sitename", None) or None)  # fmt: skip


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    return m.group(1) if m else None
