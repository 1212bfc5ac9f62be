"""CI gate on tests/gold/plover-own-2.jsonl, the team's second set of PLOVER sentences.

The 128 sentences (8 per PLOVER category, 2015-2026 settings in every region) were written as
a yardstick nobody who changes rules reads: its per-sentence results are never inspected, only
the aggregate scores, so it keeps measuring how the rules generalise. Do not fit rules to its
sentences. The floors in tests/baselines/plover-own-2.json sit about 0.03 below the scores
measured when the set was added; the gate fails when a score drops more than `tolerance`
below them.
"""

from __future__ import annotations

import json
from collections import Counter

import pycountry
from conftest import ROOT

from sitrep.records import PLOVER_TYPES

GOLD = ROOT / "tests" / "gold" / "plover-own-2.jsonl"
BASELINE = json.loads((ROOT / "tests" / "baselines" / "plover-own-2.json").read_text())
_CODES = {c.alpha_3 for c in pycountry.countries} | {"IGO", "NGO", "IMG"}


def test_plover_own2_file_is_well_formed():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in rows}) == len(rows) == 128
    assert Counter(r["gold"]["type"] for r in rows) == {t: 8 for t in PLOVER_TYPES}
    for r in rows:
        gold = r["gold"]
        assert r["id"].startswith(f"OWN2-{gold['type']}-"), r["id"]
        assert 15 <= len(r["text"].split()) <= 45, r["id"]
        assert gold["type_plover_0_5"] == gold["type"], r["id"]
        assert gold["source"], r["id"]
        for actor in gold["source"] + gold["target"]:
            assert actor["text"] in r["text"], (r["id"], actor["text"])
            assert actor["country"] in _CODES, (r["id"], actor["country"])


def test_plover_own2_gate():
    """Scores on the second team set must not fall below tests/baselines/plover-own-2.json."""
    from sitrep.eval.plover import evaluate

    scores, _ = evaluate(GOLD, "all")
    got = scores.to_dict()
    tol = BASELINE["tolerance"]
    for name, floor in BASELINE["all"].items():
        assert got[name] >= floor - tol, f"{name}: {got[name]} < baseline {floor}"
