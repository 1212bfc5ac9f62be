"""Times and numbers on the seed article (../shared; skipped when absent)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.shared

WEEKDAY_OR_MONTH = re.compile(
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|June|July|August|September|October|November|December|month|year"
)


def test_seed_weekdays_and_months_resolve(seed_doc) -> None:
    found = [t for t in seed_doc.times if WEEKDAY_OR_MONTH.search(t.text)]
    resolved = [t for t in found if t.value is not None]
    assert len(found) >= 15
    assert len(resolved) / len(found) >= 0.9  # issue 2: "most"
    values = {t.value for t in resolved if isinstance(t.value, str)}
    # published Monday 2025-05-19: the week's weekdays fall before it, Monday is the day itself
    assert {"2025-05-19", "2025-05-18", "2025-05-17", "2025-05-16"} <= values
    assert {"2025-02", "2025-03", "2025-04"} <= values  # February, March, last month
    assert not any(v > "2025-05-19" for v in values if len(v) == 10)


def test_seed_duration_is_not_a_date(seed_doc) -> None:
    durations = [t for t in seed_doc.times if t.granularity == "duration"]
    assert durations and all(str(t.value).startswith("P") for t in durations)
    assert "PT9H" in {t.value for t in durations}


def test_seed_counts(seed_doc) -> None:
    units = {(n.value, n.unit, n.qualifier) for n in seed_doc.numbers}
    assert (273, "drones", None) in units
    assert (1, "killed", "at least") in units
    assert (3, "injured", None) in units
    assert (900_000, "dead_or_injured", "more than") in units
    assert (9, "killed", None) in units
    ages = [n for n in seed_doc.numbers if n.unit == "age"]
    assert {n.value for n in ages} >= {4, 27}
