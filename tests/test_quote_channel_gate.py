"""The channel shortcut (``Channel.may_match``) never skips a sentence the regex matches."""

import re

import pytest

from sitrep.extract.quote_lexicon import Channel, literal_needles, load_lexicon

SENTENCES = [
    "He said in a statement on Telegram that talks would resume.",
    "Speaking to CNN, the minister said the STATEMENT was false.",
    "In a video address, she told Parliament the ceasefire held.",
    "Officials posted on X that the convoy had arrived.",
    "The TASS agency quoted him; RIA Novosti said the same.",
    "A spokesman told a news conference in Geneva on Monday.",
    "Nothing here names a medium at all, he said.",
    "the cnn report and the bbc story were both lower-case.",
    "Sky News and Fox News interviewed the VKontakte founder.",
]


def test_needles_are_read_off_patterns():
    assert literal_needles(re.compile(r"\bTelegram\b", re.IGNORECASE)) == ("telegram",)
    assert literal_needles(re.compile(r"\bCNN\b")) == ("CNN",)
    assert literal_needles(re.compile(r"\bVK\b|\bVKontakte\b")) == ("VK",)
    # a run after a group; one run from each alternative
    assert literal_needles(re.compile(r"\b(?:on|via) X\b")) == (" X",)
    assert literal_needles(re.compile(r"\b(?:[Tt]alking|told)\s+to")) == ("alking", "told")
    assert literal_needles(re.compile(r"\bvideo\s+address\b|\bnightly\s+message\b", re.I)) == (
        "video",
        "nightly",
    )
    # nothing literal, a run only in an optional part, or non-ASCII text: no shortcut
    assert literal_needles(re.compile(r"[A-Z]\w+")) is None
    assert literal_needles(re.compile(r"(?:abc)?\d+")) is None
    assert literal_needles(re.compile(r"\bTélé\b", re.IGNORECASE)) is None


@pytest.mark.parametrize("sentence", SENTENCES)
def test_gate_agrees_with_the_regex(sentence):
    for ch in load_lexicon().channels:
        if ch.pattern.search(sentence):
            assert ch.may_match(sentence, sentence.lower()), ch.name


def test_gate_skips_only_impossible_matches():
    ch = Channel("CNN", True, re.compile(r"\bCNN\b"), ("CNN",))
    assert not ch.may_match("the cnn report", "the cnn report")
    assert ch.may_match("on CNN today", "on cnn today")
