"""Events on the seed article (../shared; skipped without it). Checks what an analyst would
list; the mechanisms themselves are tested on our own sentences in test_events.py."""

from __future__ import annotations

from sitrep.records import Document, Event


def _who(doc: Document, value: str | list[str] | None) -> str:
    ids = [value] if isinstance(value, str) else list(value or [])
    parts = []
    for i in ids:
        actor = doc.actor(i)
        if actor is not None:
            parts.append(actor.name)
            parts.extend(m.text for m in actor.mentions)
    return " ".join(parts).lower()


def _find(doc: Document, etype: str, **want: object) -> list[Event]:
    return [e for e in doc.events if e.type == etype
            and all(getattr(e, k) == v for k, v in want.items())]  # fmt: skip


def test_drone_attack_with_273_drones(seed_doc):
    hits = [e for e in _find(seed_doc, "ASSAULT", mode="drone") if e.counts.get("drones") == 273]
    assert hits and hits[0].status == "occurred"


def test_kyiv_casualties_not_ages(seed_doc):
    hits = [e for e in _find(seed_doc, "ASSAULT")
            if e.counts.get("killed") == 1 and e.counts.get("injured") == 3]  # fmt: skip
    assert hits and hits[0].counts_qualifier.get("killed") == "at least"
    assert 4 not in hits[0].counts.values()  # "a 4-year-old baby girl" is an age


def test_sumy_bus_strike(seed_doc):
    hits = [e for e in _find(seed_doc, "ASSAULT") if e.counts.get("killed") == 9]
    assert hits and hits[0].counts.get("injured") == 4 and hits[0].mode == "drone"
    place = seed_doc.place(hits[0].place)
    assert place is not None and place.name.startswith("Sum")  # not merged into Kyiv


def test_trump_putin_call_is_planned_phone_consult(seed_doc):
    calls = [e for e in _find(seed_doc, "CONSULT", status="planned")
             if "trump" in _who(seed_doc, e.source) + _who(seed_doc, e.target)
             and "putin" in _who(seed_doc, e.source) + _who(seed_doc, e.target)]  # fmt: skip
    assert calls and calls[0].mode == "phone" and calls[0].date.start == "2025-05-19"


def test_rome_meeting_occurred(seed_doc):
    rome = [p.id for p in seed_doc.places if p.name == "Rome"]
    hits = [e for e in _find(seed_doc, "CONSULT", status="occurred") if e.place in rome]
    assert hits and "zelensk" in _who(seed_doc, hits[0].source)
    assert "rubio" in _who(seed_doc, hits[0].target)


def test_russia_rejects_ceasefire_request(seed_doc):
    assert any("russia" in _who(seed_doc, e.source) for e in _find(seed_doc, "REJECT"))


def test_zelensky_requests(seed_doc):
    assert any("zelensk" in _who(seed_doc, e.source) for e in _find(seed_doc, "REQUEST"))


def test_trump_threatens_sanctions(seed_doc):
    hits = [e for e in _find(seed_doc, "THREATEN") if "trump" in _who(seed_doc, e.source)]
    assert hits and hits[0].mode == "restrict"


def test_negated_events_are_not_reported_as_occurred(seed_doc):
    for e in seed_doc.events:
        sentence = e.evidence.text
        if "has not made new strict sanctions" in sentence and e.type == "SANCTION":
            assert e.status == "denied"
        if "never adhered" in sentence or "has not achieved" in sentence:
            assert e.status != "occurred" or e.type not in ("AGREE", "RETREAT")
    assert any(e.status == "denied" and e.type == "SANCTION" for e in seed_doc.events)
