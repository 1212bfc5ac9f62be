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
