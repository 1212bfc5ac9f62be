"""What runs inside a worker process: analyse one chunk of articles.

The pipeline is loaded once per process (``load_pipeline`` is cached), so a worker pays the
model and knowledge-base start-up once and then only analyses. Results travel back as plain
picklable records: ``Document`` for a success, ``Failure`` for an article that could not be
analysed (never an exception, so one bad article never loses the rest of its chunk).
"""

from __future__ import annotations

import functools
import logging
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from sitrep.analyze import analyze_many
from sitrep.config import Config
from sitrep.errors import Errors, InputError, SitrepError
from sitrep.ingest.readers import RawArticle
from sitrep.records import Document

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Failure:
    """One input that could not be read or analysed."""

    origin: str
    code: str
    message: str

    @classmethod
    def from_error(cls, err: SitrepError, origin: str) -> Failure:
        return cls(origin=origin, code=err.code, message=err.message)


@dataclass(slots=True)
class Stored:
    """A document the worker stored itself (``write_url``): what the summary needs of it."""

    origin: str
    sha256: str
    created: bool  # False: the same text was stored already (another run or worker)
    words: int


_stores: dict[str, Any] = {}  # one open store per process and URL


def _save_here(doc: Document, url: str) -> Stored | Failure:
    from sitrep.store import open_store

    origin = doc.article.id or doc.article.sha256
    try:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = open_store(url)
        created = store.save(doc).created
    except SitrepError as err:
        return Failure.from_error(err, origin)
    return Stored(origin, doc.article.sha256, created, len(doc.text.split()))


@dataclass(slots=True)
class ChunkResult:
    """A worker's answer for one chunk, in the chunk's order."""

    items: list[Document | Stored | Failure] = field(default_factory=list)
    pid: int = 0
    peak_rss_mb: float = 0.0  # the worker process's peak resident memory so far
    seconds: float = 0.0  # analysis time inside the worker
    started: float = 0.0  # wall-clock (time.time) start and end of the chunk in the worker
    ended: float = 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


# Analysed once per worker before real work: a small town named with its state sends the
# places resolver to its lazily loaded small-towns index, so that one-time cost is paid at
# start-up rather than inside the first chunk.
WARM_UP_TEXT = (
    "BANTAM, Conn., March 3 (Sitrep Wire) - Police in Bantam, Conn., and Edmonton, Ky., said "
    'on Tuesday that 12 people were arrested. "We will respond," the governor said.\n'
)


@functools.lru_cache(maxsize=4)
def warm_up(config: Config) -> int:
    """Load the pipeline and its lazy tables in this process, once (a pool initializer)."""
    from sitrep.nlp.pipeline import load_pipeline

    load_pipeline(config)
    raw = RawArticle(text=WARM_UP_TEXT, origin="<warm-up>", published="2025-03-04")
    try:
        next(analyze_many([raw], config))
    except Exception:  # a broken component shows up on real articles, with their names
        log.debug("warm-up analysis failed", exc_info=True)
    return os.getpid()


def _analyse_one(raw: RawArticle, config: Config) -> Document | Failure:
    try:
        result = next(analyze_many([raw], config))
    except Exception as exc:  # a bug in a component: report it, keep the batch going
        log.exception("analysis of %s failed", raw.origin)
        detail = f"{type(exc).__name__}: {exc}"[:300]
        return Failure.from_error(
            SitrepError(Errors.E450, input=raw.origin, detail=detail), raw.origin
        )
    if isinstance(result, InputError):
        return Failure.from_error(result, raw.origin)
    return result


def analyze_chunk(
    articles: list[RawArticle], config: Config, write_url: str | None = None
) -> ChunkResult:
    """Analyse ``articles`` (batched through ``nlp.pipe``); isolate failures one by one.

    With ``write_url`` the worker stores each document itself and returns ``Stored`` stubs.
    """
    warm_up(config)  # no-op after the first call in this process (Dask workers need it)
    start, started = time.perf_counter(), time.time()
    items: list[Document | Stored | Failure] = []
    try:
        for raw, result in zip(articles, analyze_many(articles, config), strict=True):
            if isinstance(result, InputError):
                items.append(Failure.from_error(result, raw.origin))
            else:
                items.append(result)
    except Exception:
        # Something in the batch raised: redo the chunk article by article so only the
        # guilty ones fail.
        items = [_analyse_one(raw, config) for raw in articles]
    if write_url:
        items = [_save_here(x, write_url) if isinstance(x, Document) else x for x in items]
    return ChunkResult(
        items=items, pid=os.getpid(), peak_rss_mb=peak_rss_mb(),
        seconds=time.perf_counter() - start, started=started, ended=time.time(),
    )  # fmt: skip
