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
