"""Quote extraction: direct, partial and indirect speech, each with its speaker and cue.

* Direct and partial quotes come from double quote marks (``quote_marks`` pairs and repairs
  them) and single ones (``quote_single``: British style, apostrophes, the document's style).
  A quote whose opening mark starts a paragraph or follows ``. ! ? : , ;`` (or a
  reporting verb) is *direct*; one embedded in a sentence is *partial* when a reporting verb
  governs it (``spoke of a "good meeting"``, attributed to that verb's subject) and a scare
  quote or quoted term otherwise (``the so-called "basic causes"``): scare quotes are omitted.
* A direct quote's cue is a reporting verb right after it in its sentence (``"...," he
  wrote``) or right before it (``Rubio said: "..."``). A quote split by its attribution
  (``"A," he said, "B."``) gives two quotes with the same speaker and cue. A direct quote with
  no cue of its own continues the previous quote's speaker (same or previous paragraph).
* Indirect speech is the clausal complement of a reporting verb (``said that ...``,
  ``..., X said``), the main clause beside ``according to X`` or ``as X noted``.

Speakers are actor ids through ``quote_speakers.SpeakerIndex``. ``doc.text[start:end] ==
text`` for every quote. Knowledge lives in ``sitrep/data/quotes/`` (see its README.md).
"""

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.symbols import VERB
from spacy.tokens import Doc, Token

from sitrep.extract.quote_lexicon import QuoteLexicon, load_lexicon
from sitrep.extract.quote_marks import CLOSING, MARKS, QuotedSpan, paragraphs
from sitrep.extract.quote_single import find_spans
from sitrep.extract.quote_speakers import SpeakerIndex
from sitrep.nlp.text import doc_text, doc_tokens
from sitrep.records import Quote

_DIRECT_PREV = ".!?:,;—–([’" + CLOSING
# a sentence end: . ! ? (not after a capital, as in "U.S.", nor a title) then space
# (the mark first, then the look-behinds past it: the regex engine skips to . ! ? quickly)
_SENT_END = re.compile(
    r"[.!?](?<![A-Z].)(?<!\bMr.)(?<!\bMrs.)(?<!\bMs.)(?<!\bDr.)"
    r"(?<!\bSt.)(?<!\bGen.)(?<!\bSen.)[\"”’')]*\s+"
)
_AFTER_MAX_TOKENS = 14
_BEFORE_MAX_TOKENS = 12
_CLIMB_MAX = 8
_LEADING_DROP = frozenset({"that"})
_CONTRAST = frozenset({"while", "whereas"})
_JUNK_END = re.compile(r"(?:\s|&|\\[tn])+$")  # spaces, and "&\t" debris of old wire markup
# a wire dateline opening the first sentence: "KYIV, June 2 (Reuters) - "
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+,(?: [A-Z][a-z]+\.?)?(?: \d{1,2})?(?: \([^)]*\))? [-–—] ")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-Z]")  # a sentence ends inside a quote
_CONNECTIVES = frozenset({"however", "meanwhile", "still", "yet", "moreover", "indeed"})


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: str
    speaker: str | None
    cue: str | None
    channel: str | None
    speaker_text: str | None = None


class QuoteExtractor:
    def __init__(self, lexicon: QuoteLexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)  # Doc.text rebuilds the string on every access: read it once
        doc._.sitrep_quotes = [
            Quote(
                f"Q{n}",
                f.speaker,
                text[f.start : f.end],
                f.kind,
                f.start,
                f.end,
                f.cue,
                f.channel,
                f.speaker_text,
            )
            for n, f in enumerate(self.extract(doc), 1)
        ]
        return doc

    def extract(self, doc: Doc) -> list[_Found]:
        text = doc_text(doc)
        verbs = self.lex.direct_verbs | self.lex.indirect_verbs
        tk = doc_tokens(doc)
        tok_starts, lemmas, pos = tk.starts, tk.lemmas, tk.pos

        def has_cue(a: int, b: int) -> bool:
            lo, hi = bisect.bisect_left(tok_starts, a), bisect.bisect_left(tok_starts, b)
            return any(lemmas[i].lower() in verbs and pos[i] == VERB for i in range(lo, hi))

        paras = paragraphs(text)
        spans = find_spans(text, has_cue, paras)
        quoted = [(s.open_mark, _mark_end(s)) for s in spans]
        idx = SpeakerIndex(doc, self.lex, quoted)
        run = _DocRun(doc, idx, self.lex, spans, paras)
        found = run.indirect()
        found.extend(run.quoted(found))
        found.sort(key=lambda f: (f.start, f.end))
        return found


def _positions(values: list, value: object) -> list[int]:
    """The indexes of ``value`` in ``values`` (``list.index`` scans in C: no Python loop over
    every token)."""
    out = []
    i = -1
    try:
        while True:
            i = values.index(value, i + 1)
            out.append(i)
    except ValueError:
        return out


def _mark_end(span: QuotedSpan) -> int:
    return (span.close_mark if span.close_mark is not None else span.end) + 1


class _DocRun:
    """The state of one document's extraction (indexes built once, linear passes)."""

    def __init__(
        self, doc: Doc, idx: SpeakerIndex, lex: QuoteLexicon, spans: list[QuotedSpan],
        paras: list[tuple[int, int]],
    ) -> None:  # fmt: skip
        self.doc, self.idx, self.lex, self.spans = doc, idx, lex, spans
        self.tk = doc_tokens(doc)
        self.text = doc_text(doc)
        self.paras = paras or [(0, len(self.text))]  # ``paragraphs(self.text)``
        self.para_starts = [a for a, _ in self.paras]
        # ranges covered by quote marks and their content, for "inside a quote" checks
        self.ranges = [(s.open_mark, _mark_end(s)) for s in spans]
        self.range_starts = [r[0] for r in self.ranges]
        self.kinds = [self._kind(s) for s in spans]
        self.direct_ranges = [(s.start, s.end) for s, k in zip(spans, self.kinds, strict=True)
                              if k == "direct"]  # fmt: skip
        self.direct_starts = [r[0] for r in self.direct_ranges]

    # --- helpers -------------------------------------------------------------------------
    def para_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def para_bounds(self, char: int) -> tuple[int, int]:
        return self.paras[self.para_of(char)]

    def in_quote(self, char: int) -> bool:
        i = bisect.bisect_right(self.range_starts, char) - 1
        return i >= 0 and char < self.ranges[i][1]

    def _kind(self, span: QuotedSpan) -> str:
        """'direct', 'partial' (embedded) or 'scare' (embedded after a term cue)."""
        text = self.text
        para_start = self.para_bounds(span.open_mark)[0]
        before = _JUNK_END.sub("", text[para_start : span.open_mark])
        if not before or before[-1] in _DIRECT_PREV:
            return "direct"
        if _SENTENCE_INSIDE.search(text, span.start, span.end):
            return "direct"
        if self.lex.scare_cue.search(before[-40:]):
            return "scare"
        last = self.idx.token_at(len(before) + para_start - 1)
        if last is not None and last.lemma_.lower() in self.lex.direct_verbs:
            return "direct"  # said "..."
        if text[span.start].isupper():
            if self._cue_after(span)[0] is not None:
                return "direct"  # a sentence in quotes with its attribution after it
            if last is not None and last.head.lemma_.lower() in self.lex.direct_verbs:
                return "direct"  # told reporters "We ..."

        return "partial"

    def _verb_ok(self, verb: Token) -> bool:
        """Not a hypothetical or negated report ("can argue", "did not say")."""
        return not any(dep == "neg" or c.tag_ == "MD" for c, dep in self.idx.children(verb))

    def _cue_text(self, verb: Token) -> str:
        prt = next((c for c, dep in self.idx.children(verb) if dep == "prt"), None)
        texts = self.tk.texts
        if prt is not None and prt.i == verb.i + 1:
            return f"{texts[verb.i]} {texts[prt.i]}"
        return texts[verb.i]

    def _speaker(self, verb: Token, lo: int, hi: int) -> tuple[str | None, str | None]:
        """(actor id, speaker as written) for a reporting verb."""
        subj = self.idx.subject_of(verb)
        if subj is not None and self.idx.in_quote(subj.idx):
            subj = None  # the parser took a word of the quote itself as the subject
        said = self.idx.phrase(subj) if subj is not None else None
        if subj is not None:
            aid = self.idx.resolve(subj)
            if aid is not None:
                return aid, said
        if subj is not None and subj.pos_ != "PRON":
            return None, said  # a speaker is named but is no actor ("opposition leaders")
        near = self.idx.speaker_near(verb, lo, hi)
        if near is not None:
            return near[0], said or near[1]
        return None, said

    def _channel(self, verb: Token, extra: tuple[int, int] | None = None) -> str | None:
        windows = [self.idx.sent_chars(verb.i)]
        if extra is not None:
            windows.append(extra)
        return self.idx.channel(windows, verb.idx)

    def _sentence_before(self, char: int) -> tuple[int, int] | None:
        tok = self.idx.token_at(char)
        if tok is None:
            return None
        first = self.idx.sent_first[self.idx.sent_of[tok.i]]
        if first == 0:
            return None
        return self.idx.sent_chars(first - 1)

    # --- indirect speech -----------------------------------------------------------------
    def indirect(self) -> list[_Found]:
        out: list[_Found] = []
        doc, verbs = self.doc, self.lex.indirect_verbs
        reporting: dict[str, bool] = {}  # lemma -> its lower-cased form is a reporting verb
        # a Token object only for "according" and reporting verbs (attributes read once)
        tk = self.tk
        lowers, lemmas = tk.lowers, tk.lemmas
        for i in sorted({*_positions(tk.pos, VERB), *_positions(lowers, "according")}):
            if lowers[i] != "according":
                lemma = lemmas[i]
                if lemma not in reporting:
                    reporting[lemma] = lemma.lower() in verbs
                if not reporting[lemma]:
                    continue
            if self.in_quote(tk.starts[i]):
                continue
            tok = doc[i]
            if tok.lower_ == "according":
                found = self._according(tok)
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in self.lex.indirect_verbs:
                found = self._reported_clause(tok)
            else:
                continue
            if found is not None:
                out.append(found)
        return out

    def _clause_bounds(self, first: int, last: int) -> tuple[int, int] | None:
        """Char span of tokens first..last, trimmed of 'that', punctuation and spaces."""
        tk = self.tk
        space, punct, texts, lowers = tk.is_space, tk.is_punct, tk.texts, tk.lowers
        while first <= last and (
            space[first]
            or punct[first]
            and texts[first] not in MARKS
            or lowers[first] in _LEADING_DROP
            or (lowers[first] in _CONNECTIVES and first < last and texts[first + 1] == ",")
        ):
            first += 1
        deps = tk.deps
        while last >= first and (
            space[last] or punct[last] and texts[last] not in MARKS or deps[last] == "cc"
        ):
            last -= 1
        if last < first:
            return None
        start, end = tk.starts[first], tk.ends[last]
        end = self._balance(start, end)
        dateline = _DATELINE.match(self.text, start, end)
        if dateline:
            start = dateline.end()
        if sum(tk.is_alpha[first : last + 1]) < 2:
            return None
        # a clause that is mostly a direct quote is direct speech, reported elsewhere
        lo = max(0, bisect.bisect_right(self.direct_starts, start) - 1)
        hi = bisect.bisect_left(self.direct_starts, end)
        covered = 0
        for s, e in self.direct_ranges[lo:hi]:
            covered += max(0, min(end, e) - max(start, s))
        if covered * 2 > end - start:
            return None
        if lo < hi and self.direct_starts[lo] <= start < self.direct_ranges[lo][1] < end:
            return None  # begins inside a direct quote and runs out of it: a misparse
        return start, end

    def _balance(self, start: int, end: int) -> int:
        """Take in the closing mark of a quote opened inside [start, end) and left open."""
        i = bisect.bisect_right(self.range_starts, end) - 1
        if i >= 0 and self.ranges[i][0] >= start:
            close = self.spans[i].close_mark
            if close is not None and close >= end and not self.text[end:close].strip():
                return close + 1
        return end

    def _reported_clause(self, verb: Token) -> _Found | None:
        if not self._verb_ok(verb):
            return None
        comp = next((c for c, dep in self.idx.children(verb) if dep == "ccomp"), None)
        if comp is not None:
            last = comp.right_edge.i
            deps = self.tk.deps
            for c in comp.rights:
                c_dep = deps[c.i]
                # "said X had struck ... and denied Y": a subjectless reporting verb joined to
                # the clause is the speaker's next act, not part of what was reported
                if (
                    c_dep == "conj"
                    and self.tk.lemmas[c.i].lower() in self.lex.any_verbs
                    and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                ) or (
                    # "..., while the governor put it at 11": the writer's contrast
                    c_dep == "advcl"
                    and any(g.dep_ == "mark" and g.lower_ in _CONTRAST for g in c.children)
                ):
                    last = min(last, c.left_edge.i - 1)
                    break
            bounds = self._clause_bounds(comp.left_edge.i, last)
        elif self._is_as_clause(verb):  # "..., as X noted": the sentence is reported
            bounds = self._rest_of_clause(verb.sent.root, verb)
        elif self._is_parenthetical(verb):
            bounds = self._rest_of_clause(verb.head, verb)
        else:
            return None
        if bounds is None:
            return None
        s, e = bounds
        speaker, said = self._speaker(verb, *self.idx.sent_chars(verb.i))
        return _Found(s, e, "indirect", speaker, self._cue_text(verb), self._channel(verb), said)

    def _is_as_clause(self, verb: Token) -> bool:
        return (
            verb.dep_ == "advcl"
            and any(dep == "mark" and c.lower_ == "as" for c, dep in self.idx.children(verb))
            and not any(dep in ("dobj", "ccomp", "xcomp") for _, dep in self.idx.children(verb))
        )

    def _is_parenthetical(self, verb: Token) -> bool:
        """'..., X said.' parsed with the reported clause as the root."""
        return (
            verb.dep_ in ("parataxis", "ccomp")
            and verb.head.i < verb.i
            and any(dep == "nsubj" for _, dep in self.idx.children(verb))
            and not any(dep in ("dobj", "ccomp", "xcomp") for _, dep in self.idx.children(verb))
            and not self.in_quote(verb.head.idx)
        )

    def _rest_of_clause(self, head: Token, part: Token) -> tuple[int, int] | None:
        """The longer piece of ``head``'s subtree left when ``part``'s subtree is cut out."""
        lo, hi = head.left_edge.i, head.right_edge.i
        plo, phi = part.left_edge.i, part.right_edge.i
        left = self._clause_bounds(lo, plo - 1) if plo > lo else None
        right = self._clause_bounds(phi + 1, hi) if phi < hi else None
        pieces = [p for p in (left, right) if p is not None]
        return max(pieces, key=lambda p: p[1] - p[0]) if pieces else None

    def _according(self, tok: Token) -> _Found | None:
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None:
            return None
        src = next((c for c in to.children if c.dep_ == "pobj"), None)
        head = tok.head
        if src is None or head.i == tok.i:
            return None
        if head.lemma_.lower() in self.lex.indirect_verbs:
            return None  # "According to a readout, X said ...": the inner report counts
        bounds = self._rest_of_clause(head, tok)
        if bounds is None:
            return None
        speaker = self.idx.resolve(src)
        channel = self.idx.channel([self.idx.sent_chars(tok.i)], tok.idx)
        said = self.idx.phrase(src)
        return _Found(bounds[0], bounds[1], "indirect", speaker, "according to", channel, said)

    # --- quoted speech -------------------------------------------------------------------
    def quoted(self, indirect: list[_Found]) -> list[_Found]:
        out: list[_Found] = []
        attributed = sorted(indirect, key=lambda f: f.start)
        starts = [f.start for f in attributed]
        prev_close: int | None = None
        prev_para = -1
        for span, kind in zip(self.spans, self.kinds, strict=True):
            para = self.para_of(span.open_mark)
            seg_start = prev_close + 1 if prev_close is not None and prev_para == para else None
            prev_close, prev_para = (
                span.close_mark if span.close_mark is not None else span.end,
                para,
            )
            if kind == "scare":
                continue
            if kind == "partial":
                found = self._partial(span)
            else:
                found = self._direct(span, seg_start)
                if found is None:
                    found = self._follow_on(span, out, attributed, starts)
            if found is not None:
                out.append(found)
        return out

    def _partial(self, span: QuotedSpan) -> _Found | None:
        inside = self.idx.tokens_between(span.start, span.end)
        if not inside:
            return None
        lo, hi = inside[0].i, inside[-1].i
        verb = None
        for t in inside:
            node, steps = t.head, 0
            while lo <= node.i <= hi and node.head.i != node.i:
                node = node.head
            while steps < _CLIMB_MAX and not (lo <= node.i <= hi):
                lemma = node.lemma_.lower()
                if node.lower_ == "according" or (
                    node.pos_ == "VERB" and lemma in self.lex.partial_verbs and self._verb_ok(node)
                ):
                    verb = node
                    break
                if node.head.i == node.i:
                    break
                node, steps = node.head, steps + 1
            if verb is not None:
                break
        if verb is None:
            return None  # no one is said to say it: a scare quote or a term
        if verb.lower_ == "according":
            to = next((c for c in verb.children if c.lower_ == "to"), None)
            src = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            speaker = self.idx.resolve(src) if src is not None else None
            said = self.idx.phrase(src) if src is not None else None
            cue = "according to"
        else:
            speaker, said = self._speaker(verb, *self.idx.sent_chars(verb.i))
            cue = self._cue_text(verb)
        return _Found(span.start, span.end, "partial", speaker, cue, self._channel(verb), said)

    def _direct(self, span: QuotedSpan, seg_start: int | None) -> _Found | None:
        verb, lo, hi = self._cue_after(span)
        if verb is None:
            verb, lo, hi = self._cue_before(span, seg_start)
        if verb is None:
            return None
        speaker, said = self._speaker(verb, lo, hi)
        extra = self._sentence_before(span.open_mark)
        if extra is not None and (speaker is None or not self.idx.mentions_actor(*extra, speaker)):
            extra = None
        cue, channel = self._cue_text(verb), self._channel(verb, extra)
        return _Found(span.start, span.end, "direct", speaker, cue, channel, said)

    def _cue_after(self, span: QuotedSpan) -> tuple[Token | None, int, int]:
        text = self.text
        close = span.close_mark
        if close is None:
            return None, 0, 0
        lo = close + 1
        rest = text[lo : lo + 300]
        stripped = rest.lstrip(" ,")
        ends_open = text[close - 1] in ",?!—–-" or rest.startswith(",")
        if not (ends_open or (stripped[:1].islower())):
            return None, 0, 0
        hi = lo + len(rest)
        m = _SENT_END.search(rest)
        if m:
            hi = min(hi, lo + m.start() + 1)
        hi = min(hi, max(lo, self.para_bounds(close)[1]))
        i = bisect.bisect_right(self.range_starts, close)
        if i < len(self.ranges):
            hi = min(hi, self.ranges[i][0])
        i = self._direct_verb(self.idx.token_indexes(lo, hi)[:_AFTER_MAX_TOKENS])
        return (self.doc[i], lo, hi) if i is not None else (None, 0, 0)

    def _direct_verb(self, indexes: Iterable[int]) -> int | None:
        """The first of the tokens ``indexes`` that is a verb able to carry a direct quote."""
        pos, lemmas, verbs = self.tk.pos, self.tk.lemmas, self.lex.direct_verbs
        return next((i for i in indexes if pos[i] == VERB and lemmas[i].lower() in verbs), None)

    def _cue_before(self, span: QuotedSpan, seg_start: int | None) -> tuple[Token | None, int, int]:
        text = self.text
        hi = span.open_mark
        para_start = self.para_bounds(hi)[0]
        lo = max(para_start, seg_start or 0)
        for m in _SENT_END.finditer(text, lo, hi):
            lo = m.end()
        before = text[lo:hi].rstrip()
        if not before:
            return None, 0, 0
        tokens = self.idx.token_indexes(lo, hi)[-_BEFORE_MAX_TOKENS:]
        if not tokens:
            return None, 0, 0
        last_lemma = self.tk.lemmas[tokens[-1]].lower()
        if before[-1] not in ":," and last_lemma not in self.lex.direct_verbs:
            return None, 0, 0
        i = self._direct_verb(reversed(tokens))
        return (self.doc[i], lo, hi) if i is not None else (None, 0, 0)

    def _follow_on(
        self, span: QuotedSpan, done: list[_Found], indirect: list[_Found], starts: list[int]
    ) -> _Found:
        """An unattributed direct quote continues the nearest earlier attributed speech
        (in the same or the previous paragraph)."""
        para = self.para_of(span.open_mark)
        prev = done[-1] if done else None
        i = bisect.bisect_left(starts, span.open_mark) - 1
        if i >= 0 and (prev is None or indirect[i].start > prev.start):
            prev = indirect[i]
        if prev is not None and para - self.para_of(prev.end) <= 1 and prev.speaker_text:
            return _Found(span.start, span.end, "direct", prev.speaker, None, prev.channel,
                          prev.speaker_text)  # fmt: skip
        return self._after_intro(span)

    def _after_intro(self, span: QuotedSpan) -> _Found:
        """A quote right after a sentence about a person ("X thanked the troops in his
        address. "..."") is that person's, when no other speech came before it."""
        found = _Found(span.start, span.end, "direct", None, None, None)
        before = self._sentence_before(span.open_mark)
        if before is None or self.para_of(span.open_mark) - self.para_of(before[0]) > 1:
            return found
        root = self.idx.token_at(before[0])
        if root is None:
            return found
        root = root.sent.root
        subj = self.idx.subject_of(root)
        if subj is None:
            return found
        aid = self.idx.resolve(subj)
        if aid is None or self.idx.kinds.get(aid) != "person":
            return found
        found.speaker, found.speaker_text = aid, self.idx.phrase(subj)
        found.channel = self.idx.channel([before], root.idx)
        return found


@Language.factory("sitrep_quotes")
def make_quote_extractor(nlp: Language, name: str) -> QuoteExtractor:
    return QuoteExtractor()
