"""PostgreSQL backend (psycopg 3): same schema, migrations and SQL as SQLite.

Writes run in ``READ COMMITTED`` transactions; two writers storing the same article
race on the unique ``sha256`` index and the loser's ``ON CONFLICT DO NOTHING`` turns
into "already stored". Concurrent migrators serialise on an advisory lock.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sitrep.errors import Errors, StoreError
from sitrep.store.base import Store, _redact

_MIGRATION_LOCK = 0x5177E9  # any constant shared by every sitrep process


@functools.lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        return None
    return psycopg


def _errors() -> tuple[type[BaseException], ...]:
    psycopg = _driver()
    return (psycopg.Error,) if psycopg else ()


class PostgresStore(Store):
    dialect = "postgresql"
    driver_errors = _errors()

    def _connect(self) -> None:
        psycopg = _driver()
        if psycopg is None:
            raise StoreError(Errors.E302, url=_redact(self.url))
        from psycopg.adapt import Loader
        from psycopg.rows import dict_row

        class _NumericLoader(Loader):
            """SUM() and friends return numeric: give int or float, not Decimal."""

            def load(self, data: Any) -> int | float:
                text = bytes(data).decode()
                return float(text) if any(c in text for c in ".eEN") else int(text)

        self.conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                    connect_timeout=10)  # fmt: skip
        self.conn.adapters.register_loader("numeric", _NumericLoader)
        self.conn.execute("SET client_min_messages = WARNING")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(_pg_sql(sql), tuple(params) or None)
        return list(cur.fetchall()) if cur.description else []

    def _executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def _lock_migrations(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    def close(self) -> None:
        self.conn.close()
