"""The per-document text and token tables shared by sitrep's components (sitrep.nlp.text)."""

import pytest

from sitrep.nlp.pipeline import load_pipeline
from sitrep.nlp.text import DocTokens, doc_ents, doc_text, doc_tokens, seed_doc_text


@pytest.fixture(scope="module")
def example_spacy_doc(example_text: str):
    return load_pipeline()(example_text)


def test_token_table_matches_tokens(example_spacy_doc):
    example_doc = example_spacy_doc
    tk = doc_tokens(example_doc)
    assert len(tk) == len(example_doc)
    assert tk.text == doc_text(example_doc) == example_doc.text
    for i, tok in enumerate(example_doc):
        assert (tk.starts[i], tk.ends[i], tk.texts[i]) == (tok.idx, tok.idx + len(tok), tok.text)
        assert tk.lowers[i] == tok.lower_
        assert tk.sent_starts[i] == bool(tok.is_sent_start)
        assert tk.is_alpha[i] == tok.is_alpha
        assert tk.pos[i] == tok.pos
        assert (tk.lemmas[i], tk.deps[i]) == (tok.lemma_, tok.dep_)
        assert (tk.is_punct[i], tk.is_space[i]) == (tok.is_punct, tok.is_space)
    assert tk.capitalised == [t.i for t in example_doc if t.text[:1].isupper()]
    assert tk.token_at(example_doc[5].idx + 1) == 5
    assert tk.token_at(-1) == -1


def test_token_table_is_cached_and_rebuilt_after_retokenising():
    doc = load_pipeline()("Fighting near New York City killed two people on Monday.")
    tk = doc_tokens(doc)
    assert doc_tokens(doc) is tk
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[2:5])
    fresh = doc_tokens(doc)
    assert fresh is not tk and isinstance(fresh, DocTokens)
    assert fresh.texts[2] == "New York City" and len(fresh) == len(doc)


def test_cached_text_is_not_taken_for_a_copy():
    doc = load_pipeline()("Talks resumed in Geneva. Both sides exchanged prisoners on Monday.")
    assert doc_text(doc) == doc.text and len(doc_tokens(doc)) == len(doc)
    part = doc[5:].as_doc(copy_user_data=True)  # the cache entries travel with user_data
    assert doc_text(part) == part.text != doc.text
    assert doc_tokens(part).texts == [t.text for t in part]


def test_seeded_text_is_the_doc_text():
    nlp = load_pipeline()
    text = "Rebels shelled Goma overnight.\n\nAid agencies said 12 people died.  "
    doc = nlp.make_doc(text)
    seed_doc_text(doc, text)
    assert doc_text(doc) is text and doc.text == text
    other = nlp.make_doc(text)
    seed_doc_text(other, text + "!")  # not the doc's text: ignored
    assert doc_text(other) == text


def test_token_table_is_not_cached_before_parsing():
    doc = load_pipeline().make_doc("Talks resumed in Geneva. Both sides met.")
    assert doc_tokens(doc) is not doc_tokens(doc)


def test_entity_table_matches_doc_ents(example_spacy_doc):
    ents = doc_ents(example_spacy_doc)
    assert ents and ents is doc_ents(example_spacy_doc)
    assert ents == [(e.start, e.end, e.label_, e.start_char, e.end_char)
                    for e in example_spacy_doc.ents]  # fmt: skip


def test_token_range_is_char_span_expand(example_spacy_doc):
    doc = example_spacy_doc
    table = doc_tokens(doc)
    for start, end in [(0, 1), (3, 17), (5, 5), (len(doc.text) - 4, len(doc.text)), (40, 90)]:
        span = doc.char_span(start, end, alignment_mode="expand")
        expected = range(span.start, span.end) if span is not None else range(0)
        assert table.token_range(start, end) == expected, (start, end)
