"""The document text and token attributes, read once per document and shared by every component.

spaCy's ``Doc.text`` re-joins every token on each access; inside loops that made it the
largest cost of several components. ``doc_text(doc)`` caches it in ``doc.user_data``, with the
Doc's identity and number of tokens: a Doc's text never changes (retokenising keeps it), and
a cache copied with ``user_data`` into another Doc (``Span.as_doc(copy_user_data=True)``) is
not taken for that Doc's.

Likewise every ``doc[i]`` makes a new ``Token`` object and every ``token.lower_`` a string
lookup: a loop over all tokens that only reads offsets, texts or flags costs several times
what the same loop over plain lists does. ``doc_tokens(doc)`` reads those attributes once
(one ``Doc.to_array`` call, converted per attribute on first use) into lists shared by all
components. It is cached only once the doc is parsed (sentence starts are final then; every
sitrep component but ``sitrep_line_breaks`` runs after the parser) and rebuilt when the
number of tokens changes (retokenisation).
"""

import bisect

from spacy.attrs import (
    DEP,
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    POS,
    SENT_START,
)
from spacy.tokens import Doc

TEXT_KEY = "sitrep.text"
TOKENS_KEY = "sitrep.tokens"
ENTS_KEY = "sitrep.ents"


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached in ``doc.user_data`` (read again for another Doc)."""
    cached = doc.user_data.get(TEXT_KEY)
    if type(cached) is tuple and cached[1] == id(doc) and cached[2] == len(doc):
        return cached[0]
    text = doc.text
    doc.user_data[TEXT_KEY] = (text, id(doc), len(doc))
    return text


def seed_doc_text(doc: Doc, text: str) -> None:
    """Cache ``text`` as the doc's text when the doc was made from it (``nlp.make_doc(text)``:
    spaCy's tokenizer keeps the text verbatim), so it is never re-joined from the tokens.
    Does nothing when the lengths differ."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        doc.user_data[TEXT_KEY] = (text, id(doc), len(doc))


class DocTokens:
    """Per-token attributes of one Doc as plain lists (index ``i`` is ``doc[i]``).

    ``text`` is the doc's text, ``starts``/``ends`` character offsets, ``texts`` the token
    texts; the other lists are made on first use: ``lowers`` (``Token.lower_``), ``lemmas``
    (``Token.lemma_``), ``deps`` (``Token.dep_``), ``pos`` (``Token.pos``, symbol ids as in
    ``spacy.symbols``), ``sent_starts`` (``Token.is_sent_start`` is True), ``is_alpha``,
    ``is_punct`` and ``is_space``; ``capitalised``: the indexes of the tokens whose first
    character is upper-case. Holds no reference to the Doc (no reference cycle).
    """

    __slots__ = ("_array", "_cols", "_doc_id", "_strings", "ends", "starts", "text", "texts")

    def __init__(self, doc: Doc) -> None:
        self._doc_id = id(doc)  # the Doc it was read from (an int, not a reference)
        self.text = text = doc_text(doc)
        self._array = array = doc.to_array(_ATTRS)
        self._strings = doc.vocab.strings
        self._cols: dict[str, list] = {}
        starts = array[:, 0].tolist()
        ends = (array[:, 0] + array[:, 1]).tolist()
        self.starts: list[int] = starts
        self.ends: list[int] = ends
        self.texts: list[str] = [text[a:b] for a, b in zip(starts, ends, strict=True)]

    def __len__(self) -> int:
        return len(self.starts)

    def _strings_of(self, name: str, col: int) -> list[str]:
        out = self._cols.get(name)
        if out is None:
            strings = self._strings
            out = self._cols[name] = [strings[h] for h in self._array[:, col].tolist()]
        return out

    def _flags_of(self, name: str, col: int) -> list[bool]:
        out = self._cols.get(name)
        if out is None:
            out = self._cols[name] = [v == 1 for v in self._array[:, col].tolist()]
        return out

    @property
    def lowers(self) -> list[str]:
        return self._strings_of("lowers", 3)

    @property
    def lemmas(self) -> list[str]:
        return self._strings_of("lemmas", 9)

    @property
    def deps(self) -> list[str]:
        return self._strings_of("deps", 8)

    @property
    def pos(self) -> list[int]:
        out = self._cols.get("pos")
        if out is None:
            out = self._cols["pos"] = self._array[:, 5].tolist()
        return out

    @property
    def sent_starts(self) -> list[bool]:
        return self._flags_of("sent_starts", 2)

    @property
    def is_alpha(self) -> list[bool]:
        return self._flags_of("is_alpha", 4)

    @property
    def is_punct(self) -> list[bool]:
        return self._flags_of("is_punct", 6)

    @property
    def is_space(self) -> list[bool]:
        return self._flags_of("is_space", 7)

    @property
    def capitalised(self) -> list[int]:
        out = self._cols.get("capitalised")
        if out is None:
            out = self._cols["capitalised"] = [
                i for i, t in enumerate(self.texts) if t[:1].isupper()
            ]
        return out

    def token_at(self, char: int) -> int:
        """Index of the token that starts at or last before ``char`` (-1 if none)."""
        return bisect.bisect_right(self.starts, char) - 1

    def token_range(self, start: int, end: int) -> range:
        """The tokens overlapping characters [start, end), as ``doc.char_span(start, end,
        alignment_mode="expand")`` gives them, without building a Span."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return range(first, last) if first < last else range(0)


# the columns of ``DocTokens._array``, in this order (indexes used above)
_ATTRS = [IDX, LENGTH, SENT_START, LOWER, IS_ALPHA, POS, IS_PUNCT, IS_SPACE, DEP, LEMMA]


def doc_tokens(doc: Doc) -> DocTokens:
    """The doc's ``DocTokens``, cached in ``doc.user_data`` (rebuilt after retokenising, or
    for another Doc)."""
    table = doc.user_data.get(TOKENS_KEY)
    if type(table) is DocTokens and table._doc_id == id(doc) and len(table.starts) == len(doc):
        return table
    table = DocTokens(doc)
    if doc.has_annotation("DEP"):  # before the parser, sentence starts may still change
        doc.user_data[TOKENS_KEY] = table
    return table


def doc_ents(doc: Doc) -> list[tuple[int, int, str, int, int]]:
    """``(start, end, label_, start_char, end_char)`` of each of ``doc.ents``, read once per
    Doc (each ``doc.ents`` builds every Span again). Cached once the NER has run; sitrep's
    components read the entities but never set them."""
    cached = doc.user_data.get(ENTS_KEY)
    if type(cached) is tuple and cached[1] == id(doc) and cached[2] == len(doc):
        return cached[0]
    ents = [(e.start, e.end, e.label_, e.start_char, e.end_char) for e in doc.ents]
    if doc.has_annotation("ENT_IOB"):
        doc.user_data[ENTS_KEY] = (ents, id(doc), len(doc))
    return ents
