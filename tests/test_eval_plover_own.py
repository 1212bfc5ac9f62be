"""CI gate on tests/gold/plover-own.jsonl, the team's own PLOVER sentences.

The 112 sentences (7 per PLOVER category) were written by the team as an independent
evaluation set and are never tuned on: rules are developed on the PLOVER dev half, and this
file only measures how they generalise. Do not fit rules to its sentences. The floors in
tests/baselines/plover-own.json sit slightly below the scores measured when the set was added;
the gate fails when a score drops more than `tolerance` below them.
"""

from __future__ import annotations

import json
from collections import Counter

import pycountry
from conftest import ROOT

from sitrep.records import PLOVER_TYPES

GOLD = ROOT / "tests" / "gold" / "plover-own.jsonl"
BASELINE = json.loads((ROOT / "tests" / "baselines" / "plover-own.json").read_text())
_CODES = {c.alpha_3 for c in pycountry.countries} | {"IGO", "NGO", "IMG"}


def test_plover_own_file_is_well_formed():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in rows}) == len(rows) == 112
    assert Counter(r["gold"]["type"] for r in rows) == {t: 7 for t in PLOVER_TYPES}
    for r in rows:
        gold = r["gold"]
        assert 15 <= len(r["text"].split()) <= 45, r["id"]
        assert gold["type_plover_0_5"] == gold["type"], r["id"]
        for actor in gold["source"] + gold["target"]:
            assert actor["text"] in r["text"], (r["id"], actor["text"])
            assert actor["country"] in _CODES, (r["id"], actor["country"])


def test_plover_own_gate():
    """Scores on the team's own sentences must not fall below tests/baselines/plover-own.json."""
    from sitrep.eval.plover import evaluate

    scores, _ = evaluate(GOLD, "all")
    got = scores.to_dict()
    tol = BASELINE["tolerance"]
    for name, floor in BASELINE["all"].items():
        assert got[name] >= floor - tol, f"{name}: {got[name]} < baseline {floor}"


def test_plover_tune_gate():
    """tests/gold/plover-tune.jsonl is the set whose misses rule writers read: a regression
    guard (tests/baselines/plover-tune.json), not a measure of generalisation."""
    from sitrep.eval.plover import evaluate

    baseline = json.loads((ROOT / "tests" / "baselines" / "plover-tune.json").read_text())
    scores, _ = evaluate(ROOT / "tests" / "gold" / "plover-tune.jsonl", "all")
    got = scores.to_dict()
    for name, floor in baseline["all"].items():
        assert got[name] >= floor - baseline["tolerance"], f"{name}: {got[name]} < {floor}"
