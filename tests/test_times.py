"""Time expressions: recognition, resolution against the publication date, tense, helpers."""

from __future__ import annotations

import pytest

from sitrep.nlp.pipeline import load_pipeline
from sitrep.records import TimeExpr
from sitrep.resolve.times import date_bounds, time_for_token

PUB = "2025-05-19"  # a Monday


def run(text: str, published: str | None = PUB):
    nlp = load_pipeline()
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)


def times(text: str, published: str | None = PUB) -> dict[str, TimeExpr]:
    doc = run(text, published)
    for t in doc._.sitrep_times:
        assert doc.text[t.start : t.end] == t.text
    return {t.text: t for t in doc._.sitrep_times}


def value(text: str, expr: str, published: str | None = PUB):
    found = times(text, published)
    assert expr in found, f"{expr!r} not in {list(found)}"
    return found[expr].value


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        # the weekday goes where the tense points
        ("The minister is going to talk to the envoy on Thursday.", "Thursday", "2025-05-22"),
        ("The two leaders will meet on Friday in Geneva.", "Friday", "2025-05-23"),
        ("Delegations are due to meet on Wednesday.", "Wednesday", "2025-05-21"),
        ("The ministers are meeting on Saturday.", "Saturday", "2025-05-24"),
        ("The foreign minister met his counterpart on Sunday.", "Sunday", "2025-05-18"),
        ("Rebels attacked the convoy on Thursday.", "Thursday", "2025-05-15"),
        ("Fighting was reported on Tuesday in the north.", "Tuesday", "2025-05-13"),
        # the publication weekday is the publication day, past or future
        ("The governor said on Monday that the strike hit a school.", "Monday", PUB),
        ("The president will speak to reporters on Monday.", "Monday", PUB),
        # explicit last/next
        ("Villagers fled last Monday.", "last Monday", "2025-05-12"),
        ("Talks resume next Monday.", "next Monday", "2025-05-26"),
        ("The council will vote next Friday.", "next Friday", "2025-05-23"),
        # possessive weekday dated by the verb that governs its noun
        ("Friday's talks between the delegations led to little progress.", "Friday",
         "2025-05-16"),
        ("He discussed proposals made at Thursday's meeting.", "Thursday", "2025-05-15"),
        # parts of days
        ("Sirens sounded across the city on Sunday night.", "Sunday night", "2025-05-18"),
        ("The alarm ended on Saturday morning.", "Saturday morning", "2025-05-17"),
        ("Sirens sounded around midnight on Saturday.", "around midnight on Saturday",
         "2025-05-17"),
        ("He spoke to the press at 3 p.m. on Sunday.", "3 p.m. on Sunday", "2025-05-18"),
        # relative days
        ("The bridge was shelled yesterday.", "yesterday", "2025-05-18"),
        ("Officials met this morning.", "this morning", PUB),
        ("A curfew starts tomorrow.", "tomorrow", "2025-05-20"),
        ("The port was hit two days ago.", "two days ago", "2025-05-17"),
        ("The port was hit the day before yesterday.", "the day before yesterday", "2025-05-17"),
        # months and years
        ("The envoy visited the capital last month.", "last month", "2025-04"),
        ("The two men spoke by phone in March.", "March", "2025-03"),
        ("Elections were held in August.", "August", "2024-08"),
        ("Elections will be held in August.", "August", "2025-08"),
        ("The talks began in February 2022.", "February 2022", "2022-02"),
        ("The region was annexed in 2014.", "2014", "2014"),
        ("The treaty was signed on 2 June 2021.", "2 June 2021", "2021-06-02"),
        ("The treaty was signed on June 2, 2021.", "June 2, 2021", "2021-06-02"),
        ("The deal was signed on 2021-06-02.", "2021-06-02", "2021-06-02"),
        ("The talks broke down on May 3.", "May 3", "2025-05-03"),
        ("The summit opens on June 12.", "June 12", "2025-06-12"),
        ("The army withdrew last year.", "last year", "2024"),
        ("The ceasefire is due to be renewed next year.", "next year", "2026"),
        ("He was elected this year.", "this year", "2025"),
    ],
)  # fmt: skip
def test_points_in_time(sentence: str, expr: str, expected: str) -> None:
    assert value(sentence, expr) == expected


@pytest.mark.parametrize(
    "sentence, expr, start, end, granularity",
    [
        ("It was their first clash since the crisis earlier this year.", "earlier this year",
         "2025-01-01", PUB, "range"),
        ("Prices will rise later this month.", "later this month", PUB, "2025-05-31", "range"),
        ("Drones hit the city overnight.", "overnight", "2025-05-18", PUB, "night"),
        ("Shelling continued last night.", "last night", "2025-05-18", PUB, "night"),
        ("Exports fell last week.", "last week", "2025-05-12", "2025-05-18", "week"),
        ("Talks resume next week.", "next week", "2025-05-26", "2025-06-01", "week"),
        ("Protests spread last weekend.", "last weekend", "2025-05-17", "2025-05-18",
         "weekend"),
        ("In the past 24 hours, 40 strikes were recorded.", "the past 24 hours", "2025-05-18",
         PUB, "range"),
        ("Over the last three years the town changed hands.", "the last three years",
         "2022-05-19", PUB, "range"),
        ("The economy grew in the 1990s.", "the 1990s", "1990", "1999", "decade"),
        ("The war lasted from 1992 to 1995.", "from 1992 to 1995", "1992", "1995", "range"),
        ("Output fell in the first quarter of 2024.", "the first quarter of 2024", "2024-01",
         "2024-03", "quarter"),
        ("The talks took place three weeks ago.", "three weeks ago", "2025-04-28",
         "2025-05-04", "week"),
    ],
)  # fmt: skip
def test_ranges(sentence: str, expr: str, start: str, end: str, granularity: str) -> None:
    t = times(sentence)[expr]
    assert t.value == {"start": start, "end": end}
    assert t.granularity == granularity


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        ("The air attack lasted for nine hours.", "nine hours", "PT9H"),
        ("The siege went on for three days.", "three days", "P3D"),
        ("They agreed a 30-day ceasefire.", "30-day", "P30D"),
        ("The search took 45 minutes.", "45 minutes", "PT45M"),
        ("After two years of war the front barely moved.", "two years", "P2Y"),
        ("It was the first visit in a decade.", "a decade", "P10Y"),
        ("For the first time in 20 years the border opened.", "20 years", "P20Y"),
    ],
)  # fmt: skip
def test_durations_stay_durations(sentence: str, expr: str, expected: str) -> None:
    t = times(sentence)[expr]
    assert t.granularity == "duration"
    assert t.value == expected


def test_future_in_n_is_a_date() -> None:
    t = times("The army will withdraw in two weeks.")["two weeks"]
    assert t.granularity == "week"
    assert t.value == {"start": "2025-06-02", "end": "2025-06-08"}  # the week of pub + 14 days


@pytest.mark.parametrize(
    "sentence",
    [
        "A 12-year-old boy was among the wounded.",
        "A 4 -year -old girl was injured.",  # machine-translation spacing
        "The man, 45 years old, was detained.",
        "May God protect our soldiers, he said.",
        "Thousands march through the capital.",
        "They called for a second round of talks.",
        "Supporters rallied on Good Friday.",
        "He takes the pills twice a day.",
        "Crowds of 2000 people gathered.",
        "He said the next day was calm.",
        "The Sunday Times reported the claim.",
        "Israel won the Six-Day War.",
        "One day, peace will come.",
        "Every Friday prayers are held in the square.",
    ],
)
def test_not_dates(sentence: str) -> None:
    found = times(sentence)
    assert not [t for t in found.values() if t.granularity not in ("time",)], found


def test_dateline_without_year_takes_the_nearest() -> None:
    assert value("KYIV, June 2 - Russia launched drones.", "June 2", "2025-06-03") == "2025-06-02"
    assert value("LONDON, Dec 30 - Oil rose.", "Dec 30", "2026-01-02") == "2025-12-30"


def test_without_publication_date_only_absolute_values() -> None:
    found = times("Troops left on Friday, in March 2022 and last month.", published=None)
    assert found["Friday"].value is None
    assert found["last month"].value is None
    assert found["March 2022"].value == "2022-03"


def test_weekday_with_explicit_date_uses_the_date() -> None:
    assert value("He visited on Thursday, June 5.", "Thursday, June 5") == "2025-06-05"


def test_time_for_token_prefers_the_tokens_own_clause() -> None:
    doc = run(
        "Russia launched 90 drones on Sunday, killing four people, the governor said on Monday."
    )
    tokens = {t.text: t for t in doc}
    assert time_for_token(doc, tokens["launched"]).text == "Sunday"
    assert time_for_token(doc, tokens["killing"]).text == "Sunday"
    assert time_for_token(doc, tokens["said"]).text == "Monday"


def test_time_for_token_on_nouns_and_durations() -> None:
    doc = run("Friday's talks in Istanbul lasted two hours and led to a prisoner exchange.")
    talks = next(t for t in doc if t.text == "talks")
    assert time_for_token(doc, talks).text == "Friday"
    lasted = next(t for t in doc if t.text == "lasted")
    assert time_for_token(doc, lasted).text == "Friday"
    assert time_for_token(doc, lasted, include_durations=True).text in ("Friday", "two hours")


def test_time_for_token_none_when_nothing_attached() -> None:
    doc = run("The army shelled the town. Officials met on Sunday.")
    shelled = next(t for t in doc if t.text == "shelled")
    assert time_for_token(doc, shelled) is None


def test_date_bounds() -> None:
    assert date_bounds(TimeExpr("March", 0, 5, "2025-03", "month")) == ("2025-03-01", "2025-03-31")
    assert date_bounds(TimeExpr("2024", 0, 4, "2024", "year")) == ("2024-01-01", "2024-12-31")
    rng = TimeExpr("x", 0, 1, {"start": "2024-01", "end": "2024-03"}, "quarter")
    assert date_bounds(rng) == ("2024-01-01", "2024-03-31")
    assert date_bounds(TimeExpr("nine hours", 0, 10, "PT9H", "duration")) == (None, None)
    assert date_bounds(TimeExpr("Sunday", 0, 6, "2025-05-18", "day")) == (
        "2025-05-18",
        "2025-05-18",
    )


def test_previous_week_is_the_calendar_week_and_past_week_is_rolling() -> None:
    found = times("Exports fell from the previous week; over the past week prices rose.")
    assert found["the previous week"].value == {"start": "2025-05-12", "end": "2025-05-18"}
    assert found["the past week"].value == {"start": "2025-05-12", "end": PUB}


@pytest.mark.parametrize(
    "sentence",
    [
        "Net income for the 1986 year rose.",
        "Revs 25.2 mln vs 19.5 mln     Year     Shr 1.53 dlrs",  # a results table
    ],
)
def test_numbers_are_not_durations(sentence: str) -> None:
    assert not [t for t in times(sentence).values() if t.granularity == "duration"]


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        ("The deal was signed on 24.02.2022.", "24.02.2022", "2022-02-24"),
        ("The deal was signed on 2/24/2022.", "2/24/2022", "2022-02-24"),
        ("The deal was signed on 13/02/2022.", "13/02/2022", "2022-02-13"),
        ("Missiles hit the port in the early hours of Saturday.", "the early hours of Saturday",
         "2025-05-17"),
        ("Troops will pull back by mid-June.", "mid-June", "2025-06"),
        ("The talks collapsed late last year.", "late last year", "2024"),
        ("A referendum was held on Feb. 24, 2022.", "Feb. 24, 2022", "2022-02-24"),
        ("Fighting eased in spring 2023.", "spring 2023", {"start": "2023-03",
                                                           "end": "2023-05"}),
        ("Tensions rose last winter.", "last winter", {"start": "2024-12", "end": "2025-02"}),
        ("The 2022-23 budget was cut.", "2022-23", {"start": "2022", "end": "2023"}),
    ],
)  # fmt: skip
def test_more_formats(sentence: str, expr: str, expected) -> None:
    assert value(sentence, expr) == expected


def test_vague_plural_periods_are_not_resolved() -> None:
    assert "previous years" not in times("In previous years exports rose.")


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        ("Elections are scheduled for Sunday.", "Sunday", "2025-05-25"),
        ("The minister travels to Kyiv on Tuesday.", "Tuesday", "2025-05-20"),
        ("Putin, who met the envoy on Friday, will travel to China.", "Friday", "2025-05-16"),
        ("Officials say the drones struck on Saturday.", "Saturday", "2025-05-17"),
    ],
)
def test_tense_cases(sentence: str, expr: str, expected: str) -> None:
    assert value(sentence, expr) == expected


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        ("Funds are credited tomorrow (Tuesday), the bank said.", "Tuesday", "2025-05-20"),
        ("The plan avoids a clash when talks reopen in Oslo on Thursday.", "Thursday",
         "2025-05-22"),
        ("The bank is unlikely to change rates at its meeting on Thursday.", "Thursday",
         "2025-05-22"),
        ("The strike starts at 1000 GMT on Wednesday.", "1000 GMT on Wednesday", "2025-05-21"),
    ],
)  # fmt: skip
def test_schedules_and_parentheses(sentence: str, expr: str, expected: str) -> None:
    assert value(sentence, expr) == expected


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        ("Troops will leave by the end of the year.", "the end of the year", "2025"),
        ("The mission ends by end-March.", "end-March", "2026-03"),
        ("The rest of the month was calm.", "The rest of the month", "2025-05"),
    ],
)
def test_period_edges(sentence: str, expr: str, expected: str) -> None:
    assert value(sentence, expr) == expected


@pytest.mark.parametrize(
    "sentence, expr, expected",
    [
        ("Dividends were paid April one.", "April one", "2025-04-01"),
        ("The election is scheduled for May.", "May", "2025-05"),
        ("The prior year was worse.", "The prior year", "2024"),
        ("Shelling went on during Christmas.", "Christmas", "2024-12-25"),
        ("Fighting eased over the weekend.", "over the weekend",
         {"start": "2025-05-17", "end": "2025-05-18"}),
        ("Talks will resume at the weekend.", "at the weekend",
         {"start": "2025-05-24", "end": "2025-05-25"}),
        ("Troops will withdraw over the next few weeks.", "the next few weeks",
         {"start": PUB, "end": "2025-06-09"}),
        ("The summer of 1987 was hot.", "summer of 1987", {"start": "1987-06",
                                                           "end": "1987-08"}),
    ],
)  # fmt: skip
def test_wire_and_holiday_forms(sentence: str, expr: str, expected) -> None:
    assert value(sentence, expr) == expected


@pytest.mark.parametrize(
    "sentence", ["A crowd of 2000 gathered.", "Output rose to 2000.", "Crowds of 1990 people."]
)
def test_round_numbers_are_not_years(sentence: str) -> None:
    assert not times(sentence)


def test_absurd_amounts_do_not_crash() -> None:
    found = times("The waste stays toxic and will decay in 100,000 weeks, not 900,000 years ago.")
    assert all(t.value is None or t.granularity == "duration" for t in found.values())


# Texts for the scanning shortcuts below: every core, window need and stricter gate, with
# odd spacing, capitals, words that contain the core words, and near misses.
_SCAN_TEXTS = [
    "Earlier in  the last week, and later  in the\nnext month, the past decade was calm.",
    "It was calm earlier" + " " * 15 + "in" + " " * 15 + "the" + " " * 15 + "past week.",
    "At the end of  the year, the remainder of the\tmonth and the START OF THE WEEK.",
    "The day before yesterday, the day  after tomorrow, later today, this morning, "
    "last night and overnight; tonightly nightly at midnight, outlast weeks.",
    "He left the country two days ago and returns in three weeks for a two-week stay; "
    "a 10-day, twenty-one-year, a few months long, several years old.",
    "On Monday night, early on Sunday morning, Friday, March 3, 2024 at 3 p.m. and 10:30 GMT, "
    "Q1 2025, Christmas Eve, Halloween, the 1990s and '90s.",
    "Mondays and weekdays; contrast weekly; the past  \n  year; May One; Tuesday 12 April.",
    "Dividends are payable Sept Three.",
    "The meeting lasted 2 hours.",
    "Filed 2024-03-05, paid 5/3/2024 and 05.03.2024, up from 1990 to 2000.",
    "Output fell in 1990-95.",
    "The siege lasted two hundred and fifty days, then 1,000.5 hours and a couple of weeks.",
    "Nothing but words here," + " " * 20 + "then the last week after a long gap.",
]


def _scanned_plainly(text: str) -> list[tuple]:
    """Every pattern scanned through its windows, without the stricter gates, window needs
    and core scans: what ``find_candidates`` must find."""
    from sitrep.resolve import times_grammar as tg

    lower, out = text.lower(), []
    has_year = tg._YEAR.search(text) is not None
    for rank, (kind, rx) in enumerate(tg.patterns()):
        gate = tg._GATES.get(kind)
        if gate is not None and not any(g in lower for g in gate):
            continue
        if not has_year and kind in tg._NEEDS_YEAR:
            continue
        anchor = tg._ANCHORED.get(kind)
        spans = [(0, len(text))] if anchor is None else tg._windows(text, tg._anchors()[anchor])
        for lo, hi in spans:
            for m in rx.finditer(text, lo, hi):
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                span = m.span("body") if "body" in groups else m.span()
                out.append((kind, *span, sorted(groups.items()), rank))
    return out


@pytest.mark.parametrize("text", _SCAN_TEXTS)
def test_scanning_shortcuts_find_what_a_plain_scan_finds(text: str) -> None:
    from sitrep.resolve.times_grammar import find_candidates

    found = [(c.kind, c.start, c.end, sorted(c.groups.items()), c.priority)
             for c in find_candidates(text)]  # fmt: skip
    assert found == _scanned_plainly(text)
    assert found  # the texts do have times


@pytest.mark.parametrize("text", _SCAN_TEXTS)
def test_core_scans_match_finditer(text: str) -> None:
    from sitrep.resolve.times_grammar import _CORES, _core_matches, patterns

    rxs = dict(patterns())
    for kind, core in _CORES.items():
        plain = [m.span() for m in rxs[kind].finditer(text)]
        assert [m.span() for m in _core_matches(rxs[kind], text, text.lower(), core)] == plain
