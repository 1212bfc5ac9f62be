"""The document text and token attributes, read once per document and shared by every component.

spaCy's ``Doc.text`` re-joins every token on each access; inside loops that made it the
largest cost of several components. ``doc_text(doc)`` caches it in ``doc.user_data``.

Likewise every ``doc[i]`` makes a new ``Token`` object and every ``token.lower_`` a string
lookup: a loop over all tokens that only reads offsets, texts or flags costs several times
what the same loop over plain lists does. ``doc_tokens(doc)`` reads those attributes once
(one ``Doc.to_array`` call per group, on first use) into lists shared by all components.
Build it only once sentence boundaries are final (every sitrep component runs after the
parser); it is rebuilt when the number of tokens changes (retokenisation).
"""

import bisect

from spacy.attrs import IDX, IS_ALPHA, LENGTH, LOWER, POS, SENT_START
from spacy.tokens import Doc

TEXT_KEY = "sitrep.text"
TOKENS_KEY = "sitrep.tokens"


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached in ``doc.user_data`` (re-read if the cached length is stale)."""
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    text = doc.text
    doc.user_data[TEXT_KEY] = text
    return text


class DocTokens:
    """Per-token attributes of one Doc as plain lists (index ``i`` is ``doc[i]``).

    ``text`` is the doc's text, ``starts``/``ends`` character offsets, ``texts`` the token
    texts; the other lists are made on first use: ``lowers`` (``Token.lower_``), ``sent_starts``
    (``Token.is_sent_start`` is True), ``is_alpha`` and ``pos`` (``Token.pos``, symbol ids
    as in ``spacy.symbols``). Holds no reference to the Doc (no reference cycle).
    """

    __slots__ = ("_alpha", "_array", "_lowers", "_pos", "_sent_starts", "_strings", "ends",
                 "starts", "text", "texts")  # fmt: skip

    def __init__(self, doc: Doc) -> None:
        self.text = text = doc_text(doc)
        self._array = array = doc.to_array([IDX, LENGTH, SENT_START, LOWER, IS_ALPHA, POS])
        self._strings = doc.vocab.strings
        starts = array[:, 0].tolist()
        ends = (array[:, 0] + array[:, 1]).tolist()
        self.starts: list[int] = starts
        self.ends: list[int] = ends
        self.texts: list[str] = [text[a:b] for a, b in zip(starts, ends, strict=True)]
        self._lowers: list[str] | None = None
        self._sent_starts: list[bool] | None = None
        self._alpha: list[bool] | None = None
        self._pos: list[int] | None = None

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def lowers(self) -> list[str]:
        if self._lowers is None:
            strings = self._strings
            self._lowers = [strings[h] for h in self._array[:, 3].tolist()]
        return self._lowers

    @property
    def sent_starts(self) -> list[bool]:
        if self._sent_starts is None:
            self._sent_starts = [v == 1 for v in self._array[:, 2].tolist()]
        return self._sent_starts

    @property
    def is_alpha(self) -> list[bool]:
        if self._alpha is None:
            self._alpha = [v == 1 for v in self._array[:, 4].tolist()]
        return self._alpha

    @property
    def pos(self) -> list[int]:
        if self._pos is None:
            self._pos = self._array[:, 5].tolist()
        return self._pos

    def token_at(self, char: int) -> int:
        """Index of the token that starts at or last before ``char`` (-1 if none)."""
        return bisect.bisect_right(self.starts, char) - 1


def doc_tokens(doc: Doc) -> DocTokens:
    """The doc's ``DocTokens``, cached in ``doc.user_data`` (rebuilt if its length is stale)."""
    table = doc.user_data.get(TOKENS_KEY)
    if isinstance(table, DocTokens) and len(table.starts) == len(doc):
        return table
    table = DocTokens(doc)
    doc.user_data[TOKENS_KEY] = table
    return table
