"""Run a batch: read inputs, skip what is stored, analyse on a backend, write, summarise.

Resuming: the store keys articles by the sha256 of their text and every chunk is written
in one transaction, so whatever a run stored before it was interrupted (Ctrl-C, kill -9,
a lost node) is complete and is skipped by the next run; nothing is analysed or stored twice.

Writing: workers analyse and turn each document into the rows to insert
(``sitrep.store.prepare_document``); this process is the single writer and only inserts, a
chunk per transaction (one commit per chunk, not per article; a chunk that cannot be written
is retried article by article, so only the bad ones fail). ``Store.save_many`` checks each
hash inside its write transaction, so even two batch runs on one store never duplicate.

The gate (``sitrep.ingest.gate.Gate``, the same one ``sitrep analyze`` uses) runs here, in the
one process that reads the inputs, before anything is sent to a worker: non-English texts and
near-duplicates are recorded in ``skipped_articles`` and never analysed. Near-duplicates are
found in an in-memory MinHash index of every text this run has sent out (analysed or not yet)
and in the store's band index (earlier runs). Because one process decides for the whole run,
two copies of a story are never in flight at once, whatever the backend (local processes,
``write_in_workers``, Dask). Texts recorded as skipped by an earlier run are skipped by hash.
"""

from __future__ import annotations

import concurrent.futures.process as cf_process
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from sitrep.analyze import text_sha256
from sitrep.batch.backends import Backend, ProcessBackend, make_backend
from sitrep.batch.worker import ChunkResult, Failure, Prepared, Stored
from sitrep.config import Config
from sitrep.errors import Errors, InputError, SitrepError
from sitrep.ingest.gate import Gate
from sitrep.ingest.readers import RawArticle, iter_inputs
from sitrep.records import Document
from sitrep.store import PreparedDoc, open_store, prepare_document

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]  # (articles done, articles to do)
MIN_TAIL_CHUNK = 4  # the smallest chunk the end of a run is cut into (see _Run.chunks)


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did. ``failures`` lists every input that was not stored."""

    backend: str = ""
    workers: int = 0
    read: int = 0  # articles read from the inputs (including ones that failed)
    to_analyse: int = 0  # new texts this run set out to analyse
    analysed: int = 0
    stored: int = 0
    already_stored: int = 0  # skipped: the same text is in the store (an earlier run)
    duplicates: int = 0  # the same text twice in these inputs
    # Kept out of analysis by the gate, by reason ("language", "near-duplicate"); includes
    # the texts an earlier run recorded as skipped, which ``already_skipped`` counts.
    skipped: dict[str, int] = field(default_factory=dict)
    already_skipped: int = 0
    words: int = 0  # whitespace-separated words in the analysed texts
    write_s: float = 0.0  # time this process spent writing to the store
    # CPU seconds: all workers' analysing (and preparing) chunks, and this process's whole run
    worker_cpu_s: float = 0.0
    cpu_s: float = 0.0
    elapsed_s: float = 0.0
    steady_articles_per_s: float | None = None  # first chunk start to last chunk end
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # per worker process
    interrupted: bool = False
    failures: list[Failure] = field(default_factory=list)

    @property
    def articles_per_s(self) -> float:
        return self.analysed / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.elapsed_s if self.elapsed_s else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["peak_rss_mb"] = {str(k): round(v, 1) for k, v in self.peak_rss_mb.items()}
        data["articles_per_s"] = round(self.articles_per_s, 2)
        data["words_per_s"] = round(self.words_per_s, 1)
        return data


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _source(paths: list[str]) -> Callable[[], Iterator[RawArticle | InputError]]:
    """A re-startable input stream (read twice: once to count, once to run)."""
    if "-" in paths:  # stdin can be read only once: keep it in memory
        items = list(iter_inputs(paths))
        return lambda: iter(items)
    return lambda: iter_inputs(paths)


def _count_new(
    items: Iterable[RawArticle | InputError], known: set[str], skipped: dict[str, str]
) -> int:
    """Texts neither stored nor recorded as skipped (the gate's new skips are subtracted
    from this total as the run finds them: the count pass stays hashing only)."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, RawArticle):
            sha = text_sha256(item.text)
            if sha not in known and sha not in skipped:
                seen.add(sha)
    return len(seen)


class _Run:
    """The state of one run; ``run_batch`` is the public entry point."""

    def __init__(self, summary: BatchSummary, store: Any, progress: ProgressFn | None) -> None:
        self.summary = summary
        self.store = store
        self.progress = progress
        self.first_start = float("inf")  # worker clocks: start of the first chunk analysed
        self.last_end = 0.0
        self.gate: Gate | None = None
        self.sigs: dict[str, Any] = {}  # the gate's MinHash signatures of texts in flight
        self._gate_known = 0  # gate.stats.known_skipped already counted
        self.slots = 1  # chunks analysed at once, once the backend is up

    def skip(self, reason: str, *, earlier: bool, in_total: bool = True) -> None:
        """Count a skip. ``earlier``: an earlier run recorded it; ``in_total``: the
        hashing-only count pass counted it in ``to_analyse``."""
        s = self.summary
        s.skipped[reason] = s.skipped.get(reason, 0) + 1
        s.already_skipped += earlier
        if in_total:
            s.to_analyse = max(0, s.to_analyse - 1)

    def _on_gate_skip(self, raw: RawArticle, reason: str, detail: str) -> None:
        """The gate dropped a near-duplicate (new, or recorded by a concurrent run)."""
        known = self.gate.stats.known_skipped if self.gate is not None else 0
        self.skip(reason, earlier=known != self._gate_known)
        self._gate_known = known

    def fresh(
        self, items: Iterator[RawArticle | InputError], known: set[str],
        skipped: dict[str, str],
    ) -> Iterator[RawArticle]:  # fmt: skip
        """Articles whose text is neither stored, nor skipped before, nor seen in this run."""
        seen: set[str] = set()
        for item in items:
            self.summary.read += 1
            if isinstance(item, InputError):
                self.fail(Failure.from_error(item, item.message.split(":", 1)[0]))
                continue
            sha = text_sha256(item.text)
            if sha in known:
                self.summary.already_stored += 1
            elif sha in seen:
                self.summary.duplicates += 1
            elif sha in skipped:
                self.skip(skipped[sha], earlier=True, in_total=False)
            else:
                seen.add(sha)
                yield item

    def signatures(self, chunk: list[RawArticle]) -> dict[str, Any]:
        """The gate's MinHash signatures of a chunk's texts (by sha256), kept until the
        chunk is back, so that preparing the rows to store need not compute them again."""
        sigs = {}
        if self.gate is not None and self.store is not None:
            for raw in chunk:
                sha = text_sha256(raw.text)
                if (sig := self.gate.index.get(sha)) is not None:
                    sigs[sha] = sig
        self.sigs.update(sigs)
        return sigs

    def release(self, chunk: list[RawArticle]) -> dict[str, Any]:
        """A chunk is back (stored or failed) before the next article is read: from now on
        the store's band index finds its texts, so the gate's in-memory index only holds
        the texts in flight and memory stays flat. Without a store it keeps everything.
        Returns the chunk's signatures (``signatures``)."""
        sigs = {}
        for raw in chunk:
            sha = text_sha256(raw.text)
            if (sig := self.sigs.pop(sha, None)) is not None:
                sigs[sha] = sig
            if self.gate is not None and self.store is not None:
                self.gate.index.remove(sha)
        return sigs

    def fail(self, failure: Failure) -> None:
        self.summary.failures.append(failure)
        log.info("error[%s]: %s", failure.code, failure.message)

    def chunks(
        self, items: Iterator[RawArticle | InputError], size: int
    ) -> Iterator[list[RawArticle]]:
        """Group the gate's output into chunks; its language rejections are skips.

        Near the end of a run with several workers the chunks get smaller (down to
        ``MIN_TAIL_CHUNK``), so the workers finish together instead of one working through
        a last full chunk alone."""
        chunk: list[RawArticle] = []
        sent = 0
        for item in items:
            if isinstance(item, InputError):  # the gate's "not English" (E008)
                if item.code == "E008":
                    self.skip("language", earlier=False)
                else:
                    self.fail(Failure.from_error(item, item.message.split(":", 1)[0]))
                continue
            chunk.append(item)
            if len(chunk) >= self.chunk_size(size, sent):
                sent += len(chunk)
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def chunk_size(self, size: int, sent: int) -> int:
        """``size``, or less once the articles left fill fewer than two chunks per worker."""
        left = self.summary.to_analyse - sent
        if self.slots <= 1 or left >= 2 * self.slots * size:
            return size
        return max(min(size, MIN_TAIL_CHUNK), -(-left // (2 * self.slots)))

    def collect(self, result: ChunkResult, sigs: dict[str, Any] | None = None) -> None:
        """Count a chunk's results and store its documents (``sigs``: their signatures)."""
        s = self.summary
        s.peak_rss_mb[result.pid] = max(s.peak_rss_mb.get(result.pid, 0.0), result.peak_rss_mb)
        s.worker_cpu_s += result.cpu_s
        to_write: list[tuple[str, int, Document | PreparedDoc]] = []
        for item in result.items:
            s.analysed += 1
            if isinstance(item, Failure):
                self.fail(item)
            elif isinstance(item, Stored):  # the worker wrote it
                s.words += item.words
                s.stored += item.created
                s.already_stored += not item.created
            elif isinstance(item, Prepared):
                to_write.append((item.origin, item.words, item.rows))
            else:  # a Document: prepared here (see make_backend in run_batch)
                origin = item.article.id or item.article.sha256
                words = len(item.text.split())
                if self.store is not None:
                    try:
                        item = prepare_document(item, (sigs or {}).get(item.article.sha256))
                    except Exception as exc:  # a record the store cannot take
                        detail = f"{type(exc).__name__}: {exc}"[:300]
                        self.fail(
                            Failure.from_error(
                                SitrepError(Errors.E450, input=origin, detail=detail), origin
                            )
                        )
                        continue
                to_write.append((origin, words, item))
        self.write(to_write)
        self.first_start = min(self.first_start, result.started)
        self.last_end = max(self.last_end, result.ended)
        if self.progress:
            self.progress(s.analysed, s.to_analyse)

    def write(self, items: list[tuple[str, int, Document | PreparedDoc]]) -> None:
        """Store a chunk's documents in one transaction; if that fails, one by one, so
        only the documents that cannot be stored fail."""
        s = self.summary
        s.words += sum(words for _origin, words, _doc in items)
        if self.store is None or not items:
            s.stored += len(items)
            return
        t0 = time.perf_counter()
        results: list[Any]
        try:
            results = self.store.save_many([doc for _origin, _words, doc in items])
        except SitrepError:
            results = []
            for _origin, _words, doc in items:
                try:
                    results.append(self.store.save(doc))
                except SitrepError as err:
                    results.append(err)
        finally:
            s.write_s += time.perf_counter() - t0
        for (origin, _words, _doc), res in zip(items, results, strict=True):
            if isinstance(res, SitrepError):
                self.fail(Failure.from_error(res, origin))
            elif res.created:
                s.stored += 1
            else:  # another run stored the same text meanwhile
                s.already_stored += 1

    def lost(self, chunk: list[RawArticle], exc: BaseException) -> None:
        """A whole chunk came back as an exception: its worker died or could not run it."""
        killed = isinstance(exc, cf_process.BrokenProcessPool) or type(exc).__name__ in (
            "KilledWorker", "BrokenProcessPool",
        )  # fmt: skip
        detail = f"{type(exc).__name__}: {exc}"[:300]
        for raw in chunk:
            self.summary.analysed += 1
            code = Errors.E451 if killed else Errors.E450
            self.fail(Failure.from_error(SitrepError(code, input=raw.origin, detail=detail),
                                         raw.origin))  # fmt: skip


def run_batch(
    paths: list[str],
    db_url: str | None,
    *,
    workers: int | None = None,
    dask: str | None = None,
    config: Config | None = None,
    chunk_size: int = 32,
    progress: ProgressFn | None = None,
    inline: bool | None = None,
    write_in_workers: bool = False,
    dedup: bool = True,
) -> BatchSummary:
    """Analyse every article in ``paths`` and store it in ``db_url`` (None: store nothing).

    ``workers``: local processes (default: all cores; 1 analyses in this process) or, with
    ``dask``, LocalCluster workers. ``dask``: a scheduler address or ``"local"``.
    ``inline``: analyse in this process (default: only when ``workers`` is 1).
    ``write_in_workers``: each worker stores its documents itself (one store connection per
    worker; spreads the cost of writing, e.g. to PostgreSQL from a cluster) instead of
    sending them back to this process to write.
    ``dedup``: False analyses near-duplicates too (non-English texts are still skipped when
    ``config.check_language``), like ``sitrep analyze --no-dedup``.
    Interrupted runs (KeyboardInterrupt) return a summary with ``interrupted=True``.
    """
    config = config or Config()
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise SitrepError(Errors.E454, name="workers", value=workers)
    if chunk_size < 1:
        raise SitrepError(Errors.E454, name="chunk-size", value=chunk_size)
    start, cpu = time.perf_counter(), time.process_time()
    store = open_store(db_url) if db_url else None
    summary = BatchSummary(workers=workers)
    run = _Run(summary, store, progress)
    backend: Backend | None = None
    inflight: dict[Any, list[RawArticle]] = {}
    try:
        known = store.known_hashes() if store is not None else set()
        skipped = store.skipped_hashes() if store is not None else {}
        source = _source(paths)
        summary.to_analyse = _count_new(source(), known, skipped)
        if progress:
            progress(0, summary.to_analyse)
        run.gate = Gate(store, dedup=dedup, check_language=config.check_language,
                        on_skip=run._on_gate_skip)  # fmt: skip
        chunks = run.chunks(run.gate(run.fresh(source(), known, skipped)), chunk_size)
        first = next(chunks, None)  # None: nothing to analyse (and everything was read)
        prepare = False
        if first is not None:  # start workers only when the gate let something through
            write_url = db_url if write_in_workers else None
            # Who turns documents into rows: the workers, except a single local worker
            # process, whose parent has a core to spare (a pickled Document is cheaper for
            # the worker to send than preparing its rows: ~0.2 vs ~1.2 ms an article).
            single = not dask and workers == 1 and inline is False
            prepare = store is not None and not write_in_workers and not single
            backend = make_backend(config, workers, dask, inline, write_url, prepare)
            summary.backend = backend.name
            summary.workers = run.slots = backend.slots
            chunks = itertools.chain([first], chunks)
        while backend is not None:
            while len(inflight) < 2 * backend.slots:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                sigs = run.signatures(chunk)
                inflight[backend.submit(chunk, sigs if prepare else None)] = chunk
            if not inflight:
                break
            done, _pending = backend.wait_first(list(inflight))
            for future in [f for f in inflight if f in done]:  # in submission order
                chunk = inflight.pop(future)
                sigs = run.release(chunk)
                try:
                    result = future.result()
                except Exception as exc:  # worker died, or Dask gave up on the task
                    run.lost(chunk, exc)
                    if isinstance(backend, ProcessBackend) and isinstance(
                        exc, cf_process.BrokenProcessPool
                    ):
                        for other, lost_chunk in inflight.items():
                            other_sigs = run.release(lost_chunk)
                            if other.done() and not other.cancelled() and not other.exception():
                                run.collect(other.result(), other_sigs)  # done before the crash
                            else:
                                other.cancel()
                                run.lost(lost_chunk, exc)
                        inflight.clear()
                        backend.restart()
                        break
                    continue
                run.collect(result, sigs)
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in inflight:
            future.cancel()
    finally:
        if backend is not None:
            _close_quietly(backend, summary.interrupted)
        if store is not None:
            store.close()
    summary.elapsed_s = time.perf_counter() - start
    summary.cpu_s = time.process_time() - cpu
    if run.last_end > run.first_start:  # after start-up: workers' first chunk to last
        summary.steady_articles_per_s = summary.analysed / (run.last_end - run.first_start)
    return summary


def _close_quietly(backend: Backend, interrupted: bool) -> None:
    try:
        if interrupted and isinstance(backend, ProcessBackend):
            backend.pool.shutdown(wait=False, cancel_futures=True)
        else:
            backend.close()
    except Exception:  # closing must not hide the summary of what was done
        log.debug("closing the %s backend failed", backend.name, exc_info=True)
