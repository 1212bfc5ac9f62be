"""Where chunks are analysed: in this process, in local worker processes, or on Dask.

Every backend offers the same three calls, so the runner does not care which it has:
``submit(chunk, sigs) -> future``, ``wait_first(futures) -> (done, pending)`` and ``close()``.
``write_url``: workers store their chunks there; ``prepare``: they send back the rows to
store (``Prepared``) instead of ``Document`` records, for this process to write.
Futures are ``concurrent.futures.Future`` or ``distributed.Future``; both have
``result()`` and ``cancel()``.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
from collections.abc import Collection
from typing import Any, Protocol

from sitrep.batch.worker import analyze_chunk, init_worker_process, warm_up
from sitrep.config import Config
from sitrep.errors import Errors, SitrepError
from sitrep.ingest.readers import RawArticle

log = logging.getLogger(__name__)


class Backend(Protocol):
    name: str
    slots: int  # how many chunks can be analysed at once

    def submit(self, chunk: list[RawArticle], sigs: dict[str, Any] | None = None) -> Any: ...
    def wait_first(self, futures: Collection[Any]) -> tuple[set[Any], set[Any]]: ...
    def close(self) -> None: ...


class InlineBackend:
    """Analyse in this process (``--workers 1``): no start-up cost, easiest to debug."""

    name = "inline"
    slots = 1

    def __init__(self, config: Config, write_url: str | None = None, prepare: bool = False) -> None:
        self.config = config
        self.write_url = write_url
        self.prepare = prepare
        warm_up(config)

    def submit(self, chunk: list[RawArticle], sigs: dict[str, Any] | None = None) -> cf.Future[Any]:
        future: cf.Future[Any] = cf.Future()
        try:
            future.set_result(analyze_chunk(chunk, self.config, self.write_url, self.prepare, sigs))
        except BaseException as exc:
            future.set_exception(exc)
            if isinstance(exc, KeyboardInterrupt):
                raise
        return future

    def wait_first(self, futures: Collection[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return set(done), set(pending)

    def close(self) -> None:
        pass


class ProcessBackend:
    """N local worker processes, each with its own pipeline (loaded once, at start).

    Uses the ``spawn`` start method: a fresh interpreter per worker is slower to start
    than ``fork`` but safe with the threads that rich and logging keep in the parent.
    """

    name = "processes"

    def __init__(
        self, config: Config, workers: int, write_url: str | None = None, prepare: bool = False
    ) -> None:
        self.config = config
        self.slots = workers
        self.write_url = write_url
        self.prepare = prepare
        self.pool = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.slots,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker_process,
            initargs=(self.config,),
        )

    def submit(self, chunk: list[RawArticle], sigs: dict[str, Any] | None = None) -> cf.Future[Any]:
        return self.pool.submit(
            analyze_chunk, chunk, self.config, self.write_url, self.prepare, sigs
        )

    def wait_first(self, futures: Collection[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return set(done), set(pending)

    def restart(self) -> None:
        """Replace a broken pool (a worker was killed) with a fresh one."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """A Dask cluster: ``address`` of a running scheduler, or ``"local"`` for a LocalCluster.

    Workers import sitrep and load the pipeline on their first chunk (cached per worker
    process), so every worker needs sitrep and the model installed.
    """

    name = "dask"

    def __init__(
        self, config: Config, address: str, workers: int, write_url: str | None = None,
        prepare: bool = False,
    ) -> None:  # fmt: skip
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise SitrepError(Errors.E452, detail=str(exc)) from None
        if not log.isEnabledFor(logging.INFO):  # distributed logs at INFO by default
            logging.getLogger("distributed").setLevel(logging.WARNING)
        self.config = config
        self.write_url = write_url
        self.prepare = prepare
        self.cluster = None
        try:
            if address == "local":
                self.cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True,
                    dashboard_address=":0", silence_logs=logging.ERROR,
                )  # fmt: skip
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout="20s")
        except OSError as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise SitrepError(Errors.E453, address=address, detail=str(exc)) from None
        threads = sum(self.client.nthreads().values())
        self.slots = max(1, threads)
        log.info("dask: %s, %d worker thread(s)", self.client, self.slots)

    def submit(self, chunk: list[RawArticle], sigs: dict[str, Any] | None = None) -> Any:
        return self.client.submit(
            analyze_chunk, chunk, self.config, self.write_url, self.prepare, sigs, pure=False
        )

    def wait_first(self, futures: Collection[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait

        done, pending = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def make_backend(
    config: Config, workers: int, dask: str | None, inline: bool | None = None,
    write_url: str | None = None, prepare: bool = False,
) -> Backend:  # fmt: skip
    """``inline``: analyse in this process (default: when ``workers`` is 1).
    ``write_url``: workers store what they analyse there themselves; ``prepare``: they
    return the rows to store (``Prepared``)."""
    if dask:
        return DaskBackend(config, dask, workers, write_url, prepare)
    if inline or (inline is None and workers == 1):
        return InlineBackend(config, write_url, prepare)
    return ProcessBackend(config, workers, write_url, prepare)
