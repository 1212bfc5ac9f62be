"""Bad input gets one clear line naming the input, never a traceback; batches go on."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitrep.cli import main


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_missing_path(tmp_path: Path) -> None:
    result = run("analyze", str(tmp_path / "nope.txt"), "--no-store")
    assert result.exit_code == 1
    assert "error[E001]" in result.stderr and "nope.txt" in result.stderr
    assert "Traceback" not in result.output


def test_empty_binary_nonutf8(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "latin1.txt").write_bytes("Kiev é".encode("latin-1") * 20)
    for name, code in (("empty.txt", "E002"), ("bin.txt", "E003"), ("latin1.txt", "E004")):
        result = run("analyze", str(tmp_path / name), "--no-store")
        assert result.exit_code == 1, name
        assert f"error[{code}]" in result.stderr and name in result.stderr


def test_huge_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = run("analyze", str(big), "--no-store")
    assert result.exit_code == 1 and "error[E005]" in result.stderr


def test_not_english(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_text(
        "Le président a déclaré mardi que les négociations avec la Russie ne sont pas"
        " terminées et que la France continuera à soutenir l'Ukraine dans cette guerre.",
        encoding="utf-8",
    )
    result = run("analyze", str(path), "--no-store")
    assert result.exit_code == 1 and "error[E008]" in result.stderr and "fr" in result.stderr


def test_batch_with_bad_lines_keeps_good(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "batch.jsonl"
    good = {"id": "a1", "text": "Rebels attacked a village near Goma on Monday, killing five people.",
            "published": "2024-02-01"}  # fmt: skip
    lines = [json.dumps(good), "{not json", json.dumps({"id": "x", "text": ""}),
             json.dumps({"id": "a2", "text": "Police arrested 12 protesters in Nairobi.",
                         "published": "2024-02-02"})]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("analyze", str(path), "--db", db_url, "--format", "jsonl")
    assert result.exit_code == 1
    assert "batch.jsonl: line 2" in result.stderr and "E006" in result.stderr
    assert "batch.jsonl: line 3" in result.stderr and "E007" in result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["article"]["id"] for d in docs] == ["a1", "a2"]
    assert "stored 2 new" in result.stderr


def test_bad_published_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Police arrested 12 protesters in Nairobi on Monday.", encoding="utf-8")
    result = run("analyze", str(path), "--published", "yesterday-ish", "--no-store")
    assert result.exit_code == 2 and "E009" in result.stderr
    assert "Traceback" not in result.output


def test_bad_db_url(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Police arrested 12 protesters in Nairobi on Monday.", encoding="utf-8")
    result = run("analyze", str(path), "--db", "mysql://nowhere/db")
    assert result.exit_code == 2 and "E021" in result.stderr


def test_published_formats() -> None:
    import pytest

    from sitrep.errors import InputError
    from sitrep.ingest.readers import parse_published

    assert parse_published("26-FEB-1987 15:01:01.79", "x") == "1987-02-26"  # Reuters-21578
    assert parse_published("Mon, 19 May 2025 10:00:00 +0000", "x") == "2025-05-19"  # RFC 2822
    assert parse_published("2025-05-19T23:30:00Z", "x") == "2025-05-19"
    assert parse_published("May 19, 2025", "x") == "2025-05-19"
    for bad in ("yesterday", "31-FEB-1987", "19/05"):
        with pytest.raises(InputError):
            parse_published(bad, "x")
