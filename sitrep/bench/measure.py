"""The measurements. Each pipeline measurement runs in a fresh process of its own, so its
peak memory is that of one worker and nothing loaded by another measurement is shared.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitrep.batch.worker import WARM_UP_TEXT
from sitrep.bench.corpus import BenchArticle, write_jsonl
from sitrep.config import Config

WARM_UP = 5  # articles analysed before timing (first-call caches, lazy tables)
# Also analysed before timing: the batch workers' warm-up story (touches lazily loaded
# tables), so one-time loading counts as start-up ("warm_s"), not as throughput.
WARM_UP_ARTICLE = BenchArticle("warm-up", WARM_UP_TEXT, "2025-03-04")


def _rss_mb() -> float:
    from sitrep.batch.worker import peak_rss_mb

    return peak_rss_mb()


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _rates(n: int, words: int, seconds: float) -> dict[str, float]:
    return {
        "articles": n, "words": words, "seconds": round(seconds, 3),
        "articles_per_s": round(n / seconds, 2), "words_per_s": round(words / seconds, 1),
    }  # fmt: skip


def bare_spacy(articles: list[BenchArticle], config: Config) -> dict[str, Any]:
    """The English model alone (same model, same texts, same batch size)."""
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(config.model)
    load_s = time.perf_counter() - t0
    texts = [a.text for a in articles]
    t0 = time.perf_counter()
    list(nlp.pipe([WARM_UP_TEXT, *texts[:WARM_UP]]))
    warm_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=config.batch_size):
        pass
    result = _rates(len(texts), _words(texts), time.perf_counter() - t0)
    return result | {
        "cpu_ms_per_article": round(1000 * (time.process_time() - c0) / max(1, len(texts)), 2),
        "load_s": round(load_s, 2), "warm_s": round(warm_s, 2), "peak_rss_mb": round(_rss_mb(), 1),
    }  # fmt: skip


def _raw(articles: list[BenchArticle]) -> list[Any]:
    from sitrep.ingest.readers import RawArticle

    return [RawArticle(text=a.text, origin=a.id, id=a.id, published=a.published) for a in articles]


def full_sitrep(articles: list[BenchArticle], config: Config) -> dict[str, Any]:
    """sitrep's full analysis, ``Document`` records out (what ``sitrep.analyze`` does)."""
    from sitrep.analyze import analyze_many
    from sitrep.nlp.pipeline import load_pipeline

    t0 = time.perf_counter()
    load_pipeline(config)
    load_s = time.perf_counter() - t0
    raws = _raw(articles)
    t0 = time.perf_counter()
    list(analyze_many(_raw([WARM_UP_ARTICLE]) + raws[:WARM_UP], config))
    warm_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    failed = sum(1 for d in analyze_many(raws, config) if not hasattr(d, "article"))
    texts = [a.text for a in articles]
    result = _rates(len(texts), _words(texts), time.perf_counter() - t0)
    return result | {
        "load_s": round(load_s, 2), "warm_s": round(warm_s, 2),
        "peak_rss_mb": round(_rss_mb(), 1), "failed": failed,
    }  # fmt: skip


def interleaved_ratio(
    articles: list[BenchArticle], config: Config, round_size: int = 25
) -> dict[str, Any]:
    """Bare spaCy and full sitrep in one process, timed in alternating rounds of the same
    texts, so a busy machine slows both alike; the fairest throughput ratio on shared hosts."""
    import spacy

    from sitrep.analyze import analyze_many
    from sitrep.nlp.pipeline import load_pipeline

    bare = spacy.load(config.model)
    load_pipeline(config)
    raws = _raw(articles)
    list(bare.pipe([WARM_UP_TEXT, *[a.text for a in articles[:WARM_UP]]]))
    list(analyze_many(_raw([WARM_UP_ARTICLE]) + raws[:WARM_UP], config))
    bare_s = full_s = bare_cpu = full_cpu = 0.0
    for i in range(0, len(articles), round_size):
        texts = [a.text for a in articles[i : i + round_size]]
        chunk = raws[i : i + round_size]
        order = ("bare", "full") if (i // round_size) % 2 == 0 else ("full", "bare")
        for which in order:
            t0, c0 = time.perf_counter(), time.process_time()
            if which == "bare":
                for _ in bare.pipe(texts, batch_size=config.batch_size):
                    pass
                bare_s += time.perf_counter() - t0
                bare_cpu += time.process_time() - c0
            else:
                for _ in analyze_many(chunk, config):
                    pass
                full_s += time.perf_counter() - t0
                full_cpu += time.process_time() - c0
    # CPU time is what other jobs on a shared machine disturb least
    return {"bare_s": round(bare_s, 3), "full_s": round(full_s, 3),
            "ratio_full_to_bare": round(bare_s / full_s, 3) if full_s else None,
            "ratio_cpu": round(bare_cpu / full_cpu, 3) if full_cpu else None}  # fmt: skip


def component_times(articles: list[BenchArticle], config: Config) -> dict[str, Any]:
    """Seconds spent in each pipeline stage, run stage by stage over the whole corpus."""
    from sitrep.analyze import doc_to_document, text_sha256
    from sitrep.ingest.language import is_english
    from sitrep.nlp.pipeline import COMPONENTS, load_pipeline
    from sitrep.records import ArticleMeta

    nlp = load_pipeline(config)
    raws = _raw(articles)
    from sitrep.analyze import analyze_many

    list(analyze_many(_raw([WARM_UP_ARTICLE]) + raws[:WARM_UP], config))
    times: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        times[name] = times.get(name, 0.0) + time.perf_counter() - t0
        return out

    texts = [a.text for a in articles]
    timed("sitrep: language check", lambda: [is_english(t) for t in texts])
    docs = timed("spacy: tokenizer", lambda: [nlp.make_doc(t) for t in texts])
    for doc, a in zip(docs, articles, strict=True):
        doc._.published = a.published
    for name, proc in nlp.pipeline:
        ours = name in COMPONENTS or name.startswith("sitrep_")
        label = f"sitrep: {name.removeprefix('sitrep_')}" if ours else f"spacy: {name}"
        if hasattr(proc, "pipe"):
            docs = timed(
                label, lambda p=proc, d=docs: list(p.pipe(d, batch_size=config.batch_size))
            )
        else:
            docs = timed(label, lambda p=proc, d=docs: [p(x) for x in d])
    metas = [
        ArticleMeta(id=a.id, title=None, source=None, url=None, published=a.published,
                    language="en", sha256=text_sha256(a.text))
        for a in articles
    ]  # fmt: skip
    timed(
        "sitrep: records", lambda: [doc_to_document(d, m) for d, m in zip(docs, metas, strict=True)]
    )
    return {"seconds": {k: round(v, 4) for k, v in times.items()}, "articles": len(articles)}


def in_fresh_process(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` in a new interpreter (spawn) and return its result."""
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(fn, *args).result()


def cold_analyze(example: Path, runs: int = 3) -> dict[str, Any]:
    """Wall time of ``sitrep analyze FILE`` as a new process (imports, model load, analysis)."""
    cmd = [sys.executable, "-c", "from sitrep.cli import main; main()", "analyze", str(example),
           "--no-store", "--format", "json"]  # fmt: skip
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-500:], "runs_s": walls}
    return {"first_s": round(walls[0], 2), "median_s": round(statistics.median(walls), 2),
            "runs_s": [round(w, 2) for w in walls]}  # fmt: skip


def worker_scaling(
    articles: list[BenchArticle], config: Config, counts: tuple[int, ...]
) -> dict[str, Any]:
    """``run_batch`` (local worker processes, SQLite store) with 1, 2, ... workers."""
    from sitrep.batch import run_batch

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        corpus = write_jsonl(articles, Path(tmp) / "corpus.jsonl")
        for n in counts:
            db = f"sqlite:///{Path(tmp) / f'w{n}.db'}"
            s = run_batch([str(corpus)], db, workers=n, config=config, inline=False,
                          chunk_size=max(4, min(32, len(articles) // (4 * n) or 1)))  # fmt: skip
            out[str(n)] = {
                "wall_s": round(s.elapsed_s, 2),
                "articles_per_s": round(s.articles_per_s, 2),
                "steady_articles_per_s": round(s.steady_articles_per_s or 0.0, 2),
                "peak_rss_mb_per_worker": round(max(s.peak_rss_mb.values(), default=0.0), 1),
                "stored": s.stored, "failed": len(s.failures),
                "write_ms_per_article": round(1000 * s.write_s / max(1, s.stored), 2),
                # the workers' CPU time analysing (and preparing) a chunk, per article
                "worker_cpu_ms_per_article": round(1000 * s.worker_cpu_s / max(1, s.analysed), 2),
            }  # fmt: skip
    if "1" in out and "2" in out:
        # After start-up (workers' first chunk start to last chunk end); else wall time.
        basis = "steady_articles_per_s"
        if not (out["1"][basis] and out["2"][basis]):
            basis = "articles_per_s"
        out["speedup_basis"] = basis
        out["speedup_1_to_2"] = (
            round(out["2"][basis] / out["1"][basis], 2) if out["1"][basis] else None
        )
    out["cpus"] = os.cpu_count()
    return out
