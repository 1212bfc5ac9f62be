"""Hand-made documents for the web tests (our own text; no pipeline needed).

``seed_store(url)`` stores three articles through the real ``Store.save`` path, one of them
full of hostile HTML and script in its title, text and actor names.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sitrep.records import (
    Actor,
    ArticleMeta,
    Document,
    Event,
    EventDate,
    Place,
    Quote,
    Span,
    TimeExpr,
)

HOSTILE_TITLE = "<script>window.__pwned='title'</script>Hostile <b>title</b>"
HOSTILE_NAME = "<img src=x onerror=\"window.__pwned='name'\">"
HOSTILE_TEXT = (
    f"The group {HOSTILE_NAME} attacked the <script>window.__pwned='text'</script> depot "
    'in Kharkiv on Tuesday, killing 2 people. "<iframe src=javascript:alert(1)>" said '
    "Ukraine's army.\n"
)


def _span(text: str, surface: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(surface, start, start + len(surface))


def make_doc(
    text: str,
    published: str,
    title: str,
    actors: list[tuple[str, str, str, str | None]],  # id, name/surface, kind, country
    places: list[tuple[str, str, str | None, float, float]],  # id, name, country, lat, lon
    events: list[dict[str, Any]],  # type, evidence, source, target, place, date, killed
    quotes: list[tuple[str, str, str]] = (),  # type: ignore[assignment]  # id, speaker, text
    times: list[str] = (),  # type: ignore[assignment]
) -> Document:
    doc = Document(
        article=ArticleMeta(
            id=None,
            title=title,
            source="web test",
            url=None,
            published=published,
            language="en",
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        ),  # fmt: skip
        text=text,
    )
    for aid, name, kind, country in actors:
        doc.actors.append(Actor(aid, name, kind, country, mentions=[_span(text, name)]))
    for pid, name, country, lat, lon in places:
        doc.places.append(Place(pid, name, "city", country, None, lat, lon,
                                mentions=[_span(text, name)]))  # fmt: skip
    for surface in times:
        sp = _span(text, surface)
        doc.times.append(TimeExpr(surface, sp.start, sp.end, published, "day"))
    for i, e in enumerate(events, start=1):
        killed = e.get("killed")
        doc.events.append(Event(
            id=f"E{i}", type=e["type"], evidence=_span(text, e["evidence"]),
            source=e.get("source"), target=e.get("target"), place=e.get("place"),
            date=EventDate(e.get("date", published), e.get("date", published), e.get("date_text")),
            counts={"killed": killed} if killed else {}, status=e.get("status", "occurred"),
        ))  # fmt: skip
    for qid, speaker, qtext in quotes:
        sp = _span(text, qtext)
        doc.quotes.append(Quote(qid, speaker, qtext, "direct", sp.start, sp.end))
    return doc


ARTICLE_1 = (
    "Russia launched drones at Kharkiv overnight, killing 4 people, officials said on Monday. "
    "Ukraine asked the European Union for more air defence. "
    '"We need help now," said Ukraine\'s foreign minister.\n'
)
ARTICLE_2 = (
    "Turkey hosted talks between Russia and Ukraine in Istanbul on Friday. "
    "The Kremlin rejected a ceasefire proposed by Ukraine. "
    "The European Union agreed to send aid to Ukraine.\n"
)


def documents() -> list[Document]:
    d1 = make_doc(
        ARTICLE_1, "2025-05-19", "Drones hit Kharkiv",
        [("A1", "Russia", "country", "RU"), ("A2", "Ukraine", "country", "UA"),
         ("A3", "European Union", "organization", None)],
        [("P1", "Kharkiv", "UA", 49.98, 36.25)],
        [{"type": "ASSAULT", "evidence": "Russia launched drones at Kharkiv overnight, killing 4 people",
          "source": "A1", "target": "A2", "place": "P1", "killed": 4, "date": "2025-05-18",
          "date_text": "overnight"},
         {"type": "REQUEST", "evidence": "Ukraine asked the European Union for more air defence",
          "source": "A2", "target": "A3"}],
        quotes=[("Q1", "A2", "We need help now,")], times=["Monday"],
    )  # fmt: skip
    d2 = make_doc(
        ARTICLE_2, "2025-06-02", "Talks in Istanbul",
        [("A1", "Turkey", "country", "TR"), ("A2", "Russia", "country", "RU"),
         ("A3", "Ukraine", "country", "UA"), ("A4", "Kremlin", "government", "RU"),
         ("A5", "European Union", "organization", None)],
        [("P1", "Istanbul", "TR", 41.01, 28.98)],
        [{"type": "CONSULT", "evidence": "Turkey hosted talks between Russia and Ukraine in Istanbul",
          "source": "A1", "target": ["A2", "A3"], "place": "P1", "date": "2025-05-30"},
         {"type": "REJECT", "evidence": "The Kremlin rejected a ceasefire proposed by Ukraine",
          "source": "A4", "target": "A3"},
         {"type": "AID", "evidence": "The European Union agreed to send aid to Ukraine",
          "source": "A5", "target": "A3", "status": "planned"}],
        times=["Friday"],
    )  # fmt: skip
    d3 = make_doc(
        HOSTILE_TEXT, "2025-06-03", HOSTILE_TITLE,
        [("A1", HOSTILE_NAME, "group", None), ("A2", "Ukraine", "country", "UA")],
        [("P1", "Kharkiv", "UA", 49.98, 36.25)],
        [{"type": "ASSAULT", "evidence": "attacked the <script>window.__pwned='text'</script> depot",
          "source": "A1", "target": "A2", "place": "P1", "killed": 2}],
        quotes=[("Q1", "A2", "<iframe src=javascript:alert(1)>")], times=["Tuesday"],
    )  # fmt: skip
    return [d1, d2, d3]


def seed_store(url: str) -> dict[str, int]:
    """Store the three documents; returns their article ids by short name."""
    from sitrep.store import open_store

    with open_store(url) as store:
        ids = [store.save(d).article_id for d in documents()]
    return {"kharkiv": ids[0], "istanbul": ids[1], "hostile": ids[2]}
