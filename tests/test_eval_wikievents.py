"""sitrep eval wikievents: format reading, KAIROS mapping, scoring arithmetic, errors, CI gate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, shared_path

from sitrep.cli import main
from sitrep.errors import SitrepError
from sitrep.eval.wikievents import load_mapping, load_wikievents, plover_of, score
from sitrep.records import PLOVER_TYPES, Actor, ArticleMeta, Document, Event, Place, Span

BASELINE = json.loads((ROOT / "tests" / "baselines" / "wikievents.json").read_text())

# Our own article, in sentences (a headline without a full stop first).
SENTENCES = [
    "Bomb kills two soldiers in Marinka",
    "Rebels detonated a bomb near a checkpoint in Marinka on Tuesday.",
    "Two soldiers died and four were injured.",
    "The mayor said the town would stay calm.",
    "Police arrested a suspect on Wednesday.",
]


def _tokens(sentences: list[str]) -> tuple[list[list], list[str]]:
    """WikiEvents ``sentences`` with document character offsets (one-character gaps)."""
    out, flat, pos = [], [], 0
    for text in sentences:
        toks = [
            [m.group(), pos + m.start(), pos + m.end()] for m in re.finditer(r"\w+|[^\w\s]", text)
        ]
        out.append([toks, text])
        flat += [t[0] for t in toks]
        pos += len(text) + 1
    return out, flat


def _tok(flat: list[str], word: str, nth: int = 0) -> int:
    return [i for i, w in enumerate(flat) if w == word][nth]


def _row() -> dict:
    sents, flat = _tokens(SENTENCES)

    def ent(eid: str, word: str, etype: str, nth: int = 0) -> dict:
        i = _tok(flat, word, nth)
        return {"id": eid, "sent_idx": 0, "start": i, "end": i + 1, "entity_type": etype,
                "mention_type": "UNK", "text": word}  # fmt: skip

    def event(eid: str, etype: str, word: str, nth: int, args: list[tuple[str, str]]) -> dict:
        i = _tok(flat, word, nth)
        return {"id": eid, "event_type": etype,
                "trigger": {"start": i, "end": i + 1, "text": word, "sent_idx": 0},
                "arguments": [{"entity_id": a, "role": r, "text": ""} for a, r in args]}  # fmt: skip

    entities = [ent("T1", "Rebels", "ORG"), ent("T2", "Marinka", "GPE", 1),
                ent("T3", "soldiers", "PER", 1), ent("T4", "checkpoint", "FAC"),
                ent("T5", "suspect", "PER"), ent("T6", "Marinka", "GPE")]  # fmt: skip
    events = [
        event("E1", "Conflict.Attack.DetonateExplode", "detonated", 0,
              [("T1", "Attacker"), ("T4", "Target"), ("T2", "Place")]),
        event("E2", "Life.Die.Unspecified", "died", 0, [("T3", "Victim"), ("T2", "Place")]),
        event("E3", "Contact.Contact.Broadcast", "said", 0, []),
        event("E4", "Justice.ArrestJailDetain.Unspecified", "arrested", 0, [("T5", "Detainee")]),
    ]  # fmt: skip
    return {"doc_id": "own-1", "tokens": flat, "sentences": sents,
            "text": "".join(SENTENCES), "entity_mentions": entities,
            "relation_mentions": [], "event_mentions": events}  # fmt: skip


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _span(text: str, phrase: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(phrase, start, start + len(phrase))


def test_mapping_is_well_formed_and_longest_prefix_wins():
    rows = load_mapping()
    assert all(p is None or p in PLOVER_TYPES for _, p in rows)
    assert plover_of("Conflict.Attack.DetonateExplode") == "ASSAULT"
    assert plover_of("Life.Die.Unspecified") == "ASSAULT"
    assert plover_of("Justice.ArrestJailDetain.Unspecified") == "COERCE"
    assert plover_of("Contact.Contact.Meet") == "CONSULT"
    assert plover_of("Contact.Contact.Broadcast") is None  # statements are not events
    assert plover_of("ArtifactExistence.DamageDestroyDisableDismantle.Destroy") == "ASSAULT"
    assert plover_of("ArtifactExistence.DamageDestroyDisableDismantle.DisableDefuse") is None
    assert plover_of("Some.Unknown.Type") is None


def test_reads_text_offsets_and_arguments(tmp_path: Path):
    (art,) = load_wikievents(_write(tmp_path / "own.jsonl", [_row()]))
    assert art.text.startswith(SENTENCES[0] + "\n" + SENTENCES[1] + " ")  # headline: newline
    assert art.unscored == 1  # the Broadcast
    by_trigger = {g.trigger: g for g in art.events}
    assert set(by_trigger) == {"detonated", "died", "arrested"}
    g = by_trigger["detonated"]
    assert art.text[g.start : g.end] == "detonated" and g.type == "ASSAULT"
    assert "target" not in g.args  # a checkpoint (FAC) is not an actor sitrep could give
    # the named place stands for all same-name mentions (headline and sentence 2)
    assert len(g.args["place"][0]) == 2
    assert by_trigger["arrested"].args == {}  # arguments only for ASSAULT


def test_scoring_arithmetic(tmp_path: Path):
    (art,) = load_wikievents(_write(tmp_path / "own.jsonl", [_row()]))
    text = art.text
    s1, s2, s3 = (_span(text, SENTENCES[i]) for i in (1, 2, 3))
    rebels = Actor("A1", "Rebels", "group", mentions=[_span(text, "Rebels")])
    army = Actor("A2", "Ukrainian military", "military", mentions=[_span(text, "soldiers")])
    mayor = Actor("A3", "mayor", "person", mentions=[_span(text, "mayor")])
    marinka = Place("P1", "Marinka", "town", mentions=[_span(text, "Marinka", 1)])
    events = [
        # one event for the bombing and the deaths it caused (two gold mentions)
        Event("E1", "ASSAULT", s1, source="A1", target=None, place="P1",
              trigger=_span(text, "detonated"), mentions=[s2]),
        Event("E2", "REQUEST", s3, source="A3", trigger=_span(text, "said")),  # spurious
        Event("E3", "SUPPORT", s3),  # a type no KAIROS type maps to: not scored
    ]  # fmt: skip
    meta = ArticleMeta("own-1", None, None, None, None, "en", "x")
    doc = Document(meta, text, actors=[rebels, army, mayor], places=[marinka], events=events)
    s, notes = score([art], [doc])
    d = s.to_dict()
    assert d["per_type"]["ASSAULT"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                        "gold": 2, "system": 1}  # fmt: skip
    assert d["per_type"]["COERCE"]["recall"] == 0.0 and d["per_type"]["COERCE"]["gold"] == 1
    assert d["per_type"]["REQUEST"]["precision"] == 0.0
    assert (d["gold_events"], d["system_events"]) == (3, 2)
    assert (d["gold_unscored"], d["system_unscored"]) == (1, 1)
    assert (d["precision"], d["recall"]) == (0.5, pytest.approx(2 / 3, abs=1e-4))
    assert d["f1"] == pytest.approx(4 / 7, abs=1e-4)
    args = d["arguments"]
    assert args["source"] == {"accuracy": 1.0, "phrase_accuracy": 1.0, "right": 1,
                              "wrong": 0, "empty": 0}  # fmt: skip
    assert (args["target"]["accuracy"], args["target"]["empty"]) == (0.0, 1)  # died: victim
    assert (args["place"]["accuracy"], args["place"]["right"]) == (1.0, 2)
    assert any("missed COERCE" in n for n in notes)
    assert any("spurious REQUEST" in n for n in notes)


def test_bad_files_are_coded_errors(tmp_path: Path):
    bad = _write(tmp_path / "bad.jsonl", [_row()])
    bad.write_text(bad.read_text() + "{not json\n")
    with pytest.raises(SitrepError) as err:
        load_wikievents(bad)
    assert err.value.code == "E202" and "line 2" in err.value.message
    row = _row()
    del row["sentences"]
    with pytest.raises(SitrepError) as err:
        load_wikievents(_write(tmp_path / "nosent.jsonl", [row]))
    assert err.value.code == "E202" and "sentences" in err.value.message
    row = _row()
    row["event_mentions"][0]["arguments"][0]["entity_id"] = "T99"
    with pytest.raises(SitrepError) as err:
        load_wikievents(_write(tmp_path / "noent.jsonl", [row]))
    assert err.value.code == "E202" and "T99" in err.value.message
    with pytest.raises(SitrepError) as err:
        load_wikievents(tmp_path / "missing.jsonl")
    assert err.value.code == "E203"
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(SitrepError) as err:
        load_wikievents(tmp_path / "empty.jsonl")
    assert err.value.code == "E203"


def test_cli_one_line_error_and_json(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x", "sentences": [[[["a", 0, 5]], "a"]]}\n')
    result = CliRunner().invoke(main, ["eval", "wikievents", str(bad)])
    assert result.exit_code == 2, result.output
    assert "error[E202]" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    path = _write(tmp_path / "own.jsonl", [_row()])
    result = CliRunner().invoke(main, ["eval", "wikievents", str(path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["articles"] == 1 and scores["per_type"]["ASSAULT"]["gold"] == 2
    text = CliRunner().invoke(main, ["eval", "wikievents", str(path), "--misses"]).output
    assert "ASSAULT arguments" in text and "micro" in text


def test_wikievents_gate():
    """CI gate: scores on the WikiEvents dev set must not fall below the baseline."""
    from sitrep.eval.wikievents import evaluate

    path = shared_path("dev", "wikievents", "dev.jsonl")
    scores, _ = evaluate(path)
    got = scores.to_dict()
    tol = BASELINE["tolerance"]
    flat = {"micro_f1": got["f1"], "macro_f1": got["macro_f1"]}
    for name, value in got["per_type"]["ASSAULT"].items():
        flat[f"assault_{name}"] = value
    for name, value in got["arguments"].items():
        flat[f"{name}_accuracy"] = value["accuracy"]
    for name, floor in BASELINE["wikievents"].items():
        assert flat[name] is not None and flat[name] >= floor - tol, (
            f"{name}: {flat[name]} < baseline {floor}"
        )
