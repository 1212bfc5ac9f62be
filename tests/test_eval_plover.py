"""sitrep eval plover / sitrep eval events: scoring, input errors, CLI, and the CI gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, shared_path

from sitrep.cli import main
from sitrep.errors import SitrepError
from sitrep.eval.plover import PloverItem, Prediction, load_plover, plover_type, score
from sitrep.records import Event, Span

BASELINE = json.loads((ROOT / "tests" / "baselines" / "plover.json").read_text())
GOLD = ROOT / "tests" / "gold" / "events-gold.jsonl"

# Our own sentences in the PLOVER gold-record shape.
OWN_ROWS = [
    ("Rebel fighters shelled the town of Marinka on Tuesday.", "ASSAULT"),
    ("Prime Minister Anna Keller met President Tomas Ruiz in Lisbon on Monday.", "CONSULT"),
    ("The union rejected the government's wage offer.", "REJECT"),
    ("Lena Ortiz demanded the release of all detained journalists.", "REQUEST"),
]


def _write_rows(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i, (text, etype) in enumerate(rows):
            gold = {"type": etype, "mode": None, "source": [], "target": []}
            f.write(json.dumps({"id": f"own-{i}", "text": text, "gold": gold}) + "\n")
    return path


def _item(etype: str, src: frozenset[str] = frozenset()) -> PloverItem:
    return PloverItem(1, "x", "text", etype, None, src, frozenset())


def test_score_per_type_macro_and_source_accuracy():
    items = [_item("ASSAULT", frozenset({"RUS"})), _item("ASSAULT"), _item("CONSULT")]
    preds = [Prediction("ASSAULT", source=frozenset({"RUS"})), Prediction("CONSULT"),
             Prediction("CONSULT")]  # fmt: skip
    s = score(items, preds)
    assert s.per_type["ASSAULT"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert s.per_type["CONSULT"]["precision"] == 0.5
    assert s.macro_f1 == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert s.type_accuracy == pytest.approx(2 / 3)
    assert (s.source_accuracy, s.source_n) == (1.0, 1)


def test_intent_to_cooperate_is_agree_in_plover_terms():
    ev = Event(id="E1", type="AID", evidence=Span("x", 0, 1), status="planned")
    assert plover_type(ev) == "AGREE"
    ev.status = "occurred"
    assert plover_type(ev) == "AID"
    ev.status = "denied"
    assert plover_type(ev) == "REJECT"


def test_halves_and_bad_files(tmp_path: Path):
    path = _write_rows(tmp_path / "own.jsonl", OWN_ROWS)
    assert [i.line for i in load_plover(path, "dev")] == [2, 4]
    assert [i.line for i in load_plover(path, "heldout")] == [1, 3]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n')
    with pytest.raises(SitrepError) as err:
        load_plover(bad)
    assert err.value.code == "E200" and "line 1" in err.value.message
    with pytest.raises(SitrepError) as err:
        load_plover(tmp_path / "missing.jsonl")
    assert err.value.code == "E201"


def test_cli_plover_on_own_sentences(tmp_path: Path):
    path = _write_rows(tmp_path / "own.jsonl", OWN_ROWS)
    result = CliRunner().invoke(main, ["eval", "plover", str(path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["all"]["type_accuracy"] == 1.0
    text = CliRunner().invoke(main, ["eval", "plover", str(path), "--half", "dev"]).output
    assert "macro-F1" in text and "ASSAULT" not in text.split("\n")[0]


def test_cli_bad_file_is_one_line_error(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    result = CliRunner().invoke(main, ["eval", "plover", str(bad)])
    assert result.exit_code == 2
    assert "error[E200]" in result.output and "Traceback" not in result.output


def test_plover_gate():
    """CI gate: scores on the PLOVER dev set must not fall below tests/baselines/plover.json."""
    from sitrep.eval.plover import evaluate

    path = shared_path("dev", "plover-gsr", "plover-gsr-dev.jsonl")
    tol = BASELINE["tolerance"]
    for half, floors in BASELINE["plover"].items():
        scores, _ = evaluate(path, half)
        got = scores.to_dict()
        for name, floor in floors.items():
            assert got[name] >= floor - tol, f"{half} {name}: {got[name]} < baseline {floor}"


def test_events_gold_gate():
    """Our own gold paragraphs: event F1 and field accuracies stay at the baseline."""
    from sitrep.eval.events_gold import evaluate

    scores, _ = evaluate(GOLD)
    tol = BASELINE["tolerance"]
    floors = BASELINE["events"]
    assert scores["f1"] >= floors["f1"] - tol
    for name in ("status", "source", "counts", "date", "mode"):
        got = scores["accuracy"][name]
        assert got is not None and got >= floors[name] - tol, f"{name}: {got}"


def test_events_gold_file_is_well_formed():
    from sitrep.eval.events_gold import load_gold

    paras = load_gold(GOLD)
    assert len(paras) >= 20
    statuses = {e.data["status"] for p in paras for e in p.events}
    assert {"occurred", "planned", "proposed", "hypothetical", "denied"} <= statuses
    types = {e.type for p in paras for e in p.events}
    assert {"ASSAULT", "CONSULT", "REQUEST", "REJECT", "SANCTION", "AID", "PROTEST"} <= types
