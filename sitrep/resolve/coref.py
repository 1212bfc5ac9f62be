"""Within-article coreference for actors: pronouns and role titles.

Pronoun heuristic (documented in sitrep/data/actors/README.md):

* Only third-person singular personal pronouns are resolved (he/him/his/himself,
  she/her/hers/herself); "they" and "it" are left alone (too often groups or things).
* Candidates are person mentions *before* the pronoun whose known gender does not clash.
* Nominative pronouns ("he said") prefer, in the same sentence, the nearest preceding
  person that is a grammatical subject, else the nearest preceding person; with none in the
  sentence, they look back up to three sentences and take the subject of the nearest
  sentence that names a person (else its first-named person).
* A possessive with no person before it in its sentence, in the same clause as a person
  subject that follows ("In his statements, Rubio said"), refers forward to that subject.
* Possessive and object pronouns ("his envoy", "told him") take the nearest preceding
  person in the sentence that is not the subject of the pronoun's own clause (binding), then
  fall back like nominatives.

Titles ("the Russian president", "Trump's special envoy", "the president") are resolved
against the role holders on the article date: a country or organisation qualifier narrows
to that country's holders; a possessive person narrows to the person's country; people
already mentioned in the article win; otherwise only a unique holder is taken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitrep.resolve.kb import Entry, KnowledgeBase

PRONOUNS: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip
NOMINATIVE = frozenset({"he", "she"})
LOOKBACK_SENTENCES = 3


@dataclass(slots=True)
class PersonMention:
    tok: int  # index of the mention's head token
    start: int  # first token
    sent: int  # sentence number
    key: str  # actor key
    subject: bool  # the mention is a grammatical subject
    gender: str | None


def resolve_pronoun(
    doc: Doc, tok: Token, sent_of: list[int], mentions: list[PersonMention]
) -> str | None:
    """The actor key a pronoun refers to, or None (mentions sorted by position)."""
    low = tok.lower_
    gender = PRONOUNS.get(low)
    if gender is None:
        return None
    sid = sent_of[tok.i]
    possessive = low in ("his", "hers") or (low == "her" and tok.dep_ == "poss")
    before = [m for m in mentions if m.start < tok.i and m.gender in (None, gender)]
    same = [m for m in before if m.sent == sid]
    bound: str | None = None  # "She told her": an object is not its own clause's subject
    if same:
        if low in NOMINATIVE:
            subj = [m for m in same if m.subject]
            return (subj or same)[-1].key
        clause = _clause_head(tok)
        local = [m for m in same if m.subject and _clause_head(doc[m.tok]).i == clause.i]
        if not possessive and local:
            bound = local[-1].key
        free = same if possessive else [m for m in same if m.key != bound]
        if free:
            return free[-1].key
    if possessive and not same:
        # "In his statements on Sunday, Rubio said ...": a fronted possessive points forward
        after = [
            m
            for m in mentions
            if m.sent == sid and m.start > tok.i and m.subject and m.gender in (None, gender)
        ]
        if (
            after
            and tok.i < after[0].start
            and _clause_head(tok).i == _clause_head(doc[after[0].tok]).i
        ):
            return after[0].key
    for back in range(1, LOOKBACK_SENTENCES + 1):
        earlier = [m for m in before if m.sent == sid - back and m.key != bound]
        if earlier:
            subj = [m for m in earlier if m.subject]
            return (subj or earlier)[0].key
    return None


def _clause_head(tok: Token) -> Token:
    while (
        tok.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj") and tok.head.i != tok.i
    ):
        tok = tok.head
    return tok


def resolve_title(
    kb: KnowledgeBase,
    title: str,
    org: str | None,
    on: dt.date | None,
    mentioned: set[str],
) -> Entry | None:
    """The person a title refers to (see module docstring), or None."""
    holders = kb.holders(title, org, on)
    if not holders and title == "leader" and org is not None:
        holders = kb.holders("president", org, on) or kb.holders("prime minister", org, on)
    seen = [h for h in holders if h.id in mentioned]
    if len(seen) == 1:
        return seen[0]
    if org is None:
        return None  # a bare "the president" only resolves to someone already named
    if len(holders) == 1:
        return holders[0]
    return None
