"""Find quoted stretches of text from double quote marks, repairing unbalanced marks.

Rules (documented in ``sitrep/data/quotes/README.md``):

* A mark's role (opening or closing) comes from its neighbours first and its glyph second:
  a mark followed by ``, . ; : ! ?`` or preceded by a letter and followed by a space closes;
  one preceded by a space (or nothing) and followed by a letter opens; otherwise “ „ « open,
  ” » close and a straight ``"`` toggles.
* Repair: a closing mark met outside any quote (machine translation often turns
  ``to “cease fire”.`` into ``to” cease fire “.``) extends the previous quote of the same
  paragraph up to it, unless a reporting verb stands between them (then the mark is dropped).
  An opening mark inside an open quote nests.
* A quote still open at the end of a paragraph continues into the next paragraph when that one
  opens with a quote mark (the wire convention for quotes over several paragraphs); otherwise it
  ends with its paragraph.

Single quotation marks are handled in ``quote_single`` (British style, apostrophes); inside
double quotes they are text.
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

OPENING = "“„«‟"
CLOSING = "”»"
AMBIGUOUS = '"″'
MARKS = OPENING + CLOSING + AMBIGUOUS
_MARK_RE = re.compile(f"[{re.escape(MARKS)}]")
_PARA_RE = re.compile(r"\n\s*")
_CLOSE_NEXT = ",;:!?)]}"
_OPEN_PREV = "([{—–-/"
_STRIP_END = " \t\n,;:"


@dataclass(slots=True)
class QuotedSpan:
    """A stretch between quote marks: ``start``/``end`` are the trimmed content."""

    open_mark: int  # index of the opening mark (or of the content start when it had none)
    close_mark: int | None  # index of the closing mark, None when the quote ran to a break
    start: int
    end: int


def _role(text: str, i: int) -> str:
    """'open', 'close' or 'toggle' for the quote mark at ``i``."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    if nxt in _CLOSE_NEXT or (nxt == "." and not text.startswith("...", i + 1)):
        return "close"
    if nxt in "\n" and not prev.isspace():
        return "close"
    if prev.isspace() or prev in _OPEN_PREV:
        if not nxt.isspace():
            return "open"
    elif nxt.isspace():
        return "close"
    ch = text[i]
    if ch in OPENING:
        return "open"
    if ch in CLOSING:
        return "close"
    return "toggle"


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE_END = frozenset('.!?:;"”’»)]')  # a line ending in one of these ends a sentence


def paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph. Where the text has blank lines they alone separate
    paragraphs (single newlines are wrapping); otherwise a newline separates paragraphs when
    the line before it ends a sentence (hard-wrapped wire copy breaks lines mid-sentence)."""
    bounds, pos = [], 0
    blank = _BLANK_LINE.search(text) is not None
    for m in _PARA_RE.finditer(text):
        if blank and m.group().count("\n") < 2:
            continue
        if not blank:
            line = text[pos : m.start()].rstrip()
            if not line or line[-1] not in _LINE_END:
                continue
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return bounds


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _STRIP_END:
        end -= 1
    return start, end


def find_quoted_spans(
    text: str,
    has_cue: Callable[[int, int], bool] | None = None,
    ignore: Collection[int] = (),
    paras: list[tuple[int, int]] | None = None,
) -> list[QuotedSpan]:
    """Every double-quoted stretch of ``text`` in order, after repair.

    ``has_cue(start, end)`` says whether a reporting verb stands in ``text[start:end]``; it
    guards the repair of stray closing marks (none given: never extend across a sentence end).
    Marks at the offsets in ``ignore`` are text (double marks nested in a single-quoted quote).
    ``paras``: ``paragraphs(text)`` when the caller has them.
    """
    marks_by_para: list[list[int]] = []
    if not _MARK_RE.search(text):
        return []
    if paras is None:
        paras = paragraphs(text)
    for a, b in paras:
        marks_by_para.append(
            [m.start() for m in _MARK_RE.finditer(text, a, b) if m.start() not in ignore]
        )

    pairs: list[list[int | None]] = []  # [open, close, para_index]
    cur: int | None = None  # opening mark of the quote being read
    depth = 0
    dangling: int | None = None  # a quote the last paragraph break closed, still repairable
    for p, (a, _b) in enumerate(paras):
        marks = marks_by_para[p]
        skip_first = False
        dangling = None
        if cur is not None:
            # continuing quote: this paragraph must open with a quote mark
            if marks and marks[0] == a:
                skip_first = True
            else:
                pairs.append([cur, None, p - 1])
                dangling = len(pairs) - 1
                cur, depth = None, 0
        para_pairs_start = len(pairs)
        for k, i in enumerate(marks):
            if skip_first and k == 0:
                continue
            role = _role(text, i)
            if cur is None:
                if role in ("open", "toggle"):
                    cur, depth = i, 0
                    continue
                # stray closing mark: extend the previous quote of this paragraph, or one
                # the paragraph break before cut short (a break that was only a line wrap)
                if len(pairs) > para_pairs_start:
                    last = pairs[-1]
                    gap_start = (last[1] or last[0]) + 1  # type: ignore[operator]
                    if not _blocks_repair(text, gap_start, i, has_cue):
                        last[1] = i
                elif dangling is not None and not _blocks_repair(text, a, i, has_cue):
                    pairs[dangling][1] = i
                dangling = None
                continue
            dangling = None
            if role == "open":
                depth += 1
            elif depth:
                depth -= 1
            else:
                pairs.append([cur, i, p])
                cur = None
        if cur is not None and p == len(paras) - 1:
            pairs.append([cur, None, p])
            cur = None
    if cur is not None:
        pairs.append([cur, None, len(paras) - 1])

    spans: list[QuotedSpan] = []
    for open_i, close_i, p in pairs:
        assert open_i is not None and p is not None
        end = close_i if close_i is not None else paras[p][1]
        s, e = _trim(text, open_i + 1, end)
        if e <= s or not any(ch.isalnum() for ch in text[s:e]):
            continue
        spans.append(QuotedSpan(open_i, close_i, s, e))
    return spans


def _blocks_repair(
    text: str, start: int, end: int, has_cue: Callable[[int, int], bool] | None
) -> bool:
    if has_cue is not None:
        return has_cue(start, end)
    return bool(re.search(r"[.!?]\s+[A-Z]", text[start:end]))
