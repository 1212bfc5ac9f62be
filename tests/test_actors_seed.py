"""Actors on the seed article (../shared; skipped when absent)."""

from __future__ import annotations

import pytest

from sitrep.records import Document

pytestmark = pytest.mark.shared


def by_kb(doc: Document) -> dict[str, object]:
    return {a.kb_id: a for a in doc.actors if a.kb_id}


def test_seed_people(seed_doc: Document) -> None:
    actors = by_kb(seed_doc)
    expected = {
        "Q22686": {"Trump", "Donald Trump"},
        "Q7747": {"Putin", "Vladimir Putin"},
        "Q3874799": {"Volodimir Zelenski", "Zelenski"},
        "Q324546": {"Marco Rubio", "Rubio"},
        "Q28935729": {"Jay Di Vans", "Vance"},
        "sitrep:steve-witkoff": {"Steve Witkov", "Steve Whitkov"},
        "sitrep:kirill-dmitriev": {"Kiril Dmitryv"},
        "sitrep:lindsey-graham": {"Lindsay Graham"},
    }
    for kb_id, surfaces in expected.items():
        assert kb_id in actors, kb_id
        texts = {m.text for m in actors[kb_id].mentions}
        assert surfaces <= texts, (kb_id, surfaces - texts)
    assert actors["Q7747"].role == "president"
    assert actors["Q22686"].country == "USA"


def test_seed_titles_metonyms_and_groups(seed_doc: Document) -> None:
    actors = by_kb(seed_doc)
    assert any(m.text == "Ukrainian president" for m in actors["Q3874799"].mentions)
    assert any(m.text == "Russian leader" for m in actors["Q7747"].mentions)
    assert any(m.text == "US president" for m in actors["Q22686"].mentions)
    assert {"Kremlin", "Moscow"} <= {m.text for m in actors["RUS-GOV"].mentions}
    assert any(m.text == "Ukrainian forces" for m in actors["UKR-MIL"].mentions)
    ids = {a.name for a in seed_doc.actors if a.kind == "person"}
    assert not ids & {"Kiev", "Luchsk", "Kyiv"}


def test_seed_new_people_have_roles(seed_doc: Document) -> None:
    green = next(a for a in seed_doc.actors if a.name == "Eric Green")
    assert green.kb_id is None and green.role and "consultant" in green.role
    assert any(m.text == "Green" for m in green.mentions)


@pytest.fixture(scope="module")
def reuters_docs():
    import datetime as dt
    import json

    import spacy

    import sitrep.resolve.actors  # noqa: F401
    from sitrep.config import DEFAULT_MODEL
    from sitrep.nlp.extensions import register_extensions
    from tests.conftest import shared_path

    path = shared_path("corpus", "reuters21578.jsonl")
    register_extensions()
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("sitrep_actors")
    docs = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n % 37:
                continue
            item = json.loads(line)
            if not item.get("text", "").strip():
                continue
            doc = nlp.make_doc(item["text"])
            day = dt.datetime.strptime(item["published"].strip()[:11].strip(), "%d-%b-%Y")
            doc._.published = day.date().isoformat()
            docs.append(nlp(doc))
            if len(docs) >= 40:
                break
    return docs


def test_reuters_invariants(reuters_docs) -> None:
    people = 0
    for doc in reuters_docs:
        ids = {a.id for a in doc._.sitrep_actors}
        for a in doc._.sitrep_actors:
            assert a.mentions, a
            for m in a.mentions:
                assert doc.text[m.start : m.end] == m.text
                assert doc._.sitrep_actor_spans[(m.start, m.end)] == a.id
            if a.kind == "person":
                people += 1
                assert a.name not in ("Moscow", "Washington", "Kremlin", "Tokyo")
        assert set(doc._.sitrep_actor_spans.values()) <= ids
        for s, e in doc._.sitrep_metonyms:
            assert (s, e) in doc._.sitrep_actor_spans
    assert people > 10
