"""Number extraction: digits and number words, with what they count when the syntax says so.

``doc._.sitrep_numbers`` becomes a list of ``NumberExpr`` in text order:

* ``value`` is the number; vague plurals ("hundreds of", "dozens of") give their lower bound
  (200, 24) and say so in ``qualifier``; "several"/"a few" are kept only when they count
  something known.
* ``unit`` is one of the units in ``sitrep/data/numbers/units.tsv`` (killed, injured, missing,
  detained, displaced, dead_or_injured, drones, missiles, troops, protesters, captives,
  prisoners, ...), or ``age`` ("4-year-old", "aged 12"), ``duration`` (numbers inside a time
  expression such as "nine hours" or "two days ago"), ``year``, ``money``, ``percent``;
  ``None`` when nothing says what is counted. Ages, durations and years are never counts.
* ``qualifier`` comes from the words just before (``qualifiers.tsv``: "at least", "more than",
  "about", "up to", ...) or just after ("or more", "or so"), else from a vague number word.

Numbers inside dates and clock times ("June 2", "3 p.m.") are not numbers here; the time
expressions come from the ``sitrep_times`` component, which must run first.
"""

import functools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.extract.number_words import DATA, number_words, parse_number, word_pattern
from sitrep.nlp.text import doc_text
from sitrep.records import NumberExpr, TimeExpr
from sitrep.resolve.times import safe_root

CASUALTY_UNITS = frozenset({"killed", "injured", "dead_or_injured", "missing", "detained",
                            "displaced", "captives", "prisoners", "released", "rescued"})  # fmt: skip
_AGGREGATES = frozenset({"total", "number", "toll", "tally", "count"})
_TO_HOSPITAL = frozenset({"take", "rush", "admit", "bring", "send", "hospitalize"})
_PEOPLE_ONLY = frozenset({"killed", "injured", "dead_or_injured", "missing", "detained"})
_NOT_ONE = frozenset({"the", "that", "this", "any", "no", "every", "each", "which", "someone"})
NOT_COUNTS = frozenset({"age", "duration", "year", "money", "percent"})


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

    vague = number_words()
    vague_of = alt([w[:-3] for w, (_, q) in vague.items() if q and w.endswith(" of")])
    vague_plain = alt([w for w, (_, q) in vague.items() if q and not w.endswith(" of")])
    number = re.compile(
        rf"(?<![\w.,/-])(?P<cur>US\$|\$|€|£|¥)?\s?"
        rf"(?P<num>(?i:{vague_of})(?=\s+of\b|\s+(?:were|are|was|have|had|died|fled)\b)"
        rf"|(?i:{vague_plain})|(?i:{word_pattern()}))(?![\w]|[.,]\d)"
    )
    quals = "|".join(re.escape(q).replace(r"\ ", r"\s+")
                     for q in sorted(qualifiers(), key=len, reverse=True))  # fmt: skip
    before = re.compile(rf"(?:^|[^\w])(?P<q>(?i:{quals}))\s+$")
    after = re.compile(
        r"(?:(?P<pct>\s*%|\s+(?i:percent|per\s+cent|pct)\b)"
        r"|(?P<money>\s+(?i:dollars?|dlrs|euros?|pounds?|stg|roubles?|rubles?|hryvnias?|yen|"
        r"yuan|francs?))\b"
        r"|(?P<age>\s*-?\s*(?i:years?|months?|weeks?|days?)\s*-\s*(?i:old)\b"
        r"|\s+(?i:years?|months?)\s+(?i:old)\b)"
        r"|(?P<dur>[ ]?-?[ ]?(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b)"
        r"|(?P<ormore>\s+(?i:or\s+more)\b)|(?P<orso>\s+(?i:or\s+so)\b))"
    )
    return number, before, after


_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_UNIT_AFTER = re.compile(
    r"[ ]?-?[ ]?(?i:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
)
_AGE_BEFORE = re.compile(r"(?i:\baged|\bage\s+of|\bages\s+of)\s+$")


def _apposed_age(span: Span, value: float) -> bool:
    """ "Luis Gonzalez, 23, said": a bare number set off by commas after a name is an age."""
    doc = span.doc
    if not (1 <= value <= 110 and span.text.isdigit()) or span.start < 2:
        return False
    before, name = doc[span.start - 1], doc[span.start - 2]
    after = doc[span.end] if span.end < len(doc) else None
    return (before.text == "," and name.pos_ == "PROPN" and name.ent_type_ == "PERSON"
            and (after is None or after.text in (",", ")", ";", ".")))  # fmt: skip


def _span_in(times: list[TimeExpr], start: int, end: int) -> TimeExpr | None:
    for t in times:
        if t.start <= start and end <= t.end:
            return t
    return None


def _counted_noun(num: Token) -> Token | None:
    """The noun a number counts: its head for "273 drones", the pobj for "131 of the drones"."""
    if num.dep_ in ("nummod", "quantmod", "compound") and num.head.pos_ in ("NOUN", "PROPN"):
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
        if child.dep_ in ("amod", "acomp") and child.lower_ in adj:
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
    head = t.head
    lemma = head.lemma_.lower()
    if t.dep_ == "nsubjpass" or (t.dep_ == "nsubj" and head.tag_ == "VBN") or t.dep_ == "dobj":
        if lemma in verbs:
            found.add(verbs[lemma])
    if t.dep_ == "nsubj":
        if lemma in intrans:
            found.add(intrans[lemma])
        if head.lower_ in adj:  # "two people are still missing"
            found.add(adj[head.lower_])
        found |= _adjective_units(head) if head.pos_ == "AUX" else set()
        if head.lemma_ == "be":  # "five soldiers were among the dead"
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "among":
                    found |= {adj[p.lower_] for p in prep.children if p.lower_ in adj}
    for prep in head.children if lemma in _TO_HOSPITAL else ():
        if prep.dep_ == "prep" and any(p.lemma_.lower() == "hospital" for p in prep.children):
            found.add("injured")  # "seven others were taken to hospital"
    for child in t.children:  # "nine people killed in the attack", "people who were hurt"
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in verbs:
            if child.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in child.children):
                found.add(verbs[child.lemma_.lower()])
    if t.dep_ == "pobj" and head.lower_ == "of":  # "the slaying of seven demonstrators"
        event = table.get("event_noun", {}).get(head.head.lemma_.lower())
        if event:
            found.add(event)
    for conj in t.conjuncts:  # "eight women and four men injured"
        for child in conj.children:
            if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in verbs:
                found.add(verbs[child.lemma_.lower()])
    if t.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        for subj in head.head.children:  # "the death toll rose to 15"
            if subj.dep_ == "nsubj" and subj.lemma_.lower() in _AGGREGATES:
                found |= _toll_units(subj)
    return found


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
    if unit is None:  # "killed 12, including three children": the unit of the 12
        top = num.head if num.dep_ == "nummod" else num
        if top.dep_ == "pobj" and top.head.lower_ in ("including", "among"):
            outer = top.head.head
            if outer.tag_ == "CD" or _counted_noun(outer) is not None or outer.pos_ == "NOUN":
                unit = _unit_for_token(outer)
            if unit not in CASUALTY_UNITS:
                unit = None
    return unit


def _unit_for_token(num: Token) -> str | None:
    noun = _counted_noun(num)
    table = units()
    own = _adjective_units(num)
    if own:  # "nine dead, 21 wounded": the number's own adjective wins over the verb
        return _combine(own)
    cues = _verb_units(num)
    noun_unit = None
    if (
        noun is not None
        and noun.head.lower_ == "of"
        and any(c.tag_ == "JJS" for c in noun.children)
    ):
        return None  # "one of the largest attacks" is a superlative, not a count
    if noun is not None:
        cues |= _adjective_units(noun) | _verb_units(noun)
        lemma = noun.lemma_.lower()
        noun_unit = table["noun"].get(lemma) or table["noun"].get(noun.lower_)
        is_person = lemma in table.get("person", {}) or noun.lower_ in ("others", "other")
        if noun_unit in CASUALTY_UNITS | {"troops", "protesters"} or is_person:
            return _combine(cues) or noun_unit
        if noun_unit:
            return noun_unit
        cue = _combine(cues)  # "killing 12 fishermen": only people are killed or go missing
        return cue if cue in _PEOPLE_ONLY else None  # "captured 12 towns": unknown
    return _combine(cues)


class NumberExtractor:
    """The ``sitrep_numbers`` component."""

    def __call__(self, doc: Doc) -> Doc:
        number_rx, before_rx, after_rx = _regexes()
        text = doc_text(doc)
        times = doc._.sitrep_times or []
        out: list[NumberExpr] = []
        for m in number_rx.finditer(text):
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
                or _apposed_age(span, value)
            ):
                unit = "age"
            elif tail and tail.group("dur") and _YEAR.match(raw):
                unit = "year"  # "the 1986 year"
            elif tail and tail.group("dur"):
                unit = "duration"  # "two days before the talks"
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
            if vague in ("several", "a few", "a handful of") and unit is None:
                continue
            out.append(NumberExpr(text[start:end], start, end, value, unit, qualifier))
        doc._.sitrep_numbers = out
        return doc


@Language.factory("sitrep_numbers")
def make_number_extractor(nlp: Language, name: str) -> NumberExtractor:
    return NumberExtractor()
