"""The embedded store: migrations recorded, same article stored once, atomic writes."""

from __future__ import annotations

import sqlite3

import pytest

from sitrep.records import Document
from sitrep.store import open_store
from sitrep.store.migrations import LATEST_VERSION


def test_migrations_recorded(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.schema_version() == LATEST_VERSION
        rows = list(store.rows("SELECT version, name, applied_at FROM schema_migrations"))
        assert rows and rows[0]["version"] == 1 and rows[0]["applied_at"]
    with open_store(db_url) as store:  # reopening applies nothing twice
        assert store.migrate() == []


def test_same_article_stored_once(db_url: str, example_doc: Document) -> None:
    with open_store(db_url) as store:
        first = store.save(example_doc)
        second = store.save(example_doc)
        assert first.created and not second.created
        assert first.article_id == second.article_id
        assert store.count("articles") == 1
        assert store.count("events") == len(example_doc.events)
        back = store.get_document(example_doc.article.sha256)
        assert back is not None and back.to_dict() == example_doc.to_dict()


def test_failed_write_leaves_nothing(db_url: str, example_doc: Document) -> None:
    broken = Document.from_dict(example_doc.to_dict(), text=example_doc.text)
    broken.article.sha256 = "f" * 64
    broken.quotes.append(broken.quotes[0] if broken.quotes else None)  # type: ignore[arg-type]
    with open_store(db_url) as store:
        with pytest.raises((sqlite3.DatabaseError, AttributeError, Exception)):
            store.save(broken)
        assert store.count("articles") == 0
        assert store.count("events") == 0


def test_cli_analyze_twice_stores_once(tmp_path, db_url: str) -> None:
    from click.testing import CliRunner

    from sitrep.cli import main

    path = tmp_path / "a.txt"
    path.write_text("Police arrested 12 protesters in Nairobi on Monday.", encoding="utf-8")
    for expected in ("stored 1 new", "stored 0 new"):
        result = CliRunner().invoke(
            main, ["analyze", str(path), "--db", db_url, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        assert expected in result.stderr
    with open_store(db_url) as store:
        assert store.count("articles") == 1


def _open_and_close(url: str, barrier) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()
    with open_store(url):
        pass


def test_processes_opening_a_new_database_at_once(tmp_path) -> None:
    """Switching a new file to WAL needs an exclusive lock that SQLite does not wait for:
    several processes creating the same database at once must all succeed."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    for round_ in range(8):
        url = f"sqlite:///{tmp_path / f'new{round_}.db'}"
        barrier = ctx.Barrier(3)
        procs = [ctx.Process(target=_open_and_close, args=(url, barrier)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0, 0], f"round {round_}"
