"""Validate output against the shipped ``sitrep/1`` JSON Schema, offsets included."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import jsonschema


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(resources.files("sitrep").joinpath("schema/sitrep-1.schema.json").read_text())


def check_offsets(data: dict[str, Any], text: str) -> list[str]:
    """Every span in the document must satisfy ``text[start:end] == span text``."""
    problems: list[str] = []

    def check(where: str, span: dict[str, Any]) -> None:
        if text[span["start"] : span["end"]] != span["text"]:
            problems.append(f"{where}: {span['text']!r} != text[{span['start']}:{span['end']}]")

    for kind in ("actors", "places"):
        for item in data[kind]:
            for m in item["mentions"]:
                check(f"{kind}.{item['id']}", m)
    for t in data["times"]:
        check("times", t)
    for n in data.get("numbers", []):
        check("numbers", n)
    for e in data["events"]:
        check(f"events.{e['id']}.evidence", e["evidence"])
        if e.get("trigger"):
            check(f"events.{e['id']}.trigger", e["trigger"])
        for m in e.get("mentions", []):
            check(f"events.{e['id']}.mentions", m)
    for q in data["quotes"]:
        check(f"quotes.{q['id']}", q)
    return problems


def validate_document(data: dict[str, Any], text: str | None = None) -> None:
    """Raise ``jsonschema.ValidationError`` or ``ValueError`` when ``data`` breaks the contract.

    References between records (event source/target/place ids, quote speakers) must exist.
    """
    jsonschema.validate(data, schema())
    actor_ids = {a["id"] for a in data["actors"]}
    place_ids = {p["id"] for p in data["places"]}
    problems = []
    for e in data["events"]:
        for role in ("source", "target"):
            ref = e[role]
            for ref_id in ref if isinstance(ref, list) else [ref] if ref else []:
                if ref_id not in actor_ids:
                    problems.append(f"event {e['id']} {role} {ref_id} is not an actor")
        if e["place"] is not None and e["place"] not in place_ids:
            problems.append(f"event {e['id']} place {e['place']} is not a place")
    for q in data["quotes"]:
        if q["speaker"] is not None and q["speaker"] not in actor_ids:
            problems.append(f"quote {q['id']} speaker {q['speaker']} is not an actor")
    if text is not None:
        problems += check_offsets(data, text)
    if problems:
        raise ValueError("; ".join(problems[:10]))
