"""Context rules over the parse for actor resolution.

* ``acts_as_actor``: does a place name (country, capital, seat of government) act — as a
  subject, possessor, agent or party ("talks between Kiev and Moscow") — or is it where
  something happens ("in Kiev", "travel to Washington")?
* ``sector_head``: the sector noun a country word modifies ("Russian forces" -> MIL).
* ``appositive_role``: a description attached to a person's name ("political analyst X",
  "X, a former White House consultant").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sitrep.resolve.kb import KnowledgeBase, norm

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "csubj", "poss", "expl"})
LOCATIVE_PREPS = frozenset({
    "in", "at", "to", "from", "near", "into", "across", "around", "outside", "inside",
    "throughout", "over", "via", "through", "within", "off", "onto", "toward", "towards",
    "beyond", "along", "above", "below", "under", "opposite", "beside",
})  # fmt: skip
# Last words that make a name a company ("General Binding Corp" is a business, not the military).
COMPANY_SUFFIXES = frozenset(
    {
        "inc",
        "co",
        "corp",
        "corporation",
        "ltd",
        "plc",
        "llc",
        "ag",
        "sa",
        "nv",
        "bv",
        "gmbh",
        "spa",
        "bank",
        "group",
        "holdings",
        "company",
    }
)
ACTOR_PREPS = frozenset({"against", "with", "by", "between", "among", "for", "versus", "vs"})
GEO_NOUNS = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "part", "parts", "region", "regions", "territory", "territories", "capital", "city",
    "cities", "border", "borders", "area", "areas", "coast", "centre", "center", "province",
    "provinces", "map", "soil", "skies", "airspace", "outskirts", "heart", "rest", "interior",
    "sections", "district", "districts", "oblast", "villages", "towns", "streets",
})  # fmt: skip
# nouns after a name that make the name a place, not an organisation ("the Markets area",
# "the Torkham crossing"): the words above and more kinds of places
PLACE_HEADS = GEO_NOUNS | frozenset({
    "crossing", "road", "street", "square", "camp", "bridge", "checkpoint", "quarter",
    "neighbourhood", "neighborhood", "valley", "river", "airport", "airfield", "port", "market",
    "highway", "village", "town", "county", "state", "island", "mountains", "plain", "desert",
    "strait", "gulf",
})  # fmt: skip
_ROLE_STOP = frozenset({",", ";", ":", "(", ")", '"', "“", "”", "—", "–"})


def _first_conjunct(tok: Token) -> Token:
    seen = 0
    while tok.dep_ == "conj" and tok.head.i != tok.i and seen < 8:
        tok = tok.head
        seen += 1
    return tok


def acts_as_actor(span: Span, kb: KnowledgeBase, kind: str) -> bool:
    """``kind``: "country", "city" (a capital) or "building" (Kremlin, White House)."""
    root = _first_conjunct(span.root)
    dep = root.dep_
    if dep == "compound" and root.head.i > root.i:
        head = norm(root.head.text)
        if (
            kind == "country"
            and root.head.pos_ == "PROPN"
            and root.head.text[:1].isupper()
            and head not in kb.sector_nouns
            and head not in kb.titles
            and root.head.i == span.end
        ):
            return False  # "Canada Post", "Iran Air": a name that starts with the country
        # "Kremlin spokesman", "White House consultant": an affiliation, so an actor;
        # "Moscow region", "Kiev suburbs": a place.
        return kind != "city" and head not in GEO_NOUNS
    if dep in SUBJECT_DEPS:
        if dep == "poss":
            return norm(root.head.text) not in GEO_NOUNS
        return True
    if dep == "pobj":
        prep = root.head.lower_
        governor = root.head.head
        if kind == "country" and _receives(prep, governor):
            return True  # "send arms to Pakistan", "withdraw troops from Lebanon"
        if prep in LOCATIVE_PREPS:
            return False
        if prep in ACTOR_PREPS:
            return True
        if prep == "of":
            gov = norm(governor.text)
            if gov in GEO_NOUNS:
                return False
            if kind == "country":
                return True
            return gov in kb.sector_nouns or gov in kb.titles
        return kind != "city"
    if dep in ("dobj", "dative", "attr", "appos", "conj"):
        return kind != "city" or dep == "dobj" and root.head.lemma_ in _ACTOR_OBJ_VERBS
    if dep == "ROOT":
        return kind != "city"
    return kind == "building"


TRANSFER = frozenset({
    "send", "give", "hand", "deliver", "sell", "supply", "provide", "offer", "export", "ship",
    "pledge", "donate", "grant", "extend", "lend", "transfer", "apologize", "apologise",
    "appeal", "promise", "aid", "assistance", "support", "arms", "loan", "loans", "help",
    "credit", "weapons", "shipment", "shipments", "exports", "apology", "ultimatum",
})  # fmt: skip
WITHDRAW = frozenset({"withdraw", "expel", "evacuate", "pull", "withdrawal", "retreat", "oust"})


def _receives(prep: str, governor: Token) -> bool:
    word = governor.lemma_.lower()
    if prep == "to":
        return word in TRANSFER or governor.lower_ in TRANSFER
    if prep == "from":
        return word in WITHDRAW or governor.lower_ in WITHDRAW
    return False


_ACTOR_OBJ_VERBS = frozenset({
    "urge", "accuse", "warn", "criticise", "criticize", "blame", "pressure", "sanction",
    "call", "tell", "ask", "persuade", "convince", "support", "back", "help", "threaten",
})  # fmt: skip


def sector_head(doc: Doc, start: int, end: int, kb: KnowledgeBase) -> tuple[int, str] | None:
    """When tokens [start, end) modify a sector noun within 3 tokens, (head index + 1, code)."""
    last = doc[end - 1]
    hops = 0
    while last.dep_ == "conj" and hops < 4:  # "Hungarian and Romanian officials"
        last, hops = last.head, hops + 1
    head = last.head
    if last.dep_ not in ("amod", "compound", "poss", "nmod", "npadvmod") or head.i < end:
        # "forces of Russia" is rarer in news; the modifier form carries most mentions
        return None
    if head.i - end > 3:
        return None
    for i in range(end, head.i):
        if doc[i].pos_ not in ("ADJ", "NOUN", "PROPN", "PART", "CCONJ", "PUNCT", "ADV"):
            return None
    two = norm(doc[head.i - 1].text + " " + head.text) if head.i - 1 >= end else ""
    code = kb.sector_nouns.get(two) if two else None
    if code is None:
        code = noun_sector(head, kb)
    if code is None:  # "Ugandan opposition candidates": a sector word inside the phrase
        code = next(
            (
                c
                for i in range(end, head.i)
                if (c := kb.sector_nouns.get(norm(doc[i].text))) and c != "CTY"
            ),
            None,
        )
    if code is None:
        return None
    if any(doc[i].pos_ == "CCONJ" for i in range(end, head.i)):
        return end, code  # a conjunct: its own word only, the noun goes with the last one
    return head.i + 1, code


def noun_sector(tok: Token, kb: KnowledgeBase) -> str | None:
    return kb.sector_nouns.get(norm(tok.text)) or kb.sector_nouns.get(tok.lemma_.lower())


def sector_before(doc: Doc, start: int, end: int, kb: KnowledgeBase) -> tuple[int, str] | None:
    """ "Rebels in the Ivory Coast", "security forces of Guinea": (first token, sector code)."""
    root = doc[start:end].root
    if root.dep_ != "pobj" or root.head.lower_ not in ("in", "of") or root.head.i >= start:
        return None
    noun = root.head.head
    if noun.i >= root.head.i or noun.pos_ not in ("NOUN", "PROPN") or root.head.i - noun.i > 1:
        return None
    if noun.ent_type_ in ("ORG", "FAC"):
        return None  # "Bank of Japan", "Union Bank of Switzerland": a name, not a sector
    code = noun_sector(noun, kb)
    if code is None:  # "opposition groups in Zimbabwe"
        code = next(
            (
                c
                for ch in noun.lefts
                if ch.dep_ in ("compound", "amod") and (c := kb.sector_nouns.get(norm(ch.text)))
            ),
            None,
        )
    if code is None or code == "CTY":
        return None
    first = noun.i
    for child in noun.lefts:
        if child.dep_ in ("compound", "amod") and child.i < first:
            first = child.i
    return first, code


def appositive_role(doc: Doc, start: int, end: int, titles: dict[str, str]) -> str | None:
    """A role description for the person named by tokens [start, end)."""
    # "political analyst Andrei Kolesnikov": lower-case noun phrase right before the name
    i = start
    while i > 0 and start - i < 4:
        tok = doc[i - 1]
        if not tok.is_lower or tok.pos_ not in ("NOUN", "ADJ") or tok.is_stop:
            break
        i -= 1
    if i < start and doc[start - 1].pos_ == "NOUN":
        return doc[i:start].text
    # "Eric Green, a former White House consultant on Russia"
    for tok in doc[start:end]:
        for child in tok.children:
            if child.dep_ == "appos" and child.i >= end and child.pos_ in ("NOUN", "PROPN"):
                if child.pos_ == "PROPN" and not any(t.is_lower for t in child.subtree):
                    continue
                words = []
                for t in child.subtree:
                    if t.text in _ROLE_STOP and words:
                        break
                    if t.i < end or (not words and t.dep_ == "det"):
                        continue
                    words.append(t)
                    if len(words) >= 12:
                        break
                if words:
                    return doc[words[0].i : words[-1].i + 1].text
    return None
