"""Poll feeds, analyse and store the new items, remember what was seen.

A feed that is down (unreachable, HTTP error, malformed) is recorded in ``feeds``
(``last_error``, ``failures``) and the others go on. An item is remembered in
``feed_items`` once it is stored, found already stored, or skipped (not English,
near-duplicate); an item whose page could not be fetched is retried at the next poll.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sitrep.analyze import analyze_many
from sitrep.config import Config
from sitrep.errors import Errors, InputError, SitrepError
from sitrep.ingest.feeds import Feed, item_articles, parse_feed
from sitrep.ingest.fetch import FetchOptions, fetch
from sitrep.ingest.gate import Gate
from sitrep.ingest.readers import RawArticle
from sitrep.store import Store

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8,*/*;q=0.5"
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """``"10m"`` -> 600.0; plain numbers are seconds. Raises ``SitrepError`` (E340)."""
    m = _DURATION.match(text or "")
    if not m or float(m.group(1)) <= 0:
        raise SitrepError(Errors.E340, value=text)
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


@dataclass(slots=True)
class PollStats:
    feeds_ok: int = 0
    feeds_failed: int = 0
    not_modified: int = 0  # answered 304 to a conditional GET
    new: int = 0
    stored: int = 0
    already: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


Say = Callable[[str], None]


def poll_once(store: Store, feeds: list[str], config: Config, opts: FetchOptions,
              say: Say | None = None) -> PollStats:  # fmt: skip
    """One pass over ``feeds``; never raises for a feed or item problem."""
    say = say or (lambda msg: log.info(msg))
    stats = PollStats()
    for url in feeds:
        etag, modified = store.feed_validators(url)
        try:
            resp = fetch(url, opts, accept=FEED_ACCEPT, etag=etag, last_modified=modified)
            if resp.not_modified:
                stats.feeds_ok += 1
                stats.not_modified += 1
                store.record_feed_poll(url, None, None, resp.etag, resp.last_modified)
                continue
            feed = parse_feed(resp.body, url)
        except InputError as err:
            stats.feeds_failed += 1
            stats.errors.append(f"error[{err.code}]: {err.message}")
            say(f"error[{err.code}]: {err.message}")
            store.record_feed_poll(url, None, f"{err.code}: {err.message}")
            continue
        _poll_feed(store, url, feed, config, opts, stats, say)
        stats.feeds_ok += 1
        store.record_feed_poll(url, feed.title, None, resp.etag, resp.last_modified)
    return stats


def _poll_feed(store: Store, url: str, feed: Feed, config: Config, opts: FetchOptions,
               stats: PollStats, say: Say) -> None:  # fmt: skip
    seen = store.seen_feed_items(url)
    fresh = [item for item in feed.items if item.key not in seen]
    stats.new += len(fresh)
    pending: list[tuple[str, str | None, RawArticle]] = []
    skipped: list[str] = []
    gate = Gate(store, on_skip=lambda raw, reason, detail: skipped.append(f"{reason} {detail}"))
    for item in fresh:
        single = Feed(origin=url, title=feed.title, items=[item])
        result = next(iter(item_articles(single, opts)), None)
        if result is None or isinstance(result, InputError):
            stats.failed += 1
            if result is not None:
                stats.errors.append(f"error[{result.code}]: {result.message}")
                say(f"error[{result.code}]: {result.message}")
            continue  # not marked: retried at the next poll
        skipped.clear()
        passed = list(gate([result]))  # type: ignore[list-item]
        if not passed:
            stats.skipped += 1
            store.mark_feed_item(url, item.key, item.url, "skipped", "; ".join(skipped) or None)
            say(f"skipped: {item.url or item.key}: {'; '.join(skipped)}")
            continue
        if isinstance(passed[0], InputError):
            stats.skipped += 1
            store.mark_feed_item(url, item.key, item.url, "skipped", passed[0].message)
            say(f"error[{passed[0].code}]: {passed[0].message}")
            continue
        pending.append((item.key, item.url, passed[0]))
    raws = [raw for _, _, raw in pending]
    for (key, item_url, _raw), doc in zip(pending, analyze_many(raws, config), strict=True):
        if isinstance(doc, InputError):
            stats.failed += 1
            stats.errors.append(f"error[{doc.code}]: {doc.message}")
            say(f"error[{doc.code}]: {doc.message}")
            store.mark_feed_item(url, key, item_url, "error", doc.message)
            continue
        try:
            saved = store.save(doc)
        except SitrepError as err:  # not stored, not marked: retried at the next poll
            stats.failed += 1
            stats.errors.append(f"error[{err.code}]: {err.message}")
            say(f"error[{err.code}]: {item_url or key}: {err.message}")
            continue
        if saved.created:
            stats.stored += 1
            say(f"stored: {item_url or key} ({len(doc.events)} events)")
        else:
            stats.already += 1
        store.mark_feed_item(url, key, item_url, "stored" if saved.created else "duplicate")
