"""Fetching an article by URL for ``POST /api/analyze``.

Delegates to the ingest layer's URL reader when it has one; otherwise refuses with E405.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitrep.errors import Errors, SitrepError


def fetch_article(url: str) -> str:
    """The article text at ``url`` (http or https only)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise SitrepError(Errors.E405, url=url, detail="only http and https URLs")
    raise SitrepError(Errors.E405, url=url, detail="URL fetching is not available in this build")
