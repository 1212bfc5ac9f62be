"""Find event triggers in a sentence: lexicon words, phrases and light-verb constructions.

A ``Candidate`` keeps two tokens apart: ``head`` is the word that names the event ("attack"),
``anchor`` is the token whose clause carries its arguments and modality ("launched" in
"Moscow launched an attack"). For plain verbs and nouns they are the same token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitrep.extract.event_lexicon import EventLexicon, TriggerEntry
from sitrep.nlp.tree import Node, ParseTree, Sentence

# Named entities are names, not event words ("March", "Strike Force", "Talks Ltd").
_NAME_ENTS = frozenset(
    {
        "DATE",
        "TIME",
        "PERSON",
        "GPE",
        "LOC",
        "ORG",
        "NORP",
        "FAC",
        "CARDINAL",
        "ORDINAL",
        "MONEY",
        "QUANTITY",
        "PERCENT",
        "WORK_OF_ART",
    }
)


@dataclass(slots=True)
class Candidate:
    head: Node
    anchor: Node
    entry: TriggerEntry
    tokens: list[Node] = field(default_factory=list)
    etype: str = ""
    light: bool = False  # anchor is a support verb ("launch", "hold", "impose")
    request_target: Node | None = None  # "X said Y must ...": Y
    sent: Sentence | None = None  # the sentence

    def __post_init__(self) -> None:
        self.etype = self.etype or self.entry.type
        if not self.tokens:
            self.tokens = [self.head]


def pos_class(tok: Node) -> str:
    """VERB, NOUN or OTHER, the word classes of the trigger lexicon."""
    return _POS_CLASS.get(tok.pos_) or ("VERB" if tok.tag_ in _PARTICIPLES else "OTHER")


def word_class(pos: str, tag: str) -> str:
    """``pos_class`` from a part of speech and a tag."""
    return _POS_CLASS.get(pos) or ("VERB" if tag in _PARTICIPLES else "OTHER")


_POS_CLASS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN"}  # else by tag:
_PARTICIPLES = frozenset({"VBG", "VBN"})  # a participle tagged ADJ or so is still a verb


def match_entry(tok: Node, lex: EventLexicon) -> tuple[TriggerEntry, list[Node]] | None:
    """The best lexicon entry for ``tok`` (longest phrase first) and the tokens it covers."""
    pc = pos_class(tok)
    if tok.ent_type_ in _NAME_ENTS:
        return None
    hyphened = _hyphen_prefix(tok)
    if hyphened is not None:  # "sit-in", "pull-out": spaCy splits them; the entry is whole
        first = hyphened[0].lower_
        for key in (f"{first}-{tok.lower_}", f"{first}-{tok.lemma_lower}"):
            for entry in lex.triggers.get(key, ()):
                if entry.pos in ("ANY", pc) and not entry.extra:
                    return entry, [tok, *hyphened]
    keys = dict.fromkeys((tok.lemma_lower, tok.lower_))  # ordered: same entry every run
    for key in keys:
        for entry in lex.triggers.get(key, ()):
            if entry.pos not in ("ANY", pc) or pc == "OTHER" and not entry.extra:
                continue  # other words ("out of the question") only head a phrase
            if not entry.extra:
                return entry, [tok]
            covered = _match_extra(tok, entry.extra)
            if covered is not None:
                return entry, [tok, *covered]
    return None


def _hyphen_prefix(tok: Node) -> tuple[Node, Node] | None:
    """(first word, hyphen) when ``tok`` ends a hyphenated word written without spaces."""
    tree = tok.sent.tree
    if tok.i < 2 or tree.text[tree.starts[tok.i] - 1] != "-":
        return None
    hyphen, first = tok.nbor(-1), tok.nbor(-2)
    if hyphen.text != "-" or hyphen.whitespace_ or first.whitespace_ or not first.is_alpha:
        return None
    return first, hyphen


def _has_object(tok: Node) -> bool:
    return any(c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "nsubjpass", "dative")
               for c in tok.children)  # fmt: skip


def _has_clause(tok: Node, lex: EventLexicon) -> bool:
    """A to-/that-clause, or a party as indirect object or "to" phrase."""
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp"):
            return True
        if c.dep_ == "dative" and _is_party(c, lex):
            return True
        if c.dep_ == "prep" and c.lower_ == "to":
            if any(g.dep_ == "pobj" and _is_party(g, lex) for g in c.children):
                return True
    return False


def _is_party(tok: Node, lex: EventLexicon) -> bool:
    persons = lex.pattern("person_noun")
    if tok.pos_ in ("PROPN", "PRON") or tok.lemma_lower in persons:
        return True
    return any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in tok.subtree)


def _not_trigger(tok: Node, lex: EventLexicon) -> bool:
    """Fixed phrases that contain a trigger word but name no event ("press release")."""
    stop = lex.pattern("not_trigger")
    if not stop:
        return False
    lemma = tok.lemma_lower
    for child in tok.children:
        if child.dep_ in ("compound", "amod") and f"{child.lemma_lower} {lemma}" in stop:
            return True
    return False


def _match_extra(tok: Node, extra: tuple[str, ...]) -> list[Node] | None:
    covered: list[Node] = []
    for word in extra:
        found = None
        children = list(tok.children)
        # "stripped two journalists of their citizenship": a phrase's preposition parsed onto
        # the verb's object
        children += [
            g for c in children if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"
        ]
        for child in children:
            if child.lemma_lower == word or child.lower_ == word:
                found = child
                break
            if child.dep_ == "prep":  # "exchange of prisoners": the pobj of a prep child
                for grand in child.children:
                    if grand.dep_ == "pobj" and grand.lemma_lower == word:
                        found = grand
                        break
            elif child.dep_ in ("ccomp", "xcomp"):  # "allowed inspectors to visit": the
                for grand in child.children:  # object parsed as the clause's subject
                    if grand.dep_ == "nsubj" and grand.lemma_lower == word:
                        found = grand
                        break
            if found is not None:
                break
        if found is None:
            return None
        covered.append(found)
    return covered


def light_governor(noun: Node, lex: EventLexicon) -> Node | None:
    """The support verb of a noun trigger: "launched an attack", "one of the largest attacks"."""
    light = lex.pattern("light")
    tok = noun
    # climb through a quantifier: "one of the attacks", "a wave of strikes"
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ == "of":
        quant = tok.head.head
        if quant.lemma_lower in lex.pattern("quantifier"):
            tok = quant
    if tok.dep_ in ("conj",) and tok.head.dep_ == "dobj":
        tok = tok.head
    if tok.dep_ == "dobj" and tok.head.lemma_lower in light:
        return tok.head
    if tok.dep_ == "nsubjpass" and light.get(tok.head.lemma_lower) == "dobj":
        return tok.head  # "the attack was carried out by ...": the passive light verb
    if tok.dep_ in ("nsubjpass", "nsubj"):
        # "the attack is believed to have been carried out by ETA": raised to the verb above
        for xcomp in tok.head.children:
            if (
                xcomp.dep_ == "xcomp"
                and light.get(xcomp.lemma_lower) == "dobj"
                and any(c.dep_ == "auxpass" for c in xcomp.children)
            ):
                return xcomp
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        verb = tok.head.head
        how = light.get(verb.lemma_lower, "")
        if how == "pobj" or how == f"pobj:{tok.head.lower_}":
            return verb
    return None


def trigger_positions(tree: ParseTree, lex: EventLexicon) -> set[int]:
    """Indices of the tokens that may start a candidate: what ``match_entry`` and
    ``_report_requests`` look for first, read from the tree's token lists so that only the
    sentences with such a token get parse nodes (most sentences of most articles have none):
    - a token that is no name and has a lexicon entry for its lemma or lowercase form and
      its word class;
    - a hyphenated word whose whole form is a lexicon key ("sit-in");
    - a reporting verb of requests in a sentence with a "must" or "should"."""
    triggers = lex.triggers
    lemmas, lowers = tree.lemmas, tree.lowers
    key_lemmas = {lemma for lemma in set(lemmas) if lemma.lower() in triggers}
    keyed = [i for i, (lemma, lower) in enumerate(zip(lemmas, lowers, strict=True))
             if lemma in key_lemmas or lower in triggers]  # fmt: skip
    out = set()
    if keyed:
        usable: dict[tuple[str, str], bool] = {}  # (word, word class) -> has an entry for it
        for i in keyed:
            if tree.ent_type_of(i) in _NAME_ENTS:
                continue
            pc = word_class(tree.pos_of(i), tree.tag_of(i))
            for key in (lemmas[i].lower(), lowers[i]):
                hit = usable.get((key, pc))
                if hit is None:
                    hit = usable[(key, pc)] = any(
                        e.pos in ("ANY", pc) and (pc != "OTHER" or e.extra)
                        for e in triggers.get(key, ())
                    )
                if hit:
                    out.add(i)
                    break
    text = tree.text
    at = text.find("-")
    while at >= 0:  # "sit-in": the word after the hyphen
        i = tree.token_starting(at + 1)
        if (
            i is not None
            and i >= 2
            and tree.ent_type_of(i) not in _NAME_ENTS
            and (
                f"{lowers[i - 2]}-{lowers[i]}" in triggers
                or f"{lowers[i - 2]}-{lemmas[i].lower()}" in triggers
            )
        ):
            out.add(i)
        at = text.find("-", at + 1)
    lowered = text.lower()
    if any(m in lowered for m in _REQUEST_MODALS):  # "X said Y must ...": the reporting verb
        requests = {k for k, v in lex.pattern("report").items() if v == "REQUEST"}
        for i, (lower, dep) in enumerate(zip(lowers, tree.deps, strict=True)):
            if dep == "aux" and lower in _REQUEST_MODALS:
                sent = tree.sentence_of(i)
                out.update(k for k in range(sent.start, sent.end)
                           if lemmas[k].lower() in requests)  # fmt: skip
    return out


def find_candidates(sent: Sentence, lex: EventLexicon,
                    positions: set[int] | None = None) -> list[Candidate]:  # fmt: skip
    """Every event trigger in one sentence, light-verb constructions resolved. ``positions``
    (from ``trigger_positions``) limits the tokens looked at."""
    found: list[Candidate] = []
    covered: set[int] = set()
    toks = (
        sent.nodes if positions is None
        else [sent.node(i) for i in range(sent.start, sent.end) if i in positions]
    )  # fmt: skip
    for tok in toks:
        if tok.i in covered:
            continue
        match = match_entry(tok, lex)
        if match is None:
            continue
        entry, tokens = match
        if pos_class(tok) == "VERB" and tok.dep_ == "amod":
            continue  # participle used as an adjective: "detained citizens"
        if _not_trigger(tok, lex):
            continue
        if tok.lemma_lower in lex.pattern("needs_object") and not _has_object(tok):
            continue
        if (
            tok.lemma_lower in lex.pattern("needs_clause")
            and pos_class(tok) == "VERB"
            and not _has_clause(tok, lex)
        ):
            continue
        if tok.lemma_lower in lex.pattern("needs_party") and pos_class(tok) == "VERB":
            obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if obj is not None and not _is_party(obj, lex):
                continue
        cand = Candidate(head=tok, anchor=tok, entry=entry, tokens=tokens)
        if pos_class(tok) == "NOUN":
            gov = light_governor(tok, lex)
            if gov is not None:
                gov_match = match_entry(gov, lex)
                # a phrase row for the verb itself ("lodge protest") beats the noun reading
                if gov_match is not None and gov_match[0].extra:
                    continue
                cand.anchor = gov
                cand.light = True
        covered.update(t.i for t in tokens[1:])
        found.append(cand)
    found = _drop_nested_nouns(found, lex)
    # "struck a deal": the support verb's own reading ("strike" = attack) gives way
    light_anchors = {c.anchor.i for c in found if c.light}
    found = [c for c in found if c.light or c.head.i not in light_anchors]
    _intent_threats(found, lex)
    found.extend(_report_requests(toks, lex, found))
    for cand in found:
        cand.sent = sent
    return found


_REQUEST_MODALS = ("must", "should")  # "X said Y must/should ...": a request
_CONFLICT = frozenset({"ASSAULT", "SANCTION", "COERCE", "MOBILIZE", "THREATEN"})


def _intent_threats(found: list[Candidate], lex: EventLexicon) -> None:
    """ "vowed to retaliate", "pledged to crush": a promise of a hostile act is a THREATEN."""
    intent = lex.pattern("intent")
    by_anchor = {c.anchor.i: c for c in found}
    for c in found:
        if c.head.lemma_lower not in intent or c.etype == "THREATEN":
            continue
        for child in c.head.children:
            if child.dep_ in ("xcomp", "ccomp"):
                inner = by_anchor.get(child.i)
                if inner is not None and inner.etype in _CONFLICT:
                    c.etype = "THREATEN"


def _drop_nested_nouns(found: list[Candidate], lex: EventLexicon) -> list[Candidate]:
    """A noun trigger inside another noun trigger's phrase is its content, not an event:
    "a ceasefire on attacks", "the demand for sanctions", "a ban on protests"; so is the
    object of a cessation verb ("suspended talks": the event is the suspension)."""
    noun_heads = {c.head.i for c in found if pos_class(c.head) == "NOUN"}
    cessation = lex.pattern("cessation")
    out = []
    for c in found:
        h = c.head
        if (
            pos_class(h) == "NOUN"
            and not c.light
            and h.dep_ == "dobj"
            and h.head.lemma_lower in cessation
        ):
            continue
        if (
            pos_class(h) == "NOUN"
            and not c.light
            and h.dep_ == "pobj"
            and h.head.dep_ == "prep"
            and h.head.head.i in noun_heads
        ):
            continue
        out.append(c)
    return out


def _report_requests(toks, lex: EventLexicon, found: list[Candidate]) -> list[Candidate]:
    """ "X said (that) Y must/should V": a REQUEST from X to Y (patterns.tsv, kind report)."""
    report = lex.pattern("report")
    out = []
    anchors = {c.anchor.i for c in found}
    for tok in toks:
        if report.get(tok.lemma_lower) != "REQUEST" or tok.i in anchors:
            continue
        for clause in tok.children:
            if clause.dep_ != "ccomp":
                continue
            if not any(a.dep_ == "aux" and a.lower_ in _REQUEST_MODALS for a in clause.children):
                continue
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            speaker = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None or speaker is None or subj.lower_ in ("it", "there"):
                continue
            entry = TriggerEntry(tok.lemma_lower, (), "VERB", "REQUEST", None, "100", 0.6)
            out.append(Candidate(head=tok, anchor=tok, entry=entry, request_target=subj))
            break
    return out
