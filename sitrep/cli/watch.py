"""``sitrep watch FEED... [--every 10m]``: poll RSS/Atom feeds and store new articles."""

from __future__ import annotations

import time

import click

from sitrep.cli.query import _store, db_option
from sitrep.config import Config
from sitrep.ingest.fetch import FetchOptions
from sitrep.ingest.watcher import parse_duration, poll_once


@click.command("watch")
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="Poll interval (30s, 10m, 1h).")
@click.option("--once", is_flag=True, help="Poll once and exit.")
@click.option("--polls", type=int, default=None, help="Stop after this many polls.")
@click.option("--allow-private", is_flag=True,
              help="Allow feeds and pages on private, loopback or link-local addresses.")  # fmt: skip
@db_option
def watch_cmd(feeds: tuple[str, ...], every: str, once: bool, polls: int | None,
              allow_private: bool, db_url: str | None) -> None:  # fmt: skip
    """Poll FEED URLs; store new items (seen ones are skipped); a feed that is down is
    reported and retried at the next poll. Stop with Ctrl-C."""
    interval = parse_duration(every)
    limit = 1 if once else polls
    config = Config.from_env().with_(db_url=db_url)
    opts = FetchOptions(allow_private=allow_private)
    done = 0
    with _store(db_url) as store:
        try:
            while True:
                started = time.monotonic()
                stats = poll_once(
                    store, list(feeds), config, opts, say=lambda m: click.echo(m, err=True)
                )
                done += 1
                click.echo(
                    f"poll {done}: {stats.feeds_ok} feed(s) ok ({stats.not_modified} unchanged),"
                    f" {stats.feeds_failed} down;"
                    f" {stats.new} new item(s): {stats.stored} stored, {stats.already} already"
                    f" stored, {stats.skipped} skipped, {stats.failed} failed", err=True,
                )  # fmt: skip
                if limit is not None and done >= limit:
                    break
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
