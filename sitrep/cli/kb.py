"""``sitrep kb``: inspect and extend the actor knowledge base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sitrep.errors import Errors, SitrepError


@click.group("kb")
def kb_group() -> None:
    """Actor knowledge base: look names up, import PETRARCH/Phoenix dictionaries."""


@kb_group.command("import-petrarch")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="People TSV to write (use it with --kb or SITREP_KB).",
)
def import_petrarch_cmd(file: Path, out: Path) -> None:
    """Convert a PETRARCH/Phoenix actor dictionary FILE into a sitrep people file."""
    from sitrep.resolve.kb import KnowledgeBase, load_file
    from sitrep.resolve.petrarch import parse_petrarch, to_people_tsv

    if not file.is_file():
        raise SitrepError(Errors.E102, path=file, line=0, detail="no such file")
    actors = parse_petrarch(file)
    out.write_text(to_people_tsv(actors), encoding="utf-8")
    load_file(KnowledgeBase(), out)  # the output must load; raises a coded error if not
    roles = sum(len(a.roles) for a in actors)
    click.echo(f"{len(actors)} actors, {roles} dated codes -> {out}")


@kb_group.command("lookup")
@click.argument("name")
@click.option("--date", "on", help="Resolve roles on this date (YYYY-MM-DD; default today).")
@click.option("--kb", "kb_paths", multiple=True, help="Extra knowledge-base file or directory.")
def lookup_cmd(name: str, on: str | None, kb_paths: tuple[str, ...]) -> None:
    """Show the knowledge-base actors NAME resolves to (exact, then fuzzy/phonetic)."""
    from sitrep.resolve.actor_match import person_index
    from sitrep.resolve.kb import load_kb, norm

    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        raise SitrepError(Errors.E103, value=on) from None
    kb = load_kb(tuple(kb_paths))
    entries = kb.lookup(name)
    how = "exact"
    if not entries:
        hit = person_index(kb).match(name)
        if hit is not None:
            entries, how = [kb.entries[hit[0]]], f"fuzzy {hit[1]:.2f}"
    if not entries and norm(name) in kb.metonyms:
        iso3, sector, _ = kb.metonyms[norm(name)]
        entries, how = [kb.sector_actor(iso3, sector)], "metonym"
    if not entries:
        click.echo(f"{name}: not in the knowledge base")
        raise SystemExit(1)
    for e in entries:
        role = e.role_on(day) if e.kind == "person" else None
        held = role is not None and role.active(day)
        role_text = ""
        if role is not None:
            when = f"{role.start or '…'}..{role.end or ''}"
            role_text = f"  {role.title or role.sector} of {role.org} ({when})" + (
                "" if held else " [not on date]"
            )
        click.echo(
            f"{e.id}\t{e.name}\t{e.kind}\t{e.country or '-'}\t{e.sector or '-'}\t{how}{role_text}"
        )
