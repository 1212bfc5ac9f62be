"""One store suite, run against SQLite and PostgreSQL (the ``store_url`` fixture)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_query import TEXT_A, TEXT_B, make_doc

from sitrep.errors import StoreError
from sitrep.ingest.dedup import BANDS, signature
from sitrep.records import Document
from sitrep.store import Skipped, open_store
from sitrep.store.migrations import LATEST_VERSION


def test_migrations_recorded_once(store_url: str) -> None:
    with open_store(store_url) as store:
        assert store.schema_version() == LATEST_VERSION
        versions = [r["version"] for r in store.rows("SELECT version FROM schema_migrations")]
        assert sorted(versions) == list(range(1, LATEST_VERSION + 1))
    with open_store(store_url) as store:
        assert store.migrate() == []


def test_save_idempotent_and_roundtrip(store_url: str) -> None:
    doc = make_doc("a", TEXT_A, killed=9, day="2025-05-17")
    with open_store(store_url) as store:
        first, second = store.save(doc), store.save(doc)
        assert first.created and not second.created and first.article_id == second.article_id
        snapshot = {t: store.count(t) for t in ("articles", "events", "quotes", "article_bands")}
        assert snapshot == {"articles": 1, "events": 1, "quotes": 1, "article_bands": BANDS}
        back = store.get_document("a")
        assert back is not None and back.to_dict() == doc.to_dict() and back.text == doc.text
        assert store.has(doc.article.sha256) and store.known_hashes() == {doc.article.sha256}


def test_failed_write_rolls_back_everything(store_url: str) -> None:
    doc = make_doc("a", TEXT_A, killed=9, day="2025-05-17")
    broken = Document.from_dict(doc.to_dict(), text=doc.text)
    broken.quotes.append(broken.quotes[0])  # duplicate primary key: fails after the article row
    with open_store(store_url) as store:
        with pytest.raises(StoreError) as err:
            store.save(broken)
        assert err.value.code == "E020"
        for table in ("articles", "actors", "places", "events", "quotes", "article_bands"):
            assert store.count(table) == 0, table
        assert store.save(doc).created  # the connection is usable afterwards


def test_skipped_and_near_duplicates(store_url: str) -> None:
    long_text = " ".join(f"word{i}" for i in range(80)) + " " + TEXT_A
    doc = make_doc("a", long_text, killed=9, day="2025-05-17")
    edited = long_text.replace("word40", "changed")
    with open_store(store_url) as store:
        store.save(doc)
        found = store.near_duplicate(signature(edited))
        assert found is not None and found[0] == doc.article.sha256 and found[1] >= 0.7
        assert store.near_duplicate(signature(TEXT_B + " " * 3 + "x " * 60)) is None
        item = Skipped(sha256="b" * 64, reason="near-duplicate", duplicate_of=found[0],
                       similarity=found[1], origin="b.txt")  # fmt: skip
        assert store.save_skipped(item) and not store.save_skipped(item)
        assert store.is_skipped("b" * 64) and store.count("skipped_articles") == 1


def test_feed_state(store_url: str) -> None:
    with open_store(store_url) as store:
        store.record_feed_poll("http://x/feed", "X", None)
        store.record_feed_poll("http://x/feed", None, "timed out")
        store.mark_feed_item("http://x/feed", "k1", "http://x/1", "stored")
        store.mark_feed_item("http://x/feed", "k1", "http://x/1", "stored")
        assert store.seen_feed_items("http://x/feed") == {"k1"}
        row = store.rows("SELECT * FROM feeds")[0]
        assert (row["title"], row["polls"], row["failures"]) == ("X", 2, 1)
        assert row["last_error"] == "timed out" and row["last_ok"]


def test_unreachable_postgres_is_one_clear_error() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as err:
        open_store("postgresql://nobody:secret@/nodb?host=/nonexistent-dir&connect_timeout=2")
    assert err.value.code == "E020" and "secret" not in err.value.message


def _analyze(paths: list[str], db: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SITREP_DB": db}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "sitrep"), "analyze", *paths, "--format", "jsonl"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def test_two_processes_write_at_once(store_url: str, tmp_path: Path) -> None:
    """Two `sitrep analyze` runs on overlapping inputs, concurrently: both succeed and
    every article is stored exactly once."""
    paths = []
    for i in range(6):
        p = tmp_path / f"a{i}.txt"
        p.write_text(f"Police arrested {i + 3} protesters in Nairobi on Monday, officials said"
                     f" in statement number {i}.", encoding="utf-8")  # fmt: skip
        paths.append(str(p))
    one = _analyze(paths[:4], store_url)
    two = _analyze(paths[2:], store_url)
    for proc in (one, two):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with open_store(store_url) as store:
        assert store.count("articles") == 6
        ids = [r["ext_id"] for r in store.rows("SELECT ext_id FROM articles ORDER BY ext_id")]
        assert ids == [f"a{i}" for i in range(6)]


def test_document_json_is_valid(store_url: str) -> None:
    doc = make_doc("a", TEXT_A, killed=9, day="2025-05-17")
    with open_store(store_url) as store:
        store.save(doc)
        raw = store.rows("SELECT document FROM articles")[0]["document"]
        assert json.loads(raw)["schema"] == "sitrep/1"


def test_upgrade_from_version_1(store_url: str) -> None:
    """A database created by the first release (migration 1 only) upgrades in place and
    keeps its articles."""
    from sitrep.store import migrations

    doc = make_doc("a", TEXT_A, killed=9, day="2025-05-17")
    saved = list(migrations.MIGRATIONS)
    try:
        del migrations.MIGRATIONS[1:]
        import sitrep.store.base as base

        base.LATEST_VERSION, latest = 1, base.LATEST_VERSION
        with open_store(store_url) as store:
            assert store.schema_version() == 1
            store._execute(  # an article row as version 1 wrote it (no minhash column)
                "INSERT INTO articles (sha256, ext_id, text, analyzed_at, sitrep_version, document)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (doc.article.sha256, "a", doc.text, "2025-01-01", "0.1.0",
                 json.dumps(doc.to_dict())),
            )  # fmt: skip
            aid = store.rows("SELECT id FROM articles")[0]["id"]
            store._execute(
                "INSERT INTO events (article_id, local_id, type, source, target, counts,"
                " counts_qualifier, status, evidence_text, evidence_start, evidence_end, record)"
                " VALUES (?, 'e1', 'ASSAULT', '\"a1\"', '[\"a2\", \"a1\"]', '{}', '{}',"
                " 'occurred', 'x', 0, 1, '{}')",
                (aid,),
            )
    finally:
        migrations.MIGRATIONS[:] = saved
        base.LATEST_VERSION = latest
    with open_store(store_url) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.count("articles") == 1 and store.count("skipped_articles") == 0
        links = store.rows("SELECT role, actor_id FROM event_actors ORDER BY role, actor_id")
        assert [(r["role"], r["actor_id"]) for r in links] == [
            ("source", "a1"),
            ("target", "a1"),
            ("target", "a2"),
        ]  # backfilled
        assert not store.save(doc).created


def test_any_valid_document_is_stored(store_url: str) -> None:
    """Float counts, list-valued sources, quotes without a resolved speaker, no place."""
    doc = make_doc("a", TEXT_A, killed=9, day="2025-05-17")
    event = doc.events[0]
    event.counts = {"killed": 9.0, "injured": 3}
    event.source = ["a1"]
    event.place = None
    event.date = None
    doc.quotes[0].speaker = None
    if hasattr(doc.quotes[0], "speaker_text"):
        doc.quotes[0].speaker_text = "the mayor"
    with open_store(store_url) as store:
        assert store.save(doc).created
        row = store.rows("SELECT killed, injured, source_names, place_name FROM events")[0]
        assert (row["killed"], row["injured"], row["source_names"], row["place_name"]) == (
            9,
            3,
            "Russia",
            None,
        )
        back = store.get_document("a")
        assert back is not None and back.to_dict() == doc.to_dict()


def test_save_many_is_one_transaction(store_url: str) -> None:
    from sitrep.store import prepare_document

    doc_a = make_doc("a", TEXT_A, killed=9, day="2025-05-17")
    doc_b = make_doc("b", TEXT_B, killed=10, day="2025-05-17")
    broken = Document.from_dict(doc_b.to_dict(), text=doc_b.text)
    broken.quotes.append(broken.quotes[0])  # duplicate primary key: fails mid-chunk
    with open_store(store_url) as store:
        with pytest.raises(StoreError):
            store.save_many([doc_a, broken])
        assert store.count("articles") == 0 and store.count("events") == 0  # all or none
        results = store.save_many([prepare_document(doc_a), doc_b, doc_a])
        assert [r.created for r in results] == [True, True, False]
        assert results[2].article_id == results[0].article_id
        assert store.count("articles") == 2
        back = store.get_document(doc_a.article.sha256)
        assert back is not None and back.to_dict() == doc_a.to_dict()
