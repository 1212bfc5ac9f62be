"""Fuzzy and phonetic person-name matching that survives transliteration and MT noise.

A name is compared token by token after *folding* (transliteration variants such as
y/i, w/v, kh/h, final ff/v, doubled letters collapse) and *initial expansion* ("JD" ->
"jay dee", so a phonetic spelling "Jay Di" can match). Two tokens are similar when their
folded Jaro-Winkler similarity is high, or when they sound alike (same Metaphone code) and
are not far apart in spelling. A candidate matches a known name only when the surname
*and* the given name are both similar, which keeps apart near misses such as
"Jake Sullivan" / "Dan Sullivan" or "Kim Jong Un" / "Kim Jong Il".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import jellyfish
from rapidfuzz.distance import JaroWinkler

from sitrep.resolve.kb import KnowledgeBase, norm

SURNAME_MIN = 0.90  # folded Jaro-Winkler for the last token
GIVEN_MIN = 0.85  # for the other tokens
SOUND_MIN = 0.75  # spelling floor for two tokens that sound alike
SINGLE_MIN = 0.95  # a lone surname against a lone-surname alias
SURNAME_STRICT = 0.95  # a surname that does not sound alike must be spelt this close

_LETTERS = {
    "a": "ay", "b": "bee", "c": "see", "d": "dee", "e": "ee", "f": "ef", "g": "gee",
    "h": "aitch", "i": "eye", "j": "jay", "k": "kay", "l": "el", "m": "em", "n": "en",
    "o": "oh", "p": "pee", "q": "cue", "r": "ar", "s": "es", "t": "tee", "u": "you",
    "v": "vee", "w": "double you", "x": "ex", "y": "why", "z": "zee",
}  # fmt: skip
_FOLDS = (
    ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("wh", "w"), ("ph", "f"), ("ck", "k"),
    ("kh", "h"), ("ou", "u"), ("yo", "o"), ("yu", "u"), ("ya", "a"), ("ye", "e"), ("y", "i"),
    ("w", "v"), ("ks", "x"),
)  # fmt: skip
_DOUBLE = re.compile(r"(.)\1+")
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "von", "van", "der", "de", "la", "le", "da"})


@functools.lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """A transliteration-tolerant spelling of one (already normalised) name token."""
    s = token
    if s.endswith("j") and len(s) > 3:
        s = s[:-1] + "i"
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = _DOUBLE.sub(r"\1", s)
    if s.endswith("f"):
        s = s[:-1] + "v"
    return s


@functools.lru_cache(maxsize=65536)
def sound(token: str) -> str:
    """Metaphone code of a token (the token itself when it is not alphabetic)."""
    return jellyfish.metaphone(token) if token.isalpha() else token


@functools.lru_cache(maxsize=65536)
def only_initials(name: str) -> bool:
    """ "MBS", "J.D.": nothing but initials, which are matched exactly or not at all."""
    parts = [p.replace(".", "") for p in re.split(r"[\s\-]+", name.strip())]
    return all(p.isupper() and len(p) <= 3 for p in parts if p)


@functools.lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """Normalised tokens, with initials ("JD", "J. D.") spelt out as letter names."""
    out: list[str] = []
    for raw in re.split(r"[\s\-]+", name.strip()):
        bare = raw.replace(".", "")
        if not bare:
            continue
        if bare.isupper() and len(bare) <= 3 and bare.isalpha():
            out.extend(_LETTERS[c] for c in bare.lower())
        else:
            out.extend(norm(bare).split())
    return tuple(t for t in out if t)


def token_sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return 0.98
    sim = JaroWinkler.similarity(fa, fb)
    alike = sound(fa) == sound(fb)
    if fa[0] != fb[0] and not alike:
        return min(sim, 0.8)  # different initials that do not sound alike: Eric / Ric
    if alike and (sim >= SOUND_MIN or (fa[0] == fb[0] and min(len(fa), len(fb)) <= 3)):
        sim = max(sim, 0.93)
    return sim


def surname_sim(a: str, b: str) -> float:
    """Like token_sim, but a spelling-only match must be very close (Green / Grenell)."""
    sim = token_sim(a, b)
    if sim < SURNAME_STRICT and fold(a) != fold(b) and sound(fold(a)) != sound(fold(b)):
        return 0.0
    return sim


def name_score(cand: tuple[str, ...], known: tuple[str, ...]) -> float:
    """0..1; 0 when the names cannot be the same person by the rules above."""
    c = [t for t in cand if t not in _PARTICLES] or list(cand)
    k = [t for t in known if t not in _PARTICLES] or list(known)
    if len(c) < 2 or len(k) < 2:
        return 0.0
    last = surname_sim(c[-1], k[-1])
    if last < SURNAME_MIN:
        return 0.0
    first = token_sim(c[0], k[0])
    if first < GIVEN_MIN:
        return 0.0
    sims = [last, first]
    if len(c) == len(k):
        for a, b in zip(c[1:-1], k[1:-1], strict=True):
            s = token_sim(a, b)
            if s < GIVEN_MIN:
                return 0.0
            sims.append(s)
    elif len(c) > len(k):
        return 0.0  # the text says more than the alias: a different, longer name
    return sum(sims) / len(sims)


def single_score(cand: str, known: str) -> float:
    """A lone surname against a lone alias or surname: strict."""
    if cand == known:
        return 1.0
    if len(cand) < 5:
        return 0.0
    if fold(cand) == fold(known) and len(fold(cand)) >= 5:  # Moody folds to Modi: too short
        return 0.98
    fc, fk = fold(cand), fold(known)
    sim = JaroWinkler.similarity(fc, fk)  # spelling itself must be close: Mitsui is not Mattis
    if sim >= SINGLE_MIN and sound(fc) == sound(fk) and min(len(fc), len(fk)) >= 6:
        return sim
    return 0.0


def _keys(token: str) -> tuple[str, str]:
    return ("f:" + fold(token)[:2], "s:" + sound(token)[:3])


@dataclass(slots=True, eq=False)
class PersonIndex:
    """Person aliases blocked by surname spelling and sound, for fast fuzzy look-ups."""

    multi: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    single: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, alias: str, entry_id: str) -> None:
        if only_initials(alias):
            return
        toks = name_tokens(alias)
        if not toks:
            return
        content = [t for t in toks if t not in _PARTICLES] or list(toks)
        if len(content) == 1:
            for key in _keys(toks[-1]):
                self.single.setdefault(key, []).append((toks[-1], entry_id))
        else:
            for key in _keys(content[-1]):
                self.multi.setdefault(key, []).append((toks, entry_id))

    def match(self, name: str) -> tuple[str, float] | None:
        if only_initials(name):
            return None
        return _match_cached(self, name_tokens(name))


@functools.lru_cache(maxsize=32768)
def _match_cached(index: PersonIndex, toks: tuple[str, ...]) -> tuple[str, float] | None:
    if not toks:
        return None
    best: tuple[str, float] | None = None
    content = [t for t in toks if t not in _PARTICLES] or list(toks)
    if len(content) == 1:
        seen: set[tuple[str, str]] = set()
        for key in _keys(toks[-1]):
            for known, eid in index.single.get(key, ()):
                if (known, eid) in seen:
                    continue
                seen.add((known, eid))
                s = single_score(toks[-1], known)
                if s and (best is None or s > best[1]):
                    best = (eid, s)
        return best
    for key in _keys(content[-1]):
        for known, eid in index.multi.get(key, ()):
            s = name_score(toks, known)
            if s and (best is None or s > best[1]):
                best = (eid, s)
    return best


@functools.lru_cache(maxsize=4)
def person_index(kb: KnowledgeBase) -> PersonIndex:
    index = PersonIndex()
    for entry in kb.people():
        for alias in (entry.name, *entry.aliases):
            index.add(alias, entry.id)
    return index


def same_person(mention: str, names: Iterable[str]) -> float:
    """How well a mention in the text matches any of an actor's names (0 when it cannot)."""
    cand = name_tokens(mention)
    if not cand or only_initials(mention):
        return 0.0
    best = 0.0
    for name in names:
        best = max(best, _pair_score(cand, name))
    return best


@functools.lru_cache(maxsize=65536)
def _pair_score(cand: tuple[str, ...], name: str) -> float:
    """``same_person`` for one of the names (the same pairs recur from article to article)."""
    known = name_tokens(name)
    if not known:
        return 0.0
    if len(cand) == 1:
        content = [t for t in known if t not in _PARTICLES] or list(known)
        return max(
            single_score(cand[0], content[-1]),
            single_score(cand[0], content[0]) if len(content) > 1 and len(known) >= 3 else 0.0,
        )
    return name_score(cand, known)
