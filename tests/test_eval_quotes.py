"""``sitrep eval quotes``: the gold file loads, the matching rule, and the CI gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.errors import SitrepError
from sitrep.eval.quotes import GoldQuote, evaluate, load_gold, match
from sitrep.records import Quote

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "quotes-gold.jsonl"
BASELINE = ROOT / "tests" / "baselines" / "quotes.json"


def test_gold_file_is_large_enough_and_covers_every_kind() -> None:
    docs = load_gold(GOLD)
    quotes = [q for d in docs for q in d.quotes]
    assert len(quotes) >= 40
    assert {q.kind for q in quotes} == {"direct", "partial", "indirect"}
    assert {d.split for d in docs} >= {"dev", "heldout"}
    assert sum(len(d.scare) for d in docs) >= 2
    for d in docs:
        for q in d.quotes:
            assert d.text[q.start : q.end] == q.text


def test_overlap_matching_is_one_to_one_at_half_the_union() -> None:
    gold = [GoldQuote(0, 10, "x" * 10, "direct", None), GoldQuote(20, 30, "y" * 10, "direct", None)]
    system = [
        Quote("Q1", None, "a", "direct", 0, 10),  # exact
        Quote("Q2", None, "b", "direct", 2, 10),  # overlaps gold 1 too, but it is taken
        Quote("Q3", None, "c", "direct", 20, 40),  # Jaccard 0.5: matches
    ]
    assert match(gold, system) == [(0, 0), (1, 2)]
    assert match(gold, [Quote("Q4", None, "d", "direct", 20, 41)]) == []  # 10/21 < 0.5


def test_bad_gold_lines_give_coded_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "abc", "quotes": [{"text": "zzz", "kind": "direct"}]}\n')
    with pytest.raises(SitrepError) as err:
        load_gold(bad)
    assert err.value.code == "E250"
    bad.write_text("not json\n")
    with pytest.raises(SitrepError) as err:
        load_gold(bad)
    assert err.value.code == "E250"


@pytest.fixture(scope="module")
def report() -> dict[str, dict]:
    scores, _ = evaluate(GOLD)
    return scores  # type: ignore[return-value]


def test_quote_eval_does_not_fall_below_the_baseline(report: dict[str, dict]) -> None:
    base = json.loads(BASELINE.read_text())
    got = report["all"]
    assert got["overlap"]["f1"] >= base["overlap_f1"]
    assert got["exact"]["f1"] >= base["exact_f1"]
    assert got["speaker_accuracy"] >= base["speaker_accuracy"]
    assert got["kind_accuracy"] >= base["kind_accuracy"]
    assert got["scare_leaks"] <= base["scare_leaks"]


def test_report_has_each_split(report: dict[str, dict]) -> None:
    assert {"dev", "heldout", "all"} <= set(report)
    assert report["all"]["gold"] == sum(report[s]["gold"] for s in report if s != "all")


def test_cli_text_and_errors(tmp_path: Path) -> None:
    from sitrep.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["eval", "quotes", str(GOLD), "--split", "dev"])
    assert result.exit_code == 0, result.output
    assert "overlap P/R/F1" in result.output and "dev" in result.output
    missing = runner.invoke(main, ["eval", "quotes", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2
    assert "error[E040]" in missing.output
