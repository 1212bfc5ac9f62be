"""Every output validates against the sitrep/1 schema and its offsets point at its text."""

from __future__ import annotations

import json

import pytest

import sitrep
from sitrep.records import Document
from sitrep.validate import validate_document

TEXTS = [
    "The United Nations said on Tuesday that 12 people were killed in Goma.",
    "Nothing happened here at all, the mayor said, and nobody was hurt.",
    "“We will not negotiate,” the minister said. Talks in Paris are planned for Friday.",
]


def test_example_validates(example_doc: Document) -> None:
    validate_document(example_doc.to_dict(), example_doc.text)


@pytest.mark.parametrize("text", TEXTS)
def test_small_texts_validate(text: str) -> None:
    doc = sitrep.analyze(text, published="2024-03-05")
    validate_document(doc.to_dict(), text)


def test_seed_validates(seed_doc: Document) -> None:
    validate_document(seed_doc.to_dict(), seed_doc.text)


def test_roundtrip(example_doc: Document) -> None:
    data = example_doc.to_dict(include_text=True)
    again = Document.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict(include_text=True) == data


def test_offsets_check_catches_bad_span(example_doc: Document) -> None:
    data = example_doc.to_dict()
    assert data["actors"], "the example names actors"
    data["actors"][0]["mentions"][0]["start"] += 1
    with pytest.raises(ValueError):
        validate_document(data, example_doc.text)


def test_article_metadata(example_doc: Document) -> None:
    a = example_doc.article
    assert a.published == "2025-06-02"
    assert a.language == "en"
    assert len(a.sha256) == 64
