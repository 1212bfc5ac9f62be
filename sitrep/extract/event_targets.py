"""Targets (and agentless coercion's sources) from places: an event with no target actor that acts on a place targets that
place's country ("imposed a curfew in Algiers" -> Algeria, "eased emergency measures in
Montenegro" -> Montenegro, "evacuated the wounded from the Bosnian town of Gorazde" ->
Bosnia), as event coding (CAMEO/PLOVER) does.

The place must lie in the trigger's own phrase (its objects, prepositional phrases and
controlled verbs: "threatened to ban voting in East Jerusalem"), not in its subject
("demonstrators in Baghdad blocked a road") nor in a clause of its own. A country that is
already the event's only source is not also its target. The country actor is the sentence's
own one when the actor resolver made it, else a new ``country`` actor whose mention is the
place name. An agentless passive COERCE event ("was arrested in Lebanon") has the place's
country as its source.
"""

from __future__ import annotations

import functools

from spacy.tokens import Doc

from sitrep.nlp.text import doc_text
from sitrep.nlp.tree import Node
from sitrep.records import Actor, Span

# dependencies not followed below the trigger: subjects and clauses of their own
_SKIP_DEPS = frozenset({
    "nsubj", "nsubjpass", "csubj", "agent", "ccomp", "advcl", "relcl", "parataxis", "mark",
    "punct", "cc", "conj", "appos", "npadvmod",
})  # fmt: skip
PLACEHOLDER = "country:"
_MAX_DEPTH = 5


def placeholder(iso3: str, sector: str | None = None) -> str:
    """The stand-in id ``country:ISO3[:SECTOR]`` for a country actor made after merging."""
    return f"{PLACEHOLDER}{iso3}:{sector}" if sector else PLACEHOLDER + iso3


def placeholder_country(actor_id: str) -> str | None:
    """ISO3 of a stand-in id, None for a real actor id."""
    return (
        actor_id[len(PLACEHOLDER) :].partition(":")[0] if actor_id.startswith(PLACEHOLDER) else None
    )


def place_target(anchor: Node, head: Node, place_of_token: dict[int, str],
                 place_country: dict[str, str], place: str | None,
                 source_countries: set[str]) -> str | None:  # fmt: skip
    """A placeholder target ``country:ISO3`` for the country of the place the event acts on."""
    iso3 = place_country.get(place) if place else None
    if iso3 is None:
        for root in dict.fromkeys((anchor, head)):
            iso3 = _walk(root, place_of_token, place_country, 0)
            if iso3:
                break
    if iso3 is None or source_countries == {iso3}:
        return None
    return placeholder(iso3)


# modes of expelling people: the country they are made to leave does it
EXPULSION_MODES = frozenset({"expel", "deport"})


def place_source(
    etype: str, mode: str | None, passive: bool, place: str | None, place_country: dict[str, str]
) -> str | None:
    """ "A missionary was arrested in Lebanon", "three diplomats were expelled from Lithuania":
    an agentless arrest, ban, curfew or expulsion is the act of the authorities of the place
    (``country:ISO3``)."""
    if not (etype == "COERCE" or (etype == "SANCTION" and mode in EXPULSION_MODES)):
        return None
    if not passive or not place or place not in place_country:
        return None
    return placeholder(place_country[place])


def place_source_country(place: str, place_country: dict[str, str]) -> str | None:
    """``country:ISO3:CVL``, the people of the place where unnamed people act ("thousands
    marched in Lagos" -> Nigerian civilians)."""
    return placeholder(place_country[place], "CVL") if place in place_country else None


def subject_place(
    subj: Node | None,
    passive: bool,
    group_nouns: dict[str, str],
    place_of_token: dict[int, str],
    place_country: dict[str, str],
) -> str | list[str] | None:
    """``country:ISO3`` for a subject known only by its place: a bare place name the actor
    resolver did not make an actor ("Ethiopa has agreed"), or a group noun with a place
    phrase ("the government of Punjab province", "residents of Gaza", "Kabul police")."""
    if subj is None or passive:
        return None
    found = []
    for tok in (subj, *subj.conjuncts):
        pid = place_of_token.get(tok.i)
        if pid is None and tok.lemma_lower in group_nouns:
            pid = _place_below(tok, place_of_token, 0)
            for conj in _place_conjuncts(tok, place_of_token):  # "from Armenia and Azerbaijan"
                if conj in place_country and placeholder(place_country[conj]) not in found:
                    found.append(placeholder(place_country[conj]))
        if pid is not None and pid in place_country:
            key = placeholder(place_country[pid])
            if key not in found:
                found.insert(0, key) if tok is subj else found.append(key)
    if not found:
        return None
    return found[0] if len(found) == 1 else found


_NP_DEPS = frozenset({"compound", "amod", "nmod", "poss", "prep", "pobj"})
_NP_PREPS = frozenset({"of", "in", "from"})


def _place_below(tok: Node, place_of_token: dict[int, str], depth: int) -> str | None:
    for child in tok.children:
        if child.dep_ not in _NP_DEPS or (child.dep_ == "prep" and child.lower_ not in _NP_PREPS):
            continue
        if child.i in place_of_token:
            return place_of_token[child.i]
        if depth < 3:
            found = _place_below(child, place_of_token, depth + 1)
            if found:
                return found
    return None


def _place_conjuncts(tok: Node, place_of_token: dict[int, str]) -> list[str]:
    out = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in _NP_PREPS:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    out.extend(place_of_token[c.i] for c in (pobj, *pobj.conjuncts)
                               if c.i in place_of_token)  # fmt: skip
    return out


def domestic_target(source: str | list[str] | None, etype: str, domestic_types: dict[str, str],
                    countries: dict[str, str]) -> str | None:  # fmt: skip
    """``country:ISO3`` for a domestic act with no named target: PLOVER codes "Kenyan
    students marched against fuel prices" as aimed at Kenya. Every source must be of one
    country; a source that is the country itself gets no target (see resolve_placeholders)."""
    if etype.lower() not in domestic_types:
        return None
    ids = _ids(source)
    if not ids:
        return None
    found = {placeholder_country(i) or countries.get(i) for i in ids}
    if len(found) != 1 or None in found:
        return None
    return placeholder(found.pop())


def _walk(tok: Node, place_of_token: dict[int, str], place_country: dict[str, str],
          depth: int) -> str | None:  # fmt: skip
    for child in tok.children:
        if child.dep_ in _SKIP_DEPS:
            continue
        pid = place_of_token.get(child.i)
        if pid and pid in place_country:
            return place_country[pid]
        if depth < _MAX_DEPTH:
            found = _walk(child, place_of_token, place_country, depth + 1)
            if found:
                return found
    return None


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import pycountry

    names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names["XKX"] = "Kosovo"
    return names


def resolve_placeholders(doc: Doc, events: list) -> None:
    """Replace ``country:ISO3`` targets by country actors (made when the doc has none)."""
    wanted = {
        t for e in events for t in (*_ids(e.source), *_ids(e.target)) if t.startswith(PLACEHOLDER)
    }
    if not wanted:
        return
    actors: list[Actor] = list(doc._.sitrep_actors or [])
    by_country = {a.country: a.id for a in actors if a.kind == "country" and a.country
                  and a.sector is None}  # fmt: skip
    spans = _place_spans(doc)
    ids: dict[str, str] = {}
    by_group = {(a.country, a.sector): a.id for a in actors if a.kind != "country"
                and a.country and a.sector}  # fmt: skip
    for key in sorted(wanted):
        iso3, _, sector = key[len(PLACEHOLDER) :].partition(":")  # see placeholder()
        aid = by_group.get((iso3, sector)) if sector else by_country.get(iso3)
        if aid is None:
            aid = f"A{len(actors) + 1}"
            mentions = spans.get(iso3, [])[:1]
            if sector:  # "Nigerian civilians", named as the actor step names sectors
                from sitrep.resolve.kb import load_kb

                entry = load_kb().sector_actor(iso3, sector)
                actors.append(Actor(aid, entry.name, entry.kind, iso3, sector, entry.id, None,
                                    mentions))  # fmt: skip
                by_group[(iso3, sector)] = aid
            else:
                actors.append(Actor(aid, _country_names().get(iso3, iso3), "country", iso3,
                                    None, iso3, None, mentions))  # fmt: skip
                by_country[iso3] = aid
        ids[key] = aid
    for e in events:
        if isinstance(e.target, str):
            e.target = ids.get(e.target, e.target)
        elif e.target:
            e.target = [ids.get(t, t) for t in e.target]
        if isinstance(e.source, str):
            e.source = ids.get(e.source, e.source)
        elif e.source:
            e.source = [ids.get(t, t) for t in e.source]
        if "target" in e.inferred and _ids(e.target) and set(_ids(e.target)) <= set(_ids(e.source)):
            e.target = None  # "Bolivia rejected ...": the country does not act on itself
            e.inferred.remove("target")
    doc._.sitrep_actors = actors


def _ids(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _place_spans(doc: Doc) -> dict[str, list[Span]]:
    country = {p.id: p.country for p in doc._.sitrep_places or () if p.country}
    out: dict[str, list[Span]] = {}
    text = doc_text(doc)
    for (s, e), pid in sorted((doc._.sitrep_place_spans or {}).items()):
        if pid in country:
            out.setdefault(country[pid], []).append(Span(text[s:e], s, e))
    return out
