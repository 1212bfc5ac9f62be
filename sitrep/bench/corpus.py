"""Benchmark corpora: a sample of Reuters-21578 (when ../shared has it) and a generated one.

The generated corpus is synthesised wire-style text (datelines, attributed statements,
quotes, casualty counts, dates, places) from templates below, seeded, so anyone can run the
benchmark without ../shared and get the same texts every time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from sitrep.errors import Errors, SitrepError

# Places with their country, so datelines and mentions agree.
PLACES = [
    ("Kyiv", "Ukraine"), ("Kharkiv", "Ukraine"), ("Odesa", "Ukraine"), ("Moscow", "Russia"),
    ("Gaza", "the Palestinian territories"), ("Beirut", "Lebanon"), ("Damascus", "Syria"),
    ("Khartoum", "Sudan"), ("El Fasher", "Sudan"), ("Goma", "Congo"), ("Mogadishu", "Somalia"),
    ("Sanaa", "Yemen"), ("Kabul", "Afghanistan"), ("Tripoli", "Libya"), ("Bamako", "Mali"),
    ("Istanbul", "Turkey"), ("Geneva", "Switzerland"), ("Doha", "Qatar"), ("Cairo", "Egypt"),
    ("Washington", "the United States"), ("Brussels", "Belgium"), ("Addis Ababa", "Ethiopia"),
]  # fmt: skip
SPEAKERS = [
    "the foreign minister", "a military spokesman", "the defence ministry", "the president",
    "a senior official", "the interior ministry", "a United Nations envoy", "the prime minister",
    "a spokeswoman for the army", "local health officials", "the regional governor",
]  # fmt: skip
GROUPS = [
    "government forces", "rebel fighters", "the army", "police", "protesters", "militants",
    "security forces", "the opposition", "aid workers", "peacekeepers",
]  # fmt: skip
LEADERS = [
    "President Anna Kovalenko", "Foreign Minister Omar Haddad", "General Pavel Sorokin",
    "Prime Minister Leila Mansour", "Envoy Thomas Brennan", "Minister Grace Okafor",
    "Commander Idris Musa", "Secretary-General Maria Lindqvist",
]  # fmt: skip
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
        "on Sunday", "last week", "earlier this month", "overnight", "late on Sunday"]  # fmt: skip
TEMPLATES = [
    "{group} attacked positions near {place} {day}, killing at least {n} people and wounding {m}, {speaker} said.",
    "{leader} met {leader2} in {place} {day} to discuss a ceasefire and the exchange of prisoners.",
    "{speaker} accused {group} of shelling residential areas of {place}, which it denied.",
    "Talks between the two delegations are expected to resume in {place} next week, {speaker} told reporters.",
    '"We will not accept any agreement that ignores the people of {place}," {leader} said in a televised address.',
    "{group} said they had taken control of {n} villages around {place} after heavy fighting {day}.",
    "The United Nations said {n},{m}00 people had fled {place} since the start of the month.",
    "{leader} called for an immediate halt to the fighting and urged all sides to protect civilians.",
    "{speaker} said {n} soldiers were killed and {m} were missing after the attack on a convoy near {place}.",
    "{group} protested outside government buildings in {place} {day}, demanding the release of detainees.",
    "Officials in {place} announced new sanctions on {n} companies accused of supplying weapons.",
    "{leader} warned that the government would respond if the attacks on {place} continued.",
    "Aid agencies delivered {n} tonnes of food and medicine to {place} {day}, {speaker} said.",
    '"The situation in {place} is deteriorating by the hour," {leader} said, adding that hospitals were running out of fuel.',
    "{speaker} said the agreement signed in {place} {day} would allow {n} trucks a day to cross the border.",
    "{group} arrested {n} people in {place} {day} on suspicion of planning attacks, {speaker} said.",
    "Fighting in {place} has killed more than {n}{m} people this year, according to local officials.",
    "{leader} rejected the proposal, saying it would reward aggression.",
]  # fmt: skip


@dataclass(slots=True)
class BenchArticle:
    id: str
    text: str
    published: str | None


def generate(
    n: int, seed: int = 20250519, sentences: tuple[int, int] = (12, 22)
) -> list[BenchArticle]:
    """``n`` synthetic wire stories (about 250-450 words each), identical for a given seed."""
    rng = random.Random(seed)
    start = dt.date(2025, 1, 6)
    articles = []
    for i in range(n):
        published = start + dt.timedelta(days=rng.randrange(300))
        city, country = rng.choice(PLACES)
        lines = [f"{city.upper()}, {published:%B} {published.day} (Sitrep Wire) - "]
        body = []
        for _ in range(rng.randint(*sentences)):
            leader, leader2 = rng.sample(LEADERS, 2)
            sentence = rng.choice(TEMPLATES).format(
                group=rng.choice(GROUPS), place=rng.choice([city, city, rng.choice(PLACES)[0]]),
                day=rng.choice(DAYS), n=rng.randint(2, 90), m=rng.randint(1, 9),
                speaker=rng.choice(SPEAKERS), leader=leader, leader2=leader2,
            )  # fmt: skip
            body.append(sentence[0].upper() + sentence[1:])
        paragraphs = [" ".join(body[j : j + 3]) for j in range(0, len(body), 3)]
        text = lines[0] + "\n\n".join(paragraphs) + f"\n\nReporting from {city}, {country}.\n"
        articles.append(BenchArticle(f"gen-{i}", text, published.isoformat()))
    return articles


def _reuters_date(value: object) -> str | None:
    """Reuters-21578 dates look like ``26-FEB-1987 15:01:01.79``."""
    try:
        return dt.datetime.strptime(str(value)[:11], "%d-%b-%Y").date().isoformat()
    except ValueError:
        return None


def sample_jsonl(path: Path, n: int, seed: int = 7) -> list[BenchArticle]:
    """A seeded random sample of ``n`` stories (with non-empty text) from a JSONL corpus."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SitrepError(Errors.E455, path=path, detail=exc.strerror or str(exc)) from None
    stories = []
    for lineno, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        text = obj.get("text") if isinstance(obj, dict) else None
        if isinstance(text, str) and len(text.split()) >= 20:
            stories.append(BenchArticle(str(obj.get("id", lineno)), text,
                                        _reuters_date(obj.get("published"))))  # fmt: skip
    if not stories:
        raise SitrepError(Errors.E455, path=path, detail="no usable stories")
    rng = random.Random(seed)
    return rng.sample(stories, min(n, len(stories)))


def write_jsonl(articles: list[BenchArticle], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "text": a.text, "published": a.published}) + "\n")
    return path
