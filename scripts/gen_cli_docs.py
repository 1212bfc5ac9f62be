"""Regenerate docs/cli.md from the click commands' help (run after changing a command).

    .venv/bin/python scripts/gen_cli_docs.py
"""

from __future__ import annotations

from pathlib import Path

import click

from sitrep.cli import main

HEADER = """# Command-line reference

Generated from the commands' own help by `scripts/gen_cli_docs.py`; a test fails when a
command is missing here.
"""


def walk(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.list_commands(click.Context(cmd))):
            sub = cmd.get_command(click.Context(cmd), name)
            if sub is not None and not sub.hidden:
                out += walk(sub, path + [name])
    return out


def render() -> str:
    parts = [HEADER]
    for path, cmd in walk(main, ["sitrep"]):
        ctx = click.Context(cmd, info_name=" ".join(path))
        parts.append(f"\n## {' '.join(path)}\n\n```\n{cmd.get_help(ctx)}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
