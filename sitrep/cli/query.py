"""``sitrep events|actors|quotes|places|articles|incidents|timeline``: query the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import click

from sitrep.cli.output import emit, format_option
from sitrep.config import Config
from sitrep.query import (
    ActorFilter,
    ArticleFilter,
    EventFilter,
    PlaceFilter,
    QuoteFilter,
    query_actors,
    query_articles,
    query_events,
    query_incidents,
    query_places,
    query_quotes,
    query_skipped,
    query_timeline,
)
from sitrep.store import open_store

EVENT_COLUMNS = ("date_start", "type", "mode", "source", "target", "place", "country", "killed",
                 "status", "evidence", "article")  # fmt: skip


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db_url", help="Database URL or SQLite path (default: $SITREP_DB)."
    )(f)


def paging(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--limit", type=int, default=None, help="At most this many rows (default 1000)."
    )(f)
    return click.option("--offset", type=int, default=0, help="Skip this many rows first.")(f)


def event_filters(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--actor", help="Source or target actor name contains this."),
        click.option("--type", "etype", help="PLOVER type(s), comma-separated (ASSAULT,PROTEST)."),
        click.option("--since", help="Events on or after YYYY-MM-DD."),
        click.option("--until", help="Events on or before YYYY-MM-DD."),
        click.option("--place", help="Place (or its region) name contains this."),
        click.option("--country", help="ISO country code of the place (UA)."),
        click.option(
            "--status", help="occurred, ongoing, planned, proposed, hypothetical, denied."
        ),
        click.option("--text", help="Evidence sentence contains this."),
        click.option("--article", help="Only this article (id, sha256 or external id)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _filter(kw: dict[str, Any]) -> EventFilter:
    return EventFilter(
        actor=kw["actor"], type=kw["etype"], since=kw["since"], until=kw["until"],
        place=kw["place"], country=kw["country"], status=kw["status"], text=kw["text"],
        article=kw["article"], limit=kw.get("limit"), offset=kw.get("offset", 0),
    ).validated()  # fmt: skip


def _store(db_url: str | None):  # type: ignore[no-untyped-def]
    return open_store(Config.from_env().with_(db_url=db_url).resolved_db_url)


@click.command("events")
@event_filters
@paging
@click.option("--order", type=click.Choice(["asc", "desc"]), default="asc", show_default=True,
              help="By event date: oldest (asc) or newest (desc) first.")  # fmt: skip
@format_option()
@db_option
def events_cmd(fmt: str, db_url: str | None, order: str, **kw: Any) -> None:
    """Stored events, filtered; each with its evidence sentence and source article."""
    f = replace(_filter(kw), order=order)
    with _store(db_url) as store:
        emit(query_events(store, f), fmt, EVENT_COLUMNS, "events")


@click.command("incidents")
@event_filters
@paging
@click.option(
    "--conflicts", is_flag=True, help="Only incidents whose sources disagree on a number."
)
@format_option()
@db_option
def incidents_cmd(fmt: str, db_url: str | None, conflicts: bool, **kw: Any) -> None:
    """Events reported by several articles merged into incidents (same type, compatible
    actors, date and place); conflicting numbers are flagged, not resolved."""
    f = _filter(kw)
    with _store(db_url) as store:
        rows = query_incidents(store, f)
    if conflicts:
        rows = [r for r in rows if r["has_conflict"]]
    if fmt == "table":
        for r in rows:
            r["sources"] = len(r["events"])
            r["conflict"] = "; ".join(
                f"{kind}: " + " vs ".join(sorted({str(c["value"]) for c in reports}))
                for kind, reports in r["conflicts"].items()
            )  # fmt: skip
    emit(rows, fmt, ("date_start", "type", "source", "target", "place", "killed", "articles",
                     "sources", "conflict"), "incidents")  # fmt: skip


@click.command("timeline")
@event_filters
@format_option()
@db_option
def timeline_cmd(fmt: str, db_url: str | None, **kw: Any) -> None:
    """Events per day and type (with the killed they report)."""
    f = _filter(kw)
    with _store(db_url) as store:
        emit(
            query_timeline(store, f),
            fmt,
            ("date", "type", "events", "killed", "articles"),
            "timeline",
        )


@click.command("actors")
@click.option("--name", help="Name contains this.")
@click.option("--kind", help="person, organization, government, military, country, group, media.")
@click.option("--country", help="ISO country code.")
@paging
@format_option()
@db_option
def actors_cmd(fmt: str, db_url: str | None, name: str | None, kind: str | None,
               country: str | None, limit: int | None, offset: int) -> None:  # fmt: skip
    """Actors across stored articles, most mentioned first."""
    with _store(db_url) as store:
        rows = query_actors(store, ActorFilter(name, kind, country, limit, offset))
    emit(rows, fmt, ("name", "kind", "country", "articles", "mentions", "events"), "actors")


@click.command("quotes")
@click.option("--speaker", help="Speaker name contains this.")
@click.option("--text", help="Quote contains this.")
@click.option("--since", help="Articles published on or after YYYY-MM-DD.")
@click.option("--until", help="Articles published on or before YYYY-MM-DD.")
@paging
@format_option()
@db_option
def quotes_cmd(fmt: str, db_url: str | None, speaker: str | None, text: str | None,
               since: str | None, until: str | None, limit: int | None, offset: int) -> None:  # fmt: skip
    """Who said what, with the article it is from."""
    with _store(db_url) as store:
        rows = query_quotes(store, QuoteFilter(speaker, text, since, until, None, limit, offset))
    emit(rows, fmt, ("published", "speaker", "kind", "text", "article"), "quotes")


@click.command("places")
@click.option("--name", help="Name contains this.")
@click.option("--country", help="ISO country code.")
@paging
@format_option()
@db_option
def places_cmd(fmt: str, db_url: str | None, name: str | None, country: str | None,
               limit: int | None, offset: int) -> None:  # fmt: skip
    """Places across stored articles."""
    with _store(db_url) as store:
        rows = query_places(store, PlaceFilter(name, country, limit, offset))
    emit(
        rows,
        fmt,
        ("name", "kind", "country", "admin1", "lat", "lon", "articles", "events"),
        "places",
    )


@click.command("articles")
@click.option("--text", help="Title or text contains this.")
@click.option("--source", help="Outlet contains this.")
@click.option("--since", help="Published on or after YYYY-MM-DD.")
@click.option("--until", help="Published on or before YYYY-MM-DD.")
@paging
@format_option()
@db_option
def articles_cmd(fmt: str, db_url: str | None, text: str | None, source: str | None,
                 since: str | None, until: str | None, limit: int | None, offset: int) -> None:  # fmt: skip
    """Stored articles with their event and quote counts."""
    with _store(db_url) as store:
        rows = query_articles(store, ArticleFilter(text, source, since, until, limit, offset))
    emit(
        rows, fmt, ("id", "published", "ext_id", "title", "source", "events", "quotes"), "articles"
    )


@click.command("skipped")
@click.option(
    "--reason", type=click.Choice(["language", "near-duplicate"]), help="Only this reason."
)
@paging
@format_option()
@db_option
def skipped_cmd(fmt: str, db_url: str | None, reason: str | None, limit: int | None,
                offset: int) -> None:  # fmt: skip
    """Articles kept out of analysis: not English, or near-duplicates of a stored article."""
    with _store(db_url) as store:
        rows = query_skipped(store, reason, limit, offset)
    emit(
        rows,
        fmt,
        ("skipped_at", "reason", "origin", "title", "detail", "first_copy"),
        "skipped articles",
    )


COMMANDS = (events_cmd, incidents_cmd, timeline_cmd, actors_cmd, quotes_cmd, places_cmd, articles_cmd,
            skipped_cmd)  # fmt: skip
