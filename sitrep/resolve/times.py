"""Time resolution: every date, time and duration expression, resolved against publication.

``doc._.sitrep_times`` becomes a list of ``TimeExpr`` in text order. Recognition is a regex
grammar over the text (``times_grammar``), checked against spaCy tokens (so "May" the modal
or "March" the verb are not months); values come from ``times_calendar`` (see its docstring
for the value formats and the weekday/month rules). The tense that decides whether "on
Friday" is the last or the next Friday is read from the expression's governing verb
(``expression_tense``).

For the events step: ``time_for_token(doc, token)`` returns the time expression attached to a
token's clause, and ``date_bounds(time)`` the first and last day it covers.
"""

import datetime as dt
import functools
import logging
import re

from spacy.attrs import ENT_TYPE, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.symbols import ADJ, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from sitrep.nlp.text import DocTokens, doc_text, doc_tokens
from sitrep.records import TimeExpr
from sitrep.resolve import times_calendar
from sitrep.resolve.times_grammar import Candidate, find_candidates, lexicon, select

log = logging.getLogger(__name__)

ANCHORS_KEY = "sitrep.time_anchors"  # doc.user_data: [(root_i, anchor_i, verb_i)] per time

# Words before "May"/"March"... that make a capitalised month name a month.
_MONTH_CONTEXT = frozenset(
    "in since until till by from of during through throughout before after early late mid "
    "last next this until , end beginning start middle for on or and to between".split()
)
# Words before "a day"/"an hour" that make it a duration (not "twice a day", "$5 a day").
_DURATION_CONTEXT = frozenset(
    "for lasting lasted lasts last within nearly almost about after than over spent spend "
    "took take takes half around some barely only just".split()
)
_WEEKDAY_PREV = frozenset(lexicon().get("weekday_name_prev", {}))
_WEEKDAY_NEXT = frozenset(lexicon().get("weekday_name_next", {}))
_FUTURE_MODALS = frozenset(lexicon().get("future_modal", {}))
_FUTURE_CUES = frozenset(lexicon().get("future_cue", {}))
# Before these a 4-digit number is a year only when spaCy calls it a date too, or the word
# before them is about time ("the summer of 1987", "the end of 2022").
_WEAK_YEAR_PREPS = frozenset("of and to between by for the".split())
_YEAR_HEADS = frozenset(
    "end beginning start middle summer spring autumn fall winter year half quarter".split()
    + [m.lower() for m in lexicon()["month"]]
)
_REPORTING = frozenset("say tell report announce add claim state write note insist".split())
_CLOCK_JOIN = re.compile(r"^\s*,?\s*(?:(?:on|at|in\s+the)\s+)?$", re.IGNORECASE)


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        log.warning("unusable publication date %r; relative times stay unresolved", value)
        return None


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


@functools.lru_cache(maxsize=1)
def _counted_nouns() -> frozenset[str]:
    """Nouns that a number before them counts (people, troops, drones...): not years."""
    from sitrep.extract.numbers import units

    table = units()
    return frozenset(table.get("noun", {})) | frozenset(table.get("person", {}))


def safe_root(span: Span) -> Token | None:
    """``span.root``, or None when spaCy finds the parse inconsistent (E039)."""
    try:
        return span.root
    except RuntimeError:
        log.debug("no root for %r", span.text)
        return None


class _TokenTable:
    """The token attributes ``_acceptable`` reads, as per-document lists (index ``i`` is
    ``doc[i]``): the shared ``DocTokens`` plus fine-grained tags and entity types (ids; see
    ``_ID``), so checking a candidate builds no Token or Span."""

    __slots__ = ("ents", "n", "tags", "tokens")

    def __init__(self, doc: Doc) -> None:
        self.tokens: DocTokens = doc_tokens(doc)
        self.n = len(doc)
        array = doc.to_array([TAG, ENT_TYPE])
        self.tags: list[int] = array[:, 0].tolist()
        self.ents: list[int] = array[:, 1].tolist()


_ID = {name: get_string_id(name) for name in ("MD", "NNS", "DATE", "CD", "JJ", "NN", "NNP", "RB")}
_DAY_OF_MONTH_TAGS = frozenset(_ID[t] for t in ("CD", "JJ", "NN", "NNP", "RB"))


def _acceptable(c: Candidate, table: _TokenTable) -> bool:
    """Token-level checks the regexes cannot make (``a``, ``b``: the candidate's first token
    and the one after its last, as ``doc.char_span(..., alignment_mode="expand")`` gives)."""
    tokens = table.tokens
    span = tokens.token_range(c.start, c.end)
    if not span:
        return False
    a, b = span.start, span.stop
    lowers, texts, pos, tags = tokens.lowers, tokens.texts, tokens.pos, table.tags
    prev_word = lowers[a - 1] if a > 0 else ""
    nxt = b if b < table.n else -1  # the token after the candidate (-1: none)
    g = c.groups
    if c.kind == "m" and not (g.get("rel") or g.get("mod") or g.get("edge")):
        if tags[b - 1] == _ID["MD"] or pos[b - 1] == VERB:
            return False
        if prev_word not in _MONTH_CONTEXT:
            if texts[b - 1] == "May" or (nxt >= 0 and pos[nxt] == PROPN):
                return False
    if c.kind == "duration":
        num = " ".join(g.get("num", "").lower().split())
        if re.fullmatch(r"(?:1[89]|20)\d\d", num):
            return False  # "the 1986 year"
        hyphenated = "-" in tokens.text[tokens.starts[a] : tokens.ends[b - 1]]
        if (
            num in ("a", "an", "one", "several", "a few")
            and not hyphenated
            and prev_word not in _DURATION_CONTEXT
        ):
            return False  # "one day, peace will come", "twice a day"
        if texts[b - 1][:1].isupper() and b - 1 > 0 and not tokens.sent_starts[b - 1]:
            return False  # "the Six-Day War" (a capital other than a sentence's first)
        if num in ("a", "an") and nxt >= 0 and pos[nxt] in (NOUN, ADJ, PROPN):
            return False  # "a second round", "a day trip"
        if nxt >= 0 and lowers[nxt] in ("ago", "earlier", "later", "before", "after"):
            return False  # "two days later": relative to an event we do not know
    if c.kind == "year" and g["prep"].lower() in _WEAK_YEAR_PREPS and table.ents[a] != _ID["DATE"]:
        if a < 2 or lowers[a - 2] not in _YEAR_HEADS:
            return False  # "a crowd of 2000", "rose to 2000"
    if c.kind == "year":
        if (
            nxt >= 0
            and tags[nxt] == _ID["NNS"]
            and g["prep"].lower() in ("of", "to", "and", "between", "by", "for", "the")
        ):
            return False  # "a crowd of 2000 people"
    if c.kind == "bare_year" and table.ents[a] != _ID["DATE"]:
        return False  # a year without a preposition only where spaCy also sees a date
    if c.kind in ("year", "bare_year"):
        if nxt >= 0 and tokens.lemmas[nxt].lower() in _counted_nouns():
            return False  # "2000 people", "1990 troops"
        weak = c.kind == "bare_year" or g["prep"].lower() in _WEAK_YEAR_PREPS
        if weak and g["body"] in ("2000", "1900"):
            return False  # round numbers: a year only after "in", "since", ...
    if c.kind == "md_word" and tags[b - 1] not in _DAY_OF_MONTH_TAGS:
        return False
    if c.kind == "season" and not (g.get("rel") or g.get("y")):
        return False
    if c.kind == "rolling" and not g.get("num"):
        unit = g["unit"].lower()
        if unit not in ("week", "month", "year", "decade", "century"):
            return False  # "the next day", "the last minute", "previous years"
    if c.kind == "weekday":
        if a > 0 and prev_word in _WEEKDAY_PREV:
            return False  # Good Friday, every Sunday
        if nxt >= 0 and texts[nxt] in _WEEKDAY_NEXT:
            return False  # the Sunday Times
    if c.kind in ("dm", "md") and not 1 <= int(g["d"]) <= 31:
        return False
    return True


def _clause_verb(tok: Token) -> Token | None:
    """The nearest verb at or above ``tok``."""
    t = tok
    for _ in range(40):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def _verb_tense(verb: Token) -> str | None:
    """past | future | None for one verb, walking up infinitives and bare participles."""
    v = verb
    for _ in range(8):
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in _FUTURE_MODALS for a in auxes):
            return "future"
        if v.dep_ == "xcomp" and v.head is not v:
            if v.head.lemma_.lower() in _FUTURE_CUES or v.head.lower_ in _FUTURE_CUES:
                return "future"
            v = v.head
            continue
        tag = v.tag_
        aux_tags = {a.tag_ for a in auxes}
        aux_lemmas = {a.lemma_.lower() for a in auxes}
        if tag == "VBD" or "VBD" in aux_tags:
            return "past"
        if tag == "VBN":
            if "have" in aux_lemmas or not auxes:
                return "past"
            if aux_tags & {"VBZ", "VBP"} and v.lemma_.lower() in _FUTURE_CUES:
                return "future"  # "elections are scheduled for Sunday"
            return None
        if tag == "VBG":
            if aux_tags & {"VBZ", "VBP"}:
                return "future"  # "are meeting on Friday": a plan
            if not auxes and v.dep_ in ("advcl", "conj", "acl", "pcomp") and v.head is not v:
                v = v.head  # "..., killing nine people": the tense of the main clause
                continue
            return None
        if tag in ("VBZ", "VBP") and v.lemma_ == "be" and v.dep_ == "ROOT":
            return "future"  # "the vote is on Sunday"
        if tag in ("VBZ", "VBP") and v.lemma_.lower() not in _REPORTING:
            last = v.sent[-1]
            if last.is_punct and last.text in (".", "!", "?", '"', "”"):
                return "future"  # "the minister travels to Kyiv on Tuesday." (not a headline);
                # also "when talks reopen on Tuesday"
        if tag == "VB" and v.dep_ in ("advcl", "conj") and v.head is not v:
            v = v.head
            continue
        return None
    return None


def expression_tense(span: Span) -> str | None:
    """Tense of the clause a time expression belongs to: past, future or None."""
    root = safe_root(span)
    verb = _clause_verb(root) if root is not None else None
    return _verb_tense(verb) if verb is not None else None


def _merge_clocks(items: list[tuple[Candidate, TimeExpr]], text: str) -> list[TimeExpr]:
    """Join "3 p.m." with a neighbouring day ("on Sunday at 3 p.m.") into one expression."""
    out: list[TimeExpr] = []
    for _cand, time in items:
        if out:
            prev = out[-1]
            gap = text[prev.end : time.start]
            one_is_clock = (prev.granularity == "time") != (time.granularity == "time")
            if one_is_clock and _CLOCK_JOIN.match(gap):
                dated = time if prev.granularity == "time" else prev
                if dated.granularity == "day":
                    out[-1] = TimeExpr(
                        text[prev.start : time.end],
                        prev.start,
                        time.end,
                        dated.value,
                        dated.granularity,
                    )
                    continue
        out.append(time)
    return out


_PAREN = re.compile(r"^\s*\(\s*$")


def _align_parenthetical_weekdays(times: list[TimeExpr], text: str) -> None:
    """ "tomorrow (Thursday)": the weekday names the day just given, whatever the tense."""
    for prev, cur in zip(times, times[1:], strict=False):
        if (
            prev.granularity == cur.granularity == "day"
            and isinstance(prev.value, str)
            and isinstance(cur.value, str)
            and _PAREN.match(text[prev.end : cur.start])
        ):
            day = dt.date.fromisoformat(prev.value)
            if day.strftime("%A") in cur.text:
                cur.value = prev.value


class TimeResolver:
    """The ``sitrep_times`` component."""

    def __call__(self, doc: Doc) -> Doc:
        pub = parse_published(doc._.published)
        text = doc_text(doc)
        table = _TokenTable(doc)
        cands = [c for c in find_candidates(text) if _acceptable(c, table)]
        items: list[tuple[Candidate, TimeExpr]] = []
        heads: dict[tuple[int, int], tuple[Token | None, Token | None]] = {}
        for c in select(cands):
            root, verb = heads[c.start, c.end] = _root_and_verb(doc, c.start, c.end)
            tense = _verb_tense(verb) if verb is not None else None
            value, gran = times_calendar.resolve(c, pub, tense)
            items.append((c, TimeExpr(text[c.start : c.end], c.start, c.end, value, gran)))
        times = _merge_clocks(items, text)
        _align_parenthetical_weekdays(times, text)
        doc._.sitrep_times = times
        doc.user_data[ANCHORS_KEY] = [_anchor(doc, t, heads) for t in times]
        return doc


def _root_and_verb(doc: Doc, start: int, end: int) -> tuple[Token | None, Token | None]:
    """The root token of characters [start, end) and its clause verb (None when missing)."""
    span = _tokens(doc, start, end)
    root = safe_root(span) if span is not None else None
    return root, (_clause_verb(root) if root is not None else None)


def _anchor(
    doc: Doc, time: TimeExpr, heads: dict[tuple[int, int], tuple[Token | None, Token | None]]
) -> tuple[int, int, int]:
    """(root token, the token it attaches to, its clause verb or -1); ``heads``: the root
    and verb already found for a span (a clock joined to a day is a new span)."""
    known = heads.get((time.start, time.end))
    root, verb = known if known is not None else _root_and_verb(doc, time.start, time.end)
    if root is None:
        return -1, -1, -1
    return root.i, root.head.i, verb.i if verb is not None else -1


# Dependencies across which a time does not date another clause ("killed ..., he said on
# Monday": Monday dates the saying, not the killing).
_STOP_DEPS = frozenset({"ccomp", "parataxis"})


def time_for_token(doc: Doc, token: Token, include_durations: bool = False) -> TimeExpr | None:
    """The time expression that dates ``token`` (an event trigger), or None.

    Preference: a time attached to the token itself ("attack on Sunday", "Friday's talks"),
    then one in the token's clause ("Moscow launched attacks on Sunday"), then one in a clause
    above it ("..., killing nine people" dated by the main verb), without crossing reported
    speech. Durations and unresolved times are skipped unless ``include_durations``.
    Ties go to the nearest expression.
    """
    times = doc._.sitrep_times or []
    anchors = doc.user_data.get(ANCHORS_KEY)
    if anchors is None or len(anchors) != len(times):
        anchors = [_anchor(doc, t, {}) for t in times]
    sent = token.sent
    verb = _clause_verb(token)
    verb_i = verb.i if verb is not None else -1
    above: dict[int, int] = {}  # clause verbs above the token -> distance
    t, depth = verb, 1
    while t is not None and t.head is not t and t.dep_ not in _STOP_DEPS and depth < 10:
        t = _clause_verb(t.head)
        if t is not None:
            above.setdefault(t.i, depth)
        depth += 1
    best: tuple[tuple[int, int], TimeExpr] | None = None
    for time, (root_i, anchor_i, tverb_i) in zip(times, anchors, strict=True):
        if root_i < 0 or not sent.start <= root_i < sent.end:
            continue
        if not include_durations and (time.granularity == "duration" or time.value is None):
            continue
        if anchor_i == token.i or root_i == token.i:
            level = 0
        elif tverb_i == token.i or (tverb_i >= 0 and tverb_i == verb_i):
            level = 1
        elif tverb_i in above:
            level = 1 + above[tverb_i]
        else:
            continue
        key = (level, abs(time.start - token.idx))
        if best is None or key < best[0]:
            best = (key, time)
    return best[1] if best else None


def date_bounds(time: TimeExpr) -> tuple[str | None, str | None]:
    """First and last ISO day a time expression covers; (None, None) for durations."""
    return times_calendar.date_bounds(time.value, time.granularity)


@Language.factory("sitrep_times")
def make_time_resolver(nlp: Language, name: str) -> TimeResolver:
    return TimeResolver()
