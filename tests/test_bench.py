"""The benchmark harness: corpora, measurements, target checks, and one small real run."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.bench import measure
from sitrep.bench.__main__ import main as bench_main
from sitrep.bench.corpus import generate, sample_jsonl
from sitrep.bench.report import check_targets, stage_shares
from sitrep.config import Config


def test_generated_corpus_is_deterministic_wire_copy() -> None:
    a, b = generate(4), generate(4)
    assert [x.text for x in a] == [x.text for x in b]
    assert generate(4, seed=1)[0].text != a[0].text
    assert all("(Sitrep Wire) - " in x.text and x.published for x in a)
    words = [len(x.text.split()) for x in generate(30)]
    assert 150 < sum(words) / len(words) < 600


def test_sample_jsonl_reads_reuters_style_dates(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [{"id": f"r{i}", "published": "26-FEB-1987 15:01:01.79",
             "text": "word " * 30} for i in range(5)]  # fmt: skip
    rows.append({"id": "short", "text": "too short"})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    sample = sample_jsonl(path, 3)
    assert len(sample) == 3 and all(s.published == "1987-02-26" for s in sample)
    assert len(sample_jsonl(path, 100)) == 5  # capped, short text dropped


def test_component_times_cover_every_stage() -> None:
    articles = generate(3, sentences=(3, 4))
    times = measure.component_times(articles, Config())
    stages = set(times["seconds"])
    for name in ("actors", "places", "times", "numbers", "quotes", "events"):
        assert f"sitrep: {name}" in stages
    assert {"spacy: tokenizer", "spacy: ner", "sitrep: records"} <= stages
    shares = stage_shares(times)
    assert shares["all sitrep stages"] > 0


def test_targets_are_checked() -> None:
    results = {
        "corpora": {"x": {
            "ratio_full_to_bare": 0.7,
            "bare": {"peak_rss_mb": 300.0}, "full": {"peak_rss_mb": 1500.0},
            "workers": {"1": {"peak_rss_mb_per_worker": 400.0}, "speedup_1_to_2": 1.9},
            "components": {"articles": 1, "seconds": {
                "spacy: ner": 1.0, "sitrep: actors": 0.1, "sitrep: places": 0.1,
                "sitrep: times": 0.1, "sitrep: events": 0.5}},
        }},
        "cold_analyze": {"median_s": 2.0},
    }  # fmt: skip
    verdict = {c["target"].split(": ", 1)[-1]: c["ok"] for c in check_targets(results)}
    assert verdict == {
        "full / bare spaCy throughput": False,
        "peak memory per worker (MB)": False,
        "speed-up 1 -> 2 workers": True,
        "resolution share of spaCy time": False,  # 0.3 > 0.25
        "events share of spaCy time": False,  # 0.5 > 0.3
        "cold `sitrep analyze` of one article (s)": True,
    }


def test_small_real_run_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    code = bench_main([
        "--corpus", "generated", "--generated-n", "4", "--workers", "1,2", "--cold-runs", "1",
        "--out", str(out),
    ])  # fmt: skip
    assert code == 0
    results = json.loads(out.read_text())
    assert set(results["corpora"]) == {"generated"}
    part = results["corpora"]["generated"]
    assert part["bare"]["articles"] == part["full"]["articles"] == 4
    assert part["full"]["failed"] == 0
    assert part["ratio_full_to_bare"] == part["interleaved"]["ratio_full_to_bare"] > 0
    assert part["ratio_separate_runs"] > 0
    assert part["workers"]["1"]["stored"] == part["workers"]["2"]["stored"] == 4
    assert "speedup_1_to_2" in part["workers"]
    assert results["cold_analyze"]["first_s"] > 0
    assert {c["target"] for c in results["targets"]} >= {"generated: full / bare spaCy throughput"}
    assert list(tmp_path.glob("bench-*.json"))
