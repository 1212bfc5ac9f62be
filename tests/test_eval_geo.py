"""``sitrep eval geo``: the XML reader and scoring on a file we write, and the TR-News gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.errors import SitrepError
from sitrep.eval.geo import evaluate, load_gold
from tests.conftest import ROOT, shared_path

TEXT = "Talks in Kharkiv ended. Officials flew to Paris, France, on Monday."


def _toponym(phrase: str, start: int, gid: int | None, lat: float = 0, lon: float = 0) -> str:
    tag = (f'<gaztag geonameid="{gid}"><name>{phrase}</name><lat>{lat}</lat><lon>{lon}</lon>'
           "</gaztag>") if gid else ""  # fmt: skip
    return (
        f"<toponym><phrase>{phrase}</phrase><start>{start}</start>"
        f"<end>{start + len(phrase)}</end>{tag}</toponym>"
    )


def _write(tmp_path: Path) -> Path:
    k, p, f = TEXT.index("Kharkiv"), TEXT.index("Paris"), TEXT.index("France")
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><articles><article docid="a1">'
        f"<text><![CDATA[{TEXT}]]></text><toponyms>"
        + _toponym("Kharkiv", k, 706483, 49.98, 36.25)
        + _toponym("Paris", p + 2, 2988507, 48.85, 2.35)  # shifted offsets, realigned
        + _toponym("France", f, 3017382, 46.0, 2.0)
        + _toponym("Monday", TEXT.index("Monday"), None)  # no gazetteer tag: skipped
        + "</toponyms></article></articles>"
    )
    path = tmp_path / "gold.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def test_reader_realigns_offsets_and_skips_untagged(tmp_path: Path) -> None:
    articles, untagged, realigned = load_gold(_write(tmp_path))
    assert untagged == 1 and realigned == 1
    paris = articles[0].toponyms[1]
    assert TEXT[paris.start : paris.end] == "Paris"


def test_scores_on_a_small_file(tmp_path: Path) -> None:
    scores = evaluate(_write(tmp_path))
    assert scores.gold == 3 and scores.found == 3
    assert scores.exact == 3 and scores.within == 3


def test_bad_xml_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article>", encoding="utf-8")
    with pytest.raises(SitrepError) as err:
        load_gold(bad)
    assert err.value.code == "E150"
    result = CliRunner().invoke(_main(), ["eval", "geo", str(bad)])
    assert result.exit_code == 2 and "error[E150]" in result.output


def _main():  # noqa: ANN202
    from sitrep.cli import main

    return main


@pytest.mark.shared
def test_tr_news_scores_stay_above_the_baseline() -> None:
    path = shared_path("dev", "geo", "TR-News.xml")
    baseline = json.loads((ROOT / "tests" / "baselines" / "geo.json").read_text())
    scores = evaluate(path).as_dict()
    low = {k: (round(scores[k], 4), v) for k, v in baseline.items()
           if not k.startswith("_") and scores[k] < v}  # fmt: skip
    assert not low, f"geo scores below baseline (score, baseline): {low}"
