"""Knowledge for quote extraction, loaded once per process from ``sitrep/data/quotes/``.

The file formats are documented in ``sitrep/data/quotes/README.md``.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "quotes"
_IGNORECASE = int(re.IGNORECASE)  # a plain int: ``flags & re.IGNORECASE`` builds a RegexFlag


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    named: bool  # a named medium (Telegram, CNN) rather than a generic one (a statement)
    pattern: re.Pattern[str]
    # Every match contains one of these ASCII strings (lower-cased when the pattern ignores
    # case); None when none can be read off the pattern. See ``may_match``.
    needles: tuple[str, ...] | None = None

    def may_match(self, chunk: str, lowered: str) -> bool:
        """False only when the pattern cannot match ``chunk`` (ASCII text, ``lowered`` its
        lower-cased copy): a substring test instead of a regex scan for most sentences."""
        if self.needles is None:
            return True
        hay = lowered if self.pattern.flags & _IGNORECASE else chunk
        for p in self.needles:
            if p in hay:
                return True
        return False


def literal_needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """ASCII strings of which every match of ``pattern`` contains at least one (lower-cased
    when the pattern ignores case), read off its parse: a run of literal characters that
    every match goes through, or one such run from each alternative of a choice
    (``\\b(?:on|via) X\\b`` -> ``(" X",)``, ``\\bTelegram\\b`` -> ``("telegram",)``). None when
    no run can be read off, or a run is not ASCII (case-insensitive matching of non-ASCII
    letters is not a plain lower())."""
    try:
        from re import _constants as c
        from re import _parser

        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (ImportError, AttributeError, re.error):  # another Python: no shortcut
        return None
    needles = _needles(parsed.data, c)
    if not needles or not all(n.isascii() for n in needles):
        return None
    if pattern.flags & re.IGNORECASE:
        needles = [n.lower() for n in needles]
    return tuple(dict.fromkeys(needles))


def _needles(items: list, c: Any) -> list[str] | None:
    """Needles of a parsed sequence: a run of literals (zero-width assertions do not break
    it), or the needles of every alternative of a choice that every match of the sequence goes
    through; the first whose needles are all 3 characters or longer, else the best (longest
    shortest needle, then fewest needles)."""
    best: list[str] | None = None

    def score(needles: list[str]) -> tuple[int, int]:
        return min(map(len, needles)), -len(needles)

    def consider(found: list[str] | None) -> None:
        nonlocal best
        if not found or not all(found):
            return
        if best is None or (score(best)[0] < 3 and score(found) > score(best)):
            best = found

    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if op is c.AT:
            continue
        consider(["".join(run)] if run else None)
        run = []
        if op is c.BRANCH:
            alternatives = [_needles(alt.data, c) for alt in av[1]]
            if all(alternatives):
                consider([n for alt in alternatives for n in alt])  # type: ignore[union-attr]
        elif op is c.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            consider(_needles(av[3].data, c))
    consider(["".join(run)] if run else None)
    return best


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    direct_verbs: frozenset[str]
    partial_verbs: frozenset[str]
    indirect_verbs: frozenset[str]
    scare_cue: re.Pattern[str]  # matches at the end of the text before a quoted term
    channels: tuple[Channel, ...]
    titles: frozenset[str]
    # every reporting verb (direct, partial or indirect), joined once
    any_verbs: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        verbs = self.direct_verbs | self.partial_verbs | self.indirect_verbs
        object.__setattr__(self, "any_verbs", verbs)  # (a frozen dataclass)


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@functools.lru_cache(maxsize=1)
def load_lexicon() -> QuoteLexicon:
    uses: dict[str, set[str]] = {"direct": set(), "partial": set(), "indirect": set()}
    for line in _lines("reporting_verbs.tsv"):
        lemma, kinds = line.split("\t")
        for kind in kinds.split(","):
            uses[kind.strip()].add(lemma.strip().lower())
    cues = []
    for line in _lines("scare_cues.txt"):
        words = re.split(r"[\s-]+", line.strip().lower())
        cues.append(r"\s*-?\s*".join(re.escape(w) for w in words))
    scare = re.compile(r"\b(?:" + "|".join(cues) + r")\W{0,3}$", re.IGNORECASE)
    channels = []
    for line in _lines("channels.tsv"):
        name, kind, pattern = line.split("\t")
        flags = re.IGNORECASE
        if pattern.startswith("(?-i)"):
            pattern, flags = pattern[5:], 0
        rx = re.compile(pattern, flags)
        channels.append(Channel(name, kind == "named", rx, literal_needles(rx)))
    titles = frozenset(t.strip().lower() for t in _lines("speaker_titles.txt"))
    return QuoteLexicon(
        direct_verbs=frozenset(uses["direct"]),
        partial_verbs=frozenset(uses["partial"]),
        indirect_verbs=frozenset(uses["indirect"]),
        scare_cue=scare,
        channels=tuple(channels),
        titles=titles,
    )


@functools.lru_cache(maxsize=1)
def load_elisions() -> frozenset[str]:
    """Words written with a leading apostrophe ('em, 'tis, rock 'n' roll): never a quote."""
    return frozenset(w.strip().lower() for w in _lines("elisions.txt"))
