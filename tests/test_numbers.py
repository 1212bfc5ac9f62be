"""Numbers: values, units from syntax, qualifiers; ages, durations and years are not counts."""

from __future__ import annotations

import pytest

from sitrep.extract.number_words import parse_number
from sitrep.nlp.pipeline import load_pipeline
from sitrep.records import NumberExpr


def numbers(text: str, published: str | None = "2025-05-19") -> list[NumberExpr]:
    nlp = load_pipeline()
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp(doc)
    for n in doc._.sitrep_numbers:
        assert doc.text[n.start : n.end] == n.text
    return doc._.sitrep_numbers


def by_text(text: str) -> dict[str, NumberExpr]:
    return {n.text: n for n in numbers(text)}


@pytest.mark.parametrize(
    "phrase, value, qualifier",
    [
        ("273", 273, None),
        ("1,200", 1200, None),
        ("3.5 million", 3_500_000, None),
        ("three", 3, None),
        ("twenty-one", 21, None),
        ("two hundred and fifty", 250, None),
        ("a dozen", 12, None),
        ("dozens", 24, "dozens of"),
        ("hundreds", 200, "hundreds of"),
        ("tens of thousands", 20_000, "tens of thousands of"),
        ("several", 3, "several"),
    ],
)
def test_parse_number(phrase: str, value: float, qualifier: str | None) -> None:
    assert parse_number(phrase) == (value, qualifier) or parse_number(phrase + " of") == (
        value,
        qualifier,
    )


def test_parse_number_rejects_words() -> None:
    assert parse_number("talks") is None
    assert parse_number("") is None


@pytest.mark.parametrize(
    "sentence, number, value, unit, qualifier",
    [
        ("At least one man was killed and three were injured in the blast.", "one", 1,
         "killed", "at least"),
        ("At least one man was killed and three were injured in the blast.", "three", 3,
         "injured", None),
        ("The shelling left more than 900,000 dead or injured soldiers.", "900,000", 900_000,
         "dead_or_injured", "more than"),
        ("Russia launched 273 drones overnight.", "273", 273, "drones", None),
        ("A drone hit a bus, killing nine people and injuring four.", "nine", 9, "killed",
         None),
        ("A drone hit a bus, killing nine people and injuring four.", "four", 4, "injured",
         None),
        ("Police detained 14 protesters outside parliament.", "14", 14, "detained", None),
        ("Nearly 2,000 people were displaced by the fighting.", "2,000", 2000, "displaced",
         "nearly"),
        ("Two fishermen are still missing.", "Two", 2, "missing", None),
        ("Some 40 civilians died in the siege.", "40", 40, "killed", "about"),
        ("The death toll rose to 35.", "35", 35, "killed", None),
        ("Hundreds of people protested in the capital.", "Hundreds", 200, "protesters",
         "hundreds of"),
        ("The army fired up to 60 missiles.", "60", 60, "missiles", "up to"),
        ("About 5,000 troops crossed the border.", "5,000", 5000, "troops", "about"),
        ("The air force shot down 131 of the drones.", "131", 131, "drones", None),
        ("Rebels captured 17 soldiers near the dam.", "17", 17, "captives", None),
        ("The two sides swapped 390 prisoners each.", "390", 390, "prisoners", None),
        ("Over 150 shells hit the town.", "150", 150, "shells", "more than"),
        ("Dozens of demonstrators were arrested.", "Dozens", 24, "detained", "dozens of"),
        ("Twelve people killed in the raid were buried on Monday.", "Twelve", 12, "killed",
         None),
        ("Gunmen killed 12 soldiers and three civilians.", "three", 3, "killed", None),
        ("Nine dead, twenty-one wounded.", "Nine", 9, "killed", None),
        ("Officials said 20 or more villagers were wounded.", "20", 20, "injured",
         "at least"),
    ],
)  # fmt: skip
def test_counts(sentence: str, number: str, value: float, unit: str, qualifier: str | None):
    n = by_text(sentence)[number]
    assert (n.value, n.unit, n.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    "sentence, number, value, unit",
    [
        ("A 4-year-old girl was injured.", "4", 4, "age"),
        ("A 4 -year -old girl was injured.", "4", 4, "age"),
        ("A 27 -year -old woman was killed.", "27", 27, "age"),
        ("The victim, aged 12, was taken to hospital.", "12", 12, "age"),
        ("The soldier was 19 years old.", "19", 19, "age"),
        ("The air attack lasted for nine hours.", "nine", 9, "duration"),
        ("The siege began two days ago.", "two", 2, "duration"),
        ("The strike came two days before the talks.", "two", 2, "duration"),
        ("They agreed a 30-day ceasefire.", "30", 30, "duration"),
        ("The territory was annexed in 2014.", "2014", 2014, "year"),
        ("The fund pledged $5 million in aid.", "$5 million", 5_000_000, "money"),
        ("The bank lent 300 million euros.", "300 million", 300_000_000, "money"),
        ("Prices rose 4.5 percent last year.", "4.5", 4.5, "percent"),
        ("Turnout fell to 38%.", "38", 38, "percent"),
        ("The envoy met the president four times.", "four", 4, "times"),
    ],
)
def test_not_counts(sentence: str, number: str, value: float, unit: str) -> None:
    n = by_text(sentence)[number]
    assert (n.value, n.unit) == (value, unit)


def test_age_inside_a_casualty_sentence_is_not_a_count() -> None:
    found = by_text("One man was killed and three were injured, including a 4-year-old.")
    assert found["One"].unit == "killed"
    assert found["three"].unit == "injured"
    assert found["4"].unit == "age"


@pytest.mark.parametrize(
    "sentence, absent",
    [
        ("The talks were held on June 2.", "2"),
        ("Sirens sounded at 3 p.m. on Sunday.", "3"),
        ("Ukraine asked for more F-16 jets.", "16"),
        ("No one was hurt.", "one"),
        ("He was the one who signed it.", "one"),
        ("Several times the talks stalled.", "Several"),
    ],
)
def test_not_numbers(sentence: str, absent: str) -> None:
    assert absent not in by_text(sentence)


def test_unknown_nouns_have_no_unit() -> None:
    found = by_text("The strike destroyed 12 buildings and two bridges.")
    assert found["12"].unit is None
    assert found["12"].value == 12


def test_numbers_are_in_text_order_and_without_publication_date() -> None:
    found = numbers("Three soldiers died and 40 were wounded.", published=None)
    assert [n.text for n in found] == ["Three", "40"]
    assert [n.unit for n in found] == ["killed", "injured"]


def test_decimal_scales_are_exact() -> None:
    n = by_text("Profit was 67.1 mln dlrs.")["67.1 mln"]
    assert (n.value, n.unit) == (67_100_000, "money")


def test_over_before_a_duration_is_a_preposition() -> None:
    n = by_text("The plan saves seven billion dlrs over four years.")["four"]
    assert (n.unit, n.qualifier) == ("duration", None)


def test_years() -> None:
    found = by_text("It was due to pay in 1987, 1988 and 1989, the deal of March 3, 1986 said.")
    assert {found[y].unit for y in ("1987", "1988", "1989")} == {"year"}
    assert "1986" not in found  # part of a full date


@pytest.mark.parametrize(
    "sentence, number, value, unit, qualifier",
    [
        ("More than two dozen fighters were killed.", "two dozen", 24, "killed", "more than"),
        ("Several dozen villagers were detained.", "Several dozen", 24, "detained",
         "dozens of"),
        ("Protests grew after the slaying of seven demonstrators.", "seven", 7, "killed", None),
        ("The arrest of 12 activists drew protests.", "12", 12, "detained", None),
        ("Eight women and four men were injured.", "Eight", 8, "injured", None),
        ("Luis Ortega, 23, said he was beaten.", "23", 23, "age", None),
    ],
)  # fmt: skip
def test_more_counts(sentence: str, number: str, value: float, unit: str, qualifier):
    n = by_text(sentence)[number]
    assert (n.value, n.unit, n.qualifier) == (value, unit, qualifier)


def test_clock_times_and_constitution_years_are_not_counts() -> None:
    found = by_text("The blast came at around 5.30 p.m. and revived the 1999 constitution.")
    assert "5.30" not in found
    assert found["1999"].unit == "year"


def test_one_of_the_largest_is_not_a_count() -> None:
    found = by_text("Moscow launched one of the largest air attacks of the war.")
    assert found["one"].unit is None


@pytest.mark.parametrize(
    "sentence, number, value",
    [
        ("The EU pledged €3bn in loans.", "€3bn", 3_000_000_000),
        ("Kyiv received $250mln in aid.", "$250mln", 250_000_000),
        ("Kyiv got 1.5 bn euros.", "1.5 bn", 1_500_000_000),
    ],
)
def test_glued_scales_are_money(sentence: str, number: str, value: float) -> None:
    n = by_text(sentence)[number]
    assert (n.value, n.unit) == (value, "money")


@pytest.mark.parametrize(
    "sentence, number, unit",
    [
        ("The attack killed 12, including three children.", "three", "killed"),
        ("A total of 25 people were wounded.", "25", "injured"),
        ("The number of dead rose to 50.", "50", "killed"),
        ("Five soldiers were among the dead.", "Five", "killed"),
        ("Between 10 and 15 people were killed.", "15", "killed"),
        ("Seven others were taken to hospital.", "Seven", "injured"),
        ("The tally of injured climbed to 80.", "80", "injured"),
    ],
)
def test_totals_and_inclusions(sentence: str, number: str, unit: str) -> None:
    assert by_text(sentence)[number].unit == unit
