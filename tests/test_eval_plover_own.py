"""CI gates on the team's own PLOVER sentence sets (tests/gold/, described in its README).

* ``plover-own.jsonl`` (112 sentences, 7 per category) and ``plover-own-2.jsonl`` (128, 8 per
  category) are yardsticks: written by team members who change no rules, and never read by
  anyone who does. Only their aggregate scores are looked at, so they keep measuring how the
  rules generalise. Do not fit rules to their sentences.
* ``plover-tune.jsonl`` (160, 10 per category) is the set whose misses rule writers read: a
  regression guard, not a measure of generalisation.

Each gate fails when a score drops more than ``tolerance`` below the floors in
tests/baselines/<name>.json (set a little below the scores measured when last raised).
"""

from __future__ import annotations

import json
from collections import Counter

import pycountry
import pytest
from conftest import ROOT

from sitrep.records import PLOVER_TYPES

_CODES = {c.alpha_3 for c in pycountry.countries} | {"IGO", "NGO", "IMG"}
# set name -> sentences per PLOVER category
SETS = {"plover-own": 7, "plover-own-2": 8, "plover-tune": 10}


def _gold(name: str):
    return ROOT / "tests" / "gold" / f"{name}.jsonl"


@pytest.mark.parametrize("name", SETS)
def test_team_set_is_well_formed(name):
    rows = [json.loads(line) for line in _gold(name).read_text(encoding="utf-8").splitlines()]
    per_type = SETS[name]
    assert len({r["id"] for r in rows}) == len(rows) == per_type * len(PLOVER_TYPES)
    assert Counter(r["gold"]["type"] for r in rows) == {t: per_type for t in PLOVER_TYPES}
    for r in rows:
        gold = r["gold"]
        assert 12 <= len(r["text"].split()) <= 50, r["id"]
        for actor in gold["source"] + gold["target"]:
            assert actor["text"] in r["text"], (r["id"], actor["text"])
            # no country: an actor the coder could not place (the scores skip it)
            assert actor["country"] in _CODES | {None}, (r["id"], actor["country"])


@pytest.mark.parametrize("name", SETS)
def test_team_set_gate(name):
    """Scores on a team set must not fall below tests/baselines/<name>.json."""
    from sitrep.eval.plover import evaluate

    baseline = json.loads((ROOT / "tests" / "baselines" / f"{name}.json").read_text())
    scores, _ = evaluate(_gold(name), "all")
    got = scores.to_dict()
    for metric, floor in baseline["all"].items():
        assert got[metric] >= floor - baseline["tolerance"], f"{metric}: {got[metric]} < {floor}"
