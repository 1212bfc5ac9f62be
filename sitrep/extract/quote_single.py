"""Quotes in single quotation marks (British style) and the document's quotation style.

Rules (documented in ``sitrep/data/quotes/README.md``, "Single quotation marks"):

* **Apostrophes never open or close.** A mark between two letters or digits is inside a word
  (don't, Kyiv's, Ma'alot, o'clock). An *opening* mark is ``'`` or ``‘`` at a word start:
  after whitespace, the paragraph start, an opening bracket, a dash or a double mark, and
  before a non-space that is not punctuation; a decade or year ('90s, '87) and the words in
  ``elisions.txt`` ('em, 'tis, rock 'n' roll) are not openings. A *closing* mark is ``'`` or
  ``’`` after a non-space and before no letter or digit. It is *strong* when punctuation
  stands before it (``,’``) or after it (``’.``) or it ends the paragraph, *weak* otherwise
  (``the ‘iron fist’ of``). A closing mark after an ``s`` may be a plural possessive
  (students' union, the workers', not the bosses'): it is passed over when a strong one not
  after an ``s`` follows in the paragraph before the next opening mark; so is a weak one when
  the quote so far holds a sentence end.
* **Pairing**, per paragraph: an opening mark opens a quote, the next closing mark (as above)
  closes it; closing marks outside a quote are apostrophes, opening marks inside a quote are
  text (single marks do not nest in single marks). A quote open at a paragraph end continues
  when the next paragraph opens with a single mark (the multi-paragraph convention), and is
  otherwise dropped: an opening apostrophe, not a quote.
* **Style of the document.** A candidate is *evidence* of a style when it is attributed (a
  reporting verb right after it, ``,’ he said``, or before it, ``said: ‘``) or opens its
  paragraph with a sentence's shape (capital first, punctuation last). Top-level single
  candidates (not inside a double-quoted stretch) are compared with top-level double-quoted
  ones: single marks are the document's primary style only when they carry more evidence.
  Then every single candidate that is attributed, sentence-shaped or embedded in a sentence
  (a partial quote needs a governing verb later) is a quote, and double marks inside one are
  nested text. Otherwise double marks are primary (US style, unchanged): single-quoted text
  inside a double quote is text, and a top-level single candidate is a quote only when it is
  attributed.
"""

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from sitrep.extract.quote_lexicon import load_elisions
from sitrep.extract.quote_marks import MARKS, QuotedSpan, _trim, find_quoted_spans, paragraphs

HasCue = Callable[[int, int], bool]

_SINGLE_RE = re.compile("['\u2018\u2019]")
_DOUBLE_RE = re.compile(f"[{re.escape(MARKS)}]")
_OPEN_PREV = '([{—–-/"“„«‟'  # besides whitespace
_NOT_AFTER_OPEN = ",.;:!?)]}"
_STRONG_PREV = ".,!?;:…—–-)"
_STRONG_NEXT = ",.;:!?)]}…—–" + MARKS
_YEAR = re.compile(r"\d0s\b|\d\d\b")
_WORD = re.compile(r"[^\W\d_]+")
_OPEN_GLYPH = re.compile("['\u2018]")
_SENT_BREAK = re.compile(r"[.!?…]['’\"”)]*\s+[A-Z‘'\"“]")
_SENT_END = re.compile(r"[.!?]['’\"”)]*\s")
_SHAPE_END = ".!?…,;:—–-"
_AFTER_CHARS = 100
_AFTER_WORDS = 8
_AFTER_STOP = re.compile(r"[.!?;:]['’\"”)]*(?:\s|$)|(?<!\w)['‘“\"]")  # a sentence end, a quote
_WORD_SPACE = re.compile(r"[\s,]*\S+")
_BEFORE_CHARS = 100
# without a parse: the commonest reporting verbs
_FALLBACK_CUE = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|asked|wrote|writes|insisted|warned|declared)\b"
)


@dataclass(slots=True)
class _Mark:
    pos: int
    opens: bool
    strong: bool = False
    possessive: bool = False


def _marks(text: str, a: int, b: int, elisions: frozenset[str]) -> list[_Mark]:
    """Opening and closing single-mark candidates in paragraph [a, b)."""
    out: list[_Mark] = []
    skip = -1
    for m in _SINGLE_RE.finditer(text, a, b):
        i = m.start()
        if i == skip:
            continue
        ch = text[i]
        prev = text[i - 1] if i > a else "\n"
        nxt = text[i + 1] if i + 1 < b else "\n"
        if prev.isalnum() and nxt.isalnum():
            continue  # inside a word: an apostrophe
        if (
            ch != "’"
            and (prev.isspace() or prev in _OPEN_PREV)
            and not (nxt.isspace() or nxt in _NOT_AFTER_OPEN)
        ):
            if _YEAR.match(text, i + 1, b):
                continue  # the '90s, '87
            w = _WORD.match(text, i + 1, b)
            if w and w.group().lower() in elisions and not text[w.end() : w.end() + 1].isalnum():
                if text.startswith(("'", "’"), w.end()):
                    skip = w.end()  # rock 'n' roll: the second mark is no closing mark
                continue
            out.append(_Mark(i, True))
        elif ch != "‘" and not prev.isspace() and not nxt.isalnum():
            strong = prev in _STRONG_PREV or nxt in _STRONG_NEXT or i + 1 >= b
            out.append(_Mark(i, False, strong, prev in "sS"))
    return out


def _strong_ahead(marks: list[_Mark], k: int) -> bool:
    """A strong closing mark, not after an ``s``, after ``marks[k]`` and before the next
    opening mark."""
    for mk in marks[k + 1 :]:
        if mk.opens:
            return False
        if mk.strong and not mk.possessive:
            return True
    return False


def _has_opening(text: str) -> bool:
    """Cheap test: any ``'`` or ``‘`` at a word start (a regex with a look-behind is slower)."""
    for m in _OPEN_GLYPH.finditer(text):
        i = m.start()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1 : i + 2]
        if (prev.isspace() or prev in _OPEN_PREV) and nxt and not nxt.isspace():
            return True
    return False


def single_candidates(text: str, paras: list[tuple[int, int]] | None = None) -> list[QuotedSpan]:
    """Every stretch between paired single marks, in order (see the module docstring).
    ``paras``: ``paragraphs(text)`` when the caller has them."""
    if not _has_opening(text):
        return []
    elisions = load_elisions()
    spans: list[QuotedSpan] = []
    cur: int | None = None
    for a, b in paragraphs(text) if paras is None else paras:
        marks = _marks(text, a, b, elisions)
        first = 0
        if cur is not None:
            if marks and marks[0].pos == a and marks[0].opens:
                first = 1  # the quote goes on in this paragraph
            else:
                cur = None  # open at a paragraph end: an opening apostrophe
        for k in range(first, len(marks)):
            mk = marks[k]
            if cur is None:
                if mk.opens:
                    cur = mk.pos
                continue
            if mk.opens:
                continue
            if (
                mk.possessive or (not mk.strong and _SENT_BREAK.search(text, cur, mk.pos))
            ) and _strong_ahead(marks, k):
                continue
            s, e = _trim(text, cur + 1, mk.pos)
            if e > s and any(ch.isalnum() for ch in text[s:e]):
                spans.append(QuotedSpan(cur, mk.pos, s, e))
            cur = None
    return spans


# --- the document's style ----------------------------------------------------------------


def _extent(s: QuotedSpan) -> tuple[int, int]:
    return s.open_mark, (s.close_mark if s.close_mark is not None else s.end)


def _inside(inner: QuotedSpan, outer: QuotedSpan) -> bool:
    (a, b), (c, d) = _extent(inner), _extent(outer)
    return c < a and b < d


def _overlap(x: QuotedSpan, y: QuotedSpan) -> bool:
    (a, b), (c, d) = _extent(x), _extent(y)
    return a <= d and c <= b


class _Evidence:
    """Attribution and shape tests on quoted stretches of one text."""

    def __init__(
        self, text: str, has_cue: HasCue | None, paras: list[tuple[int, int]] | None = None
    ) -> None:
        self.text = text
        self.paras = (paragraphs(text) if paras is None else paras) or [(0, len(text))]
        self.starts = [a for a, _ in self.paras]
        self.cue: HasCue = has_cue or (lambda a, b: bool(_FALLBACK_CUE.search(text, a, b)))

    def para_start(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        return self.paras[k][0] if k >= 0 else 0

    def para_end(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        return self.paras[k][1] if k >= 0 else len(self.text)

    def attributed(self, s: QuotedSpan) -> bool:
        """A reporting verb right after the quote (``,’ he said``) or before it (``said: ‘``)."""
        text = self.text
        if s.close_mark is not None:
            lo = s.close_mark + 1
            rest = text[lo : min(lo + _AFTER_CHARS, self.para_end(lo))]
            inner_last = text[s.start : s.close_mark].rstrip()[-1:]
            if inner_last in ",?!—–-" or rest.startswith(","):
                words = _AFTER_WORDS  # ‘...,’ the ministry's spokeswoman said
            elif rest.lstrip()[:1].islower():
                words = 2  # ‘...’ he said; not ‘a term’ used in a sentence
            else:
                words = 0
            m = _AFTER_STOP.search(rest)
            if m:
                rest = rest[: m.start() + 1]
            cut = sum(len(w) for w in _WORD_SPACE.findall(rest)[:words])
            if cut and self.cue(lo, lo + cut):
                return True
        a = self.para_start(s.open_mark)
        for m in _SENT_END.finditer(text, a, s.open_mark):
            a = m.end()
        before = text[a : s.open_mark].rstrip()
        if not before:
            return False
        end = a + len(before)
        if before[-1] in ":,":
            return self.cue(max(a, end - _BEFORE_CHARS), end)
        word = end - len(before.split()[-1])
        return self.cue(word, end)  # said ‘...’

    def shaped(self, s: QuotedSpan) -> bool:
        """A sentence's shape: capital (or digit) first, punctuation last."""
        first = self.text[s.start]
        if not (first.isupper() or first.isdigit() or first in "….'‘\"“"):
            return False
        if s.close_mark is None:
            return True
        last = self.text[s.start : s.close_mark].rstrip()[-1:]
        nxt = self.text[s.close_mark + 1 : s.close_mark + 2]
        return last in _SHAPE_END or nxt in ("", "\n") or nxt in _SHAPE_END

    def opens_paragraph(self, s: QuotedSpan) -> bool:
        return self.para_start(s.open_mark) == s.open_mark

    def embedded(self, s: QuotedSpan) -> bool:
        """Inside a sentence: a word (or a comma) stands right before the opening mark."""
        before = self.text[self.para_start(s.open_mark) : s.open_mark].rstrip()
        return bool(before) and (before[-1].isalnum() or before[-1] in ",;")

    def counts(self, s: QuotedSpan) -> bool:
        return self.attributed(s) or (self.opens_paragraph(s) and self.shaped(s))


def find_spans(
    text: str, has_cue: HasCue | None = None, paras: list[tuple[int, int]] | None = None
) -> list[QuotedSpan]:
    """Every quoted stretch of ``text``, double- and single-quoted, in order, none nested.
    ``paras``: ``paragraphs(text)`` when the caller has them."""
    doubles = find_quoted_spans(text, has_cue, paras=paras)
    singles = single_candidates(text, paras)
    if not singles:
        return doubles
    # single candidates not inside (or across) a double-quoted stretch
    top_s = [s for s in singles if not any(_overlap(s, d) and not _inside(d, s) for d in doubles)]
    if not top_s:
        return doubles
    ev = _Evidence(text, has_cue, paras)
    top_d = [d for d in doubles if not any(_inside(d, s) for s in top_s)]
    single_ev = sum(1 for s in top_s if ev.counts(s))
    double_ev = sum(1 for d in top_d if ev.counts(d))
    if single_ev > double_ev:
        kept = [s for s in top_s if ev.attributed(s) or ev.shaped(s) or ev.embedded(s)]
        nested = {
            m.start() for s in kept for m in _DOUBLE_RE.finditer(text, s.open_mark, _extent(s)[1])
        }
        doubles = [
            d
            for d in find_quoted_spans(text, has_cue, nested, paras)
            if not any(_overlap(d, s) for s in kept)
        ]
    else:
        kept = [s for s in top_s if not any(_overlap(s, d) for d in doubles) and ev.attributed(s)]
    return sorted(doubles + kept, key=lambda s: s.open_mark)
