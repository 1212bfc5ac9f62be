"""``sitrep eval plover`` and ``sitrep eval events``: event extraction scores."""

from __future__ import annotations

import json

import click


@click.command("plover")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--half",
    type=click.Choice(["all", "dev", "heldout"]),
    default="all",
    help="dev = even-numbered lines (tuned on), heldout = odd-numbered lines.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--misses", is_flag=True, help="Also list the sentences coded with a wrong type.")
def plover_cmd(path: str, half: str, as_json: bool, misses: bool) -> None:
    """PLOVER event type P/R/F1 per category, macro-F1, source/target country accuracy."""
    from sitrep.eval.plover import evaluate, format_scores

    halves = ["dev", "heldout"] if half == "all" else [half]
    results = {}
    for h in [*halves, "all"] if half == "all" else halves:
        scores, wrong = evaluate(path, h)
        results[h] = scores.to_dict()
        if not as_json:
            click.echo(format_scores(scores, f"{path} [{h}]"))
            if misses and h != "all":
                click.echo("\n".join(wrong))
            click.echo()
    if as_json:
        click.echo(json.dumps(results, indent=2))


@click.command("events")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--misses", is_flag=True, help="Also list missed and spurious events.")
def events_cmd(path: str, as_json: bool, misses: bool) -> None:
    """Score events (type, status, participants, counts, date) on a gold paragraph set."""
    from sitrep.eval.events_gold import evaluate, format_scores

    scores, notes = evaluate(path)
    if as_json:
        click.echo(json.dumps(scores, indent=2))
    else:
        click.echo(format_scores(scores, path))
        if misses:
            click.echo("\n".join(notes))
