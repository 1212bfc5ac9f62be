"""The query layer over a store: filters, incidents and conflicting numbers."""

from __future__ import annotations

import hashlib

import pytest

from sitrep.errors import SitrepError
from sitrep.query import (
    ActorFilter,
    EventFilter,
    QuoteFilter,
    query_actors,
    query_articles,
    query_events,
    query_incidents,
    query_places,
    query_quotes,
    query_timeline,
)
from sitrep.records import (
    Actor,
    ArticleMeta,
    Document,
    Event,
    EventDate,
    Place,
    Quote,
    Span,
)


def make_doc(
    ext_id: str, text: str, *, killed: int | None, day: str, place: str = "Sumy",
    source_outlet: str = "Outlet", etype: str = "ASSAULT",
) -> Document:  # fmt: skip
    """A small hand-built document (no pipeline): Russia strikes a bus in ``place``."""
    start = text.index("Russian")
    ev_end = text.index(".") + 1
    actors = [Actor("a1", "Russia", "country", country="RU",
                    mentions=[Span("Russian", start, start + 7)])]  # fmt: skip
    p0 = text.index(place)
    places = [Place("p1", place, "city", country="UA", admin1=f"{place} Oblast", lat=50.9,
                    lon=34.8, mentions=[Span(place, p0, p0 + len(place))])]  # fmt: skip
    counts = {"killed": killed} if killed is not None else {}
    event = Event("e1", etype, Span(text[:ev_end], 0, ev_end), mode=None, source="a1",
                  date=EventDate(day, day, None, inferred=False), place="p1", counts=counts)  # fmt: skip
    q0 = text.index('"')
    q1 = text.index('"', q0 + 1) + 1
    quotes = [Quote("q1", "a1", text[q0:q1], "direct", q0, q1, cue="said")]
    meta = ArticleMeta(ext_id, f"Title {ext_id}", source_outlet, f"https://example.org/{ext_id}",
                       day, "en", hashlib.sha256(text.encode()).hexdigest())  # fmt: skip
    return Document(meta, text, actors=actors, places=places, events=[event], quotes=quotes)


TEXT_A = 'A Russian drone hit a bus in Sumy, killing nine people. "We mourn," the mayor said.'
TEXT_B = 'A Russian drone strike on a bus near Sumy killed 10. "Terrible," an official said.'
TEXT_C = 'A Russian missile hit Kharkiv on Friday. "No comment," a spokesman said.'


@pytest.fixture()
def filled_store(store_url: str):
    from sitrep.store import open_store

    with open_store(store_url) as store:
        store.save(make_doc("a", TEXT_A, killed=9, day="2025-05-17", source_outlet="Wire A"))
        store.save(make_doc("b", TEXT_B, killed=10, day="2025-05-17", source_outlet="Wire B"))
        store.save(make_doc("c", TEXT_C, killed=None, day="2025-06-01", place="Kharkiv"))
        yield store


def test_event_filters(filled_store) -> None:
    assert len(query_events(filled_store)) == 3
    assert len(query_events(filled_store, EventFilter(place="sumy"))) == 2
    assert len(query_events(filled_store, EventFilter(since="2025-05-20"))) == 1
    assert len(query_events(filled_store, EventFilter(until="2025-05-17"))) == 2
    assert len(query_events(filled_store, EventFilter(actor="russia", country="ua"))) == 3
    assert query_events(filled_store, EventFilter(type="protest")) == []
    assert len(query_events(filled_store, EventFilter(text="missile"))) == 1
    assert len(query_events(filled_store, EventFilter(article="b"))) == 1
    assert len(query_events(filled_store, EventFilter(limit=1, offset=1))) == 1
    row = query_events(filled_store, EventFilter(text="nine"))[0]
    assert row["killed"] == 9 and row["place"] == "Sumy" and row["source"] == "Russia"
    assert TEXT_A[row["evidence_start"] : row["evidence_end"]] == row["evidence"]
    # LIKE wildcards in user input are literal
    assert query_events(filled_store, EventFilter(text="%")) == []


def test_bad_filters() -> None:
    with pytest.raises(SitrepError) as err:
        EventFilter(since="last week").validated()
    assert err.value.code == "E300"
    with pytest.raises(SitrepError):
        EventFilter(limit=-1).validated()
    f = EventFilter.from_mapping({"type": "ASSAULT", "limit": "5", "bogus": 1})
    assert f.limit == 5 and f.type == "ASSAULT"


def test_other_queries(filled_store) -> None:
    actors = query_actors(filled_store, ActorFilter(name="russ"))
    assert actors[0]["name"] == "Russia" and actors[0]["articles"] == 3
    assert actors[0]["events"] == 3
    quotes = query_quotes(filled_store, speaker="Russia")
    assert len(quotes) == 3 and quotes[0]["text"].startswith('"')
    assert len(query_quotes(filled_store, QuoteFilter(text="terrible"))) == 1
    places = {p["name"]: p for p in query_places(filled_store)}
    assert places["Sumy"]["articles"] == 2
    assert [a["ext_id"] for a in query_articles(filled_store)] == ["a", "b", "c"]
    timeline = query_timeline(filled_store)
    assert timeline[0] == {"date": "2025-05-17", "type": "ASSAULT", "events": 2, "killed": 19,
                           "articles": 2}  # fmt: skip


def test_incidents_merge_and_flag_conflicts(filled_store) -> None:
    incidents = query_incidents(filled_store)
    assert len(incidents) == 2
    sumy = next(i for i in incidents if i["place"] == "Sumy")
    assert sumy["articles"] == 2 and len(sumy["events"]) == 2
    assert sumy["has_conflict"] and sumy["killed"] is None
    assert sorted(c["value"] for c in sumy["conflicts"]["killed"]) == [9, 10]
    assert sumy["counts"]["killed"] == {"value": None, "min": 9, "max": 10}
    assert all(e["evidence"] for e in sumy["events"])
    kharkiv = next(i for i in incidents if i["place"] == "Kharkiv")
    assert kharkiv["articles"] == 1 and not kharkiv["has_conflict"]


def test_incidents_keep_apart_different_places_and_dates() -> None:
    from sitrep.query.incidents import merge_incidents

    base = {"type": "ASSAULT", "source": "Russia", "target": None, "country": "UA",
            "counts": {}, "date_inferred": False, "admin1": None}  # fmt: skip
    events = [
        {**base, "article_id": 1, "event_id": "e1", "date_start": "2025-05-01", "place": "Sumy"},
        {**base, "article_id": 2, "event_id": "e1", "date_start": "2025-05-01", "place": "Lviv"},
        {**base, "article_id": 3, "event_id": "e1", "date_start": "2025-05-09", "place": "Sumy"},
        {**base, "article_id": 4, "event_id": "e1", "date_start": "2025-05-02", "place": "Sumy"},
        {**base, "article_id": 5, "event_id": "e1", "date_start": "2025-05-01", "place": "Sumy",
         "type": "PROTEST"},
    ]  # fmt: skip
    incidents = merge_incidents(events)
    sizes = sorted(len(i.events) for i in incidents)
    assert sizes == [1, 1, 1, 2]


def test_incidents_match_actors_by_kb_id_or_country() -> None:
    from sitrep.query.incidents import merge_incidents

    base = {"type": "ASSAULT", "target": None, "country": "UA", "counts": {}, "admin1": None,
            "date_inferred": False, "date_start": "2025-05-17", "place": "Sumy"}  # fmt: skip
    events = [
        {**base, "article_id": 1, "event_id": "e1", "source": "Russia", "source_keys": {"cc:RU,RUS"}},
        {**base, "article_id": 2, "event_id": "e1", "source": "Kremlin forces",
         "source_keys": {"cc:RU,RUS"}},
        {**base, "article_id": 3, "event_id": "e1", "source": "Ukrainian army",
         "source_keys": {"cc:UA,UKR"}},
    ]  # fmt: skip
    assert sorted(len(i.events) for i in merge_incidents(events)) == [1, 2]


W1 = ("KYIV, May 18 - A Russian drone struck a passenger bus in the city of Sumy on Saturday,"
      " killing nine people, the regional governor said.\n\nThe governor said the bus was carrying"
      " civilians from nearby villages.")  # fmt: skip
W2 = ("Ten people were killed when a Russian drone hit a bus in Sumy on Saturday, Ukrainian"
      " emergency services said on Sunday.\n\nRescue workers said several others were wounded.")  # fmt: skip


def test_two_outlets_one_incident_end_to_end(tmp_path) -> None:
    """The whole pipeline: two differently worded reports of one strike become one incident
    that keeps both sources and flags 9 vs 10 killed."""
    import json

    from click.testing import CliRunner

    from sitrep.cli import main

    for name, text in (("w1.txt", W1), ("w2.txt", W2)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'inc.db'}"
    run = CliRunner().invoke(main, ["analyze", str(tmp_path / "w1.txt"), str(tmp_path / "w2.txt"),
                                    "--published", "2025-05-18", "--db", db, "--format", "jsonl"])  # fmt: skip
    assert run.exit_code == 0, run.output
    out = CliRunner().invoke(
        main, ["incidents", "--db", db, "--type", "ASSAULT", "--format", "json"]
    )
    incidents = json.loads(out.stdout)
    merged = [i for i in incidents if i["articles"] == 2]
    assert merged, incidents
    assert sorted(c["value"] for c in merged[0]["conflicts"]["killed"]) == [9, 10]
    assert {e["article"] for e in merged[0]["events"]} == {"w1", "w2"}
