"""Parse numbers written in digits or words ("1,200", "3.5 million", "twenty-one", "dozens of").

The word list lives in ``sitrep/data/numbers/number_words.tsv`` (format in the README there).
Shared by the number extractor and the time resolver ("three days ago").
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "numbers"

_GLUED = re.compile(r"(\d)([a-z])")  # "3bn" -> "3 bn"
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


@functools.lru_cache(maxsize=1)
def number_words() -> dict[str, tuple[float, str | None]]:
    """word or phrase (lower case) -> (value, qualifier or None)."""
    table: dict[str, tuple[float, str | None]] = {}
    for line in (DATA / "number_words.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        table[cols[0].lower()] = (float(cols[1]), cols[2] if len(cols) > 2 and cols[2] else None)
    return table


@functools.lru_cache(maxsize=1)
def _scales() -> dict[str, float]:
    return {w: v for w, (v, q) in number_words().items()
            if q is None and (v >= 100 or w == "dozen") and " " not in w}  # fmt: skip


def scale_words() -> dict[str, float]:
    """Scale words ("hundred", "mln", "billion", "dozen") and what they multiply by."""
    return _scales()


@functools.lru_cache(maxsize=1)
def _simple() -> dict[str, float]:
    return {w: v for w, (v, q) in number_words().items()
            if q is None and v < 100 and " " not in w and w != "dozen"}  # fmt: skip


@functools.lru_cache(maxsize=1)
def word_pattern() -> str:
    """A regex alternation (no groups) matching one number written in words or digits."""
    simple = sorted(_simple(), key=len, reverse=True)
    scales = sorted(_scales(), key=len, reverse=True)
    simple_re = "|".join(simple)
    word = rf"(?:{simple_re})(?:[- ](?:{simple_re}))?"
    scale = "|".join(scales)
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    return (rf"(?:(?:{digits})(?:(?:bn|mln|mn)\b|\s+(?:{scale}))?"
            rf"|(?:{word})(?:\s+(?:{scale})(?:\s+(?:and\s+)?(?:{word}))?)*"
            rf"|an?(?=\s+(?:{scale}|dozen)\b)(?:\s+(?:{scale}|dozen)))")  # fmt: skip


def parse_number(text: str) -> tuple[float, str | None] | None:
    """Value and qualifier of a number phrase, or None when it is not one.

    >>> parse_number("3.5 million")
    (3500000.0, None)
    >>> parse_number("twenty-one")
    (21.0, None)
    >>> parse_number("hundreds of")
    (100.0, 'at least')
    """
    if text.isascii() and text.isdigit():  # "12": what the general path below gives
        return float(text), None
    cleaned = " ".join(_GLUED.sub(r"\1 \2", text.lower().replace("-", " ")).split())
    if not cleaned:
        return None
    if _DIGITS.match(cleaned):
        return float(cleaned.replace(",", "")), None
    table = number_words()
    if cleaned in table:
        return table[cleaned]
    if cleaned.endswith("s") and cleaned[:-1] in _scales():  # "hundreds", "thousands"
        return table.get(cleaned + " of")
    total = Decimal(0)  # Decimal: "67.1 mln" is 67100000, not 67099999.99999999
    current: Decimal | None = None
    for word in cleaned.split():
        if word == "and":
            continue
        if word in ("a", "an") and current is None:
            current = Decimal(1)
            continue
        if _DIGITS.match(word):
            if current is not None:
                return None
            current = Decimal(word.replace(",", ""))
        elif word in _simple():
            current = (current or Decimal(0)) + Decimal(int(_simple()[word]))
        elif word in _scales():
            scale = Decimal(int(_scales()[word]))
            current = (current if current is not None else Decimal(1)) * scale
            if scale >= 1000:
                total += current
                current = None
        else:
            return None
    return float(total + (current or Decimal(0))), None
