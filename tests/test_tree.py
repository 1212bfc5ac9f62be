"""The parse tree of plain Python nodes used by the event rules (sitrep.nlp.tree): every node
must say what the spaCy token it stands for says."""

import pytest
from spacy.tokens import Doc

from sitrep.nlp.pipeline import load_pipeline
from sitrep.nlp.tree import ParseTree

_ATTRS = ("i", "idx", "text", "whitespace_", "lower_", "lemma_", "dep_", "pos_", "tag_",
          "ent_type_", "is_alpha")  # fmt: skip


def _ids(tokens) -> list[int]:
    return [t.i for t in tokens]


def _same_as_spacy(doc: Doc) -> None:
    tree = ParseTree(doc)
    spans = list(doc.sents)
    assert [(s.start, s.end, s.start_char, s.end_char, s.text) for s in spans] == [
        (s.start, s.end, s.start_char, s.end_char, s.text) for s in tree.sents
    ]
    assert [s.root.i for s in spans] == [s.root.i for s in tree.sents]
    for tok in doc:
        node = tree.node(tok.i)
        assert [getattr(node, a) for a in _ATTRS] == [getattr(tok, a) for a in _ATTRS]
        assert node.lemma_lower == tok.lemma_.lower()
        assert node.head.i == tok.head.i
        for rel in ("children", "lefts", "rights", "subtree", "conjuncts"):
            assert _ids(getattr(node, rel)) == _ids(getattr(tok, rel)), (tok.i, rel)
        assert (node.left_edge.i, node.right_edge.i) == (tok.left_edge.i, tok.right_edge.i)
        assert (node.sent.start, node.sent.end) == (tok.sent.start, tok.sent.end)
        assert node.sent.node(tok.i) is node


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_nodes_match_tokens(nlp, example_text: str):
    _same_as_spacy(nlp(example_text))


def test_non_projective_sentence(nlp):
    """spaCy's left/right edges are approximations in a non-projective tree; nodes give the
    same ones, and subtrees in spaCy's order."""
    words = ["A", "hearing", "is", "scheduled", "on", "the", "issue", "today", "."]
    heads = [1, 3, 3, 3, 1, 6, 4, 3, 3]  # "on the issue" hangs from "hearing", across "is"
    deps = ["det", "nsubjpass", "auxpass", "ROOT", "prep", "det", "pobj", "npadvmod", "punct"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    tree = ParseTree(doc)
    assert _ids(tree.node(1).subtree) == [0, 1, 4, 5, 6]
    _same_as_spacy(doc)


def test_no_parse_and_empty_docs(nlp):
    assert ParseTree(nlp.make_doc("")).sents == []
    doc = Doc(nlp.vocab, words=["Talks", "ended", "."], heads=[1, 1, 1],
              deps=["nsubj", "ROOT", "punct"])  # fmt: skip
    tree = ParseTree(doc)
    assert tree.node(1).children == (tree.node(0), tree.node(2))
    assert tree.node(2).nbor(-2) is tree.node(0)
    with pytest.raises(IndexError):
        tree.node(0).nbor(-1)


def test_released_nodes_are_built_again(nlp, example_text: str):
    doc = nlp(example_text)
    tree = ParseTree(doc)
    sent = tree.sents[0]
    root = sent.root
    sent.release()  # unlinked: a caller is done with them
    assert not hasattr(root, "head")
    again = sent.root
    assert again is not root and again.i == root.i == list(doc.sents)[0].root.i
    assert _ids(again.children) == _ids(doc[again.i].children)
    tree.close()
    assert tree.sents == []
