"""Query-layer features for large databases: summaries kept on save, order, partial dates."""

from __future__ import annotations

import pytest

from sitrep.errors import SitrepError
from sitrep.query import (
    ActorFilter,
    EventFilter,
    PlaceFilter,
    query_actors,
    query_events,
    query_places,
)
from sitrep.records import EventDate
from tests.test_query import TEXT_A, TEXT_B, TEXT_C, make_doc


@pytest.fixture()
def store3(store_url: str):
    from sitrep.store import open_store

    month = make_doc("m", TEXT_C, killed=None, day="2025-03-20", place="Kharkiv")
    month.events[0].date = EventDate("2025-03", "2025-03", "in March", inferred=False)
    with open_store(store_url) as store:
        store.save(make_doc("a", TEXT_A, killed=9, day="2025-05-17"))
        store.save(make_doc("b", TEXT_B, killed=10, day="2025-05-18"))
        store.save(month)
        yield store


def test_summaries_kept_on_save_match_a_rebuild(store3) -> None:
    actors = query_actors(store3)
    places = query_places(store3)
    assert actors[0]["name"] == "Russia" and actors[0]["articles"] == 3
    assert actors[0]["events"] == 3 and actors[0]["kind"] == "country"
    assert {p["name"]: p["events"] for p in places} == {"Sumy": 2, "Kharkiv": 1}
    assert query_places(store3, PlaceFilter(country="Ukraine"))[0]["name"] == "Sumy"
    with store3.transaction():
        store3.rebuild_summaries()
    assert query_actors(store3) == actors and query_places(store3) == places
    assert query_actors(store3, ActorFilter(name="nobody")) == []


def test_month_level_dates_are_inside_their_month(store3) -> None:
    def ids(**kw):
        return [e["article"] for e in query_events(store3, EventFilter(**kw))]

    assert ids(since="2025-03-01") == ["m", "a", "b"]
    assert ids(since="2025-03-15", until="2025-03-31") == ["m"]
    assert ids(since="2025-04-01") == ["a", "b"]
    assert ids(until="2025-02-28") == []
    assert ids(since="2025-05-18") == ["b"]


def test_order_newest_first(store3) -> None:
    newest = query_events(store3, EventFilter(order="desc"))
    assert [e["article"] for e in newest] == ["b", "a", "m"]
    with pytest.raises(SitrepError) as err:
        EventFilter(order="sideways").validated()
    assert err.value.code == "E341"


def test_rare_and_common_actor_and_place_filters_agree(store3, monkeypatch) -> None:
    import sitrep.query.api as api

    queries = [EventFilter(actor="russ"), EventFilter(place="oblast"), EventFilter(place="kharkiv"),
               EventFilter(actor="nobody"), EventFilter(article="b"), EventFilter(article=1),
               EventFilter(text="DRONE STRIKE"), EventFilter(text="drone"), EventFilter(text="zzz")]  # fmt: skip
    narrowed = [query_events(store3, f) for f in queries]
    monkeypatch.setattr(api, "NARROW_MAX", -1)  # never narrow: plain scans
    assert [query_events(store3, f) for f in queries] == narrowed
    assert [len(r) for r in narrowed] == [3, 3, 1, 0, 1, 1, 1, 2, 0]


def test_incremental_merger_matches_one_merge(store3) -> None:
    from sitrep.query.incidents import Merger, merge_incidents

    events = query_events(store3)
    merger = Merger()
    for e in events:  # one event at a time, in date order
        merger.feed([e])
    assert [i.to_dict() for i in merger.result()] == [i.to_dict() for i in merge_incidents(events)]
