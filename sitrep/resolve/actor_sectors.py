"""Bare sector nouns as country actors: "police", "protesters", "troops", "officials".

Runs after every other actor pass (``sitrep.resolve.actors``), so it only sees sector nouns
no country word already claimed ("Russian forces" is done by ``actor_groups``). A plural
group noun (or a collective one: "police", "army", "government") becomes the sector actor
of a country found, in this order:

1. its own ``in/of/from/at PLACE`` phrase: a country, a capital, or a city the gazetteer
   knows ("demonstrators in Baghdad" -> IRQ civilians);
2. the sentence's country focus: the one country its country names, demonyms, capitals
   and cities point to ("Liberian riot police used tear gas to disperse demonstrators ...
   in Monrovia" -> the demonstrators are LBR).

Nothing is guessed when the sentence points to several countries. Organisations the KB
does not know and whose name has no international word take the sentence's focus too.
"""

from __future__ import annotations

import functools

from spacy.symbols import NOUN
from spacy.tokens import Token

from sitrep.nlp.text import doc_ents
from sitrep.resolve.actor_state import DocState, Match, string_id
from sitrep.resolve.kb import KnowledgeBase, cached_norm, norm

# singular nouns that name a group (a plural is needed otherwise: "official" is a person)
GROUP_SINGULAR = frozenset({
    "police", "army", "military", "government", "opposition", "parliament", "administration",
    "regime", "militia", "cabinet", "navy", "junta", "gendarmerie", "leadership", "judiciary",
    "clergy", "legislature", "authorities", "newspaper", "court", "supreme court", "ministry",
    "embassy", "church", "broadcaster", "news agency", "company", "firm", "police force",
    "party",
})  # fmt: skip
# sector nouns that are mostly events or weapons, not groups of people
NOT_GROUPS = frozenset({
    "strikes", "strike", "shelling", "drones", "missiles", "tanks", "warplanes", "jets",
    "helicopters", "bombers", "warships", "submarines", "air defences", "air defenses",
    "sanctions", "counterparts", "partners", "allies", "hospitals", "schools", "universities",
    "banks", "courts", "ministries", "families", "children", "women",
})  # fmt: skip
ATTACH_PREPS = frozenset({"in", "of", "from", "at"})
# groups that are rarely of the sentence's one country: people held by the other side, and
# "the two sides"; they take a country only from their own phrase ("prisoners from Gaza")
NO_FOCUS = frozenset({
    "prisoners", "hostages", "detainees", "captives", "sides", "side", "parties",
    "prisoners of war", "pows",
})  # fmt: skip
# words in an organisation's name that mark it as international (no country from context)
INTERNATIONAL = frozenset({
    "international", "world", "global", "united", "nations", "un", "watch", "amnesty",
    "red", "cross", "crescent", "borders", "european", "african", "arab", "asian", "islamic",
    "atlantic", "pacific", "federation", "council", "forum", "agency", "fund", "bank",
    "organization", "organisation", "commission", "alliance",
})  # fmt: skip
NATIONAL = frozenset({"national", "state", "federal", "supreme"})
_MIN_CITY_POP = 50_000


@functools.lru_cache(maxsize=1)
def _alpha3() -> dict[str, str]:
    import pycountry

    out = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    out["XK"] = "XKX"
    return out


@functools.lru_cache(maxsize=4096)
def city_country(name: str) -> str | None:
    """ISO3 of the most populous city (>= 50,000) or country the gazetteer names so."""
    from sitrep.resolve.gazetteer import gazetteer, normalize

    best, pop = None, 0
    for entry, how in gazetteer().lookup(normalize(name)):
        if how == "alt" or entry.cc is None:
            continue
        if entry.kind == "country":
            return _alpha3().get(entry.cc)
        if entry.kind == "city" and entry.population >= max(_MIN_CITY_POP, pop + 1):
            best, pop = entry.cc, entry.population
    return _alpha3().get(best) if best else None


def _match_country(kb: KnowledgeBase, m: Match) -> str | None:
    if m.kind == "entry":
        entry = kb.entries[m.ids[0]]
        return entry.id if entry.kind == "country" else None
    if m.kind == "demonym":
        return m.ids[0]
    if m.kind == "metonym":
        return kb.metonyms[m.key][0]
    return None


def bare_sectors(kb: KnowledgeBase, st: DocState, matches: list[Match]) -> None:
    doc = st.doc
    iso_at: dict[int, str] = {}
    focus: dict[int, set[str]] = {}
    for m in matches:
        iso3 = _match_country(kb, m)
        if iso3:
            for i in range(m.start, m.end):
                iso_at[i] = iso3
            focus.setdefault(st.sent_of[m.start], set()).add(iso3)
    nouns = [i for i, p in enumerate(st.pos or [t.pos for t in doc]) if p == NOUN]
    deps, tags, norms = st.tokens.deps, st.tags, st.norms
    # (a plural or a group noun, as _group_at checks first: most nouns stop there)
    codes = {
        i: code
        for i in nouns
        if not st.claimed[i]
        and deps[i] not in ("compound", "amod")
        and (tags[i] == _NNS or norms[i] in GROUP_SINGULAR)
        and (code := _group_at(i, st, kb))
    }
    candidates = [doc[i] for i in codes]
    orgs = [
        a
        for a in st.actors.values()
        if a.key.startswith("org:")
        and a.country is None
        and a.spans
        and _national(norm(a.name).split())
    ]
    if not candidates and not orgs:
        return
    for e_start, e_end, label, s_char, e_char in doc_ents(doc):
        # cities and regions the KB does not know ("in Sivas")
        if label in ("GPE", "LOC") and e_start not in iso_at:
            iso3 = city_country(st.text[s_char:e_char])
            if iso3:
                for i in range(e_start, e_end):
                    iso_at[i] = iso3
                focus.setdefault(st.sent_of[e_start], set()).add(iso3)
    for actor in orgs:  # "the Umma party", "the Sivas Bar Association": a national body
        span = doc.char_span(*min(actor.spans), alignment_mode="expand")
        found = focus.get(st.sent_of[span.start], set()) if span is not None else set()
        if len(found) == 1 and next(iter(found)) in kb.countries:
            actor.country = next(iter(found))
    for tok in candidates:
        if _named_group(tok, st):
            continue  # "Hezbollah fighters", "Taliban gunmen": the named group's members
        code = codes[tok.i]
        iso3 = _attached(tok, iso_at)
        if iso3 is None and norm(tok.text) not in NO_FOCUS:
            found = focus.get(st.sent_of[tok.i], set())
            iso3 = next(iter(found)) if len(found) == 1 else None
        if iso3 is None or iso3 not in kb.countries:
            continue
        start = tok.i
        for child in tok.lefts:  # "riot police", "opposition parties"
            if (
                child.dep_ in ("compound", "amod")
                and child.pos_ in ("NOUN", "ADJ")
                and not st.claimed[child.i]
                and child.i < start
            ):
                start = child.i
        st.mention(st.entry_actor(kb.sector_actor(iso3, code)), start, tok.i + 1)


def _national(words: list[str]) -> bool:
    """An organisation name of one country: no international word, or "national"/"state"
    in it ("the National Electoral Council", "the State Security Council")."""
    return not INTERNATIONAL & set(words) or bool(NATIONAL & set(words))


def _named_group(tok: Token, st: DocState) -> bool:
    for child in tok.lefts:
        if child.dep_ in ("compound", "nmod", "poss") and st.claimed[child.i]:
            actor = st.actors.get(st.tok_actor.get(child.i, ""))
            if actor is not None and actor.kind in ("group", "organization"):
                return True
    return False


_NAMED_TYPES = frozenset(string_id(n) for n in ("ORG", "FAC", "NORP", "GPE"))
_NNS = string_id("NNS")


def _group_at(i: int, st: DocState, kb: KnowledgeBase) -> str | None:
    """The sector code of a group noun at token ``i`` ("protesters" -> CVL), or None."""
    word = st.norms[i]
    if word in NOT_GROUPS or st.ent_types[i] in _NAMED_TYPES:
        return None
    if st.tags[i] != _NNS and word not in GROUP_SINGULAR:
        return None
    texts = st.texts
    code = kb.sector_nouns.get(cached_norm(texts[i - 1] + " " + texts[i])) if i > 0 else None
    code = code or kb.sector_nouns.get(word) or kb.sector_nouns.get(st.tokens.lemmas[i].lower())
    return None if code in (None, "CTY") else code


def _attached(tok: Token, iso_at: dict[int, str]) -> str | None:
    preps = [t for t in tok.rights if t.dep_ == "prep"]
    for acl in tok.rights:  # "a newspaper based in Beirut", "troops stationed in Kosovo"
        if acl.dep_ == "acl" and acl.tag_ in ("VBN", "VBG"):
            preps.extend(t for t in acl.children if t.dep_ == "prep")
    for prep in preps:
        if prep.dep_ == "prep" and prep.lower_ in ATTACH_PREPS:
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.conjuncts:  # "delegations from Armenia and Azerbaijan": both sides,
                    return None  # read off the phrase by the event step
                for t in (pobj, *pobj.children):  # "the town of X", "the capital X"
                    if t.i in iso_at:
                        return iso_at[t.i]
                    if t.dep_ == "prep" and t.lower_ == "of":
                        for g in t.children:
                            if g.i in iso_at:
                                return iso_at[g.i]
    return None
