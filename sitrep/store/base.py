"""The store interface: one implementation of every read and write, two SQL backends.

An article and all of its facts are written in one transaction, keyed by the sha256 of
the text, so analysing the same article twice stores it once. SQL here is the common
subset of SQLite and PostgreSQL with ``?`` placeholders; a backend
(``sitrep.store.sqlite``, ``sitrep.store.postgres``) supplies the connection, the
transaction and the placeholder style.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sitrep.errors import Errors, StoreError
from sitrep.records import Document
from sitrep.store.migrations import (
    BACKFILLS,
    LATEST_VERSION,
    MIGRATIONS,
    SUMMARY_REBUILD,
    statements,
)

TABLES = (
    "articles", "actors", "places", "events", "quotes", "skipped_articles", "feeds",
    "feed_items", "article_bands", "event_actors", "actor_names", "place_names",
)  # fmt: skip


@dataclass(slots=True)
class SaveResult:
    article_id: int
    created: bool  # False when the same text was already stored


@dataclass(slots=True)
class Skipped:
    """An article kept out of analysis (not English, near-duplicate, ...), with why."""

    sha256: str
    reason: str  # language | near-duplicate
    origin: str | None = None
    ext_id: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    detail: str | None = None
    language: str | None = None
    duplicate_of: str | None = None  # sha256 of the first copy
    similarity: float | None = None


@dataclass(slots=True)
class PreparedDoc:
    """A document as the rows ``Store.save`` inserts, built without a database (so a batch
    worker can build them and the single writer only inserts). Detail rows leave out the
    article id, which the insert assigns; ``article`` is the articles row without
    ``analyzed_at`` (set when written)."""

    sha256: str
    article: tuple[Any, ...]
    bands: list[tuple[Any, ...]]
    actors: list[tuple[Any, ...]]
    places: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    event_actors: list[tuple[Any, ...]]
    quotes: list[tuple[Any, ...]]
    actor_names: list[tuple[Any, ...]]
    place_names: list[tuple[Any, ...]]


def prepare_document(doc: Document, sig: Any = None) -> PreparedDoc:
    """The rows that store ``doc``. ``sig``: its MinHash signature when already computed
    (the batch gate has it); computed here otherwise."""
    from sitrep import __version__
    from sitrep.ingest.dedup import signature

    if sig is None:
        sig = signature(doc.text)
    a = doc.article
    data = doc.to_dict()  # once: the slowest part of preparing
    events = []
    for e, record in zip(doc.events, data["events"], strict=True):
        place = doc.place(e.place)
        killed, injured = e.counts.get("killed"), e.counts.get("injured")
        events.append((
            e.id, e.type, e.mode, json.dumps(e.source), json.dumps(e.target),
            _names(doc, e.source), _names(doc, e.target),
            e.date.start if e.date else None, e.date.end if e.date else None,
            e.date.text if e.date else None, int(e.date.inferred) if e.date else None,
            e.place, place.name if place else None, place.country if place else None,
            place.lat if place else None, place.lon if place else None,
            _int(killed), _int(injured),
            json.dumps(e.counts), json.dumps(e.counts_qualifier), e.status, e.confidence,
            e.cameo, e.evidence.text, e.evidence.start, e.evidence.end, json.dumps(record),
        ))  # fmt: skip
    actor_names, place_names = _summary_rows(doc)
    return PreparedDoc(
        sha256=a.sha256,
        article=(a.sha256, a.id, a.title, a.source, a.url, a.published, a.language, doc.text,
                 __version__, json.dumps(data), sig.hex(), getattr(a, "author", None)),
        bands=list(enumerate(sig.bands)),
        actors=[(x.id, x.name, x.kind, x.country, x.sector, x.kb_id, x.role, len(x.mentions),
                 json.dumps([_span(m) for m in x.mentions])) for x in doc.actors],
        places=[(p.id, p.name, p.kind, p.country, p.admin1, p.lat, p.lon, p.geonames_id,
                 json.dumps([_span(m) for m in p.mentions])) for p in doc.places],
        events=events,
        event_actors=[(e.id, actor, role) for e in doc.events
                      for role, actor in _links(e.source, e.target)],
        quotes=[(q.id, q.speaker, _speaker_name(doc, q), q.text, q.kind, q.start, q.end, q.cue,
                 q.channel) for q in doc.quotes],
        actor_names=actor_names,
        place_names=place_names,
    )  # fmt: skip


def _summary_rows(doc: Document) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """One article's additions to the per-name actor and place summaries (migration 7)."""
    involved: dict[str, set[str]] = {}
    for e in doc.events:
        for _role, actor in _links(e.source, e.target):
            involved.setdefault(actor, set()).add(e.id)
    actors: dict[tuple[str, str, str], list[Any]] = {}
    for x in doc.actors:
        row = actors.setdefault((x.name, x.kind or "", x.country or ""), [None, 1, 0, 0])
        row[0] = max(filter(None, [row[0], x.kb_id]), default=None)
        row[2] += len(x.mentions)
        row[3] += len(involved.get(x.id, ()))
    located: dict[str, int] = {}
    for e in doc.events:
        if e.place:
            located[e.place] = located.get(e.place, 0) + 1
    places: dict[tuple[str, str, str], list[Any]] = {}
    for p in doc.places:
        row = places.setdefault((p.name, p.country or "", p.admin1 or ""), [None] * 4 + [1, 0])
        for i, value in enumerate((p.kind, p.lat, p.lon, p.geonames_id)):
            row[i] = max(filter(lambda v: v is not None, [row[i], value]), default=None)
        row[5] += located.get(p.id, 0)
    return ([(*key, *row) for key, row in actors.items()],
            [(*key, *row) for key, row in places.items()])  # fmt: skip


def _names(doc: Document, ref: str | list[str] | None) -> str | None:
    if ref is None:
        return None
    ids = ref if isinstance(ref, list) else [ref]
    names = [a.name for i in ids if (a := doc.actor(i)) is not None]
    return "; ".join(names) or None


class Store:
    """Backend-independent store. Use as a context manager or call ``close()``.

    Subclasses implement ``_connect``, ``_execute``, ``_executemany``, ``_write`` (an
    exclusive write transaction) and set ``dialect`` and ``driver_errors``.
    """

    dialect = "abstract"
    driver_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()  # one connection, shared by threads (web server)
        try:
            self._connect()
            self.migrate()
        except self.driver_errors as exc:
            raise StoreError(Errors.E020, url=_redact(url), detail=_first_line(exc)) from None

    # -- backend primitives ------------------------------------------------------
    def _connect(self) -> None:
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        raise NotImplementedError

    @contextmanager
    def _write(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def _lock_migrations(self) -> None:
        """Serialise concurrent migrators (inside the write transaction)."""

    def close(self) -> None:
        raise NotImplementedError

    # -- lifecycle -------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; driver errors become ``StoreError`` (E020)."""
        with self._lock:
            try:
                with self._write():
                    yield
            except self.driver_errors as exc:
                raise StoreError(
                    Errors.E020, url=_redact(self.url), detail=_first_line(exc)
                ) from None

    def _current_version(self) -> int | None:
        try:
            with self._lock:
                rows = self._execute("SELECT MAX(version) AS v FROM schema_migrations")
            return int(rows[0]["v"] or 0)
        except self.driver_errors:
            return None

    def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        current = self._current_version()
        if current is not None and current > LATEST_VERSION:
            raise StoreError(
                Errors.E022, url=_redact(self.url), found=current, supported=LATEST_VERSION
            )
        if current == LATEST_VERSION:
            return []
        applied = []
        with self.transaction():
            self._lock_migrations()
            self._execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {
                int(r["version"]) for r in self._execute("SELECT version FROM schema_migrations")
            }
            if done and max(done) > LATEST_VERSION:
                raise StoreError(Errors.E022, url=_redact(self.url), found=max(done),
                                 supported=LATEST_VERSION)  # fmt: skip
            for version, name, sql in MIGRATIONS:
                if version in done:
                    continue
                for statement in statements(sql, self.dialect):
                    self._execute(statement)
                if version in BACKFILLS:
                    getattr(self, BACKFILLS[version])()
                self._execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, _now()),
                )
                applied.append(version)
        return applied

    def schema_version(self) -> int:
        return self._current_version() or 0

    # -- writes ----------------------------------------------------------------
    def save(self, doc: Document | PreparedDoc) -> SaveResult:
        """Store a document and its facts atomically; a no-op if the text is stored."""
        return self.save_many([doc])[0]

    def save_many(self, docs: Sequence[Document | PreparedDoc]) -> list[SaveResult]:
        """Store several documents in ONE transaction: all of them or none.

        The rows are built (``prepare_document``) before the write lock is taken, so the
        lock is held only for the inserts; one commit for many documents instead of one
        each is most of what a batch writer saves (a commit costs more than the inserts).
        """
        prepared = [d if isinstance(d, PreparedDoc) else prepare_document(d) for d in docs]
        with self.transaction():
            return [self._write_prepared(p) for p in prepared]

    def _write_prepared(self, p: PreparedDoc) -> SaveResult:
        existing = self._execute("SELECT id FROM articles WHERE sha256 = ?", (p.sha256,))
        if existing:
            return SaveResult(int(existing[0]["id"]), False)
        rows = self._execute(
            "INSERT INTO articles (sha256, ext_id, title, source, url, published, language, text,"
            " analyzed_at, sitrep_version, document, minhash, author)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (sha256) DO NOTHING RETURNING id",
            (*p.article[:8], _now(), *p.article[8:]),
        )
        if not rows:
            existing = self._execute("SELECT id FROM articles WHERE sha256 = ?", (p.sha256,))
            return SaveResult(int(existing[0]["id"]), False)
        aid = int(rows[0]["id"])
        for sql, table in _DETAIL_INSERTS:
            self._executemany(sql, [(aid, *r) for r in getattr(p, table)])
        self._executemany(_ACTOR_NAMES_UPSERT, p.actor_names)
        self._executemany(_PLACE_NAMES_UPSERT, p.place_names)
        if self.dialect == "sqlite" and p.events:
            self._execute("INSERT INTO events_fts (rowid, evidence_text) SELECT rowid, evidence_text"
                          " FROM events WHERE article_id = ?", (aid,))  # fmt: skip
        self._executemany(_QUOTES_INSERT, [(aid, *r) for r in p.quotes])
        return SaveResult(aid, True)

    def rebuild_summaries(self) -> None:
        """Recompute the actor and place summaries (and SQLite's text index) from the
        detail tables, e.g. after rows were inserted directly. Call in a transaction."""
        for statement in SUMMARY_REBUILD:
            self._execute(statement)
        if self.has_text_index():
            self._rebuild_text_index()

    def has_text_index(self) -> bool:
        """Whether this is SQLite with migration 8's trigram index of event evidence."""
        if self.dialect != "sqlite":
            return False
        return bool(self._execute("SELECT 1 FROM sqlite_master WHERE name = 'events_fts'"))

    def _rebuild_text_index(self) -> None:
        if self.dialect == "sqlite":
            self._execute("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")

    def _backfill_event_actors(self) -> None:
        """Migration 5: link the events stored before it to their actors."""
        rows = self._execute("SELECT article_id, local_id, source, target FROM events")
        self._executemany(
            "INSERT INTO event_actors (article_id, event_id, actor_id, role) VALUES (?,?,?,?)",
            [(r["article_id"], r["local_id"], actor, role) for r in rows
             for role, actor in _links(_json_ids(r["source"]), _json_ids(r["target"]))],
        )  # fmt: skip

    def save_skipped(self, item: Skipped) -> bool:
        """Record an article kept out of analysis; False if its text was already recorded."""
        with self.transaction():
            rows = self._execute(
                "INSERT INTO skipped_articles (sha256, ext_id, title, source, url, published,"
                " origin, reason, detail, language, duplicate_of, similarity, skipped_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (sha256) DO NOTHING RETURNING id",
                (item.sha256, item.ext_id, item.title, item.source, item.url, item.published,
                 item.origin, item.reason, item.detail, item.language, item.duplicate_of,
                 item.similarity, _now()),
            )  # fmt: skip
        return bool(rows)

    # -- feeds -----------------------------------------------------------------
    def seen_feed_items(self, feed_url: str) -> set[str]:
        rows = self.rows("SELECT item_key FROM feed_items WHERE feed_url = ?", (feed_url,))
        return {r["item_key"] for r in rows}

    def mark_feed_item(self, feed_url: str, key: str, url: str | None, status: str,
                       detail: str | None = None) -> None:  # fmt: skip
        with self.transaction():
            self._execute(
                "INSERT INTO feed_items (feed_url, item_key, url, status, detail, seen_at)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT (feed_url, item_key) DO NOTHING",
                (feed_url, key, url, status, detail, _now()),
            )

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of a feed's last good response (conditional GET)."""
        rows = self.rows("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,))
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

    def record_feed_poll(self, url: str, title: str | None, error: str | None,
                         etag: str | None = None, last_modified: str | None = None) -> None:  # fmt: skip
        now = _now()
        with self.transaction():
            self._execute(
                "INSERT INTO feeds (url, title, polls, failures) VALUES (?, ?, 0, 0)"
                " ON CONFLICT (url) DO NOTHING",
                (url, title),
            )
            if error is None:
                self._execute(
                    "UPDATE feeds SET title = COALESCE(?, title), last_polled = ?, last_ok = ?,"
                    " last_error = NULL, polls = polls + 1, etag = ?, last_modified = ?"
                    " WHERE url = ?",
                    (title, now, now, etag, last_modified, url),
                )
            else:
                self._execute(
                    "UPDATE feeds SET last_polled = ?, last_error = ?, polls = polls + 1,"
                    " failures = failures + 1 WHERE url = ?",
                    (now, error, url),
                )

    # -- reads -----------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(table)
        return int(self.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])

    def has(self, sha256: str) -> bool:
        """Whether an article with this text hash is stored (resume checks)."""
        return bool(self.rows("SELECT 1 AS x FROM articles WHERE sha256 = ?", (sha256,)))

    def is_skipped(self, sha256: str) -> bool:
        """Whether this text was recorded as skipped (not English, near-duplicate)."""
        return bool(self.rows("SELECT 1 AS x FROM skipped_articles WHERE sha256 = ?", (sha256,)))

    def known_hashes(self) -> set[str]:
        """The sha256 of every stored article text, for skipping them in a batch run."""
        return {r["sha256"] for r in self.rows("SELECT sha256 FROM articles")}

    def skipped_hashes(self) -> dict[str, str]:
        """sha256 -> reason of every text recorded as skipped, for a batch run to resume."""
        rows = self.rows("SELECT sha256, reason FROM skipped_articles")
        return {r["sha256"]: r["reason"] for r in rows}

    def near_duplicate(self, sig: Any, threshold: float | None = None) -> tuple[str, float] | None:
        """The stored article most similar to ``sig`` at or above the threshold."""
        from sitrep.ingest.dedup import THRESHOLD, Signature, is_candidate

        if not is_candidate(sig):
            return None
        bands = sig.bands
        where = " OR ".join("(b.band = ? AND b.bucket = ?)" for _ in bands)
        params: list[Any] = [x for pair in enumerate(bands) for x in pair]
        rows = self.rows(
            "SELECT DISTINCT a.sha256, a.minhash FROM article_bands b"
            f" JOIN articles a ON a.id = b.article_id WHERE {where}",
            tuple(params),
        )
        limit = THRESHOLD if threshold is None else threshold
        best: tuple[str, float] | None = None
        for r in rows:
            if not r["minhash"]:
                continue
            sim = sig.similarity(Signature.from_hex(r["minhash"]))
            if sim >= limit and (best is None or sim > best[1]):
                best = (r["sha256"], sim)
        return best

    def get_document(self, key: str | int) -> Document | None:
        """A stored document by numeric id, sha256 or external id."""
        try:
            num = int(key)
        except (TypeError, ValueError):
            num = -1
        rows = self.rows(
            "SELECT document, text FROM articles WHERE id = ? OR sha256 = ? OR ext_id = ?"
            " ORDER BY id LIMIT 1",
            (num, str(key), str(key)),
        )
        if not rows:
            return None
        return Document.from_dict(json.loads(rows[0]["document"]), text=rows[0]["text"])

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query (``?`` placeholders) and return its rows as dicts."""
        with self._lock:
            try:
                return self._execute(sql, params)
            except self.driver_errors as exc:
                raise StoreError(
                    Errors.E020, url=_redact(self.url), detail=_first_line(exc)
                ) from None


def _links(source: Any, target: Any) -> list[tuple[str, str]]:
    """Distinct (role, actor id) pairs of an event."""
    out: dict[tuple[str, str], None] = {}
    for role, ref in (("source", source), ("target", target)):
        for actor in ref if isinstance(ref, list) else [ref]:
            if isinstance(actor, str) and actor:
                out[(role, actor)] = None
    return list(out)


def _greater(table: str, column: str) -> str:
    """SQL for MAX(stored, new) that keeps the stored value when the new one is NULL."""
    return (f"CASE WHEN {table}.{column} IS NULL OR excluded.{column} > {table}.{column}"
            f" THEN excluded.{column} ELSE {table}.{column} END")  # fmt: skip


# (SQL, PreparedDoc field) of the detail tables keyed by article id, in insert order.
_DETAIL_INSERTS = (
    ("INSERT INTO article_bands (article_id, band, bucket) VALUES (?,?,?)", "bands"),
    ("INSERT INTO actors VALUES (?,?,?,?,?,?,?,?,?,?)", "actors"),
    ("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", "places"),
    (f"INSERT INTO events VALUES ({','.join('?' * 28)})", "events"),
    ("INSERT INTO event_actors (article_id, event_id, actor_id, role) VALUES (?,?,?,?)",
     "event_actors"),
)  # fmt: skip
_QUOTES_INSERT = "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?)"
_ACTOR_NAMES_UPSERT = (
    "INSERT INTO actor_names (name, kind, country, kb_id, articles, mentions, events)"
    " VALUES (?,?,?,?,?,?,?) ON CONFLICT (name, kind, country) DO UPDATE SET"
    f" kb_id = {_greater('actor_names', 'kb_id')}, articles = actor_names.articles + 1,"
    " mentions = actor_names.mentions + excluded.mentions,"
    " events = actor_names.events + excluded.events"
)
_PLACE_NAMES_UPSERT = (
    "INSERT INTO place_names (name, country, admin1, kind, lat, lon, geonames_id,"
    " articles, events) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (name, country, admin1)"
    " DO UPDATE SET "
    + ", ".join(
        f"{c} = {_greater('place_names', c)}" for c in ("kind", "lat", "lon", "geonames_id")
    )
    + ", articles = place_names.articles + 1, events = place_names.events + excluded.events"
)


def _json_ids(value: str | None) -> Any:
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    """A count as an integer column value; anything non-numeric stays only in ``counts``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _speaker_name(doc: Document, quote: Any) -> str | None:
    actor = doc.actor(quote.speaker)
    return actor.name if actor else getattr(quote, "speaker_text", None)


def _span(m: Any) -> dict[str, Any]:
    return {"text": m.text, "start": m.start, "end": m.end}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _redact(url: str) -> str:
    """A database URL without its password, for messages."""
    if "://" in url and "@" in url.split("://", 1)[1]:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


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
    """Open (creating and migrating if needed) the store at ``url``.

    ``postgresql://...`` (or ``postgres://``) opens PostgreSQL; ``sqlite:///PATH`` or a
    plain path opens SQLite.
    """
    if url.startswith(("postgresql://", "postgres://")):
        from sitrep.store.postgres import PostgresStore

        return PostgresStore(url)
    from sitrep.store.sqlite import SQLiteStore

    return SQLiteStore(url)
