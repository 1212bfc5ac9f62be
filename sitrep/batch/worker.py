"""What runs inside a worker process: analyse one chunk of articles.

The pipeline is loaded once per process (``load_pipeline`` is cached), so a worker pays the
model and knowledge-base start-up once and then only analyses. Results travel back as plain
picklable records: ``Document`` for a success, ``Failure`` for an article that could not be
analysed (never an exception, so one bad article never loses the rest of its chunk).
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import time
from dataclasses import dataclass, field

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
class ChunkResult:
    """A worker's answer for one chunk, in the chunk's order."""

    items: list[Document | Failure] = field(default_factory=list)
    pid: int = 0
    peak_rss_mb: float = 0.0  # the worker process's peak resident memory so far
    seconds: float = 0.0  # analysis time inside the worker


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def warm_up(config: Config) -> int:
    """Load the pipeline in this process now (a pool initializer); returns the pid."""
    from sitrep.nlp.pipeline import load_pipeline

    load_pipeline(config)
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


def analyze_chunk(articles: list[RawArticle], config: Config) -> ChunkResult:
    """Analyse ``articles`` (batched through ``nlp.pipe``); isolate failures one by one."""
    start = time.perf_counter()
    items: list[Document | Failure] = []
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
    return ChunkResult(
        items=items, pid=os.getpid(), peak_rss_mb=peak_rss_mb(),
        seconds=time.perf_counter() - start,
    )  # fmt: skip
