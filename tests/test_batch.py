"""sitrep batch: storing, resuming, failures, the language and near-duplicate gate, Dask
LocalCluster, concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.analyze import text_sha256
from sitrep.batch import run_batch
from sitrep.bench.corpus import generate, write_jsonl
from sitrep.cli import main
from sitrep.config import Config
from sitrep.store import open_store

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


def _corpus(tmp_path: Path, n: int, name: str = "articles.jsonl", seed: int = 1) -> Path:
    return write_jsonl(generate(n, seed=seed, sentences=(3, 5)), tmp_path / name)


# Our own texts for the gate: an English story, a lightly edited republication of it and a
# French article.
STORY = (
    "KHARTOUM, June 4 (Sitrep Wire) - Fighters attacked a market in the town of Tawila on "
    "Tuesday, killing at least 14 civilians and wounding dozens more, local officials said. "
    "The governor of North Darfur condemned the attack and said rescue teams were still "
    "searching the ruins of several shops. Aid groups warned that thousands of families who "
    "fled earlier fighting were sheltering near the market and had no access to clean water. "
    '"We need medicine and food now," a doctor at the town hospital told reporters.\n'
)
COPY = (
    STORY.replace("at least 14 civilians", "at least 15 civilians").replace(
        "told reporters", "told journalists"
    )
    + "Reporting by the Sitrep desk.\n"
)
FRENCH = (
    "PARIS, 4 juin - Le gouvernement a annoncé mardi une nouvelle série de mesures pour "
    "soutenir les agriculteurs touchés par la sécheresse. Le ministre de l'Agriculture a "
    "déclaré que les aides seront versées avant la fin du mois et que les régions du sud "
    "sont les plus concernées par cette crise qui dure depuis le printemps.\n"
)
GATED = [
    {"id": "fr-1", "text": FRENCH, "published": "2025-06-04"},
    {"id": "story", "text": STORY, "published": "2025-06-04"},
    {"id": "story-copy", "text": COPY, "published": "2025-06-04"},
]


def _gate_corpus(tmp_path: Path, n: int, seed: int = 7, extra: list | None = None) -> Path:
    """``n`` generated stories, then the French article and the story's two copies."""
    corpus = _corpus(tmp_path, n, seed=seed)
    with corpus.open("a") as fh:
        for item in GATED if extra is None else extra:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return corpus


def _skipped_rows(url: str) -> dict[str, dict]:
    with open_store(url) as store:
        rows = store.rows(
            "SELECT reason, ext_id, language, duplicate_of, similarity FROM skipped_articles"
        )
    return {r["ext_id"]: r for r in rows}


def _assert_gated(summary, url: str, n: int) -> None:  # type: ignore[no-untyped-def]
    """One language skip, one near-duplicate skip, the n generated stories + 1 stored."""
    assert summary.skipped == {"language": 1, "near-duplicate": 1}, summary
    assert summary.already_skipped == 0 and not summary.failures, summary.failures
    assert summary.stored == n + 1 and summary.analysed == n + 1
    rows = _skipped_rows(url)
    assert set(rows) == {"fr-1", "story-copy"}
    assert (rows["fr-1"]["reason"], rows["fr-1"]["language"]) == ("language", "fr")
    assert rows["story-copy"]["reason"] == "near-duplicate"
    assert rows["story-copy"]["duplicate_of"] == text_sha256(STORY)
    assert rows["story-copy"]["similarity"] >= 0.7
    with open_store(url) as store:
        assert store.count("articles") == n + 1
        assert store.has(text_sha256(STORY)) and not store.has(text_sha256(COPY))
        assert not store.has(text_sha256(FRENCH))


def _db_file(db_url: str) -> str:
    return db_url.removeprefix("sqlite:///")


def _stored_hashes(db_url: str) -> list[str]:
    with sqlite3.connect(_db_file(db_url)) as conn:
        return [r[0] for r in conn.execute("SELECT sha256 FROM articles")]


def test_batch_stores_everything_and_lists_failures(tmp_path: Path, db_url: str) -> None:
    corpus = _corpus(tmp_path, 5)
    with corpus.open("a") as fh:
        fh.write("not json\n")
        fh.write(json.dumps({"id": "empty", "text": "  "}) + "\n")
    summary = run_batch([str(corpus)], db_url, workers=1, chunk_size=2)
    assert summary.backend == "inline"
    assert (summary.read, summary.analysed, summary.stored) == (7, 5, 5)
    assert sorted(f.code for f in summary.failures) == ["E006", "E007"]
    assert summary.words > 0 and not summary.interrupted
    with open_store(db_url) as store:
        assert store.count("articles") == 5
        assert len(store.known_hashes()) == 5


def test_batch_resumes_without_reanalysing_or_duplicating(tmp_path: Path, db_url: str) -> None:
    articles = generate(6, seed=2, sentences=(3, 5))
    first = write_jsonl(articles[:2], tmp_path / "first.jsonl")
    everything = write_jsonl(articles, tmp_path / "all.jsonl")
    assert run_batch([str(first)], db_url, workers=1).stored == 2
    summary = run_batch([str(everything), str(everything)], db_url, workers=1)
    assert summary.to_analyse == 4
    # The input twice: the 2 stored texts are skipped both times, the 4 new ones once.
    assert (summary.analysed, summary.stored, summary.already_stored) == (4, 4, 4)
    assert summary.duplicates == 4
    hashes = _stored_hashes(db_url)
    assert len(hashes) == len(set(hashes)) == 6
    again = run_batch([str(everything)], db_url, workers=1)
    assert (again.analysed, again.stored, again.already_stored) == (0, 0, 6)


def test_a_crashing_article_fails_alone(tmp_path: Path, db_url: str, monkeypatch) -> None:
    import sitrep.batch.worker as worker

    real = worker.analyze_many

    def flaky(articles, config):  # type: ignore[no-untyped-def]
        if any("BOOM" in a.text for a in articles):
            raise RuntimeError("component blew up")
        return real(articles, config)

    monkeypatch.setattr(worker, "analyze_many", flaky)
    corpus = _corpus(tmp_path, 3)
    with corpus.open("a") as fh:
        fh.write(json.dumps({"id": "bad", "text": "Officials said BOOM happened in Kyiv."}) + "\n")
    summary = run_batch([str(corpus)], db_url, workers=1, chunk_size=8)
    assert summary.stored == 3
    assert [(f.code, f.origin) for f in summary.failures] == [("E450", f"{corpus}:4")]
    assert "RuntimeError: component blew up" in summary.failures[0].message


def _die_on_boom(chunk, config, *args):  # type: ignore[no-untyped-def]
    """Runs in a worker process: dies like an out-of-memory kill on a 'BOOM' article."""
    from sitrep.batch.worker import analyze_chunk

    if any("BOOM" in a.text for a in chunk):
        os._exit(1)
    return analyze_chunk(chunk, config, *args)


def test_a_dying_worker_fails_its_chunk_and_the_pool_restarts(
    tmp_path: Path, db_url: str, monkeypatch
) -> None:
    import sitrep.batch.backends as backends

    monkeypatch.setattr(backends, "analyze_chunk", _die_on_boom)
    corpus = _corpus(tmp_path, 6, seed=6)
    with corpus.open("a") as fh:
        fh.write(json.dumps({"id": "boom", "text": "Officials said BOOM in Kyiv today."}) + "\n")
    summary = run_batch([str(corpus)], db_url, workers=2, chunk_size=1)
    codes = {f.code for f in summary.failures}
    assert codes == {"E451"}, summary.failures
    assert any(f.origin == f"{corpus}:7" for f in summary.failures)
    # Every other article is stored (maybe after the restart) or failed with its chunk.
    assert summary.stored + len(summary.failures) == 7
    assert summary.stored >= 1
    monkeypatch.undo()
    again = run_batch([str(corpus)], db_url, workers=1)  # resume: retries the lost ones
    assert again.stored == 7 - summary.stored and not again.failures


def test_cli_lists_failures_and_exits_nonzero(tmp_path: Path, db_url: str) -> None:
    corpus = _corpus(tmp_path, 2)
    (tmp_path / "empty.txt").write_text("")
    summary_file = tmp_path / "summary.json"
    result = CliRunner().invoke(main, [
        "batch", str(corpus), str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"),
        "--db", db_url, "--workers", "1", "--quiet", "--summary-json", str(summary_file),
    ])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "error[E002]" in result.output and "error[E001]" in result.output
    assert "2 input(s) failed" in result.output
    data = json.loads(summary_file.read_text())
    assert data["stored"] == 2 and len(data["failures"]) == 2


def test_cli_rejects_zero_workers(tmp_path: Path, db_url: str) -> None:
    result = CliRunner().invoke(main, ["batch", str(_corpus(tmp_path, 1)), "--db", db_url,
                                       "--workers", "0", "--quiet"])  # fmt: skip
    assert result.exit_code == 2
    assert "error[E454]" in result.output


def test_local_processes(tmp_path: Path, db_url: str) -> None:
    # chunk size 1: without the gate the story and its copy would be analysed at once
    corpus = _gate_corpus(tmp_path, 5, seed=1)
    summary = run_batch([str(corpus)], db_url, workers=2, chunk_size=1)
    assert summary.backend == "processes" and summary.workers == 2
    _assert_gated(summary, db_url, 5)
    assert os.getpid() not in summary.peak_rss_mb  # analysed in the workers
    assert all(0 < mb < 2048 for mb in summary.peak_rss_mb.values())


def test_workers_can_write_themselves(tmp_path: Path, store_url: str) -> None:
    corpus = _gate_corpus(tmp_path, 5, seed=5)
    summary = run_batch([str(corpus)], store_url, workers=2, chunk_size=1, write_in_workers=True)
    assert summary.backend == "processes"
    assert (summary.stored, summary.already_stored, len(summary.failures)) == (6, 0, 0)
    assert summary.words > 0
    _assert_gated(summary, store_url, 5)
    again = run_batch([str(corpus)], store_url, workers=1, write_in_workers=True)
    assert (again.analysed, again.already_stored, again.already_skipped) == (0, 6, 2)
    with open_store(store_url) as store:
        assert store.count("articles") == 6
        assert store.count("skipped_articles") == 2


def test_dask_local_cluster_with_two_workers(tmp_path: Path, db_url: str) -> None:
    pytest.importorskip("distributed")
    corpus = _gate_corpus(tmp_path, 7, seed=1, extra=[*GATED, {"id": "blank", "text": "\n\n"}])
    summary = run_batch([str(corpus)], db_url, workers=2, dask="local", chunk_size=1)
    assert summary.backend == "dask" and summary.workers == 2
    assert summary.stored == 8
    assert [f.code for f in summary.failures] == ["E007"]
    summary.failures.clear()
    _assert_gated(summary, db_url, 7)
    assert 1 <= len(summary.peak_rss_mb) <= 2
    assert os.getpid() not in summary.peak_rss_mb
    hashes = _stored_hashes(db_url)
    assert len(hashes) == len(set(hashes)) == 8


def _wait_for_rows(db_url: str, proc: subprocess.Popen, at_least: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if len(_stored_hashes(db_url)) >= at_least:
                return
        except sqlite3.OperationalError:  # not created yet
            pass
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_run_resumes(tmp_path: Path, db_url: str, sig: signal.Signals) -> None:
    n = 120
    corpus = _corpus(tmp_path, n, seed=3)
    proc = subprocess.Popen(
        [*SITREP, "batch", str(corpus), "--db", db_url, "--workers", "1", "--chunk-size", "2",
         "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    _wait_for_rows(db_url, proc, at_least=4)
    proc.send_signal(sig)
    output, _ = proc.communicate(timeout=120)
    stored_before = len(_stored_hashes(db_url))
    if stored_before < n:  # it was really interrupted (on a very fast machine it may finish)
        assert proc.returncode == (-9 if sig == signal.SIGKILL else 130), output
        if sig == signal.SIGINT:
            assert "interrupted" in output
    with sqlite3.connect(_db_file(db_url)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    summary = run_batch([str(corpus)], db_url, workers=1)
    assert summary.already_stored == stored_before
    assert summary.stored == n - stored_before
    hashes = _stored_hashes(db_url)
    assert len(hashes) == len(set(hashes)) == n


def test_two_writers_never_duplicate(tmp_path: Path, store_url: str) -> None:
    """Two batch runs on one store at once (SQLite and PostgreSQL): each text stored once."""
    corpus = _corpus(tmp_path, 30, seed=4)
    cmd = [*SITREP, "batch", str(corpus), "--db", store_url, "--workers", "1", "--quiet",
           "--chunk-size", "3", "--summary-json"]  # fmt: skip
    procs = [
        subprocess.Popen([*cmd, str(tmp_path / f"s{i}.json")], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
        for i in range(2)
    ]  # fmt: skip
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    summaries = [json.loads((tmp_path / f"s{i}.json").read_text()) for i in range(2)]
    assert sum(s["stored"] for s in summaries) == 30
    with open_store(store_url) as store:
        assert store.count("articles") == 30
        assert len(store.known_hashes()) == 30


def test_config_travels_to_workers() -> None:
    import pickle

    config = Config(kb_paths=("x.yaml",), batch_size=4)
    assert pickle.loads(pickle.dumps(config)) == config


def test_gate_skips_language_and_near_duplicates_and_resumes(tmp_path: Path, db_url: str) -> None:
    corpus = _gate_corpus(tmp_path, 3)
    summary = run_batch([str(corpus)], db_url, workers=1, chunk_size=2)
    _assert_gated(summary, db_url, 3)
    assert summary.to_analyse == 4  # the gate's skips come off the progress total
    again = run_batch([str(corpus)], db_url, workers=1)  # resumed: nothing re-added
    assert (again.analysed, again.stored, again.already_stored) == (0, 0, 4)
    assert again.skipped == {"language": 1, "near-duplicate": 1} and again.already_skipped == 2
    assert again.backend == "" and not again.failures  # no worker was started
    with open_store(db_url) as store:
        assert (store.count("articles"), store.count("skipped_articles")) == (4, 2)


def test_near_duplicate_of_a_story_stored_by_an_earlier_run(tmp_path: Path, db_url: str) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(GATED[1]) + "\n")
    assert run_batch([str(first)], db_url, workers=1).stored == 1
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(GATED[2]) + "\n")
    summary = run_batch([str(later)], db_url, workers=1)
    assert (summary.analysed, summary.stored, summary.skipped) == (0, 0, {"near-duplicate": 1})
    assert _skipped_rows(db_url)["story-copy"]["duplicate_of"] == text_sha256(STORY)


def test_cli_counts_skips_and_no_dedup_analyses_copies(tmp_path: Path, db_url: str) -> None:
    corpus = _gate_corpus(tmp_path, 1, extra=GATED)
    summary_file = tmp_path / "summary.json"
    result = CliRunner().invoke(main, [
        "batch", str(corpus), "--db", db_url, "--workers", "1", "--quiet", "--no-dedup",
        "--summary-json", str(summary_file),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output  # skips are not failures
    assert "skipped: not English" in result.output
    data = json.loads(summary_file.read_text())
    assert data["skipped"] == {"language": 1} and data["stored"] == 3
    assert set(_skipped_rows(db_url)) == {"fr-1"}


def test_copy_after_the_first_is_stored_is_found_in_the_store(tmp_path: Path, db_url: str) -> None:
    """The gate's in-memory index lets go of stored texts; the store's band index takes over."""
    corpus = _gate_corpus(tmp_path, 0, extra=[GATED[1]])
    with corpus.open("a") as fh:
        for article in generate(3, seed=9, sentences=(3, 4)):
            fh.write(json.dumps({"id": article.id, "text": article.text}) + "\n")
        fh.write(json.dumps(GATED[2]) + "\n")
    summary = run_batch([str(corpus)], db_url, workers=1, chunk_size=1)
    assert (summary.stored, summary.skipped) == (4, {"near-duplicate": 1})
    assert _skipped_rows(db_url)["story-copy"]["duplicate_of"] == text_sha256(STORY)


def test_near_duplicate_index_forgets_a_key() -> None:
    from sitrep.ingest.dedup import NearDuplicateIndex, signature

    index = NearDuplicateIndex()
    index.add("story", signature(STORY))
    assert index.find(signature(COPY))[0] == "story"
    index.remove("story")
    index.remove("story")  # a second time is harmless
    assert len(index) == 0 and index.find(signature(COPY)) is None


def _table_rows(url: str) -> dict[str, list[str]]:
    with open_store(url) as store:
        return {
            table: sorted(
                repr({k: v for k, v in r.items() if k not in ("id", "analyzed_at")})
                for r in store.rows(f"SELECT * FROM {table}")
            )  # fmt: skip
            for table in ("articles", "actors", "places", "events", "quotes", "actor_names")
        }


def test_one_worker_process_stores_what_inline_stores(tmp_path: Path) -> None:
    """A single worker process sends Documents (its parent prepares the rows); inline and
    several workers prepare them in the worker: the stored rows are the same."""
    corpus = _corpus(tmp_path, 4, seed=9)
    urls = [f"sqlite:///{tmp_path / name}.db" for name in ("inline", "process")]
    inline = run_batch([str(corpus)], urls[0], workers=1, chunk_size=2)
    process = run_batch([str(corpus)], urls[1], workers=1, chunk_size=2, inline=False)
    assert (inline.backend, process.backend) == ("inline", "processes")
    assert inline.stored == process.stored == 4 and inline.words == process.words
    assert _table_rows(urls[0]) == _table_rows(urls[1])


def test_a_chunk_that_cannot_be_written_is_stored_one_by_one(
    tmp_path: Path, db_url: str, monkeypatch
) -> None:
    from sitrep.errors import Errors, StoreError
    from sitrep.store.base import Store

    articles = generate(3, seed=4, sentences=(3, 5))
    bad = text_sha256(articles[1].text)
    write = Store._write_prepared

    def refuse_one(self, p):  # type: ignore[no-untyped-def]
        if p.sha256 == bad:
            raise StoreError(Errors.E020, url="test", detail="refused")
        return write(self, p)

    monkeypatch.setattr(Store, "_write_prepared", refuse_one)
    corpus = write_jsonl(articles, tmp_path / "a.jsonl")
    summary = run_batch([str(corpus)], db_url, workers=1, chunk_size=3)
    assert summary.stored == 2 and [f.code for f in summary.failures] == ["E020"]
    assert bad not in _stored_hashes(db_url)
