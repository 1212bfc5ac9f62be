"""``sitrep eval wikievents``: article-level attack events against WikiEvents annotations.

Gold file: WikiEvents JSON Lines (Li, Ji & Han 2021), one article per line, with ``doc_id``,
``tokens``, ``sentences`` (``[[[token, start, end], ...], sentence_text]``),
``entity_mentions`` (``id``, ``start``/``end`` document token indices, end exclusive,
``entity_type``, ``text``) and ``event_mentions`` (``event_type`` in the KAIROS ontology,
``trigger`` with token ``start``/``end``, ``arguments`` with ``entity_id`` and ``role``).

Text: the article is rebuilt from ``sentences``, each sentence text at its own character
offset (the ``text`` field joins sentences without the separator those offsets count). The
one-character gap between sentences becomes a newline after a sentence that does not end in
sentence punctuation (headlines) and a space otherwise. sitrep analyses the whole article.

Types: KAIROS types are mapped to PLOVER with ``sitrep/data/events/kairos.tsv`` (longest
prefix wins; a justification per row). Attacks and their outcomes (Conflict.Attack,
Life.Die, Life.Injure, damage/destruction) are ASSAULT, arrests COERCE, demonstrations
PROTEST, requests REQUEST, threats THREATEN, meetings CONSULT, charges/convictions/
investigations ACCUSE, releases RETREAT. Statements ("said", "reported") and KAIROS types
with no PLOVER counterpart are not scored, on either side: only system events of a PLOVER
type that some KAIROS type maps to count (the others are reported as ``unscored``).

Detection: a gold event is *found* when a system event of its PLOVER type has the gold
trigger's first character inside its evidence sentence or one of its further mentions (as
in ``sitrep eval events``); a system event is *correct* when it covers the trigger of at
least one gold event of its type in that way. The matching is not one-to-one on purpose:
WikiEvents annotates every event *mention* (the bombing, each death and injury it caused,
each later "the attack"), while sitrep folds them into one event per happening with further
mentions. Recall is found/gold events, precision correct/system events, per PLOVER type; F1
is their harmonic mean; micro figures pool the scored types, macro-F1 averages the types
with gold events.

Arguments (found ASSAULT gold events; the covering system event with the trigger nearest the
gold trigger): ``source`` from Attacker/Killer/Injurer/Damager/Destroyer, ``target`` from
Target/Victim, ``place`` from Place. Only arguments sitrep can hold are scored: actors are
gold PER/ORG/GPE entities, places GPE/LOC/FAC (a bombed building as Target, a weapon as
Instrument are skipped). A field counts once per gold event that has such an argument: it is
right when one of the system event's actors (places) has a mention span overlapping one of
the gold argument mentions, else ``wrong`` (something else given) or ``empty`` (nothing
given). This release of the set carries no coreference clusters, so a named argument's
mentions are stood in for by every gold entity mention of the same type with the same text;
sitrep's own actors and places carry all their mentions in the article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from sitrep.errors import Errors, SitrepError
from sitrep.records import PLOVER_TYPES, Document, Event

MAPPING_PATH = Path(__file__).resolve().parent.parent / "data" / "events" / "kairos.tsv"
FIELDS = ("source", "target", "place")
ROLE_FIELD = {
    "Attacker": "source", "Killer": "source", "Injurer": "source", "Damager": "source",
    "Destroyer": "source", "DamagerDestroyer": "source",
    "Target": "target", "Victim": "target", "Place": "place",
}  # fmt: skip
FIELD_ENTITY_TYPES = {
    "source": frozenset({"PER", "ORG", "GPE"}),
    "target": frozenset({"PER", "ORG", "GPE"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
}
ARGUMENT_TYPE = "ASSAULT"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")

Spans = tuple[tuple[int, int], ...]


@dataclass(slots=True)
class GoldEvent:
    id: str
    kairos: str
    type: str  # PLOVER
    start: int
    end: int
    trigger: str
    sentence: int
    args: dict[str, list[Spans]] = field(default_factory=dict)  # field -> one Spans per arg
    phrases: dict[str, list[Spans]] = field(default_factory=dict)  # the same, head widened
    arg_texts: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    sentences: list[tuple[int, int]]
    events: list[GoldEvent]
    unscored: int = 0  # gold events of KAIROS types with no PLOVER counterpart


@dataclass(slots=True)
class WikiEventsScores:
    articles: int = 0
    gold_unscored: int = 0
    system_unscored: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # type -> gold/found/...
    fields: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> right/wrong/...
    phrase_right: dict[str, int] = field(default_factory=dict)  # field -> right (phrase match)

    def per_type(self) -> dict[str, dict[str, float]]:
        return {t: _prf(c) for t, c in sorted(self.counts.items())}

    def micro(self) -> dict[str, float]:
        pooled = {k: sum(c[k] for c in self.counts.values()) for k in _COUNT_KEYS}
        return _prf(pooled)

    def macro_f1(self) -> float:
        f1s = [_prf(c)["f1"] for c in self.counts.values() if c["gold"]]
        return round(sum(f1s) / len(f1s), 4) if f1s else 0.0

    def accuracy(self, name: str) -> float | None:
        f = self.fields.get(name, {})
        n = sum(f.values())
        return round(f.get("right", 0) / n, 4) if n else None

    def phrase_accuracy(self, name: str) -> float | None:
        n = sum(self.fields.get(name, {}).values())
        return round(self.phrase_right.get(name, 0) / n, 4) if n else None

    def to_dict(self) -> dict[str, object]:
        micro = self.micro()
        return {
            "articles": self.articles, "per_type": self.per_type(),
            "precision": micro["precision"], "recall": micro["recall"], "f1": micro["f1"],
            "macro_f1": self.macro_f1(),
            "gold_events": micro["gold"], "system_events": micro["system"],
            "gold_unscored": self.gold_unscored, "system_unscored": self.system_unscored,
            "arguments": {
                name: {"accuracy": self.accuracy(name),
                       "phrase_accuracy": self.phrase_accuracy(name),
                       **self.fields.get(name, {})}  # fmt: skip
                for name in FIELDS
            },
        }  # fmt: skip


_COUNT_KEYS = ("gold", "found", "system", "correct")


def _prf(c: dict[str, int]) -> dict[str, float]:
    p = c["correct"] / c["system"] if c["system"] else 0.0
    r = c["found"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": c["gold"], "system": c["system"]}  # fmt: skip


@lru_cache(maxsize=4)
def load_mapping(path: Path = MAPPING_PATH) -> tuple[tuple[str, str | None], ...]:
    """(KAIROS prefix, PLOVER type or None) rows, longest prefix first."""
    rows = []
    for line, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) < 2 or cols[1] != "-" and cols[1] not in PLOVER_TYPES:
            raise SitrepError(Errors.E204, path=path, line=line,
                              detail="expected KAIROS_PREFIX<TAB>PLOVER-or-'-'<TAB>why")  # fmt: skip
        rows.append((cols[0], None if cols[1] == "-" else cols[1]))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def plover_of(kairos: str, mapping: tuple[tuple[str, str | None], ...] | None = None) -> str | None:
    """The PLOVER category a KAIROS event type maps to, or None (not scored)."""
    for prefix, plover in mapping or load_mapping():
        if kairos == prefix or kairos.startswith(prefix + "."):
            return plover
    return None


def scored_types(mapping: tuple[tuple[str, str | None], ...] | None = None) -> frozenset[str]:
    return frozenset(p for _, p in mapping or load_mapping() if p)


def _rebuild_text(sentences: list) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Article text, sentence char spans and per-token char spans from ``sentences``."""
    parts: list[str] = []
    pos = 0
    sent_spans: list[tuple[int, int]] = []
    tokens: list[tuple[int, int]] = []
    for toks, stext in sentences:
        if not toks:
            raise ValueError("a sentence without tokens")
        start, end = int(toks[0][1]), int(toks[-1][2])
        if start < pos or end - start > len(stext):
            raise ValueError(f"sentence offsets {start}-{end} do not fit its text")
        end = start + len(stext)  # the text may end in whitespace after its last token
        if start > pos:
            prev_end = parts[-1] if parts else ""
            sep = " " if _SENTENCE_END.search(prev_end) or not parts else "\n"
            parts.append(" " * (start - pos - 1) + sep)
        parts.append(stext)
        sent_spans.append((start, end))
        for tok in toks:
            s, e = int(tok[1]), int(tok[2])
            if stext[s - start : e - start] != tok[0]:
                raise ValueError(f"token {tok[0]!r} at {s}-{e} does not match the sentence text")
            tokens.append((s, e))
        pos = end
    return "".join(parts), sent_spans, tokens


def _article(row: dict, mapping: tuple[tuple[str, str | None], ...]) -> GoldArticle:
    text, sent_spans, tok = _rebuild_text(row["sentences"])
    if len(tok) != len(row["tokens"]):
        raise ValueError("'tokens' and the tokens of 'sentences' differ in number")

    def chars(start: int, end: int) -> tuple[int, int]:
        if not 0 <= start < end <= len(tok):
            raise ValueError(f"token span {start}-{end} out of range")
        return tok[start][0], tok[end - 1][1]

    entities = {}
    by_name: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for m in row["entity_mentions"]:
        span = chars(m["start"], m["end"])
        entities[m["id"]] = (m["entity_type"], m["text"], span)
        by_name.setdefault((m["entity_type"], m["text"]), []).append(span)
    events, unscored = [], 0
    for ev in row["event_mentions"]:
        plover = plover_of(ev["event_type"], mapping)
        if plover is None:
            unscored += 1
            continue
        trig = ev["trigger"]
        start, end = chars(trig["start"], trig["end"])
        g = GoldEvent(str(ev["id"]), ev["event_type"], plover, start, end, trig["text"],
                      int(trig.get("sent_idx", -1)))  # fmt: skip
        for arg in ev["arguments"]:
            name = ROLE_FIELD.get(arg["role"])
            if name is None or plover != ARGUMENT_TYPE:
                continue
            if arg["entity_id"] not in entities:
                raise ValueError(f"argument entity {arg['entity_id']!r} is not an entity mention")
            etype, etext, span = entities[arg["entity_id"]]
            if etype not in FIELD_ENTITY_TYPES[name]:
                continue
            same = by_name[(etype, etext)] if etext[:1].isupper() else []
            g.args.setdefault(name, []).append(tuple(sorted({span, *same})))
            g.arg_texts.setdefault(name, []).append(etext)
        events.append(g)
    return GoldArticle(str(row["doc_id"]), text, sent_spans, events, unscored)


def load_wikievents(path: str | Path) -> list[GoldArticle]:
    """Read a WikiEvents JSONL file (raises SitrepError E202/E203 on bad input)."""
    path = Path(path)
    if not path.is_file():
        raise SitrepError(Errors.E203, path=path, detail="no such file")
    mapping = load_mapping()
    articles = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise SitrepError(Errors.E203, path=path, detail=f"not UTF-8 text ({err.reason})") from None
    for line, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            if not isinstance(row, dict):
                raise TypeError("not a JSON object")
            articles.append(_article(row, mapping))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, IndexError) as err:
            detail = f"missing field {err}" if isinstance(err, KeyError) else str(err)
            raise SitrepError(Errors.E202, path=path, line=line, detail=detail) from None
    if not articles:
        raise SitrepError(Errors.E203, path=path, detail="no articles")
    return articles


def _spans(e: Event) -> list[tuple[int, int]]:
    return [(e.evidence.start, e.evidence.end)] + [(m.start, m.end) for m in e.mentions]


def _covers(e: Event, pos: int) -> bool:
    return any(s <= pos < t for s, t in _spans(e))


def _overlaps(mentions: list, gold: Spans) -> bool:
    return any(m.start < ge and gs < m.end for m in mentions for gs, ge in gold)


def _ids(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _field_mentions(name: str, e: Event, doc: Document) -> list[list]:
    """The mention lists of what the system event gives for a field (one per actor/place)."""
    if name == "place":
        place = next((p for p in doc.places if p.id == e.place), None) if e.place else None
        return [place.mentions] if place else []
    actors = {a.id: a for a in doc.actors}
    return [actors[i].mentions for i in _ids(getattr(e, name)) if i in actors]


def _show(name: str, e: Event, doc: Document) -> list[str]:
    if name == "place":
        return [p.name for p in doc.places if p.id == e.place]
    actors = {a.id: a for a in doc.actors}
    return [actors[i].name for i in _ids(getattr(e, name)) if i in actors]


def score(articles: list[GoldArticle], docs: list[Document]) -> tuple[WikiEventsScores, list[str]]:
    """Score system documents against gold articles; also one note per miss."""
    types = scored_types()
    s = WikiEventsScores(articles=len(articles))
    s.counts = {t: dict.fromkeys(_COUNT_KEYS, 0) for t in sorted(types)}
    s.fields = {name: {"right": 0, "wrong": 0, "empty": 0} for name in FIELDS}
    s.phrase_right = dict.fromkeys(FIELDS, 0)
    notes: list[str] = []
    for art, doc in zip(articles, docs, strict=True):
        s.gold_unscored += art.unscored
        events = [e for e in doc.events if e.type in types]
        s.system_unscored += len(doc.events) - len(events)
        for g in art.events:
            c = s.counts[g.type]
            c["gold"] += 1
            cands = [e for e in events if e.type == g.type and _covers(e, g.start)]
            if not cands:
                notes.append(f"{art.id}: missed {g.type} ({g.kairos}) {g.trigger!r}: "
                             f"{_context(art, g.start)}")  # fmt: skip
                continue
            c["found"] += 1
            e = min(cands, key=lambda x: abs((x.trigger or x.evidence).start - g.start))
            for name, golds in g.args.items():
                given = _field_mentions(name, e, doc)
                ok = any(_overlaps(m, gold) for m in given for gold in golds)
                verdict = "right" if ok else "wrong" if given else "empty"
                s.fields[name][verdict] += 1
                phrases = g.phrases.get(name, [])
                s.phrase_right[name] += ok or any(
                    _overlaps(m, gold) for m in given for gold in phrases
                )
                if not ok:
                    notes.append(f"{art.id}: {g.type} {g.trigger!r} {name} {verdict}: gold "
                                 f"{g.arg_texts[name]} got {_show(name, e, doc)}")  # fmt: skip
        for e in events:
            s.counts[e.type]["system"] += 1
            if any(g.type == e.type and _covers(e, g.start) for g in art.events):
                s.counts[e.type]["correct"] += 1
            else:
                trig = e.trigger.text if e.trigger else ""
                notes.append(f"{art.id}: spurious {e.type} {trig!r} ({e.status}): "
                             f"{_context(art, e.evidence.start)}")  # fmt: skip
    return s, notes


def _context(art: GoldArticle, pos: int) -> str:
    span = next(((a, b) for a, b in art.sentences if a <= pos < b), (pos, pos + 100))
    sent = art.text[span[0] : span[1]]
    return sent if len(sent) <= 120 else sent[:117] + "..."


def widen(article: GoldArticle, doc: Doc) -> None:
    """Fill ``phrases``: each actor argument's head widened to its pre-modifiers."""
    for g in article.events:
        for name in ("source", "target"):
            if name in g.args:
                g.phrases[name] = [tuple(sorted({_premodified(doc, a, b) for a, b in spans}))
                                   for spans in g.args[name]]  # fmt: skip


def _premodified(doc: Doc, start: int, end: int) -> tuple[int, int]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start, end
    return min(start, span.root.left_edge.idx), end


def evaluate(path: str | Path) -> tuple[WikiEventsScores, list[str]]:
    """Load a WikiEvents file, analyse each article with the full pipeline, score it."""
    from sitrep.analyze import doc_to_document, text_sha256
    from sitrep.nlp.pipeline import load_pipeline
    from sitrep.records import ArticleMeta

    articles = load_wikievents(path)
    nlp = load_pipeline()
    docs = []
    for art, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        widen(art, doc)
        meta = ArticleMeta(id=art.id, title=None, source=None, url=None, published=None,
                           language="en", sha256=text_sha256(art.text))  # fmt: skip
        docs.append(doc_to_document(doc, meta))
    return score(articles, docs)


def format_scores(s: WikiEventsScores, title: str) -> str:
    d = s.to_dict()
    lines = [f"{title}: {s.articles} articles, {d['gold_events']} gold events scored "
             f"({s.gold_unscored} of unmapped KAIROS types skipped), {d['system_events']} "
             f"system events ({s.system_unscored} of unscored PLOVER types skipped)",
             f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'sys':>5}"]  # fmt: skip
    for t, m in d["per_type"].items():
        if m["gold"] or m["system"]:
            r, f = (f"{m['recall']:6.3f}", f"{m['f1']:6.3f}") if m["gold"] else ("-", "-")
            lines.append(f"{t:<10} {m['precision']:6.3f} {r:>6} {f:>6} "
                         f"{m['gold']:5d} {m['system']:5d}")  # fmt: skip
    lines.append(f"{'micro':<10} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f}   "
                 f"macro-F1 {d['macro_f1']:.3f}")  # fmt: skip
    lines.append(f"{ARGUMENT_TYPE} arguments on found gold events:")
    for name, f in d["arguments"].items():
        acc = "-" if f["accuracy"] is None else f"{f['accuracy']:.3f}"
        n = f["right"] + f["wrong"] + f["empty"]
        pacc = "-" if f["phrase_accuracy"] is None else f"{f['phrase_accuracy']:.3f}"
        lines.append(f"  {name:<7} accuracy {acc:>5} (n={n}: {f['right']} right, "
                     f"{f['wrong']} wrong, {f['empty']} empty)"
                     + (f"   with pre-modifiers {pacc}" if name != "place" else ""))  # fmt: skip
    return "\n".join(lines)


def _command():  # noqa: ANN202 - click command, built lazily so click stays a CLI concern
    import click

    @click.command("wikievents")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
    @click.option("--misses", is_flag=True,
                  help="Also list missed and spurious events and wrong arguments.")  # fmt: skip
    def wikievents_cmd(path: str, as_json: bool, misses: bool) -> None:
        """Attack events vs WikiEvents: per-type P/R/F1 and ASSAULT source/target/place."""
        scores, notes = evaluate(path)
        if as_json:
            click.echo(json.dumps(scores.to_dict(), indent=2))
        else:
            click.echo(format_scores(scores, path))
            if misses:
                click.echo("\n".join(notes))

    return wikievents_cmd


wikievents_cmd = _command()
