"""The channel shortcut (``Channel.may_match``) never skips a sentence the regex matches."""

import re

import pytest

from sitrep.extract.quote_lexicon import Channel, literal_prefixes, load_lexicon

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


def test_prefixes_are_read_off_simple_patterns():
    assert literal_prefixes(re.compile(r"\bTelegram\b", re.IGNORECASE)) == ("telegram",)
    assert literal_prefixes(re.compile(r"\bCNN\b")) == ("CNN",)
    assert literal_prefixes(re.compile(r"\bVK\b|\bVKontakte\b")) == ("VK",)
    # an alternative that starts with a group, or non-ASCII text: no shortcut
    assert literal_prefixes(re.compile(r"\b(?:on|via) X\b")) is None
    assert literal_prefixes(re.compile(r"\bTélé\b", re.IGNORECASE)) is None


@pytest.mark.parametrize("sentence", SENTENCES)
def test_gate_agrees_with_the_regex(sentence):
    for ch in load_lexicon().channels:
        if ch.pattern.search(sentence):
            assert ch.may_match(sentence, sentence.lower()), ch.name


def test_gate_skips_only_impossible_matches():
    ch = Channel("CNN", True, re.compile(r"\bCNN\b"), ("CNN",))
    assert not ch.may_match("the cnn report", "the cnn report")
    assert ch.may_match("on CNN today", "on cnn today")
