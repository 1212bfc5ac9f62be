"""When a knowledge-base match in the text is not that entry, and country names misspelt.

Called by the actor resolver's scan (``sitrep.resolve.actors``) for each match it finds:

* an upper-case word is an acronym only in mixed-case text and when not owned ("our ETA");
* "pro-Palestinian", "anti-American": a stance, not a nationality;
* "the Nigeria Labour Congress": a one-word organisation alias ending a longer proper name;
* "Bangladesh's Supreme Court", "Russia's Security Council": a generic institution name right
  after a country is that country's body, not the KB entry of the name;
* "Ethopia", "Afganistan": a word one letter from a country name, and no place of its own.
"""

from __future__ import annotations

import functools

from spacy.tokens import Doc

from sitrep.resolve.actor_state import Match
from sitrep.resolve.kb import KnowledgeBase


@functools.lru_cache(maxsize=1)
def _country_words(kb: KnowledgeBase) -> dict[str, list[tuple[str, str]]]:
    """One-word country names of six letters or more, by first letter."""
    out: dict[str, list[tuple[str, str]]] = {}
    for alias, ids in kb.aliases.items():
        if " " in alias or len(alias) < 6 or not alias.isalpha():
            continue
        entry = kb.entries.get(ids[0])
        if entry is not None and entry.kind == "country":
            out.setdefault(alias[0], []).append((alias, entry.id))
    return out


@functools.lru_cache(maxsize=8192)
def misspelt_country(kb: KnowledgeBase, word: str) -> str | None:
    """ISO3 of the country a word misspells by one letter ("Ethopia", "Afganistan"), unless
    the word is a place of its own ("Columbia", "Austin") or two countries are that close."""
    import jellyfish

    from sitrep.resolve.gazetteer import gazetteer, normalize

    close = {
        iso3
        for alias, iso3 in _country_words(kb).get(word[:1], ())
        if abs(len(alias) - len(word)) <= 1
        and jellyfish.damerau_levenshtein_distance(alias, word) == 1
    }
    if len(close) != 1 or gazetteer().lookup(normalize(word)):
        return None
    return next(iter(close))


_STANCE_PREFIXES = frozenset({"pro", "anti"})
_POSSESSIVES = frozenset({"my", "our", "your", "his", "her", "their", "its"})


def acronym_in_context(texts: list[str], i: int, acronyms: dict) -> bool:
    """An upper-case word is an organisation's acronym unless its text is in capitals
    ("THE ARMY IS READY") or it is owned ("our ETA", "your IT"): then it is a word."""
    if i > 0 and texts[i - 1].lower() in _POSSESSIVES:
        return False
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(texts):
            word = texts[j]
            if len(word) > 1 and word.isalpha() and word.isupper() and word not in acronyms:
                return False
    return True


def vetoed(kb: KnowledgeBase, doc: Doc, texts: list[str], m: Match, found: list[Match]) -> bool:
    """Whether match ``m`` (the next after ``found``) is not what its words name here."""
    i = m.start
    entry_kind = kb.entries[m.ids[0]].kind if m.kind == "entry" else None
    if (
        entry_kind not in (None, "person", "country")
        and m.end == i + 1
        and _tail_of_longer_name(doc, i, found)
    ):
        return True
    if m.kind == "entry" and m.key in kb.sector_nouns and _owned_by_country(kb, texts, i, found):
        return True  # "Bangladesh's Supreme Court": that country's court
    # "pro-Palestinian students", "anti-American": a stance
    return (
        m.kind != "metonym"
        and i >= 2
        and texts[i - 1] == "-"
        and texts[i - 2].lower() in _STANCE_PREFIXES
    )


def _owned_by_country(kb: KnowledgeBase, texts: list[str], i: int, found: list[Match]) -> bool:
    """A generic institution name right after a country or demonym ("Russia's Security
    Council", "the Kenyan Supreme Court") is that country's, not the KB body of the name."""
    if not found or found[-1].kind not in ("entry", "demonym"):
        return False
    prev = found[-1]
    if prev.kind == "entry" and kb.entries[prev.ids[0]].kind != "country":
        return False
    gap = texts[prev.end : i]
    return gap in ([], ["'s"], ["’s"])


def _tail_of_longer_name(doc: Doc, i: int, found: list[Match]) -> bool:
    """ "the Nigeria Labour Congress": a one-word organisation alias ("Congress") that ends
    a longer capitalised name is not that organisation ("U.S. Congress", matched as a
    country before it, still is)."""
    if i == 0 or doc[i].text.isupper():
        return False  # acronyms ("the NLC") stand alone
    prev = doc[i - 1]
    if not (
        prev.text[:1].isupper()
        and prev.is_alpha
        and prev.head.i == i
        and prev.pos_ == "PROPN"
        and prev.dep_ == "compound"
        and prev.i != prev.sent.start
    ):
        return False
    return not (found and found[-1].end == i)
