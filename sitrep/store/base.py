"""The store interface and its SQLite implementation.

An article and all of its facts are written in one transaction, keyed by the sha256 of
the text, so analysing the same article twice stores it once.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import Errors, StoreError
from sitrep.records import Document
from sitrep.store.migrations import LATEST_VERSION, MIGRATIONS


@dataclass(slots=True)
class SaveResult:
    article_id: int
    created: bool  # False when the same text was already stored


def _names(doc: Document, ref: str | list[str] | None) -> str | None:
    if ref is None:
        return None
    ids = ref if isinstance(ref, list) else [ref]
    names = [a.name for i in ids if (a := doc.actor(i)) is not None]
    return "; ".join(names) or None


class Store:
    """SQLite-backed store. Use as a context manager or call ``close()``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(Errors.E020, url=url, detail=str(exc)) from None
        try:
            self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA busy_timeout = 60000")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(Errors.E020, url=url, detail=str(exc)) from None

    # -- lifecycle -------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        if done and max(done) > LATEST_VERSION:
            raise StoreError(Errors.E022, url=self.url, found=max(done), supported=LATEST_VERSION)
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if not self.conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ).fetchone():
                    for statement in sql.split(";"):
                        if statement.strip():
                            self.conn.execute(statement)
                    self.conn.execute(
                        "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        (version, name, _now()),
                    )
                    applied.append(version)
                self.conn.execute("COMMIT")
            except Exception:
                self.conn.execute("ROLLBACK")
                raise
        return applied

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writes ----------------------------------------------------------------
    def save(self, doc: Document) -> SaveResult:
        """Store a document and its facts atomically; a no-op if the text is stored."""
        from sitrep import __version__

        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                row = self.conn.execute(
                    "SELECT id FROM articles WHERE sha256 = ?", (doc.article.sha256,)
                ).fetchone()
                if row:
                    self.conn.execute("COMMIT")
                    return SaveResult(row[0], False)
                article_id = self._insert(doc, __version__)
                self.conn.execute("COMMIT")
                return SaveResult(article_id, True)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(Errors.E020, url=self.url, detail=str(exc)) from None

    def _insert(self, doc: Document, version: str) -> int:
        a = doc.article
        cur = self.conn.execute(
            "INSERT INTO articles (sha256, ext_id, title, source, url, published, language, text,"
            " analyzed_at, sitrep_version, document) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (a.sha256, a.id, a.title, a.source, a.url, a.published, a.language, doc.text,
             _now(), version, json.dumps(doc.to_dict())),
        )  # fmt: skip
        aid = int(cur.lastrowid or 0)
        self.conn.executemany(
            "INSERT INTO actors VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(aid, x.id, x.name, x.kind, x.country, x.sector, x.kb_id, x.role, len(x.mentions),
              json.dumps([_span(m) for m in x.mentions]))
             for x in doc.actors],
        )  # fmt: skip
        self.conn.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(aid, p.id, p.name, p.kind, p.country, p.admin1, p.lat, p.lon, p.geonames_id,
              json.dumps([_span(m) for m in p.mentions])) for p in doc.places],
        )  # fmt: skip
        rows = []
        event_dicts = doc.to_dict()["events"]
        for e, record in zip(doc.events, event_dicts, strict=True):
            place = doc.place(e.place)
            rows.append((
                aid, e.id, e.type, e.mode, json.dumps(e.source), json.dumps(e.target),
                _names(doc, e.source), _names(doc, e.target),
                e.date.start if e.date else None, e.date.end if e.date else None,
                e.date.text if e.date else None, int(e.date.inferred) if e.date else None,
                e.place, place.name if place else None, place.country if place else None,
                place.lat if place else None, place.lon if place else None,
                e.counts.get("killed"), e.counts.get("injured"),
                json.dumps(e.counts), json.dumps(e.counts_qualifier), e.status, e.confidence,
                e.cameo, e.evidence.text, e.evidence.start, e.evidence.end, json.dumps(record),
            ))  # fmt: skip
        self.conn.executemany(f"INSERT INTO events VALUES ({','.join('?' * 28)})", rows)
        self.conn.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(aid, q.id, q.speaker, (doc.actor(q.speaker).name if doc.actor(q.speaker) else None),
              q.text, q.kind, q.start, q.end, q.cue, q.channel) for q in doc.quotes],
        )  # fmt: skip
        return aid

    # -- reads -----------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in ("articles", "actors", "places", "events", "quotes"):
            raise ValueError(table)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def has(self, sha256: str) -> bool:
        """Whether an article with this text hash is stored (resume checks)."""
        row = self.conn.execute("SELECT 1 FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def known_hashes(self) -> set[str]:
        """The sha256 of every stored article text, for skipping them in a batch run."""
        return {r[0] for r in self.conn.execute("SELECT sha256 FROM articles")}

    def get_document(self, key: str | int) -> Document | None:
        """A stored document by numeric id, sha256 or external id."""
        row = self.conn.execute(
            "SELECT document, text FROM articles WHERE id = ? OR sha256 = ? OR ext_id = ?"
            " ORDER BY id LIMIT 1",
            (key if isinstance(key, int) else -1, str(key), str(key)),
        ).fetchone()
        if not row:
            return None
        return Document.from_dict(json.loads(row["document"]), text=row["text"])

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute(sql, params):
            yield dict(row)


def _span(m: Any) -> dict[str, Any]:
    return {"text": m.text, "start": m.start, "end": m.end}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def sqlite_path(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///") or ":memory:"
    if url.startswith("sqlite://"):
        return ":memory:"
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise StoreError(Errors.E021, url=url, scheme=scheme)
    return url


def open_store(url: str) -> Store:
    """Open (creating and migrating if needed) the store at ``url``."""
    return Store(url)
