"""Shared fixtures. Tests that read ../shared skip cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, skipping the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only beside developer and CI clones)")
    return path


@pytest.fixture(scope="session")
def example_text() -> str:
    return (EXAMPLES / "kharkiv-talks.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_doc(example_text: str):
    import sitrep

    return sitrep.analyze(example_text, published="2025-06-02", id="kharkiv-talks")


@pytest.fixture(scope="session")
def seed_doc():
    import json

    import sitrep

    text = shared_path("corpus", "seed", "seed-article.txt").read_text(encoding="utf-8")
    meta = json.loads(shared_path("corpus", "seed", "seed-article.json").read_text())
    return sitrep.analyze(text, published=meta["published"], id=meta["id"])


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory):
    """A PostgreSQL server for the test session: $SITREP_TEST_PG, or one started by
    scripts/pg-test-server.sh in a temp dir. Skips (saying why) when neither works."""
    import os
    import subprocess
    import tempfile

    if os.environ.get("SITREP_TEST_PG"):
        yield os.environ["SITREP_TEST_PG"]
        return
    script = ROOT / "scripts" / "pg-test-server.sh"
    where = tempfile.mkdtemp(prefix="sitrep-pg.")  # short path: Unix socket names are short
    try:
        run = subprocess.run(["bash", str(script), "start", where], capture_output=True,
                             text=True, timeout=600)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"PostgreSQL test server could not start: {exc}")
    if run.returncode != 0:
        reason = (run.stderr.strip().splitlines() or ["unknown error"])[-1]
        pytest.skip(f"PostgreSQL test server could not start: {reason}")
    yield run.stdout.strip().splitlines()[-1]
    subprocess.run(["bash", str(script), "stop", where], capture_output=True, timeout=60)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: the same tests run on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    import uuid

    psycopg = pytest.importorskip("psycopg")
    server = request.getfixturevalue("pg_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    from urllib.parse import urlsplit

    return urlsplit(server)._replace(path=f"/{name}").geturl()
