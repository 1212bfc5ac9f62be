"""Event arguments from the dependency tree: source, target, place, date, counts, mode.

Resolved mentions come from the earlier components (actors, places, times, numbers); an
``ArgIndex`` maps each token to the mention covering it, built once per document.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy
from spacy.attrs import LIKE_NUM
from spacy.tokens import Doc

from sitrep.extract.event_lexicon import EventLexicon
from sitrep.extract.event_targets import EXPULSION_MODES, placeholder
from sitrep.extract.event_triggers import Candidate, pos_class
from sitrep.nlp.text import doc_tokens
from sitrep.nlp.tree import Node
from sitrep.records import EventDate, NumberExpr, TimeExpr

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_OBJ_TARGET_PREPS = {"with": "*", "to": "*", "against": "*", "on": "*"}
_PRONOUN_SKIP = frozenset({"it", "this", "that", "there", "which", "what"})
_ACTOR_DEPS = ("compound", "amod", "poss", "nmod", "appos")
_ACTOR_PREPS = frozenset({"of", "in", "from"})
_GOAL_PREPS = frozenset({"to", "towards", "toward", "into", "through"})


@dataclass(slots=True)
class ArgIndex:
    """Token -> resolved mention lookups for one document."""

    actor: dict[int, str] = field(default_factory=dict)
    place: dict[int, str] = field(default_factory=dict)
    time: dict[int, TimeExpr] = field(default_factory=dict)
    number: dict[int, NumberExpr] = field(default_factory=dict)
    metonyms: set[int] = field(default_factory=set)
    actor_country: dict[str, str] = field(default_factory=dict)
    actor_kind: dict[str, str] = field(default_factory=dict)
    actor_sector: dict[str, str] = field(default_factory=dict)
    place_country: dict[str, str] = field(default_factory=dict)
    place_kind: dict[str, str] = field(default_factory=dict)
    place_tokens: list[int] = field(default_factory=list)  # sorted keys of ``place``
    time_tokens: list[int] = field(default_factory=list)  # sorted keys of ``time``
    actor_tokens: list[int] = field(default_factory=list)  # sorted keys of ``actor``
    number_tokens: list[int] = field(default_factory=list)  # sorted keys of ``number``

    def has_place(self, start: int, end: int) -> bool:
        """Whether any token in [start, end) is part of a place mention."""
        return _any_between(self.place_tokens, start, end)

    def has_time(self, start: int, end: int) -> bool:
        """Whether any token in [start, end) is part of a time expression."""
        return _any_between(self.time_tokens, start, end)

    @staticmethod
    def between(sorted_ints: list[int], start: int, end: int) -> list[int]:
        """The members of ``sorted_ints`` in [start, end) (e.g. ``place_tokens`` of a
        sentence), in order."""
        return sorted_ints[bisect.bisect_left(sorted_ints, start) : bisect.bisect_left(
            sorted_ints, end)]  # fmt: skip


def _any_between(sorted_ints: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(sorted_ints, start)
    return k < len(sorted_ints) and sorted_ints[k] < end


def build_index(doc: Doc) -> ArgIndex:
    idx = ArgIndex()
    tokens = doc_tokens(doc)

    for (s, e), actor_id in (doc._.sitrep_actor_spans or {}).items():
        for i in tokens.token_range(s, e):
            idx.actor.setdefault(i, actor_id)
    for (s, e), place_id in (doc._.sitrep_place_spans or {}).items():
        for i in tokens.token_range(s, e):
            idx.place.setdefault(i, place_id)
    idx.actor_country = {a.id: a.country for a in doc._.sitrep_actors or () if a.country}
    idx.actor_kind = {a.id: a.kind for a in doc._.sitrep_actors or ()}
    idx.actor_sector = {a.id: a.sector for a in doc._.sitrep_actors or () if a.sector}
    idx.place_country = {p.id: p.country for p in doc._.sitrep_places or () if p.country}
    idx.place_kind = {p.id: p.kind for p in doc._.sitrep_places or ()}
    for s, e in doc._.sitrep_metonyms or ():
        idx.metonyms.update(tokens.token_range(s, e))
    for t in doc._.sitrep_times or ():
        for i in tokens.token_range(t.start, t.end):
            idx.time.setdefault(i, t)
    for n in doc._.sitrep_numbers or ():
        for i in tokens.token_range(n.start, n.end):
            idx.number.setdefault(i, n)
    idx.place_tokens = sorted(idx.place)
    idx.time_tokens = sorted(idx.time)
    idx.actor_tokens = sorted(idx.actor)
    like_num = numpy.flatnonzero(doc.to_array([LIKE_NUM]).ravel()).tolist()
    for i in like_num:  # numbers the numbers component did not report
        if i in idx.number:
            continue
        tok = doc[i]
        if tok.ent_type_ not in _NOT_COUNT_ENTS:
            value = _simple_number(tok.lower_)
            if value is not None:
                idx.number[tok.i] = NumberExpr(tok.text, tok.idx, tok.idx + len(tok), value)
    idx.number_tokens = sorted(idx.number)
    return idx


_NOT_COUNT_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}


def _simple_number(text: str) -> float | None:
    if text in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text])
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


# ---------------------------------------------------------------- actors


def _actor_token(tok: Node, idx: ArgIndex, depth: int = 0) -> Node | None:
    """The token naming the actor of a noun phrase headed by ``tok``."""
    if tok.i in idx.actor:
        return tok
    if depth > 2:
        return None
    for child in tok.children:
        if child.dep_ in _ACTOR_DEPS and child.i in idx.actor:
            return child
        if child.dep_ == "nsubj" and pos_class(tok) == "VERB":  # "The Red Cross operating in"
            return _actor_token(child, idx, depth + 1)
    for child in tok.children:  # "the African Union Commission chairman"
        if child.dep_ == "compound" and pos_class(child) == "NOUN":
            found = _actor_token(child, idx, depth + 1)
            if found is not None:
                return found
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in _ACTOR_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found = _actor_token(pobj, idx, depth + 1)
                    if found is not None:
                        return found
    return None


def led_by(tok: Node, idx: ArgIndex) -> str | None:
    """ "the US-led coalition", "Saudi-led forces": ``country:ISO3`` of the country that
    leads (not "Russian-backed" or "Chinese-made": backing or making is not acting)."""
    for amod in tok.children:
        if amod.dep_ == "amod" and amod.lower_ == "led":
            for mod in amod.children:
                if mod.dep_ in ("npadvmod", "compound", "nmod", "amod"):
                    aid = idx.actor.get(mod.i)
                    if aid is not None:
                        return aid
                    pid = idx.place.get(mod.i)
                    if pid is not None and idx.place_kind.get(pid) == "country":
                        iso3 = idx.place_country.get(pid)
                        return placeholder(iso3) if iso3 else None
                    iso3 = _demonym_country(mod.text)  # "Saudi-led", "French-led"
                    if iso3:
                        return placeholder(iso3)
    return None


def _demonym_country(word: str) -> str | None:
    from sitrep.resolve.kb import load_kb, norm

    return load_kb().demonyms.get(norm(word))


def actor_of(tok: Node, idx: ArgIndex) -> str | None:
    """The actor a noun phrase headed by ``tok`` refers to ("Russian negotiators" -> Russia)."""
    found = _actor_token(tok, idx)
    return idx.actor[found.i] if found is not None else None


def actors_of(tok: Node, idx: ArgIndex) -> list[str]:
    """Actors of ``tok`` and its conjuncts ("Russia and Ukraine", "delegations from Kyiv and
    Moscow" -> both), in order."""
    out: list[str] = []
    for t in (tok, *tok.conjuncts):
        found = _actor_token(t, idx)
        if found is None:
            leader = led_by(t, idx)
            if leader and leader not in out:
                out.append(leader)
            continue
        for f in (found, *(found.conjuncts if found != t else ())):
            a = idx.actor.get(f.i) or actor_of(f, idx)
            if a and a not in out:
                out.append(a)
        for child in t.children:  # "the Turkish and Greek sides", "U.S. and Russian negotiators"
            if child.dep_ in _ACTOR_DEPS and child.conjuncts:
                for f in (child, *child.conjuncts):
                    a = idx.actor.get(f.i)
                    if a and a not in out:
                        out.append(a)
    return out


def _pack(ids: list[str]) -> str | list[str] | None:
    if not ids:
        return None
    return ids[0] if len(ids) == 1 else ids


def subject_of(verb: Node) -> tuple[Node | None, bool]:
    """(subject token, passive?) of a verb, following control, conjunction and participles."""
    return _subject(verb)


def _subject(verb: Node) -> tuple[Node | None, bool]:
    """(subject token, passive?) of a verb, following control, conjunction and participles."""
    seen = 0
    tok = verb
    while tok is not None and seen < 6:
        seen += 1
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")]
        if subjects:
            # "KYIV, June 2 - Russia launched": the subject nearest the verb
            before = [c for c in subjects if c.i < tok.i]
            child = before[-1] if before else subjects[0]
            if child.lower_ in _RELATIVE and tok.dep_ == "relcl":
                return tok.head, child.dep_ == "nsubjpass"  # "Fidan, who hosted ..."
            return child, child.dep_ == "nsubjpass"
        if tok.dep_ == "xcomp" and tok.head != tok:
            controller = _object_controller(tok.head)
            if controller is not None:  # "urged Sudan to accept", "called on both sides to"
                return controller, False
        if tok.dep_ in ("xcomp", "conj", "advcl", "acomp") and tok.head != tok:
            tok = tok.head  # acomp: "he is prepared to lift" -> the copula's subject
            continue
        if (
            tok.dep_ == "pcomp"
            and tok.tag_ == "VBG"
            and tok.head.dep_ == "prep"
            and pos_class(tok.head.head) == "VERB"
        ):
            # "rebels resorted to throwing stones", "responded by shelling": the subject of
            # the governing verb does the gerund, whatever that verb's voice
            subj, _ = _subject(tok.head.head)
            passive = any(c.dep_ == "auxpass" for c in tok.children)  # "after being hit"
            return subj, passive
        if tok.dep_ == "acl" and tok.tag_ in ("VBD", "VBN") and _verbless(tok):
            # "An official Syrian newspaper called on Arabs ...": a sentence with no finite
            # verb is a misparse; the noun at its root is the subject of its first verb
            root = tok.sent.root
            return root, any(c.dep_ in ("auxpass", "agent") for c in tok.children)
        if (
            tok.dep_ == "acl"
            and tok.tag_ in ("VB", "VBG")
            and tok.head.dep_ in ("dobj", "pobj", "nsubj")
        ):
            # "promoting a plan to impose duties": the planner imposes
            verb = tok.head.head
            tok = verb.head.head if tok.head.dep_ == "pobj" and verb.dep_ == "prep" else verb
            continue
        if tok.dep_ in ("relcl", "acl") and tok.head != tok:
            # a participle with a direct object is active: "the coalition bombed positions"
            passive = tok.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in tok.children)
            return tok.head, passive
        return None, False
    return None, False


def _verbless(verb: Node) -> bool:
    """A sentence parsed with a noun at its root and no finite verb before ``verb``."""
    sent = verb.sent
    if sent.root.pos_ not in ("NOUN", "PROPN") or len(sent) < 8:
        return False
    return not any(t.tag_ in _FINITE for t in sent if t.i < verb.i)


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


_DEEP_DEPS = frozenset({"xcomp", "dobj", "prep", "pobj", "dative"})
_DEEP_PREPS = frozenset({"against", "with", "to", "on", "at", "into", "in"})


def _embedded_target(anchor: Node, idx: ArgIndex) -> list[str]:
    """The first party the event's embedded act or object phrase is aimed at, breadth-first
    through to-clauses, objects and prepositional phrases (not subjects, not reported or
    adverbial clauses): "refused to deploy peacekeepers in Iraq", "for a war against Iraq"."""
    frontier = [c for c in anchor.children if c.dep_ in ("xcomp", "dobj", "prep")]
    for _ in range(4):
        nxt = []
        for tok in frontier:
            is_obj = tok.dep_ in ("dobj", "dative") and tok.head.dep_ == "xcomp"
            is_pobj = tok.dep_ == "pobj" and tok.head.lower_ in _DEEP_PREPS
            if is_obj or is_pobj:
                found = actors_of(tok, idx)
                if found:
                    return found
            nxt.extend(c for c in tok.children if c.dep_ in _DEEP_DEPS)
        frontier = nxt
    return []


def _speaker_of(tok: Node, idx: ArgIndex, lex: EventLexicon) -> list[str]:
    """ "Uganda said it had paid": an unresolved pronoun in a reported clause is the speaker."""
    report = lex.pattern("report") | lex.pattern("intent")
    for _ in range(4):
        if tok.head == tok:
            return []
        if tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_lower in report:
            speaker = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            return actors_of(speaker, idx) if speaker is not None else []
        if tok.dep_ not in ("conj", "xcomp", "ccomp", "acomp"):  # "says it is ready to go"
            return []
        tok = tok.head
    return []


def _object_controller(verb: Node) -> Node | None:
    """The object that does a verb's to-clause: "urged Sudan to", "called on Kyiv to" (verbs
    listed as ``object_control``; "used tear gas to disperse" keeps its subject)."""
    from sitrep.extract.event_lexicon import load_lexicon

    if verb.lemma_lower not in load_lexicon().pattern("object_control"):
        return None
    for child in verb.children:
        if child.dep_ == "dobj":
            return child
        if child.dep_ == "prep" and child.lower_ == "on":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _antecedent(subj: Node, idx: ArgIndex, lex: EventLexicon) -> list[str]:
    """The actor an anaphoric subject refers back to: "it" (any actor but a person) or a
    definite noun listed as ``anaphor`` in patterns.tsv ("the group", "the country"), whose
    value says the kinds it can name. The nearest such actor before it in the same or the
    previous sentence, preferring subjects; nothing when two kinds compete."""
    lemma = subj.lower_ if subj.pos_ == "PRON" else subj.lemma_lower
    kinds = lex.pattern("anaphor").get(lemma)
    if kinds is None or subj.i in idx.actor:
        return []
    if subj.pos_ != "PRON" and not any(
        c.dep_ == "det" and c.lower_ in ("the", "this") for c in subj.children
    ):
        return []
    allowed = None if kinds == "*" else set(kinds.split(","))
    sent = subj.sent
    tree = sent.tree
    start = tree.sentence_of(sent.start - 1).start if sent.start > 0 else sent.start
    deps = tree.deps
    best: tuple[int, int, str] | None = None
    for i in range(subj.i - 1, start - 1, -1):
        aid = idx.actor.get(i)
        if aid is None:
            continue
        kind = idx.actor_kind.get(aid, "")
        if kind == "person" or (allowed is not None and kind not in allowed):
            continue
        rank = (0 if deps[i] in ("nsubj", "nsubjpass") else 1, subj.i - i)
        if best is None or rank < best[:2]:
            best = (*rank, aid)
    return [best[2]] if best is not None else []


def _attributed(noun: Node, idx: ArgIndex, lex: EventLexicon) -> list[str]:
    """Who an attack noun is blamed on: "a strike blamed on the RSF", "a bombing claimed by
    ISIS" (a participle right on the noun; ``attribution`` in patterns.tsv)."""
    attribution = lex.pattern("attribution")
    for acl in noun.children:
        prep = attribution.get(acl.lemma_lower) if acl.dep_ == "acl" else None
        if prep is None:
            continue
        for child in acl.children:
            if child.dep_ in ("prep", "agent") and child.lower_ == prep:
                return [a for g in child.children if g.dep_ == "pobj" for a in actors_of(g, idx)]
    return []


def _stative(verb: Node, lex: EventLexicon) -> bool:
    prep = lex.pattern("stative_passive").get(verb.lemma_lower)
    return prep is not None and any(c.dep_ == "prep" and c.lower_ == prep for c in verb.children)


def _agent(verb: Node) -> Node | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _prep_objects(tok: Node, preps: dict[str, str], etype: str) -> list[Node]:
    out = []
    for child in tok.children:
        if child.dep_ != "prep":
            continue
        allowed = preps.get(child.lower_)
        if allowed is None or (allowed != "*" and etype not in allowed.split(",")):
            continue
        out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


def source_target(
    cand: Candidate, idx: ArgIndex, lex: EventLexicon
) -> tuple[str | list[str] | None, str | list[str] | None]:
    """Source and target actor ids (a list when several, e.g. "Russia and Ukraine")."""
    etype = cand.etype
    target_preps = lex.pattern("target_prep")
    source_preps = lex.pattern("source_prep")
    sources: list[str] = []
    targets: list[str] = []
    anchor, head = cand.anchor, cand.head
    if cand.request_target is not None:
        subj, _ = _subject(anchor)
        sources = actors_of(subj, idx) if subj is not None else []
        return _pack(sources), _pack(actors_of(cand.request_target, idx))

    if pos_class(anchor) == "VERB":
        subj, passive = _subject(anchor)
        agent = _agent(anchor)
        if passive and agent is None and _stative(anchor, lex):
            passive = False  # "Vietnam is committed to opening up": Vietnam commits
        if passive and agent is None and etype == "MOBILIZE" and subj is not None:
            sources = actors_of(subj, idx)  # "troops were deployed", "was placed on alert"
        elif passive and agent is None and cand.entry.mode in EXPULSION_MODES:
            # "diplomats were expelled from Lithuania": the country they leave expels them
            sources = [
                a
                for pobj in _prep_objects(anchor, {"from": "*"}, etype)
                for a in actors_of(pobj, idx)
            ]
            if subj is not None and subj.head == anchor:
                targets = actors_of(subj, idx)
        elif passive or agent is not None:
            if agent is not None:
                sources = actors_of(agent, idx)
            if subj is not None and subj.head == anchor:
                targets = actors_of(subj, idx)
        elif subj is not None and subj.lower_ not in _PRONOUN_SKIP:
            sources = actors_of(subj, idx)
        if not sources and subj is not None and subj.pos_ == "PRON" and not passive:
            sources = _speaker_of(anchor, idx, lex)
        if not sources and subj is not None and not passive:
            sources = _antecedent(subj, idx, lex)  # "It accused ...", "The group demanded ..."
        for child in anchor.children:
            if child.dep_ in ("dobj", "dative", "iobj", "attr") and child != head:
                if not cand.light or child.dep_ != "dobj":
                    targets.extend(a for a in actors_of(child, idx) if a not in targets)
        for pobj in _prep_objects(anchor, target_preps, etype):
            targets.extend(a for a in actors_of(pobj, idx) if a not in targets)
        for tok in cand.tokens[1:]:  # "call on X": the phrase's own preposition
            if tok.dep_ == "prep":
                for pobj in tok.children:
                    if pobj.dep_ == "pobj":
                        targets.extend(a for a in actors_of(pobj, idx) if a not in targets)
        if not targets and etype == "REQUEST":  # "demanded that Pyongyang halt ..."
            for clause in anchor.children:
                if clause.dep_ == "ccomp":
                    for c in clause.children:
                        if c.dep_ in ("nsubj", "nsubjpass"):
                            targets.extend(actors_of(c, idx))
        if not targets:  # "suspended talks with the ELN": the object's own phrase
            for obj in anchor.children:
                if obj.dep_ == "dobj" and obj != head and pos_class(obj) == "NOUN":
                    for pobj in _prep_objects(obj, _OBJ_TARGET_PREPS, etype):
                        targets.extend(a for a in actors_of(pobj, idx) if a not in targets)
                    for acl in obj.children:  # "rejected a proposal put forward by Egypt"
                        agent = _agent(acl) if acl.dep_ == "acl" else None
                        if agent is not None:
                            targets.extend(a for a in actors_of(agent, idx) if a not in targets)
        if not targets:  # "threatened to break relations with Russia": the embedded act's
            targets = [a for a in _embedded_target(anchor, idx) if a not in sources]
    # the noun's own phrase: "Russia's attack on Kyiv", "talks between A and B"
    if pos_class(head) == "NOUN":
        for child in head.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i in idx.actor:
                if idx.actor[child.i] not in sources:
                    sources.append(idx.actor[child.i])
            if child.dep_ == "prep" and child.lower_ == "between":
                # "talks between A and B": the parties; "X launched a mediation effort
                # between A and B": X acts on them
                side = targets if sources else sources
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        side.extend(a for a in actors_of(pobj, idx) if a not in side)
        noun_source, noun_target = source_preps, target_preps
        if head.lemma_lower in lex.pattern("of_patient"):  # "the release of prisoners"
            noun_source = {k: v for k, v in source_preps.items() if k != "of"}
            noun_target = {**target_preps, "of": "*"}
        for pobj in _prep_objects(head, noun_source, etype):
            sources.extend(a for a in actors_of(pobj, idx) if a not in sources)
        for pobj in _prep_objects(head, noun_target, etype):
            targets.extend(a for a in actors_of(pobj, idx) if a not in targets)
        if not targets:  # "drills encircling Taiwan", "strikes targeting Hezbollah"
            for acl in head.children:
                if acl.dep_ == "acl" and acl.tag_ == "VBG":
                    for obj in acl.children:
                        if obj.dep_ == "dobj":
                            targets.extend(a for a in actors_of(obj, idx) if a not in targets)
        # a noun that is the object of a light verb also takes the verb's dative/prep target
        if (
            not sources
            and head.dep_ == "dobj"
            and pos_class(head.head) == "VERB"
            and head.head.lemma_lower not in lex.triggers
            and head.head.lemma_lower not in lex.pattern("causative")
        ):
            # "The United States speeded up the withdrawal": the verb's subject does it
            subj, passive = _subject(head.head)
            if subj is not None and not passive and subj.lower_ not in _PRONOUN_SKIP:
                sources = [a for a in actors_of(subj, idx) if a not in targets]
    if not sources and pos_class(anchor) == "OTHER" and anchor.head.i != anchor.i:
        # "X said removing sanctions is out of the question": the speaker's stance
        clause = anchor.head
        if clause.dep_ == "ccomp":
            sources = _speaker_of(clause, idx, lex)
    if not sources and etype == "ASSAULT":  # "a drone strike blamed on the RSF hit ..."
        noun = head if pos_class(head) == "NOUN" else _subject(anchor)[0]
        if noun is not None:
            sources = _attributed(noun, idx, lex)
    targets = [t for t in targets if t not in sources]  # nobody acts on itself here
    if not targets and len(sources) > 1 and head.lemma_lower in lex.pattern("reciprocal"):
        targets = list(sources)
    return _pack(sources), _pack(targets)


# ---------------------------------------------------------------- place, date


def place_of(cand: Candidate, idx: ArgIndex, lex: EventLexicon, used: set[str]) -> str | None:
    """The place of the event: a place mention in a locative phrase of the trigger's clause."""
    sent = cand.sent or cand.anchor.sent
    if not idx.has_place(sent.start, sent.end):
        return None  # most sentences name no place: skip the tree walk
    preps = lex.pattern("place_prep")
    for tok in (cand.anchor, cand.head):
        pid = _locative(tok, preps, idx, used)
        if pid:
            return pid
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in _GOAL_PREPS:
                # "marched to Dakar", "the streets of Caracas", "to the embassy in Dakar"
                for pobj in child.children:
                    pid = _place_in(pobj, idx, used) or _locative(pobj, preps, idx, used)
                    if pid:
                        return pid
            elif child.dep_ in ("dobj", "npadvmod"):
                # "hit a bus in the Sumy district": the object's locative phrase
                pid = _locative(child, preps, idx, used)
                if pid:
                    return pid
    # a sentence-initial locative ("In Kyiv, ...") belongs to the main clause
    root = sent.root
    return _locative(root, preps, idx, used, before=root.i)


def _locative(tok: Node, preps: dict[str, str], idx: ArgIndex, used: set[str],
              before: int | None = None) -> str | None:  # fmt: skip
    """A place in one of ``tok``'s locative phrases (only those before ``before``, if given)."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in preps and (before is None or child.i < before):
            for pobj in child.children:
                pid = _place_in(pobj, idx, used)
                if pid:
                    return pid
    return None


def _place_in(tok: Node, idx: ArgIndex, used: set[str]) -> str | None:
    """A place mention at ``tok``; ``used`` holds the event's participant actor ids, whose
    mentions are not its place ("called on the United States to act")."""
    for t in (tok, *tok.children, *tok.conjuncts):
        if t.i in idx.time:
            continue
        if idx.actor.get(t.i) in used:
            continue
        if t.i in idx.place and t.i not in idx.metonyms:
            return idx.place[t.i]
        if t.dep_ == "prep" and t.lower_ in ("of", "in"):  # "the town of Rafah"
            for g in t.children:
                if g.i in idx.place and g.i not in idx.metonyms:
                    return idx.place[g.i]
    return None


def date_of(cand: Candidate, idx: ArgIndex, lex: EventLexicon, published: str | None) -> EventDate:
    """The date from the time expression in the event's own clause, else the publication date.

    Times in the subtree of the anchor count; then times attached to the verbs above it, up
    to (not including) a reporting verb: "..., officials said on Monday" dates the report.
    """
    sent = cand.sent or cand.anchor.sent
    if not idx.has_time(sent.start, sent.end):
        return EventDate(published, published, None, inferred=True)  # no time in the sentence
    report = lex.pattern("report")
    for tok in (cand.head, cand.anchor):
        t = _time_under(tok, idx, skip=cand)
        if t is not None:
            return _event_date(t, published)
    tok = cand.anchor
    steps = 0
    while tok.head != tok and steps < 3:
        if tok.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "dobj"):
            break
        tok = tok.head
        steps += 1
        if tok.lemma_lower in report:
            break
        for child in tok.children:
            if child.dep_ in ("prep", "npadvmod", "tmod") and child.i != cand.anchor.i:
                t = _time_at(child, idx)
                if t is not None:
                    return _event_date(t, published)
    # last resort: a date anywhere in the sentence that does not date a reporting verb
    best: TimeExpr | None = None
    best_dist = 10_000
    clause = cand.anchor
    if clause.dep_ == "advcl" and clause.tag_ == "VBG":  # "..., accusing Israel of ...": the
        clause = clause.head  # participle shares the main clause's time
    below = range(clause.left_edge.i, clause.right_edge.i + 1)  # projective parse
    for i in idx.between(idx.time_tokens, sent.start, sent.end):
        t = idx.time[i]
        if not _is_date(t):
            continue
        tok = sent.node(i)
        verb = _dated_verb(tok)
        if verb is not None and _temporal_clause(verb, clause):
            continue  # "since the invasion began in February 2022" dates the invasion
        # only a time that dates a verb inside the event's own clause ("rejected a proposal
        # to extend the truce on Monday"), not a governing verb (the announcement), not a
        # reporting verb; "earlier this year" inside a noun phrase dates that noun
        if verb is None or verb.i not in below or verb.lemma_lower in report:
            continue
        dist = abs(tok.i - cand.anchor.i)
        if dist < best_dist:
            best, best_dist = t, dist
    if best is not None:
        return _event_date(best, published)
    return EventDate(published, published, None, inferred=True)


_TEMPORAL_MARKS = frozenset({"since", "after", "before", "when", "while", "until", "as", "once"})


def _temporal_clause(verb: Node, top: Node) -> bool:
    tok = verb
    for _ in range(6):
        if tok == top or tok.head == tok:
            return False
        if any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in tok.children):
            return True
        if tok.dep_ == "pcomp" and tok.head.lower_ in _TEMPORAL_MARKS:
            return True
        tok = tok.head
    return False


def _dated_verb(tok: Node) -> Node | None:
    """The verb a time word attaches to ("on Monday" -> its verb), None inside a noun phrase."""
    for _ in range(3):
        if tok.dep_ not in (
            "pobj",
            "prep",
            "npadvmod",
            "tmod",
            "compound",
            "nummod",
            "det",
            "amod",
        ):
            return None
        if tok.head == tok:
            return None
        tok = tok.head
        if pos_class(tok) == "VERB":
            return tok
        if tok.dep_ == "prep" or tok.pos_ == "ADP":
            continue
        if pos_class(tok) == "NOUN" and tok.dep_ not in ("pobj", "npadvmod"):
            return None
    return None


def _is_date(t: TimeExpr) -> bool:
    return t.granularity != "duration" and not (
        isinstance(t.value, str) and t.value.startswith("P")
    )


def _time_at(tok: Node, idx: ArgIndex) -> TimeExpr | None:
    t = _time_at_any(tok, idx)
    return t if t is not None and _is_date(t) else None


def _time_at_any(tok: Node, idx: ArgIndex) -> TimeExpr | None:
    if tok.i in idx.time:
        return idx.time[tok.i]
    if tok.dep_ == "prep":
        for g in tok.children:
            if g.i in idx.time:
                return idx.time[g.i]
            for gg in g.children:  # "on Sunday night": compound under pobj
                if gg.dep_ in ("compound", "amod", "nummod") and gg.i in idx.time:
                    return idx.time[gg.i]
    return None


def _time_under(tok: Node, idx: ArgIndex, skip: Candidate) -> TimeExpr | None:
    """A time expression attached to ``tok`` (directly, via a preposition or a possessive)."""
    for child in tok.children:
        if child.dep_ in ("prep", "npadvmod", "tmod", "poss", "compound", "nmod", "advmod"):
            t = _time_at(child, idx)
            if t is not None:
                return t
        if child.dep_ == "poss" and child.i in idx.time and _is_date(idx.time[child.i]):
            return idx.time[child.i]
    return None


def _event_date(t: TimeExpr, published: str | None) -> EventDate:
    value = t.value
    if t.granularity == "duration" or (isinstance(value, str) and value.startswith("P")):
        value = None  # "a three-hour attack" says how long, not when
    if isinstance(value, dict):
        start = value.get("start") or value.get("value")
        end = value.get("end") or start
    elif isinstance(value, str):
        start = end = value
    else:
        return EventDate(published, published, t.text, inferred=True)
    return EventDate(start, end, t.text, inferred=False)


# ---------------------------------------------------------------- counts and mode


def number_unit(num: NumberExpr, tok: Node, lex: EventLexicon) -> str | None:
    """What a number counts: the numbers component's unit, else read from the tree."""
    if num.unit:
        return num.unit if num.unit in lex.pattern("count_key") else None
    if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"):
        return None
    count_nouns, count_verbs = lex.pattern("count_noun"), lex.pattern("count_verb")
    noun = tok.head if tok.dep_ == "nummod" else tok
    if noun.lemma_lower in count_nouns:
        return count_nouns[noun.lemma_lower]
    if noun.lower_ in count_nouns:
        return count_nouns[noun.lower_]
    verb = noun.head
    if noun.dep_ in ("nsubjpass", "dobj", "nsubj") and verb.lemma_lower in count_verbs:
        if noun.dep_ == "nsubj" and verb.lemma_lower not in ("die",):
            return None
        return count_verbs[verb.lemma_lower]
    return None


def number_qualifier(num: NumberExpr, tok: Node, lex: EventLexicon) -> str | None:
    if num.qualifier:
        return num.qualifier
    quals = lex.pattern("qualifier")
    tree = tok.sent.tree
    first = tree.token_range(num.start, num.end)
    start = first.start if first else tok.i
    for width in (2, 1):
        if start - width >= 0:
            words = tree.text[tree.starts[start - width] : tree.ends[start - 1]].lower()
            if words in quals:
                return quals[words]
    return None


def mode_of(cand: Candidate, lex: EventLexicon) -> str | None:
    """Mode: the trigger row's mode unless a strong cue in the trigger's phrase overrides it."""
    cues = lex.modes.get(cand.etype, {})
    if not cues:
        return cand.entry.mode  # no cue words for this type: nothing can override the row
    best: tuple[int, str] | None = None
    region = list(cand.head.subtree) if pos_class(cand.head) == "NOUN" else []
    if cand.anchor != cand.head or pos_class(cand.anchor) == "VERB":
        region += [t for t in cand.anchor.children if t.dep_ not in ("ccomp", "advcl", "conj")]
        for child in list(cand.anchor.children):
            if child.dep_ in ("prep", "agent", "nsubj", "nsubjpass", "dobj", "advcl"):
                region += list(child.subtree)
    if cand.anchor.dep_ == "advcl" and cand.anchor.tag_ == "VBG":
        # "launched 150 drones ..., killing four": the main clause says how
        for child in cand.anchor.head.children:
            if child.dep_ in ("dobj", "nsubj", "prep"):
                region += list(child.subtree)
    for tok in region:
        hit = cues.get(tok.lemma_lower) or cues.get(tok.lower_)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], hit[0])
    if cand.entry.mode and (best is None or best[0] < 5):
        return cand.entry.mode
    return best[1] if best else cand.entry.mode
