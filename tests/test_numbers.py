"""Numbers: values, units from syntax, qualifiers; ages, durations and years are not counts."""

from __future__ import annotations

import pytest

from sitrep.extract.number_words import parse_number
from sitrep.extract.numbers import CASUALTY_UNITS
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
        ("dozens", 12, "at least"),
        ("hundreds", 100, "at least"),
        ("tens of thousands", 10_000, "at least"),
        ("several", 3, "at least"),
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
        ("Hundreds of people protested in the capital.", "Hundreds", 100, "protesters",
         "at least"),
        ("The army fired up to 60 missiles.", "60", 60, "missiles", "up to"),
        ("About 5,000 troops crossed the border.", "5,000", 5000, "troops", "about"),
        ("The air force shot down 131 of the drones.", "131", 131, "drones", None),
        ("Rebels captured 17 soldiers near the dam.", "17", 17, "captives", None),
        ("The two sides swapped 390 prisoners each.", "390", 390, "prisoners", None),
        ("Over 150 shells hit the town.", "150", 150, "shells", "more than"),
        ("Dozens of demonstrators were arrested.", "Dozens", 12, "detained", "at least"),
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
        ("Several dozen villagers were detained.", "Several dozen", 36, "detained",
         "at least"),
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
        ("Between 10 and 15 people were killed.", "10 and 15", "killed"),
        ("Seven others were taken to hospital.", "Seven", "injured"),
        ("The tally of injured climbed to 80.", "80", "injured"),
    ],
)
def test_totals_and_inclusions(sentence: str, number: str, unit: str) -> None:
    assert by_text(sentence)[number].unit == unit


# Our own wire-style sentences (issue #4): coordinated verbs, non-person units, vague numbers.


@pytest.mark.parametrize(
    "sentence, number, value, unit, qualifier",
    [
        ("Tehran said its troops routed four enemy brigades, killed or wounded 1,500 "
         "soldiers and captured 200.", "1,500", 1500, "dead_or_injured", None),
        ("The rebels killed and wounded 300 government troops in the offensive.", "300", 300,
         "dead_or_injured", None),
        ("Some 45 people were killed or wounded in the clashes.", "45", 45, "dead_or_injured",
         "about"),
        ("At least 30 people were killed or injured when the bomb went off.", "30", 30,
         "dead_or_injured", "at least"),
        ("Gunmen killed or injured dozens of villagers.", "dozens", 12, "dead_or_injured",
         "at least"),
        ("More than 100 people have been killed, wounded or arrested.", "100", 100,
         "dead_or_injured", "more than"),
        ("Two soldiers were killed and four others wounded in the ambush.", "Two", 2, "killed",
         None),
        ("Two soldiers were killed and four others wounded in the ambush.", "four", 4,
         "injured", None),
        ("Police fired on the crowd, killing one person and arresting 12.", "one", 1, "killed",
         None),
        ("Police fired on the crowd, killing one person and arresting 12.", "12", 12,
         "detained", None),
        ("Gunmen stormed the market and killed 11 traders and wounded 20.", "11", 11, "killed",
         None),
        ("Six soldiers were killed with two other men and a child injured.", "Six", 6, "killed",
         None),
        ("Gunmen stormed the market and killed 11 traders and wounded 20.", "20", 20, "injured",
         None),
    ],
)  # fmt: skip
def test_coordinated_verbs(sentence: str, number: str, value: float, unit: str, qualifier):
    n = by_text(sentence)[number]
    assert (n.value, n.unit, n.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    "sentence, number",
    [
        ("Tehran said its troops routed four enemy brigades, killed or wounded 1,500 "
         "soldiers and captured 200.", "four"),
        ("The army said it destroyed three battalions and killed 40 fighters.", "three"),
        ("Militants torched five villages and killed 20 people.", "five"),
        ("Police seized seven vehicles and arrested their drivers.", "seven"),
        ("The militia captured 14 towns in the north.", "14"),
    ],
)  # fmt: skip
def test_units_that_are_not_people_are_never_person_counts(sentence: str, number: str):
    assert by_text(sentence)[number].unit not in CASUALTY_UNITS


@pytest.mark.parametrize(
    "sentence, number, value, unit",
    [
        ("Hundreds of people were killed in the fighting.", "Hundreds", 100, "killed"),
        ("Hundreds killed in fighting, officials say.", "Hundreds", 100, "killed"),
        ("Dozens more were wounded.", "Dozens", 12, "injured"),
        ("Thousands fled their homes.", "Thousands", 1000, "displaced"),
        ("Tens of thousands fled the city.", "Tens of thousands", 10_000, "displaced"),
        ("Scores of students were detained.", "Scores", 20, "detained"),
        ("Several hundred people were arrested.", "Several hundred", 300, "detained"),
        ("A few dozen soldiers were captured.", "A few dozen", 24, "captives"),
        ("Several people were killed.", "Several", 3, "killed"),
        ("A handful of people were injured.", "A handful", 3, "injured"),
    ],
)  # fmt: skip
def test_vague_quantities_are_conservative_lower_bounds(sentence, number, value, unit):
    n = by_text(sentence)[number]
    assert (n.value, n.unit, n.qualifier) == (value, unit, "at least")


def test_exact_phrases_are_not_vague() -> None:
    n = by_text("Half a dozen men were detained.")["Half a dozen"]
    assert (n.value, n.unit, n.qualifier) == (6, "detained", None)


@pytest.mark.parametrize(
    "sentence, number, value, unit, qualifier",
    [
        ("The storm left two people dead and 800 others injured.", "two", 2, "killed", None),
        ("The quake left 1,000 people dead or missing.", "1,000", 1000, "dead_or_missing",
         None),
        ("Fifty-one people were reported killed on Tuesday.", "Fifty-one", 51, "killed", None),
        ("Seven crew were reported missing and 1,200 were displaced.", "Seven", 7, "missing",
         None),
        ("Three fishermen were feared dead.", "Three", 3, "killed", None),
        ("The shelling forced 1,000 people to flee.", "1,000", 1000, "displaced", None),
        ("Divers found six sailors who were dead.", "six", 6, "killed", None),
        ("There were at least another 20 dead in the hold.", "20", 20, "killed", "at least"),
        ("Kyiv said Russia launched 273 drones and 5 missiles overnight.", "273", 273, "drones",
         None),
        ("Kyiv said Russia launched 273 drones and 5 missiles overnight.", "5", 5, "missiles",
         None),
        ("Israel released 369 Palestinian prisoners on Saturday.", "369", 369, "prisoners",
         None),
        ("The group freed three hostages.", "three", 3, "captives", None),
        ("The death toll from the landslide rose to 12.", "12", 12, "killed", None),
        ("Officials said 12 dead and 30 wounded.", "30", 30, "injured", None),
        ("Up to 5,000 residents have been displaced by the floods.", "5,000", 5000,
         "displaced", "up to"),
        ("Nearly 40 students were detained after the rally.", "40", 40, "detained", "nearly"),
        ("More than 200 villagers are missing after the landslide.", "200", 200, "missing",
         "more than"),
    ],
)  # fmt: skip
def test_wire_style_counts(sentence: str, number: str, value: float, unit: str, qualifier):
    n = by_text(sentence)[number]
    assert (n.value, n.unit, n.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    "sentence, text, value, upper, unit, qualifier",
    [
        ("Between 10 and 15 soldiers were killed.", "10 and 15", 10, 15, "killed", "at least"),
        ("The raid killed 10 to 15 people.", "10 to 15", 10, 15, "killed", "at least"),
        ("Gunmen killed between 10 and 15 villagers on Monday.", "10 and 15", 10, 15, "killed",
         "at least"),
        ("Some 10-15 people were wounded.", "10-15", 10, 15, "injured", "about"),
        ("Two or three guards were hurt.", "Two or three", 2, 3, "injured", "at least"),
        ("About 20 to 30 protesters were arrested.", "20 to 30", 20, 30, "detained", "about"),
        ("The men, aged 18 to 25, were detained.", "18 to 25", 18, 25, "age", None),
    ],
)  # fmt: skip
def test_ranges_are_one_number_at_their_lower_end(sentence, text, value, upper, unit, qualifier):
    n = by_text(sentence)[text]
    assert (n.value, n.upper, n.unit, n.qualifier) == (value, upper, unit, qualifier)


def test_a_change_is_not_a_range() -> None:
    found = by_text("The toll rose from 10 to 15.")
    assert found["15"].unit == "killed"
    assert found["10"].unit is None and found["10"].upper is None


@pytest.mark.parametrize(
    "sentence, number, unit",
    [
        ("A 4-year-old boy was among the 17 people killed.", "4", "age"),
        ("The man, aged 45, was arrested.", "45", "age"),
        ("The shelling lasted nine hours.", "nine", "duration"),
        ("Three days later 20 people were still missing.", "Three", "duration"),
        ("The donors pledged $20 million after 30 people were killed.", "$20 million", "money"),
        ("Officials said 30 percent of the 400 homes were destroyed.", "30", "percent"),
        ("The team won 3-1 on Sunday.", "3", None),
    ],
)  # fmt: skip
def test_ages_durations_money_percent_are_not_counts(sentence: str, number: str, unit):
    assert by_text(sentence)[number].unit == unit


def test_range_gives_one_event_count() -> None:
    import sitrep

    doc = sitrep.analyze("Gunmen attacked a village on Monday, killing between 10 and 15 "
                         "people, police said.", published="2025-05-19")  # fmt: skip
    assault = [e for e in doc.events if e.type == "ASSAULT"]
    assert assault and assault[0].counts.get("killed") == 10
    assert assault[0].counts_qualifier.get("killed") == "at least"


def test_coordinated_verbs_give_one_event_count() -> None:
    import sitrep

    doc = sitrep.analyze("The army said its troops routed two rebel battalions, killed or "
                         "wounded 600 fighters and seized 40 rifles.", published="2025-05-19")  # fmt: skip
    counts = {k: v for e in doc.events for k, v in e.counts.items()}
    assert counts.get("dead_or_injured") == 600
    assert "killed" not in counts and "injured" not in counts


@pytest.mark.parametrize(
    "sentence, number, unit",
    [
        ("At least six people, including three soldiers, were reported wounded.", "three",
         "injured"),
        ("Seventeen miners who were missing after the fire were found.", "Seventeen",
         "missing"),
        ("The families of the six service members killed were told.", "six", "killed"),
        ("Officials said 13 people had suffered minor injuries.", "13", "injured"),
        ("At least 17 people lost their lives in the attack.", "17", "killed"),
        ("Eleven were still in hospital on Sunday.", "Eleven", "injured"),
        ("The bodies of 12 migrants were recovered.", "12", "killed"),
        ("The 1,200-strong force crossed the border.", "1,200", "troops"),
        ("A depot blast in the port, leaving five injured.", "five", "injured"),
    ],
)  # fmt: skip
def test_more_casualty_phrasings(sentence: str, number: str, unit: str) -> None:
    assert by_text(sentence)[number].unit == unit


@pytest.mark.parametrize(
    "sentence, number, subset",
    [
        ("The attack killed 12 people, including three children.", "three", True),
        ("The attack killed 12 people, including three children.", "12", False),
        ("Air strikes killed 28 villagers, 11 of them children.", "11", True),
        ("Gunmen killed 12 soldiers and three civilians.", "three", False),
        ("Police arrested 12 people, seven women and five men, on Sunday.", "five", True),
        ("Police arrested 12 people, seven women and five men, on Sunday.", "12", False),
        ("Ukraine said it shot down 51 of the 74 drones launched overnight.", "51", True),
        ("Ukraine said it shot down 51 of the 74 drones launched overnight.", "74", False),
    ],
)
def test_subsets_of_a_total_are_marked(sentence: str, number: str, subset: bool) -> None:
    from sitrep.extract.numbers import is_subset

    doc = load_pipeline()(sentence)
    assert is_subset(next(t for t in doc if t.text == number)) is subset


def test_ages_listed_after_aged_are_all_ages() -> None:
    found = by_text("Police arrested two teenagers aged 16 and 17 and a man aged 40.")
    assert [found[n].unit for n in ("16", "17", "40")] == ["age", "age", "age"]
    assert found["two"].unit == "detained"


@pytest.mark.parametrize(
    "sentence, number, unit, qualifier",
    [
        ("Other estimates put the toll as high as 500 dead.", "500", "killed", "up to"),
        ("Aid went to the 25,000 made homeless by the mudslides.", "25,000", "displaced", None),
        ("Doctors said the 17 men taken to hospital were stable.", "17", "injured", None),
        ("Around 200 passengers drowned when the ferry capsized.", "200", "killed", "about"),
        ("The firm sold its 50-pct stake.", "50", "percent", None),
    ],
)  # fmt: skip
def test_surface_cues(sentence: str, number: str, unit: str, qualifier) -> None:
    n = by_text(sentence)[number]
    assert (n.unit, n.qualifier) == (unit, qualifier)


def test_strong_counts_troops_only_for_armed_bodies() -> None:
    assert by_text("A 300-strong peacekeeping contingent arrived.")["300"].unit == "troops"
    assert by_text("The bank hired a 26-strong research team.")["26"].unit is None


@pytest.mark.parametrize(
    "sentence, number, unit",
    [
        ("Eleven students were taken into custody on Friday.", "Eleven", "detained"),
        ("Police rounded up 40 suspects after the blast.", "40", "detained"),
        ("The gang took 30 passengers hostage.", "30", "captives"),
        ("Five soldiers were taken prisoner near the river.", "Five", "captives"),
        ("Gunmen gunned down 11 villagers.", "11", "killed"),
        ("Some 40,000 people have been forced from their homes.", "40,000", "displaced"),
        ("Twelve fishermen went missing at sea.", "Twelve", "missing"),
    ],
)
def test_phrasal_verbs(sentence: str, number: str, unit: str) -> None:
    assert by_text(sentence)[number].unit == unit


@pytest.mark.parametrize(
    "sentence, number, unit",
    [
        ("Death toll from Andes quake hits 40.", "40", "killed"),
        ("The death toll is now 40.", "40", "killed"),
        ("Air strikes on Khan Younis kill 35, medics say.", "35", "killed"),
        ("Five dead, 20 hurt in Lagos bus crash.", "20", "injured"),
        ("The clashes have left 1,200 people dead since January.", "1,200", "killed"),
        ("Rescue workers recovered 25 bodies from the rubble.", "25", "killed"),
        ("Authorities confirmed 14 fatalities and 22 injuries.", "22", "injured"),
    ],
)
def test_headlines_and_tolls(sentence: str, number: str, unit: str) -> None:
    assert by_text(sentence)[number].unit == unit


def test_numbered_names_are_not_counts() -> None:
    found = by_text("Article 5 was invoked after Flight 17 was shot down.")
    assert found["5"].unit is None and found["17"].unit is None


@pytest.mark.parametrize(
    "sentence, text, value, upper, unit",
    [
        ("The loss will be 10 to 15 mln dlrs a year.", "10 to 15 mln", 10_000_000, 15_000_000,
         "money"),
        ("Between six and seven thousand people fled.", "six and seven thousand", 6000, 7000,
         "displaced"),
    ],
)  # fmt: skip
def test_a_range_shares_its_scale_word(sentence, text, value, upper, unit) -> None:
    n = by_text(sentence)[text]
    assert (n.value, n.upper, n.unit) == (value, upper, unit)


def test_a_vague_upper_end_is_not_a_range() -> None:
    found = by_text("The talks lasted one to several weeks.")
    assert "one to several" not in found


@pytest.mark.parametrize(
    "sentence, number, unit",
    [
        ("Among the dead were 12 children.", "12", "killed"),
        ("The wounded included 30 women.", "30", "injured"),
        ("The dead numbered at least 25.", "25", "killed"),
        ("Twelve of the injured were in critical condition.", "Twelve", "injured"),
        ("Three climbers remain unaccounted for.", "Three", "missing"),
    ],
)
def test_casualty_words_as_nouns(sentence: str, number: str, unit: str) -> None:
    assert by_text(sentence)[number].unit == unit


def test_tally_verbs_need_a_casualty_subject() -> None:
    assert by_text("The delegation included 12 ministers.")["12"].unit is None
