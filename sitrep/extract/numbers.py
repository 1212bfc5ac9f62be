"""Number extraction: digits and number words, with what they count when the syntax says so.

``doc._.sitrep_numbers`` becomes a list of ``NumberExpr`` in text order:

* ``value`` is the number; vague quantities take a conservative value with qualifier
  "at least" ("dozens" 12, "hundreds" 100, as ACLED codes them); "several"/"a few" are kept
  only when they count something known. A range ("between 10 and 15") is one number valued
  at its lower end, with ``upper`` set.
* ``unit`` is one of the units in ``sitrep/data/numbers/units.tsv`` (killed, injured, missing,
  detained, displaced, dead_or_injured, drones, missiles, troops, protesters, captives,
  prisoners, ...), or ``age`` ("4-year-old", "aged 12"), ``duration`` (numbers inside a time
  expression such as "nine hours" or "two days ago"), ``year``, ``money``, ``percent``;
  ``None`` when nothing says what is counted. Ages, durations and years are never counts.
  Coordinated verbs share a number: "killed or wounded 1,500" -> dead_or_injured.
* ``qualifier`` comes from the words just before (``qualifiers.tsv``: "at least", "more than",
  "about", "up to", ...) or just after ("or more", "or so"), else from a vague number word.

``is_subset(token)`` says whether a number repeats part of a total ("killed 12, including three
children"), so a consumer summing counts can skip it.

Numbers inside dates and clock times ("June 2", "3 p.m.") are not numbers here; the time
expressions come from the ``sitrep_times`` component, which must run first.
"""

import functools
import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

from sitrep.extract.number_words import (
    DATA,
    number_words,
    parse_number,
    scale_words,
    word_pattern,
)
from sitrep.nlp.text import DocTokens, doc_text, doc_tokens
from sitrep.records import NumberExpr, TimeExpr
from sitrep.resolve.times import safe_root

CASUALTY_UNITS = frozenset({"killed", "injured", "dead_or_injured", "dead_or_missing", "missing",
                            "detained", "displaced", "captives", "prisoners", "released",
                            "rescued"})  # fmt: skip
_AGGREGATES = frozenset({"total", "number", "toll", "tally", "count"})
_TO_HOSPITAL = frozenset({"take", "rush", "admit", "bring", "send", "hospitalize", "treat", "be",
                          "remain", "stay"})  # fmt: skip
_PEOPLE_ONLY = frozenset({"killed", "injured", "dead_or_injured", "dead_or_missing", "missing",
                          "detained"})  # fmt: skip
_NOT_ONE = frozenset({"the", "that", "this", "any", "no", "every", "each", "which", "someone"})
NOT_COUNTS = frozenset({"age", "duration", "year", "money", "percent"})
_WEAK = frozenset({"several", "a few", "a handful"})
_TALLY_VERBS = frozenset({"number", "total", "include", "reach", "exceed", "top", "stand"})
_QUANT_PREPS = frozenset({"between", "about", "around", "over", "under", "upwards"})
_NUM_DEPS = frozenset({"nummod", "quantmod", "compound", "amod"})


@functools.lru_cache(maxsize=1)
def units() -> dict[str, dict[str, str]]:
    """kind (verb|intransitive|adj|noun|person) -> {lemma: unit}."""
    table: dict[str, dict[str, str]] = {}
    for line in (DATA / "units.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        table.setdefault(cols[0], {})[cols[1].lower()] = cols[2] if len(cols) > 2 else "person"
    return table


@functools.lru_cache(maxsize=1)
def qualifiers() -> dict[str, str]:
    table = {}
    for line in (DATA / "qualifiers.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, norm = line.split("\t")[:2]
            table[phrase.lower()] = norm
    return table


@functools.lru_cache(maxsize=1)
def _regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    def alt(words: list[str]) -> str:
        words = sorted(words, key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)

    table = number_words()
    phrases = [w for w, (_, q) in table.items() if q or " " in w]
    # "hundreds (of)", "tens of thousands (of)" stand alone; "a handful", "a couple" need "of"
    plural = alt([w[:-3] for w in phrases if w.endswith("s of")])
    need_of = alt([w[:-3] for w in phrases if w.endswith(" of") and not w.endswith("s of")])
    plain = alt([w for w in phrases if not w.endswith(" of")])
    number = re.compile(
        rf"(?<![\w.,/-])(?P<cur>US\$|\$|€|£|¥)?\s?"
        rf"(?P<num>(?i:{plural})|(?i:{need_of})(?=\s+of\b)"
        rf"|(?i:{plain})|(?i:{word_pattern()}))(?![\w]|[.,]\d)"
    )
    quals = "|".join(re.escape(q).replace(r"\ ", r"\s+")
                     for q in sorted(qualifiers(), key=len, reverse=True))  # fmt: skip
    before = re.compile(  # "at least another 20", "more than a further 300"
        rf"(?:^|[^\w])(?P<q>(?i:{quals}))\s+(?i:(?:another|a\s+further|an\s+additional)\s+)?$"
    )
    after = re.compile(
        r"(?:(?P<pct>\s*%|(?:\s+|\s*-\s*)(?i:percent|per\s+cent|pct)\b)"
        r"|(?P<money>\s+(?i:dollars?|dlrs|euros?|pounds?|stg|roubles?|rubles?|hryvnias?|yen|"
        r"yuan|francs?))\b"
        r"|(?P<age>\s*-?\s*(?i:years?|months?|weeks?|days?)\s*-\s*(?i:old)\b"
        r"|\s+(?i:years?|months?)\s+(?i:old)\b)"
        r"|(?P<dur>[ ]?-?[ ]?(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b)"
        r"|(?P<ormore>\s+(?i:or\s+more)\b)|(?P<orso>\s+(?i:or\s+so)\b)"
        r"|(?P<strong>\s*-\s*(?i:strong)\b))"
    )
    return number, before, after


@functools.lru_cache(maxsize=1)
def _starts_rx() -> re.Pattern[str] | None:
    """Where a number can begin in lower-cased ASCII text: a digit or the first word of a
    number word or phrase ("a", "an", "two", "hundreds", ...), at the start of a word.

    Every match of the number regex has its number (group ``num``) at such a place, at most
    4 characters after the match's start (a currency sign and a space). None when the words
    are not plain ASCII letters (then the regex scans the whole text)."""
    words = {re.match(r"\w+", w).group() for w in number_words() if re.match(r"\w", w)}
    words |= {"a", "an"}  # "a hundred", "an estimated" (``word_pattern``)
    if not all(w.isascii() and w.isalpha() for w in words):
        return None
    alt = "|".join(sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<!\w)(?:\d|(?:{alt})(?!\w))")


def _numbers_in(number_rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``number_rx.finditer(text)``, but trying the big regex only a few characters before
    the places a number can begin (``_starts_rx``) instead of at every character."""
    starts_rx = _starts_rx()
    if starts_rx is None or not text.isascii():  # lower() keeps offsets in ASCII text only
        yield from number_rx.finditer(text)
        return
    match = number_rx.match
    pos = 0  # where finditer would search next: the end of the last match
    tried = 0  # positions below this were tried already
    for cand in starts_rx.finditer(text.lower()):
        num_at = cand.start()
        for p in range(max(pos, tried, num_at - 4), num_at + 1):
            m = match(text, p)
            if m is not None:
                yield m
                pos = m.end()
                break
        tried = num_at + 1


_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_UNIT_AFTER = re.compile(
    r"[ ]?-?[ ]?(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
)
_AGE_LIST = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or)\s*$", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"(?i:\baged|\bage\s+of|\bages\s+of)\s+$")


def _apposed_age(span: Span, value: float, tk: DocTokens) -> bool:
    """ "Luis Gonzalez, 23, said": a bare number set off by commas after a name is an age."""
    first, end = span.start, span.end
    if not (1 <= value <= 110 and tk.text[tk.starts[first] : tk.ends[end - 1]].isdigit()):
        return False  # (the text is ``span.text``)
    if first < 2:
        return False
    texts = tk.texts
    return (texts[first - 1] == "," and tk.pos[first - 2] == PROPN
            and span.doc[first - 2].ent_type_ == "PERSON"
            and (end >= len(texts) or texts[end] in (",", ")", ";", ".")))  # fmt: skip


def _span_in(times: list[TimeExpr], start: int, end: int) -> TimeExpr | None:
    for t in times:
        if t.start <= start and end <= t.end:
            return t
    return None


def _counted_noun(num: Token) -> Token | None:
    """The noun a number counts: its head for "273 drones", the pobj for "131 of the drones"."""
    if num.dep_ in _NUM_DEPS and num.head.pos_ in ("NOUN", "PROPN"):  # "amod": "several people"
        return num.head
    if num.dep_ in ("nummod", "quantmod", "compound", "conj") and num.head.tag_ == "CD":
        return _counted_noun(num.head)  # "3.5 million drones", "between 10 and 15 people"
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return None


def _adjective_units(tok: Token) -> set[str]:
    """Units from casualty adjectives on a token ("dead or injured soldiers", "nine dead")."""
    adj = units().get("adj", {})
    found = set()
    for child in tok.children:
        if child.dep_ in ("amod", "acomp", "acl") and child.lower_ in adj:  # "colleagues missing"
            found.add(adj[child.lower_])
            for conj in child.conjuncts:
                if conj.lower_ in adj:
                    found.add(adj[conj.lower_])
    return found


def _verb_units(tok: Token) -> set[str]:
    """Units from the verb a number (or its noun) depends on."""
    table = units()
    verbs, intrans, adj = table.get("verb", {}), table.get("intransitive", {}), table.get("adj", {})
    found: set[str] = set()
    t = tok
    while t.dep_ == "conj" and t.head.pos_ in ("NOUN", "PROPN", "NUM") and t.head is not t:
        t = t.head  # "killed 12 soldiers and three civilians"
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in _AGGREGATES:
        t = t.head.head  # "a total of 25 people were wounded"
    # each attribute read once: every read builds a Token or looks a string up
    dep, head = t.dep_, t.head
    grand = head.head
    lemma, head_lower, head_tag = head.lemma_.lower(), head.lower_, head.tag_
    if dep == "pobj" and head_lower in _QUANT_PREPS and grand.pos_ == "VERB":
        for verb in _sharing_verbs(grand, "object"):  # "killed between 10 and 15 people"
            if verb.lemma_.lower() in verbs:
                found.add(verbs[verb.lemma_.lower()])
    if dep == "nsubjpass" or (dep == "nsubj" and head_tag == "VBN") or dep == "dobj":
        for verb in _sharing_verbs(head, "object" if dep == "dobj" else "subject"):
            if verb.lemma_.lower() in verbs:  # "killed or wounded 1,500 soldiers"
                found.add(verbs[verb.lemma_.lower()])
    if dep in ("nsubjpass", "dobj", "nsubj"):
        found |= _complement_units(head)  # "left two people dead", "were reported killed"
    if dep in ("nsubjpass", "dobj") or (dep == "nsubj" and head_tag == "VBN"):
        found |= _phrasal_units(head, t)  # "taken into custody", "rounded up 40 suspects"
    if dep == "nsubj":
        if lemma in intrans:
            found.add(intrans[lemma])
        if head_lower in adj:  # "two people are still missing"
            found.add(adj[head_lower])
        found |= _adjective_units(head) if head.pos_ == "AUX" else set()
    if dep in ("nsubj", "attr"):
        if head.lemma_ == "be":  # "five soldiers were among the dead", "among the dead were 12"
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "among":
                    found |= {adj[p.lower_] for p in prep.children if p.lower_ in adj}
    if dep == "nsubj":  # "17 people lost their lives", "13 suffered injuries"
        idioms = table.get("idiom", {})
        for obj in head.children:
            if obj.dep_ == "dobj" and f"{lemma} {obj.lemma_.lower()}" in idioms:
                found.add(idioms[f"{lemma} {obj.lemma_.lower()}"])
    if lemma in _TO_HOSPITAL and _to_hospital(head):
        found.add("injured")  # "seven others were taken to hospital"
    for child in t.children:  # "nine people killed in the attack", "people who were hurt"
        child_dep = child.dep_
        if child_dep == "acl" and _has_own(child, _OBJECTS, chain=True):
            continue  # "smashed four brigades, killed or wounded 1,500 soldiers": a misparse
        if child_dep in ("acl", "relcl") and child.lemma_.lower() in verbs:
            passive = child.tag_ == "VBN" or (child_dep == "acl" and child.tag_ == "VBD")
            if passive or any(c.dep_ == "auxpass" for c in child.children):
                for verb in _sharing_verbs(child, "subject"):  # "3,000 men killed or wounded"
                    if verb.lemma_.lower() in verbs:
                        found.add(verbs[verb.lemma_.lower()])
        elif child_dep == "acl" and child.tag_ == "VBN":  # "25,000 made homeless"
            found |= _complement_units(child)
            if child.lemma_.lower() in _TO_HOSPITAL and _to_hospital(child):
                found.add("injured")  # "the 17 men taken to hospital"
        elif child_dep == "relcl":  # "six people who were dead", "who were reported missing"
            found |= _complement_units(child) | _adjective_units(child)
            if child.lower_ in adj:  # "miners who were missing" (tagged as a verb)
                found.add(adj[child.lower_])
    if dep == "pobj" and head_lower == "of":  # "the slaying of seven demonstrators"
        event = table.get("event_noun", {}).get(grand.lemma_.lower())
        if event:
            found.add(event)
    for conj in t.conjuncts:  # "eight women and four men injured"
        for child in conj.children:
            if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in verbs:
                found.add(verbs[child.lemma_.lower()])
    if dep in ("dobj", "attr"):  # "the death toll hit 40", "the toll is 40"
        for subj in head.children:
            subj_dep = subj.dep_
            if subj_dep == "nsubj" and subj.lemma_.lower() in _AGGREGATES:
                found |= _toll_units(subj)
            elif subj_dep == "nsubj" and lemma in _TALLY_VERBS:
                found |= _casualty_word(subj)  # "the dead numbered 25", "casualties included"
    for prep in t.children if t.tag_ == "CD" else ():  # "twelve of the injured"
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    found |= _casualty_word(pobj)
    if dep == "pobj" and head.dep_ == "prep" and head_lower != "from":
        verb = grand.head if grand.dep_ == "prep" else grand  # "rose from 10 to 15"
        if verb.pos_ in ("VERB", "AUX"):
            for subj in verb.children:  # "the death toll rose to 15", "brought the toll to 15"
                if subj.dep_ in ("nsubj", "dobj") and subj.lemma_.lower() in _AGGREGATES:
                    found |= _toll_units(subj)
    return found


_OBJECTS = frozenset({"dobj"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})


def _has_own(verb: Token, deps: frozenset[str], chain: bool = False) -> bool:
    """Whether ``verb`` (or, with ``chain``, one of its conjuncts) has its own ``deps`` child."""
    verbs = (verb, *verb.conjuncts) if chain else (verb,)
    return any(c.dep_ in deps for v in verbs for c in v.children)


def _sharing_verbs(verb: Token, role: str) -> list[Token]:
    """``verb`` and the coordinated verbs that share its object or subject.

    "killed or wounded 1,500 soldiers": the object sits on the last verb; earlier conjuncts
    without an object of their own share it. "45 people were killed or wounded": the subject
    sits on the first verb; later conjuncts (and bare participles set off by a comma, "killed,
    wounded or arrested") without a subject of their own share it. The walk stops at the
    first verb with its own argument ("killing one person and arresting 12").
    """
    if role == "object":
        chain = [v for v in (verb, *verb.conjuncts) if v.i < verb.i and v.pos_ == "VERB"]
        out = [verb]
        for v in sorted(chain, key=lambda v: -v.i):
            if _has_own(v, _OBJECTS):
                break
            out.append(v)
        return out
    later = [v for v in verb.conjuncts if v.i > verb.i]
    for child in verb.children:  # "were killed, wounded or arrested" parses as an advcl
        if (
            child.dep_ == "advcl"
            and child.tag_ == "VBN"
            and child.i > 0
            and child.doc[child.i - 1].text == ","  # a list, not "with two others injured"
            and not _has_own(child, _SUBJECTS | {"mark", "aux", "auxpass"})
        ):
            later += [child, *(v for v in child.conjuncts if v.i > child.i)]
    out = [verb]
    for v in sorted(later, key=lambda v: v.i):
        if v.pos_ != "VERB" or _has_own(v, _SUBJECTS | _OBJECTS):
            break
        out.append(v)
    return out


def _phrasal_units(verb: Token, arg: Token) -> set[str]:
    """Units from a verb with a particle or a fixed complement (``phrasal`` in units.tsv):
    "rounded **up**", "taken into **custody**", "took 30 people **hostage**"."""
    table = units().get("phrasal", {})
    if not table:
        return set()
    lemma = verb.lemma_.lower()
    found: set[str] = set()
    for child in verb.children:
        if child is arg:
            continue
        words = [p.lemma_.lower() for p in child.children if p.dep_ == "pobj"]
        words += [] if child.dep_ == "prep" else [child.lemma_.lower()]
        for word in words:
            if f"{lemma} {word}" in table:
                found.add(table[f"{lemma} {word}"])
    return found


def _to_hospital(verb: Token) -> bool:
    return any(
        prep.dep_ == "prep" and any(p.lemma_.lower() == "hospital" for p in prep.children)
        for prep in verb.children
    )


def _complement_units(verb: Token) -> set[str]:
    """Units from a verb's predicative complement: "left two people **dead** or **missing**",
    "were reported **killed**", "forced 1,000 people **to flee**"."""
    table = units()
    verbs, intrans, adj = table.get("verb", {}), table.get("intransitive", {}), table.get("adj", {})
    found: set[str] = set()
    for child in verb.children:
        if child.dep_ not in ("oprd", "xcomp", "acomp") and not (
            child.dep_ == "advcl" and verb.lemma_ == "leave"  # "left 12 soldiers wounded"
        ):
            continue
        for word in (child, *child.conjuncts):
            lemma = word.lemma_.lower()
            if word.lower_ in adj:
                found.add(adj[word.lower_])
            elif word.tag_ == "VBN" and lemma in verbs:
                found.add(verbs[lemma])
            elif word.tag_ == "VB" and lemma in intrans:
                found.add(intrans[lemma])
    return found


def _casualty_word(tok: Token) -> set[str]:
    """ "the dead", "the wounded", "casualties", "deaths" used as nouns: their unit."""
    adj, nouns = units().get("adj", {}), units().get("noun", {})
    unit = adj.get(tok.lower_) or nouns.get(tok.lemma_.lower())
    return {unit} if unit in CASUALTY_UNITS else set()


def _toll_units(subj: Token) -> set[str]:
    """ "the death toll", "the number of dead", "the tally of injured": what a total counts."""
    adj, nouns = units().get("adj", {}), units().get("noun", {})
    found: set[str] = set()
    for tok in subj.subtree:
        word, lemma = tok.lower_, tok.lemma_.lower()
        if tok is not subj and (word in adj or lemma in nouns):
            unit = adj.get(word) or nouns[lemma]
            if unit in CASUALTY_UNITS:
                found.add(unit)
    if not found and subj.lemma_.lower() == "toll":
        found.add("killed")
    return found


def _combine(found: set[str]) -> str | None:
    if {"killed", "injured"} <= found or "dead_or_injured" in found:
        return "dead_or_injured"
    if {"killed", "missing"} <= found:
        return "dead_or_missing"  # "left 1,000 people dead or missing"
    for unit in ("killed", "injured", "missing", "detained", "captives", "displaced",
                 "prisoners", "released", "rescued", "protesters"):  # fmt: skip
        if unit in found:
            return unit
    return next(iter(sorted(found)), None)


def unit_for(span: Span) -> str | None:
    """What the number in ``span`` counts, from its syntax (None when unknown)."""
    num = safe_root(span)
    if num is None:
        return None
    unit = _unit_for_token(num)
    if unit in (None, "troops", "protesters"):  # "killed 12, including three children/soldiers"
        own = unit
        top = num.head if num.dep_ == "nummod" else num
        if top.dep_ == "pobj" and top.head.lower_ in ("including", "among"):
            outer = top.head.head
            if outer.tag_ == "CD" or _counted_noun(outer) is not None or outer.pos_ == "NOUN":
                unit = _unit_for_token(outer)
            if unit not in CASUALTY_UNITS:
                unit = own
    return unit


def is_subset(num: Token) -> bool:
    """Whether the number names part of a total already counted: "killed 12, **including three
    children**", "28 Palestinians, **11 of them** children", "**51 of the 74** drones". A consumer summing counts
    should skip it (it repeats people inside the 12 or the 28)."""
    top = num.head if num.dep_ in _NUM_DEPS and num.head.pos_ in ("NOUN", "PROPN") else num
    if top.dep_ == "pobj" and top.head.lower_ in ("including", "among"):
        return True
    for prep in num.children:  # "11 of them", "51 of the 74 drones": part of a number given
        if (
            prep.dep_ == "prep"
            and prep.lower_ == "of"
            and any(
                p.lower_ == "them" or p.like_num or any(c.dep_ == "nummod" for c in p.children)
                for p in prep.children
            )
        ):
            return True
    first = top
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    if first is top:
        return False
    values = [_count_of(t) for t in (first, *first.conjuncts)]  # "12 people, seven women and
    return None not in values and sum(values[1:]) == values[0]  # five men": 7 + 5 = 12


def _count_of(tok: Token) -> float | None:
    """The value of the number on a noun ("seven women" -> 7) or of a bare number token."""
    nums = [tok] if tok.tag_ == "CD" else [c for c in tok.children if c.dep_ == "nummod"]
    parsed = parse_number(nums[0].text) if len(nums) == 1 else None
    return parsed[0] if parsed else None


def _unit_for_token(num: Token) -> str | None:
    noun = _counted_noun(num)
    table = units()
    own = _adjective_units(num)
    adj = table.get("adj", {})
    if num.dep_ in _NUM_DEPS and num.head.pos_ == "ADJ" and num.head.lower_ in adj:
        own.add(adj[num.head.lower_])  # "another 20 dead": the adjective heads the number
    if own:  # "nine dead, 21 wounded": the number's own adjective wins over the verb
        return _combine(own)
    # the verb cues (``_verb_units``) are read only where the answer depends on them
    if (
        noun is not None
        and noun.head.lower_ == "of"
        and any(c.tag_ == "JJS" for c in noun.children)
    ):
        return None  # "one of the largest attacks" is a superlative, not a count
    if noun is not None and noun.i < num.i:  # "kill 35": a verb the parser took for a noun
        return _combine(_verb_units(num)) or _prev_verb(num)
    if noun is None:
        return _combine(_verb_units(num)) or _next_adjective(num) or _prev_verb(num)
    lemma = noun.lemma_.lower()
    noun_unit = table["noun"].get(lemma) or table["noun"].get(noun.lower_)
    if lemma in table.get("thing", {}) or noun.lower_ in table.get("thing", {}):
        return noun_unit  # "torched five villages": never a count of people
    is_person = lemma in table.get("person", {}) or noun.lower_ in ("others", "other")
    if noun_unit and noun_unit not in CASUALTY_UNITS | {"troops", "protesters"} and not is_person:
        return noun_unit  # "273 drones": what they are, whatever the verb
    cues = _verb_units(num) | _adjective_units(noun) | _verb_units(noun)
    if noun_unit in ("prisoners", "captives") and cues <= {"released", "prisoners"}:
        return noun_unit  # "released 369 prisoners", "freed three hostages": who they are
    if noun_unit in CASUALTY_UNITS | {"troops", "protesters"} or is_person:
        return _combine(cues) or noun_unit
    cue = _combine(cues)  # "killing 12 fishermen": only people are killed or go missing
    return cue if cue in _PEOPLE_ONLY else None  # "captured 12 towns": unknown


def _prev_verb(num: Token) -> str | None:
    """ "Strikes on Gaza kill 35": a headline the parser misreads; the word before is a
    casualty verb, so the bare number is its object."""
    if num.i == 0 or num.dep_ not in ("nummod", "dobj", "npadvmod", "appos", "ROOT"):
        return None
    prev = num.doc[num.i - 1]
    if prev.tag_ not in ("NN", "VB", "VBZ", "VBP", "VBD", "VBG"):
        return None
    return units().get("verb", {}).get(prev.lemma_.lower())


def _strong_unit(doc: Doc, end: int) -> str | None:
    """ "a 1,200-strong force" counts troops; "a 26-strong research unit" counts nothing known."""
    span = doc.char_span(end - 1, end, alignment_mode="expand")
    if span is None:
        return None
    head = span[-1].head
    return "troops" if head.lemma_.lower() in units().get("force", {}) else None


def _next_adjective(num: Token) -> str | None:
    """ "as high as 500 dead": a casualty adjective right after the number, whatever the parse
    made of it (not when it modifies a noun of its own: "12 missing tablets")."""
    if num.i + 1 >= len(num.doc):
        return None
    nxt = num.doc[num.i + 1]
    unit = units().get("adj", {}).get(nxt.lower_)
    return unit if unit and not (nxt.dep_ == "amod" and nxt.head.i > nxt.i) else None


class NumberExtractor:
    """The ``sitrep_numbers`` component."""

    def __call__(self, doc: Doc) -> Doc:
        number_rx, before_rx, after_rx = _regexes()
        text = doc_text(doc)
        tk = doc_tokens(doc)
        times = doc._.sitrep_times or []
        out: list[NumberExpr] = []
        for m in _numbers_in(number_rx, text):
            start, end = m.span("num")
            raw = m.group("num")
            parsed = parse_number(raw) or parse_number(raw + " of")
            if parsed is None:
                continue
            value, vague = parsed
            unit: str | None = None
            time = _span_in(times, start, end)
            if time is not None:
                if _YEAR.match(raw) and time.granularity in ("year", "range", "decade"):
                    unit = "year"
                elif time.granularity in ("duration", "week", "range") or _UNIT_AFTER.match(
                    text, end
                ):
                    unit = "duration"  # "nine hours", "two days ago", "the past 24 hours"
                else:
                    continue  # a day of the month, a clock time
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            if raw.lower() == "one" and (
                span[-1].tag_ != "CD"
                or (span.start > 0 and doc[span.start - 1].lower_ in _NOT_ONE)
                or (span.end < len(doc) and doc[span.end].lower_ == "another")
            ):
                continue  # "no one", "the one who", "one another"
            tail = after_rx.match(text, end) if unit is None else None
            if m.group("cur") or (tail and tail.group("money")):
                unit = "money"
                if m.group("cur"):
                    start = m.start("cur")
            elif tail and tail.group("pct"):
                unit = "percent"
            elif (
                (tail and tail.group("age"))
                or _AGE_BEFORE.search(text, max(0, start - 12), start)
                or _apposed_age(span, value, tk)
            ):
                unit = "age"
            elif tail and tail.group("dur") and _YEAR.match(raw):
                unit = "year"  # "the 1986 year"
            elif tail and tail.group("dur"):
                unit = "duration"  # "two days before the talks"
            elif tail and tail.group("strong"):
                unit = _strong_unit(doc, tail.end())  # "a 1,200-strong force"
            elif unit is None:
                unit = unit_for(span)
            qualifier = None
            head = before_rx.search(text, max(0, start - 30), start)
            if head:
                qualifier = qualifiers()[" ".join(head.group("q").lower().split())]
            elif tail and tail.group("ormore"):
                qualifier = "at least"
            elif tail and tail.group("orso"):
                qualifier = "about"
            if unit == "duration" and qualifier in ("more than", "less than"):
                qualifier = None  # "over four years", "under two hours": prepositions
            qualifier = qualifier or vague
            if unit in (None, "times") and " ".join(raw.lower().split()) in _WEAK:
                continue  # "several times", "a few": only kept when they count something
            if (
                unit is None
                and out
                and out[-1].unit == "age"
                and _AGE_LIST.match(text, out[-1].end, start)
            ):
                unit = "age"  # "two teenagers aged 16 and 17"
            out.append(NumberExpr(text[start:end], start, end, value, unit, qualifier))
        doc._.sitrep_numbers = _merge_ranges(text, out)
        return doc


_RANGE_GAP = re.compile(r"\s*(?:(?P<dash>[-–])|(?P<word>to|and|or))\s*$", re.IGNORECASE)
_DASH_UPPER = re.compile(r"[-–](?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\w.,]\w)")
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+$", re.IGNORECASE)


def _vague(raw: str) -> bool:
    parsed = parse_number(raw) or parse_number(raw + " of")
    return parsed is None or parsed[1] is not None


def _shared_scale(lower: str, rest: str) -> float:
    """ "10 to 15 mln": the scale word of the upper end also scales a bare lower end."""
    scales = scale_words()
    if any(w in scales for w in lower.lower().split()):
        return 1.0
    last = rest.lower().split()[-1] if rest.split() else ""
    return scales.get(last, 1.0)


def _merge_ranges(text: str, found: list[NumberExpr]) -> list[NumberExpr]:
    """One number per range, valued at its lower end: "between 10 and 15", "10 to 15",
    "two or three", "10-15" (ACLED codes the lowest figure of a range; an event's counts add
    its numbers, so both ends must not count)."""
    out: list[NumberExpr] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        upper: tuple[float, int] | None = None
        dash = _DASH_UPPER.match(text, a.end) if a.text[-1:].isdigit() else None
        if dash and (b is None or b.start >= dash.end()):
            upper = (float(dash.group("n").replace(",", "")), dash.end())
        elif b is not None and (gap := _RANGE_GAP.match(text[a.end : b.start])):
            before = text[max(0, a.start - 20) : a.start]
            word = (gap.group("word") or "").lower()
            if (word != "and" or _BETWEEN.search(before)) and not (
                word == "to" and _FROM.search(before)
            ):
                upper = (b.value, b.end)
        unit = a.unit if b is None or upper is None or upper[1] != b.end else b.unit or a.unit
        if (
            upper is None
            or upper[0] <= a.value * _shared_scale(a.text, text[a.end : upper[1]])
            or (b is not None and upper[1] == b.end and _vague(b.text))  # "one to several"
            or "year" in (a.unit, unit)
            or (b is not None and upper[1] == b.end and a.unit not in (None, b.unit)
                and b.unit is not None)
        ):  # fmt: skip
            out.append(a)
            i += 1
            continue
        qualifier = a.qualifier or ("at least" if unit and unit not in NOT_COUNTS else None)
        value = a.value * _shared_scale(a.text, text[a.end : upper[1]])  # "10 to 15 mln"
        out.append(NumberExpr(text[a.start : upper[1]], a.start, upper[1], value, unit,
                              qualifier, upper=upper[0]))  # fmt: skip
        i += 2 if b is not None and upper[1] == b.end else 1
    return out


@Language.factory("sitrep_numbers")
def make_number_extractor(nlp: Language, name: str) -> NumberExtractor:
    return NumberExtractor()
