"""PostgreSQL end to end through the command line (the shared suite is test_store_backends)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main


@pytest.fixture()
def pg_url(store_url: str) -> str:
    if not store_url.startswith("postgresql://"):
        pytest.skip("PostgreSQL only")
    return store_url


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_analyze_query_export_on_postgres(pg_url: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Rebels attacked a village near Goma on Monday, killing five people.",
                    encoding="utf-8")  # fmt: skip
    for expected in ("stored 1 new", "stored 0 new"):
        result = CliRunner().invoke(main, ["analyze", str(path), "--db", pg_url, "--format", "json",
                                           "--published", "2024-02-06"])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert expected in result.stderr
    events = json.loads(
        CliRunner().invoke(main, ["events", "--db", pg_url, "--format", "json"]).stdout
    )
    assert events and all(e["published"] == "2024-02-06" for e in events)
    assert any(e["type"] == "ASSAULT" for e in events)
    acled = CliRunner().invoke(main, ["export", "--format", "acled", "--db", pg_url])
    assert acled.exit_code == 0 and acled.stdout.startswith("event_id_cnty,")
    timeline = json.loads(
        CliRunner().invoke(main, ["timeline", "--db", pg_url, "--format", "json"]).stdout
    )
    assert all(isinstance(r["events"], int) for r in timeline)
