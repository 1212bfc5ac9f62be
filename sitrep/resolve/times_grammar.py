"""Recognise time expressions in text with a small regex grammar (no resolution here).

Each pattern has a *kind*; ``sitrep.resolve.times_calendar`` turns a kind plus the matched
groups into a value. Words come from ``sitrep/data/times/lexicon.tsv``. Month and weekday
names are case-sensitive (capitalised); every other word is matched case-insensitively.
All patterns are compiled once per process.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.extract.number_words import word_pattern

DATA = Path(__file__).resolve().parent.parent / "data" / "times"


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, str]]:
    """category -> {word: value} from lexicon.tsv."""
    table: dict[str, dict[str, str]] = {}
    for line in (DATA / "lexicon.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        table.setdefault(cols[0], {})[cols[1]] = cols[2] if len(cols) > 2 else ""
    return table


@dataclass(slots=True)
class Candidate:
    """One regex match: its kind, character span and named groups."""

    kind: str
    start: int
    end: int
    groups: dict[str, str] = field(default_factory=dict)
    priority: int = 0


_YEAR_RX = r"(?:19|20)\d{2}"  # a year in every pattern that has one
# "last week", "the coming year": the words before the period (pattern, gate and core below)
_REL_WORDS = ("last", "next", "this", "past", "coming", "previous", "prior", "current")


def _number_rx() -> str:
    """A count before a unit: a number in words or digits, "a", "a few", "several" ..."""
    return rf"(?i:{word_pattern()}|an?|a\s+few|few|several|a\s+couple\s+of|a\s+couple|couple\s+of)"


@functools.lru_cache(maxsize=1)
def _number_words() -> frozenset[str]:
    """Every word ``_number_rx`` can match (read off the regex: its runs of letters, so a
    few stray ones like the "s" of a whitespace class), in lower case; digits aside."""
    return frozenset(re.findall(r"[a-z]+", _number_rx().lower()))


def _full_months() -> list[str]:
    """Month names written out (and "May"); the others are abbreviations."""
    return [m for m in lexicon()["month"] if len(m) > 3 or m == "May"]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    lex = lexicon()
    full_months = _full_months()
    abbrevs = [m for m in lex["month"] if m not in full_months]
    month_full = rf"(?P<month>{_alt(full_months)})"
    month_any = rf"(?P<month>{_alt(full_months)}|(?:{_alt(abbrevs)})\.?)"
    weekday = rf"(?P<wd>{_alt(list(lex['weekday']))})"
    part = r"(?i:morning|afternoon|evening|night)"
    num = _number_rx()
    units = "|".join(sorted(lex["unit"], key=len, reverse=True))
    unit = rf"(?P<unit>(?i:{units}|centuries)s?)"
    ordsuf = r"(?:st|nd|rd|th)?"
    year = _YEAR_RX
    day_words = _alt([w for w in lex.get("day_word", {})])
    holidays = _alt(list(lex.get("holiday", {})))
    mod = r"(?:(?P<mod>(?i:early|late|mid|end))[- ]|(?i:the\s+(?P<edge>end|beginning|start|middle)\s+of\s+))?"

    specs: list[tuple[str, str]] = [
        ("iso", rf"\b(?P<y>{year})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
        ("numeric", rf"(?<![\d./])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)"
                    rf"(?P<y>{year})\b(?![./]\d)"),
        ("dmy", rf"\b(?P<d>[0-3]?\d){ordsuf}\s+(?i:of\s+)?{month_any},?\s+(?P<y>{year})\b"),
        ("mdy", rf"\b{month_any}\s+(?P<d>[0-3]?\d){ordsuf},?\s+(?P<y>{year})\b"),
        ("dm", rf"\b(?P<d>[0-3]?\d){ordsuf}\s+(?i:of\s+)?{month_any}(?![\w])"),
        ("md", rf"\b{month_any}\s+(?P<d>[0-3]?\d){ordsuf}\b(?![.,]\d|:)"),
        ("md_word", rf"\b{month_full}\s+(?P<dw>(?i:{day_words}))\b(?![ -](?i:{day_words}))"),
        ("wd_date", rf"\b{weekday},?\s+(?:{month_any}\s+(?P<d>[0-3]?\d)|(?P<d2>[0-3]?\d)\s+"
                    rf"(?P<month2>{_alt(full_months)}))(?:,?\s+(?P<y>{year}))?\b"),
        ("my", rf"\b{mod}{month_any},?\s+(?i:of\s+)?(?P<y>{year})\b"),
        ("m", rf"\b(?:(?P<rel>(?i:last|next|this|coming|past))\s+)?{mod}{month_full}\b"),
        ("year", rf"(?i:\b(?P<prep>in|since|by|until|till|from|through|throughout|during|before|"
                 rf"after|of|early|late|mid|end|fiscal|calendar|year|the\s+year|between|and|to|for|the)[\s-]+)"
                 rf"(?P<body>{year})\b(?!\s*(?:%|percent|per\s+cent)|[.,]\d)"),
        ("yrange", rf"\b(?:(?i:from|between)\s+)?(?P<y1>{year})(?:\s*(?:-|–|(?i:to|and|until))\s*"
                   rf"(?P<y2>{year})|[-/–](?P<y2s>\d{{2}}))\b(?![.,/]\d)"),
        ("decade", r"\b(?P<the>(?i:the)\s+)?(?:(?P<mod>(?i:early|late|mid))[- ])?"
                   r"(?P<dec>(?:1[89]|20)\d0|['’]\d0)s\b"),
        ("part_wd", rf"\b(?:(?P<approx>(?i:around|about|shortly\s+after|shortly\s+before|just\s+after|"
                    rf"just\s+before|after|before|early|late))\s+)?(?:(?i:on\s+)?(?i:the)\s+)?"
                    rf"(?P<part>(?i:morning|afternoon|evening|night|midnight|noon|dawn|dusk|overnight|"
                    rf"(?:early|small|late)\s+hours))"
                    rf"\s+(?i:of|on|into|to)?\s*{weekday}\b"),
        ("weekday", rf"\b(?:(?P<rel>(?i:last|next|this|past|coming|previous))\s+)?"
                    rf"(?:(?i:early|late)\s+(?i:on\s+)?)?{weekday}\b(?:\s+(?P<part>{part})\b)?"),
        ("relday", r"\b(?i:(?:(?:the\s+)?day\s+(?P<dir>before\s+yesterday|after\s+tomorrow))|"
                   r"(?:(?:earlier|later)\s+)?(?P<w>today|tonight|yesterday|tomorrow)"
                   rf"(?:\s+(?P<part>{part}))?|this\s+(?P<this>morning|afternoon|evening)|"
                   r"(?P<lastnight>last\s+night)|(?P<overnight>overnight))\b"),
        ("relperiod", r"\b(?i:(?P<pre>(?:earlier|later|early|late)\s+(?:in\s+)?)?"
                      rf"(?P<the>the\s+)?(?P<rel>{'|'.join(_REL_WORDS)})\s+"
                      r"(?P<per>week|weekend|month|year|decade|quarter))\b"),
        ("weekend", r"\b(?i:(?:over\s+|at\s+|during\s+)?the\s+(?P<per>weekend))\b"),
        ("holiday", rf"\b(?P<hol>{holidays})(?:\s+(?P<y>{year}))?\b"),
        ("inthe", r"\b(?i:(?P<pre>earlier|later)\s+in\s+the\s+(?P<per>week|month|year))\b"),
        ("edge", r"\b(?i:(?:the\s+)?(?:end|beginning|start|middle|rest|remainder)\s+of\s+"
                 r"the\s+(?P<per>year|month|week))\b"),
        ("season", r"\b(?i:(?:(?P<rel>this|last|next|past|coming)\s+)?(?P<season>spring|summer|"
                   rf"autumn|fall|winter)(?:\s+(?:of\s+)?(?P<y>{year}))?)\b"),
        ("quarter", r"\b(?i:(?:the\s+)?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
                    rf"[\s-]+(?P<per>quarter|half)(?:\s+(?:of\s+)?(?P<y>{year}))?)\b"),
        ("qnum", rf"\bQ(?P<q>[1-4])(?:\s+(?P<y>{year}))?\b"),
        ("ago", rf"\b(?P<num>{num})\s{{1,2}}{unit}\s+(?P<dir>(?i:ago|from\s+now|hence))\b"),
        ("rolling", rf"\b(?i:(?P<the>the\s+)?(?P<rel>past|last|previous|next|coming))\s+"
                    rf"(?:(?P<num>{num})\s{{1,2}})?{unit}\b"),
        ("recent", r"\b(?i:(?:in\s+)?recent\s+(?P<unit>days|weeks|months|years))\b"),
        ("in_n", rf"\b(?i:in|within)\s+(?P<body>(?P<num>{num})\s{{1,2}}{unit})\b(?!\s+(?i:ago|of|time))"),
        ("duration", rf"\b(?P<body>(?P<num>{num})(?:\s{{1,2}}|\s?-\s?){unit}(?:\s+(?i:long))?)\b"
                     r"(?!\s*-?\s*(?i:old)\b)"),
        ("clock", r"\b(?:(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?i:a\.m\.|p\.m\.|am\b|pm\b))"
                  r"|(?P<h2>[0-2]?\d):(?P<mi2>[0-5]\d)\b|(?P<hm>[0-2]\d[0-5]\d)\s*(?:GMT|UTC|EST|EDT|CET|BST|hrs|hours|(?i:local\s+time))\b"
                  r"|(?P<word>(?i:midnight|noon|midday)))"),
        ("bare_year", rf"(?<![\w$€£.,/-])(?P<body>{year})(?![\w%]|[.,/]\d)"),
    ]  # fmt: skip
    return tuple((kind, re.compile(rx)) for kind, rx in specs)


def _unit_stem(unit: str) -> str:
    """What every form of a unit starts with: "centur" for century/centuries."""
    return unit[:-1] if unit.endswith("y") and unit[-2:-1] not in "aeiou" else unit


# The units of lexicon.tsv as the stems all their forms start with (none is a prefix of
# another): the gates, anchors and windows below are made from them, so a unit added to the
# lexicon is never skipped by a shortcut.
_UNIT_STEMS = tuple(sorted({_unit_stem(u) for u in lexicon()["unit"]}, key=lambda s: (-len(s), s)))
_UNIT_ALT = "|".join(re.escape(s) for s in _UNIT_STEMS)
_UNIT_GATE = _UNIT_STEMS
# A pattern runs only when one of its gate strings occurs in the lower-cased text (cheap
# substring tests save most of the regex time on articles without such expressions).
_GATES: dict[str, tuple[str, ...]] = {
    "wd_date": ("day",),
    "part_wd": ("day",),
    "weekday": ("day",),
    "relday": ("today", "tonight", "yesterday", "tomorrow", "night", "morning", "afternoon",
               "evening"),
    "relperiod": ("week", "month", "year", "decade", "quarter"),
    "inthe": ("earlier in the", "later in the"),
    "edge": (" of the ",),
    "weekend": ("weekend",),
    "md_word": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "twen", "thirt", "first", "second", "third", "th"),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "quarter": ("quarter", "half"),
    "qnum": ("q",),
    "ago": (" ago", "from now", "hence"),
    "rolling": ("past", "last", "previous", "next", "coming"),
    "recent": ("recent",),
    "in_n": _UNIT_GATE,
    "duration": _UNIT_GATE,
    "decade": ("0s",),
}  # fmt: skip


# month and weekday names as the patterns take them (full: as in ``md_word``), lower-cased
_WEEKDAYS = tuple(w.lower() for w in lexicon()["weekday"])
_MONTHS = tuple(m.lower() for m in lexicon()["month"])
_FULL_MONTHS = tuple(m.lower() for m in _full_months())
_DIGIT = re.compile(r"\d")
# Stricter necessary conditions, checked (after ``_GATES``) on the lower-cased text of ASCII
# articles only (there lower-casing is exactly what the patterns' case-insensitive parts
# match): every item must hold, and an item holds when any of its strings occurs in the
# text or any of its regexes finds a hit. Each item names words every match of the pattern
# contains (month and weekday names, "Q1", "morning", a digit before "a.m." ...), so a
# pattern skipped here could not have matched.
_REQUIRES: dict[str, tuple[tuple[str | re.Pattern[str], ...], ...]] = {
    "clock": (("midnight", "noon", "midday",
               re.compile(r"\d(?:\s*[ap]\.?m|:\d|\s*(?:gmt|utc|est|edt|cet|bst|hrs|hours|local))")),),
    "holiday": (("christmas", "new year", "armistice", "valentine", "halloween"),),
    "qnum": (("q1", "q2", "q3", "q4"),),
    "part_wd": (_WEEKDAYS, ("morning", "afternoon", "evening", "night", "noon", "dawn", "dusk",
                            "hours")),
    "weekday": (_WEEKDAYS,),
    "wd_date": (_WEEKDAYS, _MONTHS, (_DIGIT,)),
    "md_word": (_FULL_MONTHS,),
    "dm": (_MONTHS, (_DIGIT,)),
    "md": (_MONTHS, (_DIGIT,)),
    "edge": ((re.compile(r"of\s+the\s+(?:year|month|week)"),),),
    "relperiod": (_REL_WORDS,),
    # dates in digits: "2024-03-05"; "5/3/2024" (a separator right before the year); a
    # range "1990-95", "1990 to 2000"
    "iso": ((re.compile(rf"{_YEAR_RX}-[01]\d-[0-3]\d"),),),
    "numeric": ((re.compile(rf"[/.]{_YEAR_RX}"),),),
    "yrange": ((re.compile(rf"{_YEAR_RX}\s*(?:[-/]|to|and|until)"),),),
}  # fmt: skip


def _required(kind: str, lower: str, seen: dict[object, bool]) -> bool:
    """Whether the lower-cased text meets the ``_REQUIRES`` conditions of a pattern
    (``seen``: the answers for this text so far, as several patterns share items)."""
    for item in _REQUIRES.get(kind, ()):
        found = seen.get(item)
        if found is None:
            found = seen[item] = any(
                (a in lower) if isinstance(a, str) else a.search(lower) is not None for a in item
            )
        if not found:
            return False
    return True


@functools.lru_cache(maxsize=1)
def _anchors() -> dict[str, re.Pattern[str]]:
    """Short regexes for the word every match of a pattern must contain."""
    lex = lexicon()
    return {
        "unit": re.compile(rf"(?i:{_UNIT_ALT})"),
        "weekday": re.compile(_alt(list(lex["weekday"]))),
        "month": re.compile(_alt(list(lex["month"]))),
    }


# Patterns that start with a (costly) number phrase run only in windows around their anchor
# word: each window reaches this far before and after one anchor hit.
_ANCHORED = {"ago": "unit", "rolling": "unit", "in_n": "unit", "duration": "unit",
             "part_wd": "weekday", "weekday": "weekday", "wd_date": "weekday",
             "dmy": "month", "dm": "month", "md": "month", "mdy": "month", "my": "month",
             "m": "month", "md_word": "month"}  # fmt: skip
_BEFORE, _AFTER = 90, 40


def _windows(text: str, anchor: re.Pattern[str]) -> list[tuple[int, int]]:
    """Merged (start, end) windows around every anchor hit."""
    out: list[tuple[int, int]] = []
    for m in anchor.finditer(text):
        lo, hi = max(0, m.start() - _BEFORE), min(len(text), m.end() + _AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


# Patterns in which a year (the ``year`` sub-pattern) must occur: none can match a text
# without a ``_YEAR`` hit, so one cheap search spares their (costly) scans of the text.
_NEEDS_YEAR = frozenset({"iso", "numeric", "dmy", "mdy", "my", "year", "yrange", "bare_year"})
_YEAR = re.compile(_YEAR_RX)


# The unit anchor without its case-insensitive flag, for lower-cased ASCII text (the same
# hits; a case-sensitive alternation of literals is scanned much faster).
_UNIT_LOWER = re.compile(_UNIT_ALT)

# What a window of an anchored pattern must contain (lower-cased ASCII text) for the pattern
# to match in it; other windows are not scanned. A number and its unit are always apart by
# a space or a hyphen ("three days", "two-week"), so "Monday" alone is no reason to scan.
_SEP_UNIT = re.compile(rf"[\s-](?:{_UNIT_ALT})")
_WINDOW_NEEDS: dict[str, re.Pattern[str]] = {
    "part_wd": re.compile(r"morning|afternoon|evening|night|noon|dawn|dusk|hours"),
    "wd_date": _DIGIT,
}


@dataclass(frozen=True, slots=True)
class _Core:
    """A pattern's core: every match contains a hit of ``rx`` (on the lower-cased text) and
    starts at a word start at most ``words`` characters plus ``gaps`` runs of whitespace
    before that hit ("the last week": the core "last week", one word and one gap before)."""

    rx: re.Pattern[str]
    words: int
    gaps: int


# Full-text patterns that start with a few optional words before a distinctive core: they
# are matched only at the word starts just before a core hit instead of scanned throughout.
_CORES: dict[str, _Core] = {
    "relperiod": _Core(re.compile(rf"(?:{'|'.join(_REL_WORDS)})\s+"
                                  r"(?:week|month|year|decade|quarter)"),
                       len("earlier" "in" "the"), 3),
    "edge": _Core(re.compile(r"of\s+the\s+(?:year|month|week)"), len("the" "remainder"), 2),
    "relday": _Core(re.compile(r"yesterday|tomorrow|today|tonight|morning|afternoon|evening|"
                               r"night"), len("the" "day" "before"), 3),
}  # fmt: skip
_MAX_GAP = 15  # the longest whitespace run a core scan allows for; longer ones: a full scan
_LONG_GAP = re.compile(rf"\s{{{_MAX_GAP + 1}}}")
_WORD_START = re.compile(r"\b\w")


# Number + unit patterns: a unit after a space or hyphen ends each match, with the number's
# words right before it and at most two words before those ("in", "within", "the past").
_UNIT_KINDS = frozenset({"duration", "in_n", "ago", "rolling"})
_WORDS_BEFORE_NUMBER = 2
_WORD = re.compile(r"\w+")


def _unit_starts(lower: str, lo: int, hi: int) -> list[int]:
    """Where a number + unit pattern can start in the window [lo, hi) of the lower-cased
    text: for every unit after a space or a hyphen, the starts of the words right before it
    that can belong to a number (``_number_words``, digits), and of the two words before."""
    vocab = _number_words()
    starts: set[int] = set()
    for unit in _SEP_UNIT.finditer(lower, lo, hi):
        extra = _WORDS_BEFORE_NUMBER
        for word in reversed(list(_WORD.finditer(lower, lo, unit.start()))):
            starts.add(word.start())
            if not (word.group() in vocab or word.group()[0].isdigit()):
                extra -= 1
                if not extra:
                    break
    return sorted(starts)


def _matches_at(rx: re.Pattern[str], text: str, starts: list[int], hi: int) -> list[re.Match[str]]:
    """``list(rx.finditer(text, lo, hi))`` when every match starts at one of ``starts``
    (sorted, from ``lo`` on): ``rx`` is tried only there."""
    out: list[re.Match[str]] = []
    end = 0
    for s in starts:
        if s >= end and (m := rx.match(text, s, hi)) is not None:
            out.append(m)
            end = m.end()
    return out


def _core_matches(rx: re.Pattern[str], text: str, lower: str, core: _Core) -> list[re.Match[str]]:
    """``list(rx.finditer(text))``, trying ``rx`` only where a match can start: the word
    starts within reach before each hit of the core (every position the core matches at,
    overlapping ones included). The text has no whitespace run longer than ``_MAX_GAP``."""
    reach = core.words + core.gaps * _MAX_GAP
    starts: set[int] = set()
    hit = core.rx.search(lower)
    while hit is not None:
        q = hit.start()
        starts.update(w.start() for w in _WORD_START.finditer(text, max(0, q - reach), q + 1))
        hit = core.rx.search(lower, q + 1)
    return _matches_at(rx, text, sorted(starts), len(text))


# Longer matches win; on equal length, the earlier pattern in the list wins.
def find_candidates(text: str) -> list[Candidate]:
    """All pattern matches in ``text`` (overlapping; see ``select``)."""
    found: list[Candidate] = []
    lower = text.lower()
    # ASCII text only: there the lower-cased text is what the patterns' case-insensitive
    # parts match, position for position (for the stricter gates, window needs and cores)
    ascii_text = text.isascii()
    short_gaps = ascii_text and _LONG_GAP.search(text) is None
    has_year = _YEAR.search(text) is not None
    windows: dict[str, list[tuple[int, int]]] = {}
    seen: dict[object, bool] = {}
    unit_starts: dict[tuple[int, int], list[int]] = {}  # by window
    for rank, (kind, rx) in enumerate(patterns()):
        gate = _GATES.get(kind)
        if gate is not None and not any(g in lower for g in gate):
            continue
        if not has_year and kind in _NEEDS_YEAR:
            continue
        if ascii_text and not _required(kind, lower, seen):
            continue
        anchor = _ANCHORED.get(kind)
        if anchor is None:
            spans = [(0, len(text))]
        else:
            if anchor not in windows:
                if anchor == "unit" and ascii_text:
                    windows[anchor] = _windows(lower, _UNIT_LOWER)
                else:
                    windows[anchor] = _windows(text, _anchors()[anchor])
            spans = windows[anchor]
        need = _WINDOW_NEEDS.get(kind) if ascii_text and anchor is not None else None
        core = _CORES.get(kind) if short_gaps and anchor is None else None
        for lo, hi in spans:
            if need is not None and need.search(lower, lo, hi) is None:
                continue
            if core is not None:
                matches = _core_matches(rx, text, lower, core)
            elif ascii_text and kind in _UNIT_KINDS:
                starts = unit_starts.get((lo, hi))
                if starts is None:
                    starts = unit_starts[lo, hi] = _unit_starts(lower, lo, hi)
                matches = _matches_at(rx, text, starts, hi)
            else:
                matches = rx.finditer(text, lo, hi)
            for m in matches:
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                start, end = m.span()
                if "body" in groups:
                    start, end = m.span("body")
                found.append(Candidate(kind, start, end, groups, priority=rank))
    return found


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longest first, then pattern order; in text order."""
    chosen: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)
