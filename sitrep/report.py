"""Render a ``Document`` as a readable terminal report (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitrep.records import Document, Span


def _sentence(doc: Document, start: int, end: int, width: int = 160) -> str:
    """The sentence-ish context around a span, trimmed to ``width`` characters."""
    left = max(doc.text.rfind("\n", 0, start), doc.text.rfind(". ", 0, start) + 1, 0)
    right_candidates = [i for i in (doc.text.find(". ", end), doc.text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(doc.text)
    snippet = " ".join(doc.text[left:right].split())
    return snippet if len(snippet) <= width else snippet[: width - 1] + "…"


def _ids_to_names(doc: Document, ref: str | list[str] | None) -> str:
    if ref is None:
        return "—"
    ids = ref if isinstance(ref, list) else [ref]
    return ", ".join((a.name if (a := doc.actor(i)) else i) for i in ids)


def _first(mentions: list[Span]) -> Span | None:
    return mentions[0] if mentions else None


def render_report(doc: Document, console: Console) -> None:
    a = doc.article
    head = a.title or a.id or "article"
    console.rule(f"[bold]{escape(head)}[/bold]")
    console.print(
        f"published {a.published or 'unknown'} · source {escape(a.source or '—')} · "
        f"sha256 {a.sha256[:12]} · {len(doc.text)} chars"
    )

    t = Table(title=f"Events ({len(doc.events)})", show_lines=True, expand=True)
    t.add_column("event", overflow="fold", ratio=2)
    t.add_column("who → whom, when, where, counts", overflow="fold", ratio=3)
    t.add_column("evidence", overflow="fold", ratio=5)
    for e in doc.events:
        place = doc.place(e.place)
        counts = ", ".join(
            f"{e.counts_qualifier.get(k, '')} {v} {k}".strip() for k, v in e.counts.items()
        )
        when = "date ?"
        if e.date:
            when = e.date.start or "date ?"
            if e.date.end and e.date.end != e.date.start:
                when += f"…{e.date.end}"
            if e.date.inferred:
                when += " (publication)"
        facts = [
            f"{escape(_ids_to_names(doc, e.source))} → {escape(_ids_to_names(doc, e.target))}",
            when,
        ]
        if place:
            facts.append(f"in {escape(place.name)}")
        if counts:
            facts.append(counts)
        head = f"[bold]{e.type}[/bold]" + (f"/{e.mode}" if e.mode else "")
        status = e.status if e.status == "occurred" else f"[yellow]{e.status}[/yellow]"
        evidence = " ".join(e.evidence.text.split())  # the sentence that states the event
        evidence = evidence if len(evidence) <= 220 else evidence[:219] + "…"
        if e.mentions:
            evidence += f"  [+{len(e.mentions)} more mention{'s' if len(e.mentions) > 1 else ''}]"
        t.add_row(f"{head}\n{status}", "\n".join(facts), escape(evidence))
    console.print(t)

    t = Table(title=f"Quotes ({len(doc.quotes)})", show_lines=True, expand=True)
    for col in ("speaker", "kind", "quote", "cue"):
        t.add_column(col, overflow="fold")
    for q in doc.quotes:
        speaker = doc.actor(q.speaker)
        t.add_row(escape(speaker.name) if speaker else "—", q.kind, escape(q.text), q.cue or "—")
    console.print(t)

    t = Table(title=f"Actors ({len(doc.actors)})", expand=True)
    for col in ("name", "kind", "country", "sector", "role", "mentions", "first seen"):
        t.add_column(col, overflow="fold")
    for x in doc.actors:
        first = _first(x.mentions)
        t.add_row(
            escape(x.name), x.kind, x.country or "—", x.sector or "—", escape(x.role or "—"),
            escape(", ".join(sorted({m.text for m in x.mentions}))),
            escape(_sentence(doc, first.start, first.end, 100)) if first else "—",
        )  # fmt: skip
    console.print(t)

    t = Table(title=f"Places ({len(doc.places)})", expand=True)
    for col in ("name", "kind", "country", "admin1", "lat, lon", "geonames", "mentions"):
        t.add_column(col, overflow="fold")
    for p in doc.places:
        coords = f"{p.lat:.3f}, {p.lon:.3f}" if p.lat is not None and p.lon is not None else "—"
        t.add_row(
            escape(p.name), p.kind, p.country or "—", escape(p.admin1 or "—"), coords,
            str(p.geonames_id or "—"), escape(", ".join(sorted({m.text for m in p.mentions}))),
        )  # fmt: skip
    console.print(t)

    t = Table(title=f"Times ({len(doc.times)})", expand=True)
    for col in ("expression", "value", "granularity", "context"):
        t.add_column(col, overflow="fold")
    for x in doc.times:
        value = x.value if isinstance(x.value, str) or x.value is None else (
            f"{x.value.get('start')}…{x.value.get('end')}")  # fmt: skip
        t.add_row(escape(x.text), str(value or "—"), x.granularity,
                  escape(_sentence(doc, x.start, x.end, 100)))  # fmt: skip
    console.print(t)

    t = Table(title=f"Numbers ({len(doc.numbers)})", expand=True)
    for col in ("text", "value", "counts", "context"):
        t.add_column(col, overflow="fold")
    for n in doc.numbers:
        value = int(n.value) if float(n.value).is_integer() else n.value
        t.add_row(escape(n.text), str(value), f"{n.qualifier or ''} {n.unit or '—'}".strip(),
                  escape(_sentence(doc, n.start, n.end, 100)))  # fmt: skip
    console.print(t)
