"""Event factuality: occurred, ongoing, planned, proposed, hypothetical or denied.

Cues (negation, modals, embedding verbs and nouns, conditionals) come from
``sitrep/data/events/factuality.tsv``. The nearest cue on the path from the trigger up to
the clause that asserts it decides; a negation anywhere on that path makes it ``denied``.
"""

from __future__ import annotations

from sitrep.extract.event_lexicon import EventLexicon
from sitrep.extract.event_triggers import Candidate, pos_class
from sitrep.nlp.tree import Node

# dependencies through which a governing word scopes over the trigger
_EMBED_DEPS = frozenset(
    {
        "xcomp",
        "ccomp",
        "dobj",
        "acl",
        "pcomp",
        "pobj",
        "prep",
        "advcl",
        "relcl",
        "attr",
        "conj",
        "oprd",
    }
)
_CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "acl", "advcl", "relcl", "pcomp"})
_SUBORDINATE = frozenset({"ccomp", "relcl", "conj", "xcomp"})
_VERB_EMBED_DEPS = frozenset({"xcomp", "ccomp", "dobj", "prep", "pcomp"})
_SCOPE_PREPS = frozenset({"with", "for", "on", "of", "to", "about", "over"})


def _negated(tok: Node, lex: EventLexicon) -> bool:
    neg = lex.cues("neg")
    for child in tok.children:
        if child.dep_ == "neg" and child.lower_ in neg:
            return True
        if child.dep_ in ("advmod", "neg") and child.lower_ == "never":
            return True
    return False


def _aux_status(verb: Node, lex: EventLexicon, under_report: bool) -> str | None:
    aux = lex.cues("aux")
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in aux:
            status = aux[child.lower_]
            if child.lower_ == "would" and (under_report or verb.dep_ in _SUBORDINATE):
                if not _mark_status(verb, lex):
                    return "planned"  # future in the past: "he said he would talk"
            return status
    return None


def _progressive(verb: Node) -> bool:
    if verb.tag_ != "VBG":
        return False
    return any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)


def _mark_status(verb: Node, lex: EventLexicon) -> str | None:
    marks = lex.cues("mark")
    for child in verb.children:
        if child.dep_ == "mark" and child.lower_ in marks:
            return marks[child.lower_]
    return None


def _noun_status(noun: Node, lex: EventLexicon) -> str | None:
    det, amod = lex.cues("det"), lex.cues("amod")
    for child in noun.children:
        if child.dep_ in ("det", "neg") and child.lower_ in det:
            return det[child.lower_]
        if child.dep_ == "amod" and child.lower_ in amod:
            return amod[child.lower_]
    return None


def status_of(cand: Candidate, lex: EventLexicon) -> str:
    """The factuality status of a candidate event."""
    report = lex.pattern("report")
    embed, noun_cues, prep_cues = lex.cues("embed"), lex.cues("noun"), lex.cues("prep")
    obj_cues = lex.cues("object")
    head, anchor = cand.head, cand.anchor
    negated = _negated(anchor, lex) or (head != anchor and _negated(head, lex))
    status: str | None = None
    if pos_class(head) == "NOUN":
        status = _noun_status(head, lex)
        if status == "denied":
            negated, status = True, None
        if status is None and head.dep_ == "pobj" and head.head.dep_ == "prep":
            prep = head.head
            two = f"{prep.head.lower_} {prep.lower_}" if prep.head.dep_ == "advmod" else ""
            status = prep_cues.get(two) or (
                prep_cues.get(prep.lower_) if prep.lower_ != "for" else None
            )
            if status == "denied":  # "ended without agreement"
                negated, status = True, None
    if status is None and cand.light:
        status = lex.cues("light").get(anchor.lemma_lower)
    tok = anchor
    under_report = _under_report(anchor, report)
    steps = 0
    while status is None and steps < 5:
        steps += 1
        if pos_class(tok) == "VERB" or tok.pos_ == "ADJ":
            status = _aux_status(tok, lex, under_report) or _mark_status(tok, lex)
            if status is None and _progressive(tok):
                status = "ongoing"
            if status is not None:
                break
            if tok != anchor and tok.dep_ in ("acl", "relcl"):
                break  # a participle or relative clause is a predication of its own
        if tok.dep_ not in _EMBED_DEPS or tok.head == tok:
            break
        if tok.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            break  # "..., but Baku has refused": a coordinated clause with its own subject
        if tok.dep_ == "prep" and tok.lower_ not in _SCOPE_PREPS:
            break  # "during the talks", "after the attack": time, not scope
        gov = tok.head
        if tok.dep_ == "pcomp" and prep_cues.get(gov.lower_) == "denied":
            negated = True  # "without causing retaliation"
            break
        if tok.dep_ == "dobj" and gov.lemma_lower in obj_cues and gov != anchor:
            status = obj_cues[gov.lemma_lower]  # "avoiding a ceasefire", "delayed the talks"
            if status == "denied":
                negated, status = True, None
            break
        if gov.lemma_lower in report and tok.dep_ in ("ccomp", "conj", "xcomp"):
            break  # the reported clause keeps its own modality
        lemma = gov.lemma_lower
        to_clause = intent_infinitive(tok, lex)
        if (
            (pos_class(gov) == "VERB" or gov.pos_ == "ADJ")
            and lemma in embed
            and (tok.dep_ in _VERB_EMBED_DEPS or to_clause)
        ):
            cue = embed[lemma]
            if tok.dep_ in ("dobj", "prep") and cue == "denied":
                cue = None  # "rejected the request": the request itself happened
            if tok.dep_ in ("prep", "pcomp") and cue not in ("hypothetical", "proposed"):
                cue = None  # "went on strike" is not "going to strike"
            if cue in ("ongoing", "proposed"):
                # "will continue to reject": the governor's own modal decides
                cue = _aux_status(gov, lex, under_report) or cue
            if cue is not None and gov != anchor:
                status = cue
                if _negated(gov, lex):
                    negated = True
                break
        if pos_class(gov) == "NOUN" and lemma in noun_cues and gov != head:
            status = noun_cues[lemma]
            break
        if _negated(gov, lex) and tok.dep_ in ("xcomp", "dobj"):
            negated = True
        tok = gov
    if negated:
        return "denied"
    if status == "occurred" or status is None:
        return "occurred"
    return status


def intent_infinitive(tok: Node, lex: EventLexicon) -> bool:
    """ "have sworn to fight" parsed as a purpose clause (advcl): the to-infinitive of an
    intent verb (``intent`` in patterns.tsv) is what is intended, as an xcomp would be."""
    return (
        tok.dep_ == "advcl"
        and tok.head.lemma_lower in lex.pattern("intent")
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    )


def _under_report(tok: Node, report: dict[str, str]) -> bool:
    steps = 0
    while tok.head != tok and steps < 4:
        if tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_lower in report:
            return True
        if tok.dep_ not in _CLAUSE_DEPS and tok.dep_ != "conj":
            return False
        tok = tok.head
        steps += 1
    return False
