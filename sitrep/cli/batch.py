"""``sitrep batch``: analyse many articles on all cores or a Dask cluster, resumably."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from sitrep.batch import BatchSummary, run_batch
from sitrep.config import Config

MAX_LISTED_FAILURES = 20


class _RateColumn(ProgressColumn):
    """Articles per second (rich's own speed column is for bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "- articles/s", style="cyan")


def _summary_table(s: BatchSummary, db: str | None) -> Table:
    table = Table(title="sitrep batch", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [
        ("backend", f"{s.backend or '-'} ({s.workers} worker(s))"),
        ("articles read", s.read),
        ("analysed", s.analysed),
        ("stored (new)", s.stored),
        ("skipped: already stored", s.already_stored),
        ("skipped: duplicate in input", s.duplicates),
        ("skipped: not English", s.skipped.get("language", 0)),
        ("skipped: near-duplicate", s.skipped.get("near-duplicate", 0)),
    ]
    rows += [(f"skipped: {reason}", n) for reason, n in sorted(s.skipped.items())
             if reason not in ("language", "near-duplicate")]  # fmt: skip
    if s.already_skipped:
        rows.append(("  of these, recorded by an earlier run", s.already_skipped))
    rows += [
        ("failed", len(s.failures)),
        ("time", f"{s.elapsed_s:.1f} s"),
        ("throughput", f"{s.articles_per_s:.1f} articles/s, {s.words_per_s:.0f} words/s"),
    ]
    if s.steady_articles_per_s:
        rows.append(("after start-up", f"{s.steady_articles_per_s:.1f} articles/s"))
    if s.peak_rss_mb:
        rows.append(("peak memory per worker", f"{max(s.peak_rss_mb.values()):.0f} MB"))
    if db:
        rows.append(("store", db))
    for key, value in rows:
        table.add_row(key, str(value))
    return table


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--db", "db_url", help="Database URL or SQLite path (default: $SITREP_DB or user data dir)."
)
@click.option(
    "--workers", type=int, help="Worker processes (default: all cores; 1: in this process)."
)
@click.option(
    "--dask", "dask_address", metavar="ADDRESS",
    help="Run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a LocalCluster.",
)  # fmt: skip
@click.option(
    "--chunk-size", default=32, show_default=True, help="Articles sent to a worker at a time."
)
@click.option("--kb", "kb_paths", multiple=True, help="Extra knowledge-base file or directory.")
@click.option(
    "--summary-json", type=click.Path(dir_okay=False), help="Also write the summary as JSON here."
)
@click.option(
    "--write-in-workers", is_flag=True,
    help="Workers store their documents themselves (for PostgreSQL on a cluster) instead of this process.",
)  # fmt: skip
@click.option("--no-dedup", is_flag=True, help="Analyse near-duplicate articles too.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def batch_cmd(
    paths: tuple[str, ...], db_url: str | None, workers: int | None, dask_address: str | None,
    chunk_size: int, kb_paths: tuple[str, ...], summary_json: str | None,
    write_in_workers: bool, quiet: bool, no_dedup: bool = False,
) -> None:  # fmt: skip
    """Analyse many articles and store them: PATH is a text file, '-', a .jsonl file or a
    directory. Texts already stored are skipped, so re-running an interrupted batch resumes
    it. Non-English texts and near-duplicates are not analysed: they are recorded as skipped
    (list them with 'sitrep skipped'), as with 'sitrep analyze'. Exit status: 0 all stored
    or skipped, 1 some inputs failed (listed), 130 interrupted."""
    env = Config.from_env()
    config = env.with_(db_url=db_url, kb_paths=env.kb_paths + kb_paths)
    db = config.resolved_db_url
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, disable=quiet, transient=False,
    )  # fmt: skip
    task = progress.add_task("batch", total=None)

    def on_progress(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    with progress:
        summary = run_batch(
            list(paths), db, workers=workers, dask=dask_address, config=config,
            chunk_size=chunk_size, progress=on_progress, write_in_workers=write_in_workers,
            dedup=not no_dedup,
        )  # fmt: skip
    console.print(_summary_table(summary, db))
    for failure in summary.failures[:MAX_LISTED_FAILURES]:
        console.print(f"error[{failure.code}]: {failure.message}", markup=False, highlight=False)
    if len(summary.failures) > MAX_LISTED_FAILURES:
        more = len(summary.failures) - MAX_LISTED_FAILURES
        console.print(f"... and {more} more (see --summary-json)")
    if summary_json:
        Path(summary_json).write_text(json.dumps(summary.to_dict(), indent=2) + "\n")
    if summary.interrupted:
        console.print(
            "interrupted: run the same command again to resume (stored articles are skipped)"
        )
        sys.exit(130)
    if summary.failures:
        console.print(f"{len(summary.failures)} input(s) failed")
        sys.exit(1)
