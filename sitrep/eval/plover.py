"""``sitrep eval plover``: sentence-level PLOVER event coding against a gold JSONL file.

Gold file: JSON Lines, one sentence per line (the PLOVER gold-standard records shape)::

    {"id": "...", "text": "...", "gold": {"type": "AGREE", "mode": null,
     "source": [{"text": "Hungarian", "country": "HUN", "sector": "GOV"}, ...],
     "target": [...], ...}}

For each sentence sitrep's *most salient* event is compared with the gold event
(``sitrep.extract.events.salient_event``: the event whose trigger governs the others, i.e.
lies highest in the dependency tree, outside direct quotations; ties go to the one told
first, as wire copy puts the news before its context).
PLOVER codes a stated intention to cooperate ("will give", "offered to negotiate", "will
visit") as AGREE; sitrep keeps the intended act with status planned/proposed, so the
comparison maps planned/proposed SUPPORT, COOPERATE, AID, CONSULT, RETREAT and CONCEDE
to AGREE, and denied cooperative events ("did not accept", "has not agreed") to REJECT
(``plover_type``).

Scores: per-type precision, recall and F1 of the event type, macro-F1 over the types present
in the gold, type accuracy, and accuracy of the source and target country codes (the set of
ISO3 codes of the predicted actors equals the gold set; an actor with no country counts its
sector when that is IGO/NGO/IMG, as the gold does; sentences whose gold side is empty are not
counted for that side).

Halves: ``--half dev`` scores the even-numbered lines (1-based; the half rules were developed
on), ``--half heldout`` the odd-numbered ones, ``all`` both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import Errors, SitrepError
from sitrep.records import PLOVER_TYPES, Actor, Event

HALVES = ("all", "dev", "heldout")
_INTENT_AS_AGREE = frozenset({"SUPPORT", "COOPERATE", "AID", "CONSULT", "RETREAT", "CONCEDE"})
_ORG_SECTORS = frozenset({"IGO", "NGO", "IMG"})


@dataclass(slots=True)
class PloverItem:
    line: int
    id: str
    text: str
    type: str
    mode: str | None
    source: frozenset[str]
    target: frozenset[str]


@dataclass(slots=True)
class Prediction:
    type: str | None
    mode: str | None = None
    source: frozenset[str] = frozenset()
    target: frozenset[str] = frozenset()
    status: str | None = None


@dataclass(slots=True)
class PloverScores:
    n: int = 0
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    macro_f1: float = 0.0
    type_accuracy: float = 0.0
    source_accuracy: float = 0.0
    source_n: int = 0
    target_accuracy: float = 0.0
    target_n: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n, "macro_f1": round(self.macro_f1, 4),
            "type_accuracy": round(self.type_accuracy, 4),
            "source_accuracy": round(self.source_accuracy, 4), "source_n": self.source_n,
            "target_accuracy": round(self.target_accuracy, 4), "target_n": self.target_n,
            "per_type": self.per_type,
        }  # fmt: skip


def _countries(side: object, path: Path, line: int) -> frozenset[str]:
    if side is None:
        return frozenset()
    if not isinstance(side, list):
        raise SitrepError(Errors.E200, path=path, line=line, detail="source/target must be a list")
    return frozenset(str(s["country"]) for s in side if isinstance(s, dict) and s.get("country"))


def load_plover(path: str | Path, half: str = "all") -> list[PloverItem]:
    """Read a PLOVER gold JSONL file (raises SitrepError E200/E201 on bad input)."""
    path = Path(path)
    if not path.is_file():
        raise SitrepError(Errors.E201, path=path, detail="no such file")
    if half not in HALVES:
        raise SitrepError(Errors.E201, path=path, detail=f"unknown half {half!r}")
    items = []
    for line, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            gold = row["gold"]
            text, etype = row["text"], gold["type"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise SitrepError(
                Errors.E200, path=path, line=line, detail=f"{type(err).__name__}: {err}"
            ) from None
        if etype not in PLOVER_TYPES:
            raise SitrepError(Errors.E200, path=path, line=line, detail=f"unknown type {etype!r}")
        if half == "dev" and line % 2 == 1 or half == "heldout" and line % 2 == 0:
            continue
        items.append(PloverItem(
            line, str(row.get("id", line)), text, etype, gold.get("mode"),
            _countries(gold.get("source"), path, line), _countries(gold.get("target"), path, line),
        ))  # fmt: skip
    if not items:
        raise SitrepError(Errors.E201, path=path, detail=f"no sentences in half {half!r}")
    return items


def plover_type(event: Event) -> str:
    """The PLOVER category of an event as the gold standard codes it (intent -> AGREE)."""
    if event.status in ("planned", "proposed") and event.type in _INTENT_AS_AGREE:
        return "AGREE"
    if event.status == "denied" and (event.type in _INTENT_AS_AGREE or event.type == "AGREE"):
        return "REJECT"  # PLOVER codes declining to cooperate as REJECT
    return event.type


def actor_country(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    if actor.country:
        return actor.country
    return actor.sector if actor.sector in _ORG_SECTORS else None


def _side(value: str | list[str] | None, actors: dict[str, Actor]) -> frozenset[str]:
    ids = [value] if isinstance(value, str) else list(value or [])
    return frozenset(c for i in ids if (c := actor_country(actors.get(i))))


def predict(items: list[PloverItem]) -> list[Prediction]:
    """Run the pipeline over every sentence and keep its most salient event."""
    from sitrep.extract.events import salient_event
    from sitrep.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    out = []
    for doc in nlp.pipe((it.text for it in items), batch_size=64):
        event = salient_event(doc)
        if event is None:
            out.append(Prediction(None))
            continue
        actors = {a.id: a for a in doc._.sitrep_actors or []}
        out.append(Prediction(plover_type(event), event.mode, _side(event.source, actors),
                              _side(event.target, actors), event.status))  # fmt: skip
    return out


def score(items: list[PloverItem], preds: list[Prediction]) -> PloverScores:
    s = PloverScores(n=len(items))
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    src_ok = tgt_ok = 0
    for item, pred in zip(items, preds, strict=True):
        row = s.confusion.setdefault(item.type, {})
        row[pred.type or "-"] = row.get(pred.type or "-", 0) + 1
        if pred.type == item.type:
            tp[item.type] = tp.get(item.type, 0) + 1
        else:
            fn[item.type] = fn.get(item.type, 0) + 1
            if pred.type:
                fp[pred.type] = fp.get(pred.type, 0) + 1
        if item.source:
            s.source_n += 1
            src_ok += pred.source == item.source
        if item.target:
            s.target_n += 1
            tgt_ok += pred.target == item.target
    f1s = []
    for t in PLOVER_TYPES:
        t_tp, t_fp, t_fn = tp.get(t, 0), fp.get(t, 0), fn.get(t, 0)
        if t_tp + t_fn == 0 and t_fp == 0:
            continue
        p = t_tp / (t_tp + t_fp) if t_tp + t_fp else 0.0
        r = t_tp / (t_tp + t_fn) if t_tp + t_fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        s.per_type[t] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                         "support": t_tp + t_fn}  # fmt: skip
        if t_tp + t_fn:
            f1s.append(f)
    s.macro_f1 = sum(f1s) / len(f1s) if f1s else 0.0
    s.type_accuracy = sum(tp.values()) / s.n if s.n else 0.0
    s.source_accuracy = src_ok / s.source_n if s.source_n else 0.0
    s.target_accuracy = tgt_ok / s.target_n if s.target_n else 0.0
    return s


def evaluate(path: str | Path, half: str = "all") -> tuple[PloverScores, list[str]]:
    """Score a file; also returns one line per wrong type, for error analysis."""
    items = load_plover(path, half)
    preds = predict(items)
    misses = [
        f"{it.line}: gold {it.type} got {p.type} ({p.status}): {it.text[:100]}"
        for it, p in zip(items, preds, strict=True)
        if p.type != it.type
    ]
    return score(items, preds), misses


def format_scores(s: PloverScores, title: str) -> str:
    lines = [f"{title}: {s.n} sentences",
             f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}"]  # fmt: skip
    for t, m in s.per_type.items():
        lines.append(f"{t:<10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} "
                     f"{int(m['support']):4d}")  # fmt: skip
    lines.append(f"macro-F1 {s.macro_f1:.3f}   type accuracy {s.type_accuracy:.3f}")
    lines.append(f"source country accuracy {s.source_accuracy:.3f} (n={s.source_n})   "
                 f"target country accuracy {s.target_accuracy:.3f} (n={s.target_n})")  # fmt: skip
    return "\n".join(lines)
