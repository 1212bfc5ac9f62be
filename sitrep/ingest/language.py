"""Cheap, dependency-free language identification: is this English?

Counts function words of a few Latin-script languages and the share of letters in
non-Latin scripts. Good enough to keep non-English articles out of an English pipeline;
not a general language identifier.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that for it was on with as by he said at from his an were are which this be has have had not but they who".split()),
    "fr": frozenset("le la les des et est une dans que pour qui sur pas par au avec sont du ce il elle ont été".split()),
    "de": frozenset("der die das und ist nicht ein eine zu den mit von sich des auf für im dem wird sie er auch".split()),
    "es": frozenset("el la los las y en que del por una con para es se al lo como más pero sus fue".split()),
    "it": frozenset("il la di che e una sono del della non gli con si le da anche nel alla".split()),
    "pt": frozenset("o a os as de que e do da em um uma para com não por se dos das foi ao".split()),
    "nl": frozenset("de het een en van is dat niet op te zijn met voor die aan er maar ook".split()),
}  # fmt: skip

_MIN_HITS = 4  # function words needed before a language is named

# word -> the languages it is a function word of (one-letter words never count, see below)
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _stops in _STOPWORDS.items():
    for _w in _stops:
        if len(_w) > 1:
            _LANGS_OF[_w] = (*_LANGS_OF.get(_w, ()), _lang)
# deletes every ASCII character that is not a letter (str.isalpha), to count letters fast
_ASCII_NON_LETTERS = str.maketrans("", "", "".join(chr(i) for i in range(128)
                                                   if not chr(i).isalpha()))  # fmt: skip

_SCRIPTS = {"CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "HEBREW": "he", "CJK": "zh",
            "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "DEVANAGARI": "hi", "THAI": "th"}  # fmt: skip


def detect_language(text: str, sample: int = 5000) -> tuple[str, float]:
    """Return ``(language_code, confidence)``; ``"und"`` when there is too little text."""
    chunk = text[:sample]
    if chunk.isascii():  # the common case: no other script, lower() keeps every word
        if len(chunk.translate(_ASCII_NON_LETTERS)) < 20:
            return "und", 0.0
        words = _WORD.findall(chunk.lower())
    else:
        letters = [ch for ch in chunk if ch.isalpha()]
        if len(letters) < 20:
            return "und", 0.0
        scripts: dict[str, int] = {}
        for ch in letters:
            if ord(ch) < 0x250:
                continue
            name = unicodedata.name(ch, "")
            for key, lang in _SCRIPTS.items():
                if name.startswith(key):
                    scripts[lang] = scripts.get(lang, 0) + 1
                    break
        if scripts:
            lang, count = max(scripts.items(), key=lambda kv: kv[1])
            if count > len(letters) * 0.3:
                return lang, count / len(letters)
        words = [w.lower() for w in _WORD.findall(chunk)]
    if not words:
        return "und", 0.0
    # one-letter words ("a", "e", "o", "y") are shared by several languages and by
    # abbreviations in tables ("Shr 1.65 dlrs vs 1.50"): they are no evidence
    hits = dict.fromkeys(_STOPWORDS, 0)
    for w, n in Counter(words).items():
        for lang in _LANGS_OF.get(w, ()):
            hits[lang] += n
    scores = {lang: n / len(words) for lang, n in hits.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 0.03 or hits[best] < _MIN_HITS:
        return "und", scores[best]
    if best != "en" and hits[best] < 2 * hits["en"]:
        return "und", scores[best]  # English with foreign words or a table: not decided
    return best, scores[best]


def is_english(text: str) -> tuple[bool, str]:
    """``(True, "en")`` for English or undecidable short text, else ``(False, code)``."""
    lang, _ = detect_language(text)
    return lang in ("en", "und"), lang
