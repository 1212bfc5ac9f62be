"""``sitrep analyze``: articles in, structured facts out (and stored)."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console

from sitrep.analyze import analyze_many
from sitrep.config import Config
from sitrep.errors import Errors, InputError, StoreError
from sitrep.ingest.csvin import Columns
from sitrep.ingest.fetch import FetchOptions
from sitrep.ingest.gate import Gate
from sitrep.ingest.readers import RawArticle, iter_inputs, parse_published
from sitrep.ingest.sources import IngestOptions
from sitrep.records import Document
from sitrep.report import render_report
from sitrep.store import open_store


def _with_overrides(items, published, title, source, url):  # type: ignore[no-untyped-def]
    for item in items:
        if isinstance(item, RawArticle):
            item.published = published or item.published
            item.title = title or item.title
            item.source = source or item.source
            item.url = url or item.url
        yield item


@click.command("analyze")
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD (relative dates resolve to it).")
@click.option("--title", help="Article title.")
@click.option("--source", help="Outlet or feed name.")
@click.option("--url", help="Article URL.")
@click.option(
    "--format", "fmt", type=click.Choice(["report", "json", "jsonl"]), default="report",
    show_default=True, help="report: tables for people; json/jsonl: the sitrep/1 contract.",
)  # fmt: skip
@click.option(
    "--db", "db_url", help="Database URL or SQLite path (default: $SITREP_DB or user data dir)."
)
@click.option("--no-store", is_flag=True, help="Do not store anything.")
@click.option("--kb", "kb_paths", multiple=True, help="Extra knowledge-base file or directory.")
@click.option("--allow-private", is_flag=True,
              help="Allow fetching URLs on private, loopback or link-local addresses.")  # fmt: skip
@click.option("--column", "columns", multiple=True, metavar="FIELD=NAME",
              help="CSV/JSONL column holding FIELD (text, id, title, published, source, url).")  # fmt: skip
@click.option("--no-dedup", is_flag=True, help="Analyse near-duplicate articles too.")
def analyze_cmd(
    paths: tuple[str, ...], published: str | None, title: str | None, source: str | None,
    url: str | None, fmt: str, db_url: str | None, no_store: bool, kb_paths: tuple[str, ...],
    allow_private: bool = False, columns: tuple[str, ...] = (), no_dedup: bool = False,
) -> None:  # fmt: skip
    """Analyse articles: PATH is a text file, '-' for stdin, a .jsonl file (one article per
    line: id, text, title, published, source, url) or a directory of them; also .csv/.tsv
    (same columns), .html pages, RSS/Atom feeds, http(s) URLs and globs."""
    if published:
        published = parse_published(published, "--published")
    config = Config.from_env().with_(db_url=db_url, kb_paths=Config.from_env().kb_paths + kb_paths)
    store = None if no_store else open_store(config.resolved_db_url)
    console = Console(soft_wrap=False)
    failures: list[InputError] = []
    documents: list[Document] = []
    stored = duplicates = 0
    options = IngestOptions(fetch=FetchOptions(allow_private=allow_private),
                            columns=Columns.parse(columns))  # fmt: skip
    items = _with_overrides(iter_inputs(list(paths), options), published, title, source, url)
    if store is not None:
        gate = Gate(store, dedup=not no_dedup, on_skip=lambda raw, reason, detail: click.echo(
            f"skipped[{reason}]: {raw.origin}: {detail}", err=True))  # fmt: skip
        items = gate(items)
    try:
        for result in analyze_many(items, config):
            if isinstance(result, InputError):
                failures.append(result)
                click.echo(f"error[{result.code}]: {result.message}", err=True)
                continue
            if store is not None:
                try:
                    saved = store.save(result)
                except StoreError as err:  # this article is not stored; the batch goes on
                    failures.append(InputError(Errors.E050, input=result.article.id or "<text>",
                                               detail=err.message))  # fmt: skip
                    click.echo(f"error[{err.code}]: {result.article.id}: {err.message}", err=True)
                    continue
                stored += saved.created
                duplicates += not saved.created
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            elif fmt == "report":
                render_report(result, console)
            else:
                documents.append(result)
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        payload = documents[0].to_dict() if len(documents) == 1 and len(paths) == 1 and not (
            paths[0].endswith((".jsonl", ".ndjson"))) else [d.to_dict() for d in documents]  # fmt: skip
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if store is not None:
        click.echo(
            f"stored {stored} new article(s), {duplicates} already stored"
            f" in {config.resolved_db_url}", err=True,
        )  # fmt: skip
    if failures:
        click.echo(f"{len(failures)} input(s) failed", err=True)
        sys.exit(1)
