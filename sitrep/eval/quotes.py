"""``sitrep eval quotes``: precision and recall of quote spans, speaker and kind accuracy.

Gold file: JSON Lines, one paragraph or article per line::

    {"id": "d01", "split": "dev", "text": "...",
     "quotes": [{"text": "...", "kind": "direct", "speaker": "Marco Rubio",
                 "cue": "said", "channel": null}],
     "scare": ["basic causes"]}

A gold quote's span is the first occurrence of its ``text`` in ``text`` (or ``start`` when
given). ``scare`` lists quoted terms that must not come out as quotes.

Matching rule: a system quote and a gold quote match *exactly* when their character spans are
equal, and *by overlap* when the overlap is at least half of their union (character Jaccard
>= 0.5); each quote matches at most one other, best overlap first. Speaker accuracy is over
overlap-matched pairs: correct when both have no speaker, or the system's actor has the gold
name as its name or one of its mention texts (case-insensitive, a leading "the" ignored), or,
for a person, the same last word ("Rubio" = "Marco Rubio"); a quote whose speaker resolved to
no actor is correct when its ``speaker_text`` is the gold name ("regional officials").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import Errors, SitrepError
from sitrep.records import Document, Quote

SPLITS = ("dev", "heldout", "test", "test2", "all")
DEFAULT_GOLD = Path("tests/gold/quotes-gold.jsonl")
KINDS = ("direct", "partial", "indirect")


@dataclass(slots=True)
class GoldQuote:
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    cue: str | None = None
    channel: str | None = None


@dataclass(slots=True)
class GoldDoc:
    id: str
    split: str
    text: str
    quotes: list[GoldQuote]
    scare: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Counts:
    gold: int = 0
    system: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_ok: int = 0
    kind_ok: int = 0
    scare_leaks: int = 0
    scare_total: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _prf(hit: int, system: int, gold: int) -> dict[str, float]:
    p = hit / system if system else 0.0
    r = hit / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def summarize(c: Counts) -> dict[str, object]:
    return {
        "gold": c.gold,
        "system": c.system,
        "exact": _prf(c.exact, c.system, c.gold),
        "overlap": _prf(c.overlap, c.system, c.gold),
        "speaker_accuracy": round(c.speaker_ok / c.overlap, 4) if c.overlap else 0.0,
        "kind_accuracy": round(c.kind_ok / c.overlap, 4) if c.overlap else 0.0,
        "scare_leaks": c.scare_leaks,
        "scare_total": c.scare_total,
    }


def _find(text: str, needle: str, path: Path, line: int) -> tuple[int, int]:
    i = text.find(needle)
    if not needle or i < 0:
        raise SitrepError(Errors.E250, path=path, line=line,
                          detail=f"quote text not found in the text: {needle[:40]!r}")  # fmt: skip
    return i, i + len(needle)


def load_gold(path: str | Path) -> list[GoldDoc]:
    path = Path(path)
    if not path.is_file():
        raise SitrepError(Errors.E040, path=path, detail="no such file")
    docs = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as err:
            raise SitrepError(
                Errors.E250, path=path, line=n, detail=f"not JSON ({err.msg})"
            ) from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise SitrepError(Errors.E250, path=path, line=n, detail="needs a 'text' string")
        text = item["text"]
        quotes = []
        for q in item.get("quotes") or []:
            if not isinstance(q, dict) or q.get("kind") not in KINDS:
                raise SitrepError(Errors.E250, path=path, line=n,
                                  detail=f"each quote needs 'text' and a kind in {KINDS}")  # fmt: skip
            if isinstance(q.get("start"), int):
                s = q["start"]
                e = s + len(q["text"])
                if text[s:e] != q["text"]:
                    raise SitrepError(Errors.E250, path=path, line=n,
                                      detail=f"text at start {s} is not {q['text'][:40]!r}")  # fmt: skip
            else:
                s, e = _find(text, q.get("text") or "", path, n)
            quotes.append(GoldQuote(s, e, q["text"], q["kind"], q.get("speaker"),
                                    q.get("cue"), q.get("channel")))  # fmt: skip
        scare = [_find(text, s, path, n) for s in item.get("scare") or []]
        docs.append(GoldDoc(str(item.get("id", n)), str(item.get("split", "dev")), text,
                            quotes, scare))  # fmt: skip
    return docs


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def _norm(name: str) -> str:
    name = " ".join(name.lower().replace("’", "'").split())
    return name.removeprefix("the ").strip(" .,")


def speaker_matches(gold: str | None, quote: Quote, doc: Document) -> bool:
    if gold is None:
        return quote.speaker is None
    g = _norm(gold)
    if quote.speaker is None:
        return quote.speaker_text is not None and _norm(quote.speaker_text) == g
    actor = doc.actor(quote.speaker)
    if actor is None:
        return False
    names = {_norm(actor.name)} | {_norm(m.text) for m in actor.mentions}
    if g in names:
        return True
    return actor.kind == "person" and g.split()[-1:] == _norm(actor.name).split()[-1:]


def match(gold: list[GoldQuote], system: list[Quote]) -> list[tuple[int, int]]:
    """One-to-one overlap matches (gold index, system index), best overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            j = _jaccard((g.start, g.end), (s.start, s.end))
            if j >= 0.5:
                pairs.append((j, gi, si))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_g, used_s, out = set(), set(), []
    for _, gi, si in pairs:
        if gi not in used_g and si not in used_s:
            used_g.add(gi)
            used_s.add(si)
            out.append((gi, si))
    return out


def score_doc(gold: GoldDoc, doc: Document) -> tuple[Counts, list[str]]:
    """Counts for one document and readable lines about each miss."""
    c = Counts(gold=len(gold.quotes), system=len(doc.quotes), scare_total=len(gold.scare))
    notes = []
    gspans = {(g.start, g.end) for g in gold.quotes}
    c.exact = sum(1 for q in doc.quotes if (q.start, q.end) in gspans)
    matched = match(gold.quotes, doc.quotes)
    c.overlap = len(matched)
    for gi, si in matched:
        g, q = gold.quotes[gi], doc.quotes[si]
        if speaker_matches(g.speaker, q, doc):
            c.speaker_ok += 1
        else:
            actor = doc.actor(q.speaker)
            got = actor.name if actor else q.speaker_text
            notes.append(f"{gold.id}: speaker {got!r} "
                         f"for {g.speaker!r}: {g.text[:60]!r}")  # fmt: skip
        if (g.start, g.end) != (q.start, q.end):
            notes.append(f"{gold.id}: span {q.text[:70]!r} for {g.text[:70]!r}")
        if g.kind == q.kind:
            c.kind_ok += 1
        else:
            notes.append(f"{gold.id}: kind {q.kind} for {g.kind}: {g.text[:60]!r}")
    hit_g = {gi for gi, _ in matched}
    hit_s = {si for _, si in matched}
    for gi, g in enumerate(gold.quotes):
        if gi not in hit_g:
            notes.append(f"{gold.id}: missed {g.kind} {g.text[:70]!r}")
    for si, q in enumerate(doc.quotes):
        if si not in hit_s:
            notes.append(f"{gold.id}: extra {q.kind} {q.text[:70]!r}")
        if any(_jaccard((s, e), (q.start, q.end)) > 0 for s, e in gold.scare):
            c.scare_leaks += 1
    return c, notes


def evaluate(path: str | Path, split: str = "all") -> tuple[dict[str, object], list[str]]:
    """Scores per split (``dev``, ``heldout``, ``all``) and notes on every miss."""
    from sitrep.analyze import analyze_many
    from sitrep.config import Config
    from sitrep.ingest.readers import RawArticle

    gold = [g for g in load_gold(path) if split == "all" or g.split == split]
    if not gold:
        raise SitrepError(Errors.E251, path=path, split=split)
    raws: Iterable[RawArticle] = (
        RawArticle(
            text=g.text, origin=g.id, id=g.id, title=None, published=None, source=None, url=None
        )  # fmt: skip
        for g in gold
    )
    totals = {name: Counts() for name in SPLITS}
    notes: list[str] = []
    config = Config(check_language=False)
    for g, result in zip(gold, analyze_many(raws, config), strict=True):
        if not isinstance(result, Document):
            raise result
        c, doc_notes = score_doc(g, result)
        notes.extend(doc_notes)
        totals[g.split if g.split in totals else "dev"].add(c)
        totals["all"].add(c)
    report = {name: summarize(c) for name, c in totals.items() if c.gold or c.system}
    return report, notes


def format_report(report: dict[str, object], path: str | Path) -> str:
    lines = [f"quotes: {path}"]
    head = f"{'split':<8} {'gold':>4} {'sys':>4}  {'exact P/R/F1':>20}  {'overlap P/R/F1':>20}"
    lines.append(head + f"  {'speaker':>7}  {'kind':>5}  scare leaks")
    for name, r in report.items():
        assert isinstance(r, dict)
        ex, ov = r["exact"], r["overlap"]
        lines.append(
            f"{name:<8} {r['gold']:>4} {r['system']:>4}  "
            f"{ex['precision']:.3f}/{ex['recall']:.3f}/{ex['f1']:.3f}  "
            f"{ov['precision']:.3f}/{ov['recall']:.3f}/{ov['f1']:.3f}  "
            f"{r['speaker_accuracy']:>7.3f}  {r['kind_accuracy']:>5.3f}  "
            f"{r['scare_leaks']}/{r['scare_total']}"
        )
    lines.append(
        "exact: same character span; overlap: character Jaccard >= 0.5, one-to-one; "
        "speaker and kind accuracy over overlap matches"
    )
    return "\n".join(lines)


def _command():  # noqa: ANN202 - click command, built lazily so click stays a CLI concern
    import click

    @click.command("quotes")
    @click.argument("path", type=click.Path(path_type=Path), default=DEFAULT_GOLD)
    @click.option("--split", type=click.Choice(SPLITS), default="all", show_default=True,
                  help="Score only the dev part, the held-out part, or all.")  # fmt: skip
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
    @click.option("--errors", "show_errors", type=int, default=0,
                  help="Also list the first N misses, extras and wrong speakers.")  # fmt: skip
    def quotes_cmd(path: Path, split: str, fmt: str, show_errors: int) -> None:
        """Quote extraction: precision and recall of quote spans (exact and overlap) and
        speaker accuracy, on a gold JSONL file (default tests/gold/quotes-gold.jsonl)."""
        report, notes = evaluate(path, split)
        if fmt == "json":
            click.echo(json.dumps(report, indent=2))
        else:
            click.echo(format_report(report, path))
        for note in notes[:show_errors]:
            click.echo(note)

    return quotes_cmd


quotes_cmd = _command()
