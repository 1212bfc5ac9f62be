"""Knowledge for quote extraction, loaded once per process from ``sitrep/data/quotes/``.

The file formats are documented in ``sitrep/data/quotes/README.md``.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "quotes"


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    named: bool  # a named medium (Telegram, CNN) rather than a generic one (a statement)
    pattern: re.Pattern[str]


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
        channels.append(Channel(name, kind == "named", re.compile(pattern, flags)))
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
