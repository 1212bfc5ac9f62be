"""``sitrep eval events``: article-level event extraction against our own gold paragraphs.

Gold file (``tests/gold/events-gold.jsonl``): JSON Lines, one paragraph per line::

    {"id": "g01", "published": "2025-03-10", "text": "...",
     "events": [{"type": "ASSAULT", "trigger": "shelled", "status": "occurred",
                 "source": "Russian", "target": null, "counts": {"killed": 4},
                 "date": "2025-03-09", "mode": "heavy-weapons"}]}

``trigger`` is the (first occurrence of the) word or phrase that names the event; ``source``
and ``target`` are actor names (a list for several), ``null`` when not stated; ``counts``,
``date``, ``mode`` are optional and only scored where given.

Matching: a system event matches a gold event when the types are equal and the gold
trigger lies inside the system event's evidence sentence (or one of its further mentions);
each side matches at most once, nearest trigger first. Precision/recall/F1 are over events;
status, source, target, counts, date and mode accuracies are over matched pairs that have
the field in the gold. A name matches when it equals (case-insensitive, leading "the"
dropped) the actor's name or one of its mention texts, or its last word does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import Errors, SitrepError
from sitrep.records import PLOVER_TYPES, Document, Event

FIELDS = ("status", "source", "target", "counts", "date", "mode")


@dataclass(slots=True)
class GoldEvent:
    type: str
    start: int
    end: int
    data: dict


@dataclass(slots=True)
class GoldPara:
    id: str
    published: str | None
    text: str
    events: list[GoldEvent] = field(default_factory=list)


def load_gold(path: str | Path) -> list[GoldPara]:
    path = Path(path)
    if not path.is_file():
        raise SitrepError(Errors.E201, path=path, detail="no such file")
    paras = []
    for line, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            text = row["text"]
            events = []
            for g in row["events"]:
                if g["type"] not in PLOVER_TYPES:
                    raise ValueError(f"unknown type {g['type']!r}")
                start = text.find(g["trigger"])
                if start < 0:
                    raise ValueError(f"trigger {g['trigger']!r} not in text")
                events.append(GoldEvent(g["type"], start, start + len(g["trigger"]), g))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise SitrepError(Errors.E200, path=path, line=line, detail=str(err)) from None
        paras.append(GoldPara(str(row.get("id", line)), row.get("published"), text, events))
    if not paras:
        raise SitrepError(Errors.E201, path=path, detail="no paragraphs")
    return paras


def _norm(name: str) -> str:
    name = name.strip().lower()
    return name[4:] if name.startswith("the ") else name


def _names(doc: Document, value: str | list[str] | None) -> list[set[str]]:
    ids = [value] if isinstance(value, str) else list(value or [])
    out = []
    for i in ids:
        actor = doc.actor(i)
        if actor is None:
            continue
        names = {_norm(actor.name)} | {_norm(m.text) for m in actor.mentions}
        out.append(names)
    return out


def names_match(gold: str | list[str] | None, doc: Document, value: str | list[str] | None) -> bool:
    golds = [gold] if isinstance(gold, str) else list(gold or [])
    system = _names(doc, value)
    if not golds:
        return not system
    if len(system) != len(golds):
        return False
    for g in golds:
        g = _norm(g)
        last = g.split()[-1]
        if not any(
            g in names or any(n.split()[-1] == last for n in names if n) for names in system
        ):
            return False
    return True


def _spans(e: Event) -> list[tuple[int, int]]:
    return [(e.evidence.start, e.evidence.end)] + [(m.start, m.end) for m in e.mentions]


def _field_ok(name: str, gold: dict, e: Event, doc: Document) -> bool:
    if name == "status":
        return e.status == gold["status"]
    if name in ("source", "target"):
        return names_match(gold.get(name), doc, getattr(e, name))
    if name == "counts":
        return all(e.counts.get(k) == v for k, v in gold["counts"].items())
    if name == "date":
        return e.date is not None and e.date.start == gold["date"]
    return getattr(e, name) == gold[name]


def score(paras: list[GoldPara], docs: list[Document]) -> tuple[dict, list[str]]:
    tp = n_sys = n_gold = 0
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    notes: list[str] = []
    for para, doc in zip(paras, docs, strict=True):
        n_sys += len(doc.events)
        n_gold += len(para.events)
        used: set[str] = set()
        for g in para.events:
            cands = [e for e in doc.events if e.type == g.type and e.id not in used
                     and any(s <= g.start < t for s, t in _spans(e))]  # fmt: skip
            if not cands:
                notes.append(f"{para.id}: missed {g.type} {g.data['trigger']!r}")
                continue
            e = min(cands, key=lambda x: abs((x.trigger.start if x.trigger else 0) - g.start))
            used.add(e.id)
            tp += 1
            for f in FIELDS:
                if f in g.data or f in ("source", "target"):
                    if f in ("source", "target") and f not in g.data:
                        continue
                    total[f] += 1
                    if _field_ok(f, g.data, e, doc):
                        right[f] += 1
                    else:
                        notes.append(f"{para.id}: {g.type} {g.data['trigger']!r} {f}: gold "
                                     f"{g.data.get(f)!r} got {_show(f, e, doc)!r}")  # fmt: skip
        for e in doc.events:
            if e.id not in used:
                notes.append(
                    f"{para.id}: spurious {e.type} {e.trigger.text if e.trigger else ''!r} ({e.status})"
                )
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    scores = {
        "paragraphs": len(paras), "gold_events": n_gold, "system_events": n_sys, "matched": tp,
        "precision": round(p, 4), "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "accuracy": {f: (round(right[f] / total[f], 4) if total[f] else None) for f in FIELDS},
        "accuracy_n": total,
    }  # fmt: skip
    return scores, notes


def _show(name: str, e: Event, doc: Document) -> object:
    if name in ("source", "target"):
        return [sorted(n)[0] for n in _names(doc, getattr(e, name))] or None
    if name == "date":
        return e.date.start if e.date else None
    return getattr(e, name)


def evaluate(path: str | Path) -> tuple[dict, list[str]]:
    import sitrep

    paras = load_gold(path)
    docs = [sitrep.analyze(p.text, published=p.published, id=p.id) for p in paras]
    return score(paras, docs)


def format_scores(s: dict, title: str) -> str:
    acc = s["accuracy"]
    parts = [f"{title}: {s['paragraphs']} paragraphs, {s['gold_events']} gold events, "
             f"{s['system_events']} found, {s['matched']} matched",
             f"events P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"]  # fmt: skip
    parts.append(
        "accuracy on matched: "
        + "  ".join(
            f"{k} {v:.3f} (n={s['accuracy_n'][k]})" for k, v in acc.items() if v is not None
        )
    )
    return "\n".join(parts)
