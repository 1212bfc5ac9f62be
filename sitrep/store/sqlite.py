"""SQLite backend: one file, WAL journal, writers serialised with ``BEGIN IMMEDIATE``.

Two processes writing at once both succeed: the second waits (busy timeout) for the
first's transaction instead of failing. The file opens as it is in Datasette
(docs/datasette.md).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sitrep.errors import Errors, StoreError
from sitrep.store.base import Store, sqlite_path

BUSY_TIMEOUT_S = 120


class SQLiteStore(Store):
    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)

    def _connect(self) -> None:
        self.path = sqlite_path(self.url)
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(Errors.E020, url=self.url, detail=str(exc)) from None
        self.conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self._enable_wal()
            self.conn.execute("PRAGMA synchronous = NORMAL")

    def _enable_wal(self) -> None:
        """Switch to WAL, retrying while another process holds the lock.

        Changing the journal mode needs an exclusive lock and SQLite does not wait on the
        busy handler for it, so two processes opening a new database at once would fail with
        "database is locked" without this loop.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        delay = 0.01
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, tuple(params))
        return [dict(r) for r in cur.fetchall()] if cur.description else []

    def _executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        if rows:
            self.conn.executemany(sql, rows)

    @contextmanager
    def _write(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
