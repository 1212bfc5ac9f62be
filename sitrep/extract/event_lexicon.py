"""Event knowledge loaded from the data files in ``sitrep/data/events/`` (once per process).

The files are documented in ``sitrep/data/events/README.md``; this module only parses them
into typed, indexed structures for the extractor.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.records import PLOVER_TYPES

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "events"


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One row of triggers.tsv."""

    head: str  # lemma of the head token
    extra: tuple[str, ...]  # lemmas that must be children of the head
    pos: str  # VERB | NOUN | ANY
    type: str
    mode: str | None
    cameo: str | None
    conf: float

    @property
    def phrase(self) -> str:
        return " ".join((self.head, *self.extra))


@dataclass(slots=True)
class EventLexicon:
    triggers: dict[str, list[TriggerEntry]] = field(default_factory=lambda: defaultdict(list))
    modes: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)  # type->cue->
    cameo: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, mode|*) -> code
    factuality: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> cue -> status
    patterns: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> lemma -> value
    _lists: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)

    def pattern(self, kind: str) -> dict[str, str]:
        return self.patterns.get(kind, {})

    def listed(self, kind: str, key: str) -> frozenset[str] | None:
        """A pattern value that is a comma-separated list, as a set (split once); None when
        ``key`` has no row of that kind."""
        found = self._lists.get((kind, key), False)
        if found is False:
            value = self.pattern(kind).get(key)
            found = self._lists[(kind, key)] = (
                None if value is None else frozenset(value.split(","))
            )
        return found

    def cues(self, kind: str) -> dict[str, str]:
        return self.factuality.get(kind, {})

    def cameo_code(self, etype: str, mode: str | None) -> str | None:
        return self.cameo.get((etype, mode or "*")) or self.cameo.get((etype, "*"))


def _rows(name: str, ncols: int) -> list[list[str]]:
    rows = []
    path = DATA_DIR / name
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < ncols:
            raise ValueError(f"{path}:{lineno}: expected {ncols} tab-separated columns")
        rows.append(cols)
    return rows


def _none(value: str) -> str | None:
    return None if value in ("", "-") else value


def _parse_phrase(phrase: str) -> tuple[str, tuple[str, ...]]:
    words = phrase.lower().split()
    if len(words) == 1:
        return words[0].lstrip("*"), ()
    head = next((w for w in words if w.startswith("*")), words[0])
    extra = tuple(w for w in words if w != head)
    return head.lstrip("*"), extra


_IZE = re.compile(r"(?<=[a-z]{3})iz(e|ed|es|ing|ation|ations)$")


def _uk_spelling(word: str) -> str:
    """British spelling of an -ize/-ization word, so the lexicon lists one form only."""
    return _IZE.sub(r"is\1", word)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> EventLexicon:
    """Parse every events data file (cached: once per process)."""
    lex = EventLexicon()
    for phrase, pos, etype, mode, cameo, conf in _rows("triggers.tsv", 6):
        if etype not in PLOVER_TYPES:
            raise ValueError(f"triggers.tsv: unknown PLOVER type {etype!r} for {phrase!r}")
        head, extra = _parse_phrase(phrase)
        entry = TriggerEntry(head, extra, pos.upper(), etype, _none(mode), _none(cameo),
                             float(conf))  # fmt: skip
        lex.triggers[head].append(entry)
        variant = _uk_spelling(head)  # "mobilization" -> "mobilisation" too
        if variant != head and not any(e.extra == extra and e.pos == entry.pos
                                       for e in lex.triggers.get(variant, ())):  # fmt: skip
            lex.triggers[variant].append(dataclasses.replace(entry, head=variant))
    for entries in lex.triggers.values():  # longest phrases first: they win over single words
        entries.sort(key=lambda e: (-len(e.extra), -e.conf))
    for etype, cue, mode, prio in _rows("modes.tsv", 4):
        lex.modes.setdefault(etype, {})[cue.lower()] = (mode, int(prio))
    for etype, mode, code, _label in _rows("cameo.tsv", 4):
        lex.cameo[(etype, mode)] = code
    for kind, cue, status in _rows("factuality.tsv", 3):
        lex.factuality.setdefault(kind, {})[cue.lower()] = status
    for kind, lemma, value in _rows("patterns.tsv", 3):
        lex.patterns.setdefault(kind, {})[lemma.lower()] = value
    lex.triggers = dict(lex.triggers)
    return lex
