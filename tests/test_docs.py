"""Every command is documented (docs/cli.md) and the README shows the two commands."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from gen_cli_docs import walk  # noqa: E402

from sitrep.cli import main  # noqa: E402


def test_every_command_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", doc, flags=re.M))
    missing = [" ".join(p) for p, _ in walk(main, ["sitrep"]) if " ".join(p) not in headings]
    assert not missing, f"run scripts/gen_cli_docs.py; undocumented: {missing}"


def test_every_option_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, cmd in walk(main, ["sitrep"]):
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in doc, f"{' '.join(path)} {opt} not in docs/cli.md"


def test_readme_two_commands_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head
