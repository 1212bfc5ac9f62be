"""Fetching an article by URL for ``POST /api/analyze``, through the ingest layer.

``sitrep.ingest.sources.read_url`` does the careful GET (timeouts, size limit, bounded
redirects, no private or loopback addresses: a server must not be a proxy into its own
network) and extracts the article from HTML. Feeds are refused here: one URL, one article.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitrep.errors import Errors, InputError, SitrepError
from sitrep.ingest.readers import RawArticle


def fetch_article(url: str) -> RawArticle:
    """The article at ``url`` (http or https only); raises ``SitrepError``/``InputError``."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise SitrepError(Errors.E405, url=url, detail="only http and https URLs")
    from sitrep.ingest.fetch import FetchOptions
    from sitrep.ingest.sources import read_url

    for item in read_url(url, FetchOptions(), follow_feeds=False):
        if isinstance(item, InputError):
            raise item
        if isinstance(item, RawArticle):
            return item
    raise SitrepError(Errors.E405, url=url, detail="no article found at this address")
