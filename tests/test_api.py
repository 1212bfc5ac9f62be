"""The HTTP API in-process (FastAPI TestClient): filters, paging, errors, analysis, docs."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from web_helpers import seed_store  # noqa: E402

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.web import WebSettings, create_app  # noqa: E402


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    ids = seed_store(url)
    return TestClient(create_app(WebSettings(db_url=url))), ids


@pytest.fixture(scope="module")
def client(seeded: tuple[TestClient, dict[str, int]]) -> TestClient:
    return seeded[0]


def test_events_filters_like_cli(client: TestClient) -> None:
    r = client.get(
        "/api/events", params={"type": "ASSAULT", "actor": "Russia", "since": "2025-05-01"}
    )
    assert r.status_code == 200
    items = r.json()["items"]
    assert [e["type"] for e in items] == ["ASSAULT"]
    assert items[0]["source"] == "Russia" and items[0]["place"] == "Kharkiv"
    assert items[0]["killed"] == 4
    assert client.get("/api/events", params={"type": "ASSAULT"}).json()["items"].__len__() == 2
    late = client.get("/api/events", params={"since": "2025-06-01"}).json()["items"]
    assert {e["type"] for e in late} == {"REJECT", "AID", "ASSAULT"}
    assert (
        client.get("/api/events", params={"country": "TR"}).json()["items"][0]["type"] == "CONSULT"
    )
    assert (
        client.get("/api/events", params={"status": "planned"}).json()["items"][0]["type"] == "AID"
    )


def test_events_paginate(client: TestClient) -> None:
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        assert page["limit"] == 2 and len(page["items"]) <= 2
        seen += [(e["article_id"], e["event_id"]) for e in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == 6


@pytest.mark.parametrize(
    ("path", "params", "key", "expected"),
    [
        ("/api/actors", {"name": "ukraine"}, "name", "Ukraine"),
        ("/api/quotes", {"speaker": "Ukraine"}, "text", "We need help now,"),
        ("/api/places", {"country": "TR"}, "name", "Istanbul"),
        ("/api/articles", {"text": "Istanbul"}, "title", "Talks in Istanbul"),
        ("/api/incidents", {"type": "CONSULT"}, "type", "CONSULT"),
    ],
)
def test_other_collections(
    client: TestClient, path: str, params: dict, key: str, expected: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["items"] and body["items"][0][key] == expected
    assert body["next_offset"] is None


def test_article_with_text_and_facts(seeded: tuple[TestClient, dict[str, int]]) -> None:
    client, ids = seeded
    doc = client.get(f"/api/articles/{ids['kharkiv']}").json()
    assert doc["id"] == ids["kharkiv"] and doc["schema"] == "sitrep/1"
    for e in doc["events"]:
        ev = e["evidence"]
        assert doc["text"][ev["start"] : ev["end"]] == ev["text"]
    r = client.get("/api/articles/99999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "E403"


def test_dashboard_aggregates(client: TestClient) -> None:
    timeline = client.get("/api/stats/timeline", params={"bucket": "day"}).json()
    assert {"date": "2025-05-18", "type": "ASSAULT", "events": 1} in timeline
    months = client.get("/api/stats/timeline").json()
    assert {r["date"] for r in months} == {"2025-05", "2025-06"}
    net = client.get("/api/stats/network").json()
    edge = next(e for e in net["edges"] if e["source"] == "Russia" and e["target"] == "Ukraine")
    assert edge["tone"] == -1.0 and edge["types"] == {"ASSAULT": 1}
    aid = next(
        e for e in net["edges"] if e["source"] == "European Union" and e["target"] == "Ukraine"
    )
    assert aid["tone"] > 0
    # a multi-target event gives one edge per target
    assert any(e["source"] == "Turkey" and e["target"] == "Russia" for e in net["edges"])
    places = client.get("/api/stats/map", params={"type": "ASSAULT"}).json()
    assert [(p["name"], p["events"]) for p in places] == [("Kharkiv", 2)]
    assert places[0]["lat"] == pytest.approx(49.98)


@pytest.mark.parametrize(
    ("params", "code"),
    [({"since": "yesterday"}, "E300"), ({"limit": 5000}, "E402"), ({"offset": -1}, "E402")],
)
def test_bad_query_is_one_line_error(client: TestClient, params: dict, code: str) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == code and "\n" not in err["message"]


def test_openapi_documents_filters_and_docs_are_offline(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "actor", "since", "until", "place", "limit", "offset"} <= names
    assert "/api/analyze" in spec["paths"]
    html = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html  # no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/swagger/{asset}").status_code == 200


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["articles"] == 3


def test_analyze_text_and_store(tmp_path: Path, example_text: str) -> None:
    url = f"sqlite:///{tmp_path / 'analyze.db'}"
    client = TestClient(create_app(WebSettings(db_url=url)))
    body = {"text": example_text, "published": "2025-06-02", "title": "Kharkiv"}
    r = client.post("/api/analyze", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["created"] is True and out["article_id"] == 1
    assert out["document"]["events"] and out["document"]["text"] == example_text
    again = client.post("/api/analyze", json=body).json()
    assert again["created"] is False and again["article_id"] == 1
    stored = client.get("/api/events", params={"article": 1, "limit": 1000}).json()["items"]
    assert len(stored) == len(out["document"]["events"])
    dry = client.post("/api/analyze", json={**body, "text": example_text + " ", "store": False})
    assert dry.status_code == 200 and dry.json()["article_id"] is None


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "   "}, 422, "E010"),
        ({}, 400, "E402"),
        ({"text": "x", "url": "http://example.org/a"}, 400, "E402"),
        ({"text": "A text.", "published": "May fifth"}, 422, "E009"),
        ({"url": "file:///etc/passwd"}, 502, "E405"),
    ],
)
def test_analyze_bad_input(tmp_path: Path, body: dict, status: int, code: str) -> None:
    client = TestClient(create_app(WebSettings(db_url=f"sqlite:///{tmp_path / 'bad.db'}")))
    r = client.post("/api/analyze", json=body)
    assert (r.status_code, r.json()["error"]["code"]) == (status, code), r.text


def test_analyze_url_refuses_private_addresses(tmp_path: Path) -> None:
    """The server must not fetch from its own network on a client's behalf (SSRF)."""
    client = TestClient(create_app(WebSettings(db_url=f"sqlite:///{tmp_path / 'u.db'}")))
    r = client.post("/api/analyze", json={"url": "http://127.0.0.1:9/article"})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"].startswith("E3") and "127.0.0.1" in err["message"]


def test_aggregates_follow_new_articles(tmp_path: Path) -> None:
    """The aggregate cache is keyed by the data version: a stored article shows at once."""
    from web_helpers import documents

    from sitrep.store import open_store

    url = f"sqlite:///{tmp_path / 'v.db'}"
    docs = documents()
    with open_store(url) as store:
        store.save(docs[0])
    client = TestClient(create_app(WebSettings(db_url=url)))
    before = client.get("/api/stats/map").json()
    assert [p["name"] for p in before] == ["Kharkiv"]
    with open_store(url) as store:
        store.save(docs[1])
    after = client.get("/api/stats/map").json()
    assert {p["name"] for p in after} == {"Kharkiv", "Istanbul"}


def test_slow_aggregates_are_served_stale_then_refreshed(tmp_path: Path, monkeypatch) -> None:
    import time

    from web_helpers import documents

    from sitrep.store import open_store
    from sitrep.web import aggregates

    monkeypatch.setattr(aggregates, "SLOW_S", 0.0)  # treat every aggregate as expensive
    url = f"sqlite:///{tmp_path / 's.db'}"
    docs = documents()
    with open_store(url) as store:
        store.save(docs[0])
    client = TestClient(create_app(WebSettings(db_url=url)))
    assert [p["name"] for p in client.get("/api/stats/map").json()] == ["Kharkiv"]
    with open_store(url) as store:
        store.save(docs[1])
    assert [p["name"] for p in client.get("/api/stats/map").json()] == ["Kharkiv"]  # stale
    for _ in range(100):  # the background refresh lands (bounded wait, not a timing test)
        names = {p["name"] for p in client.get("/api/stats/map").json()}
        if "Istanbul" in names:
            break
        time.sleep(0.05)
    assert names == {"Kharkiv", "Istanbul"}


def test_serve_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from sitrep.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--no-warm",
                                           "--db", str(tmp_path / "p.db")])  # fmt: skip
    assert result.exit_code == 2
    assert "error[E406]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("country", ["UA", "UKR", "Ukraine"])
def test_country_filter_forms_agree_in_lists_and_charts(client: TestClient, country: str) -> None:
    events = client.get("/api/events", params={"country": country}).json()["items"]
    places = client.get("/api/stats/map", params={"country": country}).json()
    assert sum(p["events"] for p in places) == len(events) == 2


@pytest.mark.parametrize(
    "params",
    [{}, {"type": "ASSAULT,AID"}, {"actor": "ukraine"}, {"since": "2025-06-01"},
     {"until": "2025-05-31"}, {"status": "planned"}, {"text": "ceasefire"}, {"place": "kharkiv"},
     {"article": "1"}, {"type": "ASSAULT", "since": "2025-05-01", "actor": "Russia"}],
)  # fmt: skip
def test_charts_count_what_the_list_shows(client: TestClient, params: dict) -> None:
    listed = client.get("/api/events", params={**params, "limit": 1000}).json()["items"]
    timeline = client.get("/api/stats/timeline", params={**params, "bucket": "day"}).json()
    assert sum(r["events"] for r in timeline) == len(listed)
    located = [e for e in listed if e["lat"] is not None]
    assert sum(p["events"] for p in client.get("/api/stats/map", params=params).json()) == len(
        located
    )
