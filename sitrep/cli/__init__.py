"""The ``sitrep`` command line: a thin click layer over the library.

Each command lives in its own module and is registered on ``main`` below.
"""

from __future__ import annotations

import logging
import sys

import click

from sitrep import __version__
from sitrep.errors import SitrepError


class _Group(click.Group):
    """Turns any ``SitrepError`` escaping a command into one line on stderr, exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SitrepError as err:
            click.echo(f"error[{err.code}]: {err.message}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """sitrep: news articles to structured, checkable facts (actors, places, times,
    PLOVER events, quotes, casualty counts), each tied to its source span."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from sitrep.cli import analyze, eval

    main.add_command(analyze.analyze_cmd)
    main.add_command(eval.eval_group)
    from sitrep.cli import batch

    main.add_command(batch.batch_cmd)
    from sitrep.cli import serve

    main.add_command(serve.serve_cmd)
    from sitrep.cli import query

    for command in query.COMMANDS:
        main.add_command(command)
    from sitrep.cli import export

    main.add_command(export.export_cmd)
    from sitrep.cli import watch

    main.add_command(watch.watch_cmd)
    from sitrep.cli import kb

    main.add_command(kb.kb_group)


_register()
