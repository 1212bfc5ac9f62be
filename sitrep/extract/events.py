"""Event extraction: PLOVER events with participants, place, date, counts and status.

Steps per sentence: find triggers (``event_triggers``), read arguments off the dependency
tree (``event_args``), decide factuality (``factuality``); then fold repeated mentions into
one event (``event_merge``). All word knowledge is in ``sitrep/data/events/*.tsv``.
"""

import logging
import math
from collections.abc import Collection

from spacy.language import Language
from spacy.tokens import Doc

from sitrep.extract import event_anchor as anchor
from sitrep.extract import event_args as args
from sitrep.extract.event_lexicon import EventLexicon, load_lexicon
from sitrep.extract.event_merge import Draft, merge_document, merge_sentence
from sitrep.extract.event_targets import (
    domestic_target,
    place_source,
    place_source_country,
    place_target,
    placeholder_country,
    resolve_placeholders,
    subject_place,
)
from sitrep.extract.event_triggers import (
    Candidate,
    find_candidates,
    light_governor,
    pos_class,
    trigger_positions,
)
from sitrep.extract.factuality import intent_infinitive, status_of
from sitrep.extract.numbers import is_subset
from sitrep.nlp.tree import Node, ParseTree, Sentence
from sitrep.records import Event, Span

log = logging.getLogger(__name__)

# A conflictual act announced for the future on a condition is a threat ("will boycott
# the elections unless ...", "will impose sanctions if ...").
_ANAPHORIC = frozenset({"the", "this", "that", "these", "those"})
_COOPERATIVE = frozenset({"AGREE", "SUPPORT", "CONSULT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
_REFUSAL_MODALS = frozenset({"will", "would", "wo", "shall", "can", "ca", "could"})
_THREAT_TYPES = frozenset({"ASSAULT", "SANCTION", "COERCE", "MOBILIZE", "REJECT", "PROTEST"})


def _depth(tok: Node) -> int:
    d = 0
    while tok.head != tok and d < 50:
        tok = tok.head
        d += 1
    return d


def _anchored_draft(cand: Candidate, event: Event, si: int, strong: bool, **roles) -> Draft:
    """A ``Draft`` at the candidate's anchor (its position, depth and edge range)."""
    anchor = cand.anchor
    return Draft(event, si, anchor.i, _depth(anchor), strong, _edges(anchor), **roles)


def _in_quote(start: int, quotes: list) -> bool:
    for q in quotes:
        if q.start <= start < q.end:
            return True
    return False


class EventExtractor:
    def __init__(self) -> None:
        self.lex: EventLexicon = load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        lex = self.lex
        if not doc.has_annotation("DEP"):
            log.warning("sitrep_events needs a dependency parse; no events for this document")
            doc._.sitrep_events = []
            return doc
        idx = args.build_index(doc)
        published = doc._.published
        quotes = doc._.sitrep_quotes or []
        drafts: list[Draft] = []
        tree = ParseTree(doc)
        positions = trigger_positions(tree, lex)
        for si, sent in enumerate(tree.sents):
            cands = find_candidates(sent, lex, positions)
            if cands:
                domestic = _one_country(sent, idx)
                sent_drafts = [d for c in cands
                               if (d := self._draft(c, si, idx, published, quotes, domestic))]  # fmt: skip
                self._attach_counts(doc, sent, sent_drafts, idx)
                drafts.extend(merge_sentence(sent_drafts))
            sent.release()  # drafts hold no nodes: free them now
        tree.close()
        broad = frozenset(p.id for p in doc._.sitrep_places or () if p.kind == "country")
        countries = {a.id: a.country for a in doc._.sitrep_actors or () if a.country}
        sectors = {a.id: a.sector for a in doc._.sitrep_actors or ()}
        anchor.resolve(
            [d.event for d in drafts],
            {n: d.date_ref for n, d in enumerate(drafts) if d.date_ref is not None},
        )
        merged = merge_document(drafts, broad, countries)
        events = []
        for n, d in enumerate(merged, 1):
            d.event.id = f"E{n}"
            if d.event.target is None:
                d.event.target = (
                    d.place_target
                    or (
                        (d.domestic or _non_state(d.event.source, sectors))
                        and domestic_target(
                            d.event.source, d.event.type, lex.pattern("domestic_target"), countries
                        )
                    )
                    or None
                )
                if d.event.target is not None:
                    d.event.inferred.append("target")
            events.append(d.event)
        focus = _article_place(doc)
        if focus is not None:
            for event in events:  # "The bomb exploded at 2 pm": where the story happens
                if event.place is None and event.type in _PHYSICAL and event.status == "occurred":
                    event.place = focus
                    event.inferred.append("place")
        resolve_placeholders(doc, events)
        doc._.sitrep_events = events
        return doc

    # ------------------------------------------------------------------ one candidate

    def _draft(self, cand: Candidate, si: int, idx: args.ArgIndex, published: str | None,
               quotes: list, domestic: bool = False) -> Draft | None:  # fmt: skip
        lex = self.lex
        if _figurative_threat(cand, idx, lex) or _not_an_act(cand, idx, lex):
            return None
        source, target = args.source_target(cand, idx, lex)
        used = set()
        for v in (source, target):
            if isinstance(v, str):
                used.add(v)
            elif v:
                used.update(v)
        place = args.place_of(cand, idx, lex, used)
        place_guessed = False
        if place is None and cand.etype in _PHYSICAL:
            place = _only_place(cand, idx, lex, used)  # "...a bus in Sumy, killing nine"
            place_guessed = place is not None
        date = args.date_of(cand, idx, lex, published)
        status = status_of(cand, lex)
        head = cand.head
        is_noun = pos_class(head) == "NOUN" and not cand.light
        strong = not is_noun or status != "occurred"
        # a bare noun ("the explosion", "talks") with nothing to anchor it: only a further
        # mention of an event already reported (see merge_document)
        mention_only = (is_noun and source is None and target is None and date.inferred
                        and (place is None or place_guessed))  # fmt: skip
        if (
            cand.entry.conf < 0.5
            and source is None
            and target is None
            and date.inferred
            and cand.etype != "ASSAULT"
        ):
            return None  # an ambiguous word ("arrive in", "receive") with no participant
        if mention_only:  # merging keeps only its evidence and counts: skip the rest
            inferred = ["place"] if place_guessed else []
            event = self._event(
                cand, cand.etype, None, None, None, date, place, status, inferred, None, quotes
            )
            return _anchored_draft(
                cand, event, si, strong, anaphoric=_anaphoric(head), domestic=domestic,
                mention_only=True,
            )  # fmt: skip
        if status == "occurred" and date is not None and not date.inferred and published:
            if date.start and date.start > published and pos_class(cand.anchor) == "VERB":
                status = "planned"
        etype = cand.etype
        if status == "denied" and etype in _COOPERATIVE and _refused(cand.anchor):
            etype, status = "REJECT", "occurred"  # "Cairo would not accept any deal"
        if status == "planned" and (
            (etype in _THREAT_TYPES and (_conditional(cand) or _announced(cand, lex)))
            or _conditional(cand, ("unless",))  # "will withdraw unless ...": a threat
        ):
            etype = "THREATEN"
        labour = lex.pattern("labour_sense").get(cand.head.lemma_lower)
        if labour and etype == cand.entry.type and _by_workers(source, idx, lex):
            etype = labour  # "trade unions launched week-long strikes": a labour strike
        riot = etype in ("COERCE", "ASSAULT") and _protesters_act(cand, lex)
        if riot:
            etype = "PROTEST"  # "protesters stormed parliament": PLOVER's violent protest
        mode = (
            args.mode_of(cand, lex)
            if etype == cand.etype
            else args.mode_of(
                Candidate(cand.head, cand.anchor, cand.entry, cand.tokens, etype), lex
            )
        )
        if riot:
            mode = "riot"
        cameo = cand.entry.cameo if (mode == cand.entry.mode and etype == cand.entry.type) else None
        if etype == "CONSULT" and mode is None and place is not None:
            mode = _meeting_mode(source, target, place, idx)
            if mode is not None:
                cameo = lex.cameo_code(etype, mode)
        cameo = cameo or lex.cameo_code(etype, mode)
        if etype == "THREATEN" and target is None:  # "... if the United States goes ahead"
            target = _condition_subject(cand, idx, source)
        inferred: list[str] = ["place"] if place_guessed else []
        if source is None and pos_class(cand.anchor) == "VERB":
            subj, passive = args.subject_of(cand.anchor)  # "the government of Punjab province"
            source = subject_place(
                subj, passive, lex.pattern("group_noun"), idx.place, idx.place_country
            )
            if (
                target is None
                and isinstance(source, list)
                and cand.head.lemma_lower in lex.pattern("reciprocal")
            ):
                target = list(source)  # "delegations from A and B met"
            if source is None and place and etype.lower() in lex.pattern("place_source"):
                if subj is None or subj.lemma_lower in lex.pattern("group_noun"):
                    source = place_source_country(place, idx.place_country)
                    if source is not None:
                        inferred.append("source")
        if source is None and pos_class(cand.anchor) == "VERB":
            subj = next((c for c in cand.anchor.children if c.dep_ == "nsubjpass"), None)
            has_agent = any(c.dep_ == "agent" for c in cand.anchor.children)
            source = place_source(
                etype, mode, subj is not None and not has_agent, place, idx.place_country
            )
            if source is not None:
                inferred.append("source")
        fallback = None
        if target is None and etype != "CONSULT":  # "a curfew in Algiers": after merging
            src = {
                c
                for a in ([source] if isinstance(source, str) else source or [])
                if (c := idx.actor_country.get(a) or placeholder_country(a))
            }
            fallback = place_target(
                cand.anchor,
                cand.head,
                idx.place,
                idx.place_country,
                None if place_guessed else place,
                src,
            )
        event = self._event(
            cand, etype, mode, source, target, date, place, status, inferred, cameo, quotes
        )
        ref = anchor.find_ref(cand.anchor, lex, idx.place) if date.inferred else None
        return _anchored_draft(
            cand, event, si, strong, anaphoric=is_noun and _anaphoric(head),
            place_target=fallback, domestic=domestic, date_ref=ref, mention_only=mention_only,
            distinct=_told_as_another(cand, lex),
        )  # fmt: skip

    @staticmethod
    def _event(cand: Candidate, etype: str, mode, source, target, date, place, status: str,
               inferred: list[str], cameo, quotes: list) -> Event:  # fmt: skip
        head = cand.head
        sent = cand.sent or head.sent
        tree = sent.tree
        text = tree.text
        toks = cand.tokens if len(cand.tokens) == 1 else sorted(cand.tokens, key=lambda t: t.i)
        if toks[-1].i - toks[0].i > 3:
            toks = [head]
        t_start, t_end = toks[0].idx, tree.ends[toks[-1].i]
        conf = cand.entry.conf * (0.75 + 0.15 * (source is not None) + 0.1 * (target is not None))
        if _in_quote(head.idx, quotes):
            conf *= 0.8
        return Event(
            id="", type=etype, mode=mode, source=source, target=target, date=date, place=place,
            status=status, confidence=round(min(conf, 0.99), 3), cameo=cameo,
            evidence=Span(text[sent.start_char:sent.end_char], sent.start_char,
                          sent.end_char),
            trigger=Span(text[t_start:t_end], t_start, t_end), inferred=inferred,
        )  # fmt: skip

    # ------------------------------------------------------------------ counts

    def _attach_counts(self, doc: Doc, sent: Sentence, drafts: list[Draft],
                       idx: args.ArgIndex) -> None:  # fmt: skip
        """Give each casualty/quantity number to the nearest event that can hold it."""
        if not drafts:
            return
        seen: set[int] = set()
        for i in idx.between(idx.number_tokens, sent.start, sent.end):
            num = idx.number[i]
            if id(num) in seen:
                continue
            seen.add(id(num))
            tok = sent.node(i)
            unit = args.number_unit(num, tok, self.lex)
            if unit is None or is_subset(doc[i]):  # (the numbers component's: a spaCy token)
                continue  # "including three children", "51 of the 74 drones": already counted
            types = self.lex.listed("count_key", unit) or ()
            host = _nearest_holder(tok, types, drafts)
            if host is None:
                continue
            if num.value is None or not math.isfinite(num.value):
                continue
            value = int(num.value) if float(num.value).is_integer() else num.value
            host.event.counts[unit] = host.event.counts.get(unit, 0) + value
            qual = args.number_qualifier(num, tok, self.lex)
            if qual:
                host.event.counts_qualifier[unit] = qual


def _edges(tok: Node) -> range:
    """The token indices from ``tok``'s left edge to its right edge (its subtree when that is
    contiguous, as nearly always)."""
    return range(tok.left_edge.i, tok.right_edge.i + 1)


def _anaphoric(head: Node) -> bool:
    """A definite noun mention ("the talks", "this attack")."""
    return any(c.dep_ == "det" and c.lower_ in _ANAPHORIC for c in head.children)


def _nearest_holder(tok: Node, types: Collection[str], drafts: list[Draft]) -> Draft | None:
    able = [d for d in drafts if d.event.type in types]
    able = [d for d in able if not d.mention_only] or able  # prefer events of their own
    if not able:
        return None
    # the closest ancestor of the number that anchors an able event, else the nearest one
    anchors = {d.anchor_i: d for d in able}
    t = tok
    for _ in range(8):
        if t.i in anchors:
            return anchors[t.i]
        if t.head == t:
            break
        t = t.head
    return min(able, key=lambda d: abs(d.anchor_i - tok.i))


_STATE_SECTORS = frozenset({None, "GOV", "MIL", "COP", "LEG", "JUD", "IGO"})


def _non_state(source: str | list[str] | None, sectors: dict[str, str | None]) -> bool:
    """Protesters, rebels, parties, unions: their domestic acts aim at their own state even
    when the sentence names other countries."""
    ids = [source] if isinstance(source, str) else list(source or ())
    return bool(ids) and all(sectors.get(i, "") not in _STATE_SECTORS for i in ids)


_MODIFIER_TYPES = frozenset({"SUPPORT", "AID"})
_PHYSICAL = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"})


def _article_place(doc: Doc) -> str | None:
    """The town or region an article is about: named at least twice and more often than all
    other towns and regions together; the place of a physical event that names none."""
    counts = {
        p.id: len(p.mentions) for p in doc._.sitrep_places or () if p.kind in ("city", "region")
    }
    if not counts:
        return None
    best = max(counts, key=counts.__getitem__)
    total = sum(counts.values())
    return best if counts[best] >= 2 and 2 * counts[best] > total else None


def _only_place(cand: Candidate, idx: args.ArgIndex, lex: EventLexicon,
                used: set[str]) -> str | None:  # fmt: skip
    """The one town or region a sentence names, outside its reporting clause and its
    participants, for a physical event whose own phrase names no place."""
    sent = cand.sent or cand.anchor.sent
    if not idx.has_place(sent.start, sent.end):
        return None
    report = lex.pattern("report")
    reporting = set()
    if not report.keys().isdisjoint(sent.lemma_set()):
        for tok in sent:  # "officials in Kabul said": where the speakers are is not the place
            if tok.lemma_lower in report and tok.i != cand.anchor.i:
                for child in tok.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        reporting.update(range(child.left_edge.i, child.right_edge.i + 1))
    found = set()
    for i in idx.between(idx.place_tokens, sent.start, sent.end):
        if i in reporting or i in idx.metonyms or idx.actor.get(i) in used:
            continue
        found.add(idx.place[i])
    if len(found) != 1:
        return None
    pid = found.pop()
    return pid if idx.place_kind.get(pid) in ("city", "region") else None


def _not_an_act(cand: Candidate, idx: args.ArgIndex, lex: EventLexicon) -> bool:
    """Words that look like events but report none:
    - a participle describing a noun ("troops supported by tanks", "marines armed with rifles");
    - a violent verb whose subject is a thing or another event ("the storm hit the coast",
      "the strike has badly hit the port");
    - an explosion or fire told as an accident ("an explosion at the refinery killed one");
    - a verb listed as ``needs_complement`` without one ("exports declined 3 pct"), or with
      an object listed as ``no_event_object`` ("gave few details")."""
    anchor = cand.anchor
    if (cand.etype in _MODIFIER_TYPES and anchor.dep_ == "acl" and anchor.tag_ == "VBN"
            and args.actor_of(anchor, idx) is None):  # fmt: skip
        return True
    lemma = anchor.lemma_lower
    objects = lex.listed("no_event_object", lemma)
    if (
        objects is not None
        and pos_class(anchor) == "VERB"
        and any(c.dep_ == "dobj" and c.lemma_lower in objects for c in anchor.children)
    ):
        return True  # "newspapers have given few details of the strikes"
    deps = lex.listed("needs_complement", lemma)
    if deps is not None and pos_class(anchor) == "VERB" and len(cand.tokens) == 1:
        if not any(c.dep_ in deps or c.dep_ in ("nsubjpass", "auxpass") for c in anchor.children):
            return True  # "exports declined 3 pct", "tensions eased"
    if cand.etype != "ASSAULT":
        return False
    if pos_class(anchor) == "VERB":
        subj = _thing_subject(anchor, idx)
        if subj is not None:
            lemma = subj.lemma_lower
            if lemma in lex.pattern("inanimate"):
                return True
            entries = lex.triggers.get(lemma, ())
            weapon = any(
                c.dep_ in ("compound", "amod") and c.lemma_lower in lex.modes["ASSAULT"]
                for c in subj.children
            )  # "a drone strike hit a market": an attack
            if not weapon and any(
                e.type not in ("ASSAULT", "COERCE") and e.pos in ("NOUN", "ANY")
                for e in entries[:1]
            ):
                return True  # "the strike hit the port": an event noun does the hitting
    # the trigger itself is no cue: "protesters stormed the town hall" is not a storm
    lemmas = (cand.sent or anchor.sent).lemma_set()
    if lex.pattern("accident_cue").keys().isdisjoint(lemmas):
        return False  # (the usual case)
    lemmas = lemmas - {t.lemma_lower for t in cand.tokens}
    return bool(lemmas & lex.pattern("accident_cue").keys()) and not (
        lemmas & lex.pattern("attack_cue").keys()
    )


def _told_as_another(cand: Candidate, lex: EventLexicon) -> bool:
    """A mention the text marks as a further event of its kind, not the one told before:
    "gunmen later shot dead two soldiers", "another attack", "a second strike"
    (``distinct_cue`` in patterns.tsv, on the trigger or the event noun)."""
    cues = lex.pattern("distinct_cue")
    toks = (cand.anchor,) if cand.anchor is cand.head else (cand.anchor, cand.head)
    return any(c.dep_ in ("advmod", "det", "amod") and c.lower_ in cues
               for tok in toks for c in tok.children)  # fmt: skip


def _by_workers(source: str | list[str] | None, idx: args.ArgIndex, lex: EventLexicon) -> bool:
    """Every source actor is of a working-people sector (``labour_sector`` in patterns.tsv)."""
    ids = [source] if isinstance(source, str) else list(source or [])
    sectors = lex.pattern("labour_sector")
    return bool(ids) and all((idx.actor_sector.get(a) or "").lower() in sectors for a in ids)


def _protesters_act(cand: Candidate, lex: EventLexicon) -> bool:
    """A violent or coercive verb done by protesters, rioters or a crowd (``protest_agent``
    in patterns.tsv): "demonstrators stormed the parliament", "rioters torched cars"."""
    if pos_class(cand.anchor) != "VERB":
        return False
    subj, passive = args.subject_of(cand.anchor)
    return subj is not None and not passive and subj.lemma_lower in lex.pattern("protest_agent")


def _figurative_threat(cand: Candidate, idx: args.ArgIndex, lex: EventLexicon) -> bool:
    """ "a move that threatens to hit Moscow's revenue": a thing, not an actor, threatens;
    neither the threat nor what it "threatens to" do is an event."""
    verb = cand.anchor
    if verb.dep_ == "xcomp" and verb.head.lemma_lower in lex.pattern("risk_verb"):
        verb = verb.head
    if verb.lemma_lower not in lex.pattern("risk_verb"):
        return False
    subj = _thing_subject(verb, idx)  # ("al-Qaeda's network has threatened": an actor)
    return subj is not None and subj.pos_ == "NOUN" and subj.lemma_lower in lex.pattern("inanimate")


def _thing_subject(verb: Node, idx: args.ArgIndex) -> Node | None:
    """The active subject of a verb when no actor is named in it ("the storm", "a move")."""
    subj, passive = args.subject_of(verb)
    if subj is None or passive or args.actor_of(subj, idx) is not None:
        return None
    return subj


def _one_country(sent: Sentence, idx: args.ArgIndex) -> bool:
    """Whether the sentence's actors and places all belong to one country: only then is an
    act with no named target a domestic one ("Kenyan police fired tear gas")."""
    found = {idx.actor_country.get(idx.actor[i])
             for i in idx.between(idx.actor_tokens, sent.start, sent.end)}  # fmt: skip
    found.update(idx.place_country.get(idx.place[i])
                 for i in idx.between(idx.place_tokens, sent.start, sent.end))  # fmt: skip
    found.discard(None)
    return len(found) == 1


def _meeting_mode(source, target, place: str, idx: args.ArgIndex) -> str | None:
    """Where a meeting took place tells its mode: in the target's country a visit, in the
    source's own country hosting, elsewhere a third-party location."""
    where = idx.place_country.get(place)
    ids = lambda v: [v] if isinstance(v, str) else list(v or [])  # noqa: E731
    src = {idx.actor_country.get(i) for i in ids(source)}
    tgt = {idx.actor_country.get(i) for i in ids(target)}
    if not where or not src or not tgt or None in src or None in tgt:
        return None
    if where not in src | tgt:
        return "third-party"
    if where in tgt and where not in src:
        return "visit"
    if where in src and where not in tgt:
        return "host"
    return None


def _refused(anchor: Node) -> bool:
    """A negated will/would/can: the source declares it will not do it (a refusal)."""
    for tok in (anchor, anchor.head):
        kids = list(tok.children)
        if any(c.dep_ == "aux" and c.lower_ in _REFUSAL_MODALS for c in kids) and any(
            c.dep_ == "neg" for c in kids
        ):
            return True
        if anchor.dep_ != "xcomp":
            break
    return False


def _announced(cand: Candidate, lex: EventLexicon) -> bool:
    """A hostile act the source itself announces: "X said/warned it would retaliate"."""
    gov = cand.anchor.head
    lemma = gov.lemma_lower
    if gov.i == cand.anchor.i or (
        cand.anchor.dep_ not in ("ccomp", "xcomp") and not intent_infinitive(cand.anchor, lex)
    ):
        return False
    if lemma not in lex.pattern("intent") and lemma not in lex.pattern("report"):
        return False
    subj = next((c for c in cand.anchor.children if c.dep_ == "nsubj"), None)
    # the actor announces its own act: a pronoun subject ("it would") or no subject
    return subj is None or subj.pos_ == "PRON"


def _conditional(cand: Candidate, marks: tuple[str, ...] = ("if", "unless")) -> bool:
    for tok in (cand.anchor, cand.anchor.head):
        for child in tok.children:
            if child.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in marks for g in child.children
            ):
                return True
    return False


def _condition_subject(
    cand: Candidate, idx: args.ArgIndex, source: str | list[str] | None
) -> str | list[str] | None:
    """The party whose act a threat is conditional on: the subject of its if/unless clause."""
    srcs = {source} if isinstance(source, str) else set(source or ())
    verbs = [cand.anchor]  # the threat verb, the acts it threatens ("to stop ..."), its governors
    for v in verbs:
        verbs.extend(c for c in v.children if c.dep_ == "xcomp" and len(verbs) < 4)
    tok, hops = cand.anchor.head, 0
    while cand.anchor.dep_ in ("xcomp", "conj", "ccomp") and hops < 3 and tok not in verbs:
        verbs.append(tok)
        if tok.dep_ not in ("xcomp", "conj", "ccomp") or tok.head == tok:
            break
        tok, hops = tok.head, hops + 1
    for tok in verbs:
        for clause in tok.children:
            if clause.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children
            ):
                for subj in clause.children:
                    if subj.dep_ in ("nsubj", "nsubjpass"):
                        found = [a for a in args.actors_of(subj, idx) if a not in srcs]
                        if found:
                            return found[0] if len(found) == 1 else found
    return None


def salient_event(doc: Doc) -> Event | None:
    """The event a one-sentence summary would code: outside direct quotations, with the trigger
    highest in the dependency tree (a light verb counts for its noun), then the one told first
    (wire copy puts the news first: "X delivered food ..., warning that ..."), then most confident."""
    events = doc._.sitrep_events or []
    if not events:
        return None
    lex = load_lexicon()
    # an indirect quote is the sentence's news ("A and B pledged ..., ministers said"); only
    # words given as the speaker's own rank below the narrative
    quotes = [q for q in doc._.sitrep_quotes or [] if q.kind != "indirect"]
    tree = ParseTree(doc)

    def rank(e: Event) -> tuple[int, int, float, int]:
        span = doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
        tok = tree.node(span.root.i if span is not None else 0)
        if pos_class(tok) == "NOUN":
            tok = light_governor(tok, lex) or tok
        return (_in_quote(e.trigger.start, quotes), _depth(tok), e.trigger.start, -e.confidence)

    best = min(events, key=rank)
    tree.close()
    return best


@Language.factory("sitrep_events")
def make_event_extractor(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor()
