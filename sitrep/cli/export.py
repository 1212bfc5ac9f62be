"""``sitrep export``: stored events as csv, jsonl, parquet, plover or acled tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sitrep.cli.query import _filter, _store, db_option, event_filters
from sitrep.export import FORMATS, export


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv/jsonl/parquet: the PLOVER-style event table; plover: the same as a JSON"
                   " array; acled: an ACLED-style table (events that happened, ACLED types).")  # fmt: skip
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (default: standard output; required for parquet).")  # fmt: skip
@event_filters
@db_option
def export_cmd(fmt: str, output: Path | None, db_url: str | None, **kw: Any) -> None:
    """Export stored events (all, or those matching the filters)."""
    f = _filter({**kw, "limit": None, "offset": 0})
    with _store(db_url) as store:
        n = export(store, fmt, output, f)
    if output is not None:
        click.echo(f"wrote {n} row(s) to {output}", err=True)
