"""Quote extraction: marks and their repair, direct/partial/indirect speech, speakers."""

from __future__ import annotations

import pytest

import sitrep
from sitrep.config import Config
from sitrep.eval.quotes import speaker_matches
from sitrep.extract.quote_marks import find_quoted_spans
from sitrep.extract.quote_single import find_spans, single_candidates
from sitrep.records import Document, Quote
from tests.conftest import shared_path

L, R = "\u201c", "\u201d"
CONFIG = Config(check_language=False)


def spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quoted_spans(text)]


def analyze(text: str) -> Document:
    doc = sitrep.analyze(text, config=CONFIG)
    for q in doc.quotes:
        assert doc.text[q.start : q.end] == q.text
    return doc


def speaker(doc: Document, quote: Quote) -> str | None:
    actor = doc.actor(quote.speaker)
    return actor.name if actor else None


def find(doc: Document, fragment: str) -> Quote:
    hits = [q for q in doc.quotes if fragment in q.text]
    assert hits, f"no quote with {fragment!r} in {[q.text for q in doc.quotes]}"
    return min(hits, key=lambda q: len(q.text))


# --- quote marks -----------------------------------------------------------------------------


def test_straight_and_curly_marks() -> None:
    assert spans('"We will win," he said.') == ["We will win"]
    assert spans(f"{L}We will win,{R} he said.") == ["We will win"]


def test_single_quotes_inside_are_text() -> None:
    text = "\"When they say 'peace', they mean surrender,\" she said."
    assert spans(text) == ["When they say 'peace', they mean surrender"]


def test_stray_closing_marks_extend_the_quote() -> None:
    # machine translation moved the marks of an inner quote: one quote, not two
    text = f"{L}They want the plan to{R} talks first and truce later {L}.{R}"
    assert spans(text) == [f"They want the plan to{R} talks first and truce later {L}."]


def test_stray_mark_does_not_cross_an_attribution() -> None:
    text = f"{L}No,{R} she said. It was over{R} and done."
    assert spans(text) == ["No"]


def test_quote_over_two_paragraphs() -> None:
    text = '"First part of it.\n\n"Second part," he said.\n\nNext story.'
    assert spans(text) == ['First part of it.\n\n"Second part']


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = '"It never closes.\n\nA new paragraph without marks.'
    assert spans(text) == ["It never closes."]


def test_hard_wrapped_lines_are_not_paragraphs() -> None:
    text = 'Intro line.\n"The critical problem will be\nturning a profit," he said.'
    assert spans(text) == ["The critical problem will be\nturning a profit"]
    doc = analyze("Analyst Jane Roe spoke.\n" + text)
    assert [q.cue for q in doc.quotes if q.kind == "direct"] == ["said"]


def test_quote_cut_by_a_false_paragraph_break_is_mended() -> None:
    text = 'He spoke.\n"We will win.\nAnd then we go," he said.\nNext.'
    assert spans(text) == ["We will win.\nAnd then we go"]


def test_punctuation_only_quote_is_dropped() -> None:
    assert spans('He said "." and left.') == []


# --- extraction -----------------------------------------------------------------------------

WIRE = (
    "Finnish President Alexander Stubb spoke with reporters in Helsinki on Monday. "
    f"{L}Nobody should be naive about this offer,{R} he said. {L}We have seen it before.{R}\n\n"
    'Kremlin spokesman Dmitry Peskov said: "The proposal is not serious."\n\n'
    f"{L}The talks are stuck,{R} said political analyst Anna Berg, {L}and both sides know it.{R}\n\n"
    f"Polish Prime Minister Donald Tusk spoke of a {L}dark day{R} for Europe. Russia insists on "
    f"removing the so-called {L}root causes{R} of the war.\n\n"
    "Norwegian Foreign Minister Espen Barth Eide said that Oslo would send more aid. "
    "According to local officials, two people were wounded in the attack.\n\n"
    f"{L}We will respond,{R} the governor, Oleh Kiper, wrote on Telegram."
)


@pytest.fixture(scope="module")
def wire() -> Document:
    return analyze(WIRE)


def test_direct_with_pronoun_cue_after(wire: Document) -> None:
    q = find(wire, "Nobody should be naive")
    assert (q.kind, q.cue, speaker(wire, q)) == ("direct", "said", "Alexander Stubb")


def test_unattributed_follow_on_keeps_the_speaker(wire: Document) -> None:
    q = find(wire, "We have seen it before.")
    assert q.kind == "direct" and speaker(wire, q) == "Alexander Stubb"


def test_cue_before_with_colon(wire: Document) -> None:
    q = find(wire, "The proposal is not serious.")
    assert (q.kind, q.cue, speaker(wire, q)) == ("direct", "said", "Dmitry Peskov")


def test_split_quote_gives_two_quotes_with_one_speaker(wire: Document) -> None:
    a, b = find(wire, "The talks are stuck"), find(wire, "and both sides know it.")
    assert a.text == "The talks are stuck" and b.text == "and both sides know it."
    assert speaker(wire, a) == speaker(wire, b) == "Anna Berg"


def test_partial_quote_goes_to_the_subject(wire: Document) -> None:
    q = find(wire, "dark day")
    assert (q.text, q.kind, speaker(wire, q)) == ("dark day", "partial", "Donald Tusk")


def test_scare_quotes_are_not_quotes(wire: Document) -> None:
    assert not any("root causes" in q.text for q in wire.quotes)


def test_indirect_that_clause(wire: Document) -> None:
    q = find(wire, "Oslo would send more aid")
    assert q.text == "Oslo would send more aid"
    assert (q.kind, q.cue) == ("indirect", "said")
    assert speaker(wire, q) == "Espen Barth Eide"


def test_according_to(wire: Document) -> None:
    q = find(wire, "two people were wounded")
    assert (q.text, q.kind, q.cue) == ("two people were wounded in the attack", "indirect",
                                       "according to")  # fmt: skip
    assert q.speaker_text == "local officials"


def test_channel_and_appositive_speaker(wire: Document) -> None:
    q = find(wire, "We will respond")
    assert (q.channel, q.cue, speaker(wire, q)) == ("Telegram", "wrote", "Oleh Kiper")


def test_quotes_are_in_text_order_with_ids(wire: Document) -> None:
    starts = [q.start for q in wire.quotes]
    assert starts == sorted(starts)
    assert [q.id for q in wire.quotes] == [f"Q{n}" for n in range(1, len(wire.quotes) + 1)]


def test_no_quotes_in_plain_text() -> None:
    assert analyze("The river flooded three villages on Tuesday.").quotes == []


def test_example_article(example_doc: Document) -> None:
    q = find(example_doc, "This is how Moscow answers")
    assert speaker(example_doc, q) == "Volodymyr Zelensky" or q.speaker_text is not None
    assert q.channel == "video address"
    for q in example_doc.quotes:
        assert example_doc.text[q.start : q.end] == q.text


# --- the seed article (skipped without ../shared) ----------------------------------------------


def test_seed_quotes_have_the_right_speakers(seed_doc: Document) -> None:
    shared_path("corpus", "seed", "seed-article.txt")
    expect = {
        "I hope it is a productive day": ("Trump", "direct"),
        "good meeting": ("Zelenski", "partial"),
        "We are trying to achieve peace": ("Rubio", "direct"),
        "A measure of patience is required.": ("Rubio", "direct"),
        "not completely waste": ("Rubio", "partial"),
        "Putin seeks to delay the process": ("Kochnikov", "direct"),
        "Putin will try to convince Trump": ("Kochnikov", "direct"),
        "It is obvious that Putin wants": ("Green", "direct"),
        "A possible financial agreement": ("Kolesnikov", "direct"),
    }
    for fragment, (who, kind) in expect.items():
        q = find(seed_doc, fragment)
        assert speaker_matches(who, q, seed_doc), (fragment, speaker(seed_doc, q))
        assert q.kind == kind, (fragment, q.kind)
    trump = find(seed_doc, "I hope it is a productive day")
    assert (trump.cue, trump.channel) == ("wrote", "Truth Social")


def test_seed_broken_marks_make_one_quote(seed_doc: Document) -> None:
    shared_path("corpus", "seed", "seed-article.txt")
    q = find(seed_doc, "Putin will try to convince Trump")
    assert "cease fire first and then negotiations" in q.text


def test_seed_scare_quotes_get_no_speaker(seed_doc: Document) -> None:
    shared_path("corpus", "seed", "seed-article.txt")
    for term in ("basic causes", "war machine"):
        assert not any(term in q.text for q in seed_doc.quotes), term


# --- single quotation marks (British style) ---------------------------------------------------
# Our own paragraphs. LS/RS: left and right single quotation marks (RS is also the apostrophe).

LS, RS = "\u2018", "\u2019"


def all_spans(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_spans(text)]


def test_apostrophes_never_open_or_close_a_quote() -> None:
    text = (
        "The students' union said Kyiv's allies don't meet until nine o'clock. Ma'alot was "
        f"attacked in the '70s, when rock 'n' roll ruled; the teachers{RS} union met in the "
        f"{RS}90s. The 'Ndrangheta denied it. Fans of 'em said it's the workers' turn."
    )
    assert single_candidates(text) == []
    assert all(q.kind == "indirect" for q in analyze(text).quotes)


def test_british_quote_with_cue_after() -> None:
    doc = analyze(f"{LS}We will not give up an inch,{RS} the defence minister, Anna Moss, said.")
    q = find(doc, "give up an inch")
    assert (q.text, q.kind, q.cue, speaker(doc, q)) == (
        "We will not give up an inch", "direct", "said", "Anna Moss")  # fmt: skip


def test_quote_split_by_attribution_in_straight_single_marks() -> None:
    doc = analyze("'We are ready,' Home Secretary Tom Hale said, 'but not at any price.'")
    a, b = find(doc, "We are ready"), find(doc, "not at any price")
    assert (a.text, b.text) == ("We are ready", "but not at any price.")
    assert speaker(doc, a) == speaker(doc, b) == "Tom Hale"
    assert a.cue == b.cue == "said"


def test_apostrophes_inside_a_british_quote() -> None:
    text = (
        f"Organiser Sean Moran said: {LS}We won{RS}t stop. It{RS}s the workers{RS}, not the "
        f"bosses{RS}, call, and rock 'n' roll is back like the {RS}90s at ten o{RS}clock.{RS}"
    )
    doc = analyze(text)
    q = find(doc, "stop")
    assert q.text == text[text.index(LS) + 1 : -1]
    assert speaker_matches("Sean Moran", q, doc)


def test_plural_possessive_is_no_closing_mark() -> None:
    text = f"{LS}The students{RS} union will fight on,{RS} said its president, Amy Clarke."
    assert all_spans(text) == [f"The students{RS} union will fight on"]


def test_double_quotes_nested_in_a_british_quote() -> None:
    doc = analyze(
        f"MP Ruth Carver told the Commons: {LS}When the Kremlin says {L}peace{R}, it means "
        f"surrender.{RS} She sat down."
    )
    assert [q.text for q in doc.quotes if q.kind != "indirect"] == [
        f"When the Kremlin says {L}peace{R}, it means surrender."
    ]
    assert speaker(doc, doc.quotes[0]) == "Ruth Carver"


def test_single_quotes_nested_in_a_us_quote_stay_text() -> None:
    text = "\"They don't want the 'new reality' of the '90s back,\" said analyst Ian Ross."
    doc = analyze(text)
    assert [q.text for q in doc.quotes] == ["They don't want the 'new reality' of the '90s back"]


def test_british_quote_over_two_paragraphs() -> None:
    text = (
        "The mayor, Ihor Bell, described the night on Telegram.\n\n"
        f"{LS}Three drones struck a block of flats. Rescuers are still searching.\n\n"
        f"{LS}Our children slept in the metro again,{RS} Bell wrote."
    )
    doc = analyze(text)
    q = find(doc, "Three drones")
    assert q.text.endswith("slept in the metro again") and f"\n\n{LS}Our" in q.text
    assert (q.cue, q.channel, speaker(doc, q)) == ("wrote", "Telegram", "Ihor Bell")


def test_british_partial_and_scare_quotes() -> None:
    doc = analyze(
        f"Prime Minister Jan Kral called the vote a {LS}moment of truth{RS} while critics mocked "
        f"the so-called {LS}coalition of the willing{RS}. {LS}We cannot wait,{RS} Kral said."
    )
    q = find(doc, "moment of truth")
    assert (q.kind, speaker(doc, q)) == ("partial", "Jan Kral")
    assert not any("coalition" in q.text for q in doc.quotes)
    assert find(doc, "We cannot wait").kind == "direct"


def test_us_document_keeps_single_quoted_terms_as_text() -> None:
    # double marks carry the speech: a top-level single-quoted term is no quote ...
    text = (
        "The bank proposed so-called 'target zones' for the peso. \"We see no need for them,\" "
        "a dealer said. He called the idea 'a dead end'."
    )
    assert all_spans(text) == ["We see no need for them"]
    # ... but an attributed single-quoted sentence is one, whatever the document's style
    text = "Shares rose. 'We are very pleased,' chairman John Smith said. Profits rose."
    assert all_spans(text) == ["We are very pleased"]


def test_unattributed_british_follow_on_keeps_the_speaker() -> None:
    doc = analyze(
        f"{LS}We are doing all we can,{RS} said Chancellor Rachel Hunt. "
        f"{LS}The Treasury{RS}s figures speak for themselves.{RS}"
    )
    q = find(doc, "figures speak")
    assert (q.text, q.kind, speaker(doc, q)) == (
        f"The Treasury{RS}s figures speak for themselves.", "direct", "Rachel Hunt")  # fmt: skip
