"""What runs inside a worker process: analyse one chunk of articles.

The pipeline is loaded once per process (``load_pipeline`` is cached), so a worker pays the
model and knowledge-base start-up once and then only analyses. Results travel back as plain
picklable records: for a success ``Prepared`` (the rows the writer inserts, built here so
the single writer only inserts: unpickling them is ~10x cheaper than unpickling a
``Document``), ``Stored`` when the worker wrote it itself, or the ``Document`` when nothing
is stored; ``Failure`` for an article that could not be analysed (never an exception, so
one bad article never loses the rest of its chunk).
"""

from __future__ import annotations

import functools
import gc
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
from sitrep.store.base import PreparedDoc, prepare_document

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


@dataclass(slots=True)
class Prepared:
    """A document as the rows the writer stores (``sitrep.store.prepare_document``)."""

    origin: str
    words: int
    rows: PreparedDoc


_stores: dict[str, Any] = {}  # one open store per process and URL


def _save_here(items: list[Any], url: str) -> list[Any]:
    """Store a chunk's prepared documents in one transaction (one by one if that fails, so
    only the documents that cannot be stored fail)."""
    from sitrep.store import open_store

    prepared = [x for x in items if isinstance(x, Prepared)]
    results: list[Any] = []
    try:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = open_store(url)
        results = store.save_many([x.rows for x in prepared])
    except SitrepError as first:
        results = []
        for x in prepared:
            try:
                results.append(store.save(x.rows) if url in _stores else first)
            except SitrepError as err:
                results.append(err)
    done = iter(results)
    out: list[Any] = []
    for x in items:
        if not isinstance(x, Prepared):
            out.append(x)
            continue
        res = next(done)
        if isinstance(res, SitrepError):
            out.append(Failure.from_error(res, x.origin))
        else:
            out.append(Stored(x.origin, x.rows.sha256, res.created, x.words))
    return out


def _origin(doc: Document) -> str:
    return doc.article.id or doc.article.sha256


@dataclass(slots=True)
class ChunkResult:
    """A worker's answer for one chunk, in the chunk's order."""

    items: list[Prepared | Document | Stored | Failure] = field(default_factory=list)
    pid: int = 0
    peak_rss_mb: float = 0.0  # the worker process's peak resident memory so far
    seconds: float = 0.0  # analysis time inside the worker
    cpu_s: float = 0.0  # CPU time of this process for the chunk (process_time)
    started: float = 0.0  # wall-clock (time.time) start and end of the chunk in the worker
    ended: float = 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


# Analysed once per worker before real work, after ``preload_tables``: each component's
# first call (lazily compiled patterns, first-use caches) happens at start-up rather than
# inside the first chunk.
WARM_UP_TEXT = (
    "BANTAM, Conn., March 3 (Sitrep Wire) - Police in Bantam, Conn., and Edmonton, Ky., said "
    'on Tuesday that 12 people were arrested. "We will respond," the governor said.\n'
)


@functools.lru_cache(maxsize=4)
def warm_up(config: Config) -> int:
    """Load the pipeline and its lazy tables in this process, once (a pool initializer)."""
    from sitrep.nlp.pipeline import load_pipeline, preload_tables

    preload_tables(load_pipeline(config))
    raw = RawArticle(text=WARM_UP_TEXT, origin="<warm-up>", published="2025-03-04")
    try:
        next(analyze_many([raw], config))
    except Exception:  # a broken component shows up on real articles, with their names
        log.debug("warm-up analysis failed", exc_info=True)
    return os.getpid()


def init_worker_process(config: Config) -> int:
    """Initializer of the local worker processes: ``warm_up``, then move everything loaded
    so far (the model, knowledge base and gazetteer: ~130k objects that live as long as
    the process) out of the cycle collector's reach (``gc.freeze``), so its full
    collections stop re-scanning them (about 1-2% of a worker's time). Only in processes
    sitrep starts itself: freezing is process-wide."""
    pid = warm_up(config)
    gc.freeze()
    return pid


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
    articles: list[RawArticle], config: Config, write_url: str | None = None,
    prepare: bool = False, sigs: dict[str, Any] | None = None,
) -> ChunkResult:  # fmt: skip
    """Analyse ``articles`` (batched through ``nlp.pipe``); isolate failures one by one.

    With ``write_url`` the worker stores the chunk itself (one transaction) and returns
    ``Stored`` stubs; with ``prepare`` it returns ``Prepared`` rows for the writer.
    ``sigs``: MinHash signatures by text sha256 that the gate computed already.
    """
    warm_up(config)  # no-op after the first call in this process (Dask workers need it)
    start, started, cpu = time.perf_counter(), time.time(), time.process_time()
    items: list[Any] = []
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
    sigs = sigs or {}
    if write_url or prepare:
        items = [_prepare(x, sigs) if isinstance(x, Document) else x for x in items]
    if write_url:
        items = _save_here(items, write_url)
    return ChunkResult(
        items=items, pid=os.getpid(), peak_rss_mb=peak_rss_mb(),
        seconds=time.perf_counter() - start, started=started, ended=time.time(),
        cpu_s=time.process_time() - cpu,
    )  # fmt: skip


def _prepare(doc: Document, sigs: dict[str, Any]) -> Prepared | Failure:
    try:
        rows = prepare_document(doc, sigs.get(doc.article.sha256))
    except Exception as exc:  # a record the store cannot take: fail this article only
        detail = f"{type(exc).__name__}: {exc}"[:300]
        return Failure.from_error(SitrepError(Errors.E450, input=_origin(doc), detail=detail),
                                  _origin(doc))  # fmt: skip
    return Prepared(_origin(doc), len(doc.text.split()), rows)
