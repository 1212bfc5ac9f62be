"""The gazetteer's on-disk cache gives back the same index it was built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.resolve import gazetteer_cache
from sitrep.resolve.gazetteer import Gazetteer, gazetteer


def test_state_round_trip_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SITREP_NO_CACHE", raising=False)
    built = gazetteer()
    gazetteer_cache.save("gazetteer", "test", built.to_state())
    state = gazetteer_cache.load("gazetteer", "test")
    assert isinstance(state, dict)
    again = Gazetteer.from_state(state, built.min_city_population)
    assert len(again.entries) == len(built.entries) and again.index == built.index
    kyiv = [e for e, _ in again.lookup("kiev")]
    assert kyiv and kyiv[0].geonames_id == 703448 and kyiv[0].capital
    assert again.admin1_by_code["UA.07"].name == "Kharkiv Oblast"
    assert again.country_by_cc["UA"].geonames_id == 690791 and again.iso3["UA"] == "UKR"
    zm = again.admin1_by_code["ZM.08"]  # a generated world region keeps its flag
    assert zm.world and zm.name == "Copperbelt" and not again.admin1_by_code["UA.07"].world


def test_unreadable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SITREP_NO_CACHE", raising=False)
    (tmp_path / "gazetteer-bad.marshal").write_bytes(b"not marshal data")
    assert gazetteer_cache.load("gazetteer", "bad") is None
    assert gazetteer_cache.load("gazetteer", "missing") is None
