"""Exports (csv, jsonl, parquet, plover, acled) and the query commands' output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_query import TEXT_A, TEXT_B, TEXT_C, make_doc

from sitrep.cli import main
from sitrep.export.tables import acled_type
from sitrep.store import open_store


@pytest.fixture()
def filled(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with open_store(url) as store:
        doc = make_doc("a", TEXT_A, killed=9, day="2025-05-17", source_outlet="Wire A")
        doc.events[0].mode = "drone"
        store.save(doc)
        store.save(make_doc("b", TEXT_B, killed=10, day="2025-05-17", source_outlet="Wire B"))
        planned = make_doc("c", TEXT_C, killed=None, day="2025-06-01", place="Kharkiv")
        planned.events[0].status = "planned"
        store.save(planned)
    return url


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_acled_mapping() -> None:
    assert acled_type("ASSAULT", "drone") == ("Explosions/Remote violence", "Air/drone strike")
    assert acled_type("ASSAULT", "no-such-mode") == ("Battles", "Armed clash")
    assert acled_type("PROTEST", None) == ("Protests", "Peaceful protest")
    assert acled_type("CONSULT", "phone") is None


def test_acled_export(filled: str) -> None:
    result = run("export", "--format", "acled", "--db", filled)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2  # the planned Kharkiv strike is not an ACLED event
    first = rows[0]
    assert first["event_type"] == "Explosions/Remote violence"
    assert first["sub_event_type"] == "Air/drone strike"
    assert (first["location"], first["admin1"], first["country"]) == (
        "Sumy",
        "Sumy Oblast",
        "Ukraine",
    )
    assert first["fatalities"] == "9" and first["actor1"] == "Russia"
    assert first["notes"].startswith("A Russian drone") and first["source"] == "Wire A"
    assert first["event_date"] == "2025-05-17" and first["event_id_cnty"].startswith("UKR")


def test_plover_csv_jsonl_and_filters(filled: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = run("export", "--format", "csv", "-o", str(out), "--db", filled, "--place", "Sumy")
    assert result.exit_code == 0 and "wrote 2 row(s)" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["killed"] for r in rows] == ["9", "10"]
    assert rows[0]["source_country"] == "RU" and rows[0]["event_type"] == "ASSAULT"
    jsonl = run("export", "--format", "jsonl", "--db", filled).stdout.splitlines()
    assert len(jsonl) == 3 and json.loads(jsonl[2])["event_status"] == "planned"
    array = json.loads(run("export", "--format", "plover", "--db", filled).stdout)
    assert isinstance(array, list) and len(array) == 3
    assert array[0]["event_text"] == TEXT_A[: TEXT_A.index(".") + 1]


def test_parquet_export(filled: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "events.parquet"
    assert run("export", "--format", "parquet", "-o", str(out), "--db", filled).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 3 and table.column("killed").to_pylist() == [9, 10, None]
    result = run("export", "--format", "parquet", "--db", filled)
    assert result.exit_code == 2 and "E332" in result.stderr


def test_query_commands_formats(filled: str) -> None:
    events = json.loads(
        run("events", "--db", filled, "--format", "json", "--type", "assault").stdout
    )
    assert len(events) == 3 and events[0]["evidence"]
    rows = list(csv.DictReader(io.StringIO(run("events", "--db", filled, "--format", "csv",
                                               "--status", "planned").stdout)))  # fmt: skip
    assert len(rows) == 1 and rows[0]["place"] == "Kharkiv"
    table = run("events", "--db", filled, "--country", "Ukraine", "--since", "2025-05-01")
    assert table.exit_code == 0 and "Sumy" in table.stdout
    incidents = json.loads(run("incidents", "--db", filled, "--format", "json").stdout)
    assert sorted(i["articles"] for i in incidents) == [1, 2]
    conflict = run("incidents", "--db", filled, "--conflicts")
    assert "killed: 10 vs 9" in conflict.stdout
    quotes = json.loads(
        run("quotes", "--db", filled, "--speaker", "russia", "--format", "json").stdout
    )
    assert len(quotes) == 3
    actors = json.loads(run("actors", "--db", filled, "--format", "json").stdout)
    assert actors[0]["name"] == "Russia"
    timeline = json.loads(run("timeline", "--db", filled, "--format", "json").stdout)
    assert timeline[0]["killed"] == 19
    assert "Kharkiv" in run("places", "--db", filled).stdout
    assert (
        json.loads(run("articles", "--db", filled, "--format", "json").stdout)[0]["ext_id"] == "a"
    )
    bad = run("events", "--db", filled, "--since", "last week")
    assert bad.exit_code == 2 and "E300" in bad.stderr and "Traceback" not in bad.output
    empty = json.loads(
        run("events", "--db", filled, "--format", "json", "--actor", "nobody").stdout
    )
    assert empty == []


def test_seed_acled_sumy(seed_doc, tmp_path: Path) -> None:
    """Done criterion: the seed article's Sumy bus strike exports to ACLED in Sumy with 9
    fatalities (depends on the events and places stages)."""
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    with open_store(url) as store:
        store.save(seed_doc)
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "acled", "--db", url).stdout)))
    hits = [r for r in rows if "Sumy" in " ".join((r["location"], r["admin1"], r["admin2"]))
            and r["fatalities"] == "9"]  # fmt: skip
    assert hits, [(r["location"], r["admin1"], r["fatalities"], r["notes"][:60]) for r in rows]
    assert hits[0]["event_type"] in ("Explosions/Remote violence", "Battles",
                                     "Violence against civilians")  # fmt: skip
