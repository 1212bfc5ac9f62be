"""Knowledge for quote extraction, loaded once per process from ``sitrep/data/quotes/``.

The file formats are documented in ``sitrep/data/quotes/README.md``.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "quotes"
_IGNORECASE = int(re.IGNORECASE)  # a plain int: ``flags & re.IGNORECASE`` builds a RegexFlag


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    named: bool  # a named medium (Telegram, CNN) rather than a generic one (a statement)
    pattern: re.Pattern[str]
    # Every match starts with one of these ASCII strings (lower-cased when the pattern
    # ignores case); None when that cannot be read off the pattern. See ``may_match``.
    prefixes: tuple[str, ...] | None = None

    def may_match(self, chunk: str, lowered: str) -> bool:
        """False only when the pattern cannot match ``chunk`` (ASCII text, ``lowered`` its
        lower-cased copy): a substring test instead of a regex scan for most sentences."""
        if self.prefixes is None:
            return True
        hay = lowered if self.pattern.flags & _IGNORECASE else chunk
        for p in self.prefixes:
            if p in hay:
                return True
        return False


def literal_prefixes(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The literal text each alternative of ``pattern`` starts with (after zero-width
    ``\\b``-style assertions), or None when an alternative starts otherwise or the text is
    not ASCII (case-insensitive matching of non-ASCII letters is not a plain lower())."""
    try:
        from re import _constants as c
        from re import _parser

        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (ImportError, AttributeError, re.error):  # another Python: no shortcut
        return None
    items = parsed.data
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is c.BRANCH else [parsed]
    out = []
    for branch in branches:
        chars = []
        for op, av in branch.data:
            if op is c.AT and not chars:
                continue
            if op is not c.LITERAL:
                break
            chars.append(chr(av))
        prefix = "".join(chars)
        if not prefix or not prefix.isascii():
            return None
        out.append(prefix.lower() if pattern.flags & re.IGNORECASE else prefix)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    direct_verbs: frozenset[str]
    partial_verbs: frozenset[str]
    indirect_verbs: frozenset[str]
    scare_cue: re.Pattern[str]  # matches at the end of the text before a quoted term
    channels: tuple[Channel, ...]
    titles: frozenset[str]

    @property
    def any_verbs(self) -> frozenset[str]:
        return self.direct_verbs | self.partial_verbs | self.indirect_verbs


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
        channels.append(Channel(name, kind == "named", rx, literal_prefixes(rx)))
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
