"""Turn a recognised time expression (kind + groups) into a value, given the publication date.

Values: ``"YYYY-MM-DD"`` (granularity day), ``"YYYY-MM"`` (month), ``"YYYY"`` (year),
``{"start": ..., "end": ...}`` (week, weekend, night, quarter, half, season, decade, range),
``"P..."`` ISO-8601 durations (duration), ``None`` (time of day without a date, or a relative
expression when the publication date is unknown).

Tense is ``"past"``, ``"future"`` or ``None`` (unknown) and decides which side of the
publication date a weekday or a bare month falls on:

* a bare weekday that is the publication weekday is the publication day itself, whatever the
  tense (wire style: "said on Monday" in a story published on Monday);
* otherwise past tense -> the most recent such day before publication, future -> the next one,
  unknown -> the most recent one (news mostly reports what happened);
* "last Friday" is always strictly before, "next Friday" strictly after the publication day;
* a month (or day and month) without a year: past -> the latest one not after publication,
  future -> the next one not before it, unknown -> whichever is nearer (ties to the past).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from sitrep.extract.number_words import parse_number
from sitrep.resolve.times_grammar import Candidate, lexicon

Value = str | dict[str, str] | None
# Rough sizes for vague counts in rolling periods ("the next few weeks"): an approximation.
_VAGUE = {"few": 3.0, "a few": 3.0, "several": 3.0, "couple of": 2.0, "a couple of": 2.0,
          "a couple": 2.0}  # fmt: skip


def _month_num(name: str) -> int:
    return int(lexicon()["month"][name.rstrip(".")])


def _weekday_num(name: str) -> int:
    return int(lexicon()["weekday"][name])


def _unit_key(unit: str) -> str:
    u = unit.lower()
    if u == "centuries":
        return "century"
    return u[:-1] if u.endswith("s") and u[:-1] in lexicon()["unit"] else u


def _count(num: str | None) -> float | None:
    if num is None:
        return 1.0
    n = " ".join(num.lower().split())
    if n in ("a", "an"):
        return 1.0
    parsed = parse_number(n)
    if parsed is None or parsed[1] is not None:  # "several", "a few": no exact value
        return None
    return parsed[0]


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(day: dt.date, months: int) -> dt.date:
    idx = day.year * 12 + day.month - 1 + months
    y, m = divmod(idx, 12)
    return dt.date(y, m + 1, min(day.day, _last_day(y, m + 1)))


def _rng(start: object, end: object) -> dict[str, str]:
    return {"start": str(start), "end": str(end)}


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def duration_iso(amount: float, unit: str) -> str:
    """``duration_iso(9, "hour") == "PT9H"``; ``duration_iso(3, "day") == "P3D"``."""
    code = lexicon()["unit"][unit]
    num = f"{amount:g}" if amount != int(amount) else str(int(amount))
    if code.startswith("T"):
        return f"PT{num}{code[1:]}"
    if code == "10Y":
        return f"P{int(amount * 10)}Y"
    if code == "100Y":
        return f"P{int(amount * 100)}Y"
    return f"P{num}{code}"


def _pick_year_month(month: int, day: int | None, pub: dt.date, tense: str | None) -> int:
    """The year for a month (and day) given without one."""

    def when(y: int) -> dt.date:
        return dt.date(y, month, min(day or 1, _last_day(y, month)))

    this = when(pub.year)
    ref = pub if day else pub.replace(day=1)
    if tense == "past":
        return pub.year if this <= ref else pub.year - 1
    if tense == "future":
        return pub.year if this >= ref else pub.year + 1
    before = this if this <= ref else when(pub.year - 1)
    after = this if this >= ref else when(pub.year + 1)
    return before.year if (ref - before) <= (after - ref) else after.year


def _weekday_date(wd: int, pub: dt.date, tense: str | None, rel: str | None) -> dt.date:
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    rel = (rel or "").lower()
    if rel in ("last", "past", "previous"):
        return pub - dt.timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return pub + dt.timedelta(days=ahead or 7)
    if back == 0:
        return pub
    if tense == "future":
        return pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back)


def _shift(pub: dt.date, amount: float, unit: str, sign: int) -> tuple[Value, str]:
    """A point ``amount`` units before (sign -1) or after (+1) publication."""
    n = int(amount)
    if unit in ("second", "minute", "hour"):
        return str(pub + dt.timedelta(hours=sign * amount if unit == "hour" else 0)), "day"
    if unit == "day":
        return str(pub + dt.timedelta(days=sign * n)), "day"
    if unit == "week":
        mid = pub + dt.timedelta(days=sign * 7 * n)
        monday = mid - dt.timedelta(days=mid.weekday())
        return _rng(monday, monday + dt.timedelta(days=6)), "week"
    if unit == "month":
        d = _add_months(pub, sign * n)
        return _ym(d.year, d.month), "month"
    years = n * {"year": 1, "decade": 10, "century": 100}[unit]
    return str(pub.year + sign * years), "year"


def _period(per: str, rel: str, pub: dt.date) -> tuple[Value, str]:
    """this/last/next week|weekend|month|year|decade|quarter."""
    step = {"last": -1, "past": -1, "previous": -1, "prior": -1, "next": 1, "coming": 1}.get(rel, 0)
    if per == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        return _rng(monday, monday + dt.timedelta(days=6)), "week"
    if per == "weekend":
        saturday = pub + dt.timedelta(days=(5 - pub.weekday()) % 7)
        if step < 0 or (step == 0 and pub.weekday() == 6):
            saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7 or 7)
            if step == 0:
                saturday = pub - dt.timedelta(days=1)
        elif step > 0 and pub.weekday() >= 5:
            saturday = saturday + dt.timedelta(weeks=1)
        return _rng(saturday, saturday + dt.timedelta(days=1)), "weekend"
    if per == "month":
        d = _add_months(pub.replace(day=1), step)
        return _ym(d.year, d.month), "month"
    if per == "year":
        return str(pub.year + step), "year"
    if per == "decade":
        start = pub.year // 10 * 10 + 10 * step
        return _rng(start, start + 9), "decade"
    q = (pub.month - 1) // 3 + step  # quarter, may be negative or > 3
    y, q = pub.year + q // 4, q % 4
    return _rng(_ym(y, 3 * q + 1), _ym(y, 3 * q + 3)), "quarter"


def _edge_range(per: str, pre: str, pub: dt.date) -> tuple[Value, str]:
    """ "earlier this year" -> from Jan 1 to publication; "later this month" -> to its end."""
    if per == "week":
        first = pub - dt.timedelta(days=pub.weekday())
        last = first + dt.timedelta(days=6)
    elif per == "month":
        first, last = pub.replace(day=1), pub.replace(day=_last_day(pub.year, pub.month))
    else:
        first, last = dt.date(pub.year, 1, 1), dt.date(pub.year, 12, 31)
    if pre.startswith("earl"):
        return _rng(first, pub), "range"
    return _rng(pub, last), "range"


def resolve(c: Candidate, pub: dt.date | None, tense: str | None) -> tuple[Value, str]:
    """(value, granularity) for a candidate; relative ones need ``pub``."""
    try:
        value, granularity = _resolve(c, pub, tense)
    except (OverflowError, ValueError, KeyError):  # odd day numbers, out-of-range dates
        return None, "unknown"
    if granularity != "duration" and not _plausible(value):
        return None, "unknown"  # "900,000 years ago"
    return value, granularity


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _plausible(value: Value) -> bool:
    """An ISO date (or range of them) between the years 1000 and 2999."""
    if value is None:
        return True
    parts = [value["start"], value["end"]] if isinstance(value, dict) else [value]
    return all(_ISO.match(p) and "1000" <= p[:4] <= "2999" for p in parts)


def _resolve(c: Candidate, pub: dt.date | None, tense: str | None) -> tuple[Value, str]:
    g = c.groups
    kind = c.kind
    if kind in ("iso", "dmy", "mdy"):
        month = int(g["m"]) if kind == "iso" else _month_num(g["month"])
        try:
            return str(dt.date(int(g["y"]), month, int(g["d"]))), "day"
        except ValueError:
            return None, "unknown"
    if kind == "numeric":  # 24.02.2022 is day-first; 2/24/2022 month-first unless impossible
        a, b = int(g["a"]), int(g["b"])
        day, month = (a, b) if g["sep"] == "." or a > 12 else (b, a)
        try:
            return str(dt.date(int(g["y"]), month, day)), "day"
        except ValueError:
            return None, "unknown"
    if kind == "my":
        return _ym(int(g["y"]), _month_num(g["month"])), "month"
    if kind in ("year", "bare_year"):
        return g["body"], "year"
    if kind == "holiday" and g.get("y"):
        month, day = (int(x) for x in lexicon()["holiday"][g["hol"]].split("-"))
        return str(dt.date(int(g["y"]), month, day)), "day"
    if kind == "yrange":
        y1 = g["y1"]
        y2 = g.get("y2") or y1[:2] + g["y2s"]  # "2022-23"
        return (_rng(y1, y2), "range") if y2 > y1 else (None, "unknown")
    if kind == "decade":
        dec = g["dec"]
        start = int(dec) if dec[0].isdigit() else 1900 + int(dec[1:])
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(
            (g.get("mod") or "").lower(), (0, 9)
        )
        return _rng(start + lo, start + hi), "decade"
    if kind == "duration" or (kind == "in_n" and tense != "future"):
        amount = _count(g.get("num"))
        unit = _unit_key(g["unit"])
        return (duration_iso(amount, unit) if amount else None), "duration"
    if kind == "clock":
        return None, "time"
    if kind == "qnum" and g.get("y"):
        q = int(g["q"])
        return _rng(_ym(int(g["y"]), 3 * q - 2), _ym(int(g["y"]), 3 * q)), "quarter"
    if kind == "quarter" and g.get("y"):
        return _quarter(g["ord"].lower(), g["per"].lower(), int(g["y"])), g["per"].lower()
    if kind == "season" and g.get("y"):
        return _season(g["season"].lower(), int(g["y"])), "season"

    # Everything below is relative to the publication date.
    if pub is None:
        return None, _granularity_without_pub(kind, g)
    if kind == "holiday":
        month, day = (int(x) for x in lexicon()["holiday"][g["hol"]].split("-"))
        return str(dt.date(_pick_year_month(month, day, pub, tense), month, day)), "day"
    if kind == "weekend":  # "over the weekend": the last one, or the next in a future clause
        return _period("weekend", "next" if tense == "future" else "last", pub)
    if kind in ("dm", "md", "wd_date", "md_word"):
        month = _month_num(g.get("month") or g["month2"])
        if kind == "md_word":
            day = int(lexicon()["day_word"][" ".join(g["dw"].lower().split())])
        else:
            day = int(g.get("d") or g["d2"])
        if g.get("y"):
            year = int(g["y"])
        else:
            year = _pick_year_month(month, day, pub, tense if kind != "wd_date" else None)
        try:
            return str(dt.date(year, month, day)), "day"
        except ValueError:
            return None, "unknown"
    if kind == "m":
        month = _month_num(g["month"])
        rel = (g.get("rel") or "").lower()
        if rel == "this":
            year = pub.year
        elif rel in ("last", "past"):
            year = pub.year if month < pub.month else pub.year - 1
        elif rel in ("next", "coming"):
            year = pub.year if month > pub.month else pub.year + 1
        else:
            year = _pick_year_month(month, None, pub, tense)
        return _ym(year, month), "month"
    if kind in ("weekday", "part_wd"):
        return str(_weekday_date(_weekday_num(g["wd"]), pub, tense, g.get("rel"))), "day"
    if kind == "relday":
        return _relday(g, pub)
    if kind == "relperiod":
        per, rel = g["per"].lower(), g["rel"].lower()
        if g.get("pre") and rel in ("this", "current"):
            return _edge_range(per, g["pre"].strip().lower(), pub)
        if (
            g.get("the")
            and rel in ("past", "last", "next", "coming")
            and per in ("week", "month", "year", "decade")
        ):
            return _rolling(1.0, per, rel, pub)
        return _period(per, "this" if rel == "current" else rel, pub)
    if kind == "edge":  # "the end of the year": that period, coarse
        return _period(g["per"].lower(), "this", pub)
    if kind == "inthe":
        return _edge_range(g["per"].lower(), g["pre"].lower(), pub)
    if kind == "season":
        return _season(g["season"].lower(), _season_year(g, pub)), "season"
    if kind == "quarter":
        ordinal, per = g["ord"].lower(), g["per"].lower()
        if ordinal == "last" and per == "quarter":
            return _period("quarter", "last", pub)
        year = pub.year
        value = _quarter(ordinal, per, year)
        if value["start"] > _ym(pub.year, pub.month) and tense != "future":
            value = _quarter(ordinal, per, year - 1)
        return value, per
    if kind == "qnum":
        q = int(g["q"])
        year = pub.year if 3 * q - 2 <= pub.month or tense == "future" else pub.year - 1
        return _rng(_ym(year, 3 * q - 2), _ym(year, 3 * q)), "quarter"
    if kind == "ago":
        amount = _count(g.get("num"))
        if amount is None:
            return None, "unknown"
        sign = -1 if g["dir"].lower() == "ago" else 1
        return _shift(pub, amount, _unit_key(g["unit"]), sign)
    if kind == "in_n":  # future tense: "will meet in two weeks"
        amount = _count(g.get("num"))
        if amount is None:
            return None, "unknown"
        return _shift(pub, amount, _unit_key(g["unit"]), 1)
    if kind == "rolling":
        amount = _count(g.get("num")) or _VAGUE.get(" ".join((g.get("num") or "").lower().split()))
        if amount is None:
            return None, "range"
        return _rolling(amount, _unit_key(g["unit"]), g["rel"].lower(), pub)
    if kind == "recent":
        span = {"days": 7, "weeks": 30, "months": 180, "years": 5 * 365}[g["unit"].lower()]
        return _rng(pub - dt.timedelta(days=span), pub), "range"
    return None, "unknown"


def _granularity_without_pub(kind: str, g: dict[str, str]) -> str:
    if kind in ("dm", "md", "md_word", "wd_date", "weekday", "part_wd", "relday", "ago", "holiday"):
        return "day"
    if kind == "m":
        return "month"
    return "unknown"


def _relday(g: dict[str, str], pub: dt.date) -> tuple[Value, str]:
    one = dt.timedelta(days=1)
    if g.get("overnight") or g.get("lastnight"):
        return _rng(pub - one, pub), "night"
    if g.get("this"):
        return str(pub), "day"
    if g.get("dir"):
        offset = -2 if g["dir"].lower().startswith("before") else 2
        return str(pub + dt.timedelta(days=offset)), "day"
    word = g["w"].lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    return str(pub + dt.timedelta(days=offset)), "day"


def _rolling(amount: float, unit: str, rel: str, pub: dt.date) -> tuple[Value, str]:
    """ "the past 24 hours" -> {pub - 1 day, pub}; "the next two weeks" -> {pub, pub + 14}."""
    if unit in ("second", "minute", "hour"):
        hours = amount if unit == "hour" else amount / (60 if unit == "minute" else 3600)
        delta = dt.timedelta(days=max(1, -(-int(hours) // 24)))
        start, end = pub - delta, pub + delta
    elif unit in ("day", "week"):
        days = int(amount * (7 if unit == "week" else 1))
        start, end = pub - dt.timedelta(days=days), pub + dt.timedelta(days=days)
    else:
        months = int(amount * {"month": 1, "year": 12, "decade": 120, "century": 1200}[unit])
        start, end = _add_months(pub, -months), _add_months(pub, months)
    if rel in ("next", "coming", "following"):
        return _rng(pub, end), "range"
    return _rng(start, pub), "range"


def _season_year(g: dict[str, str], pub: dt.date) -> int:
    """The year a season starts in: "this winter" in January started the previous December."""
    season = g["season"].lower()
    first, last = (int(x) for x in lexicon()["season"][season].split("-"))
    this = pub.year - 1 if last < first and pub.month <= last else pub.year
    start = dt.date(this, first, 1)
    end_year = this + 1 if last < first else this
    end = dt.date(end_year, last, _last_day(end_year, last))
    rel = (g.get("rel") or "this").lower()
    if rel in ("last", "past"):
        return this if pub > end else this - 1
    if rel == "next":
        return this if pub < start else this + 1
    return this


def _quarter(ordinal: str, per: str, year: int) -> dict[str, str]:
    n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
         "fourth": 4, "4th": 4, "final": 4, "last": 4}[ordinal]  # fmt: skip
    if per == "half":
        n = min(n, 2)
        return _rng(_ym(year, 6 * n - 5), _ym(year, 6 * n))
    return _rng(_ym(year, 3 * n - 2), _ym(year, 3 * n))


def _season(season: str, year: int) -> dict[str, str]:
    first, last = (int(x) for x in lexicon()["season"][season].split("-"))
    end_year = year + 1 if last < first else year
    return _rng(_ym(year, first), _ym(end_year, last))


def date_bounds(value: Value, granularity: str) -> tuple[str | None, str | None]:
    """First and last day (``YYYY-MM-DD``) covered by a time value; (None, None) for durations.

    ``date_bounds("2025-05", "month") == ("2025-05-01", "2025-05-31")``.
    """
    if value is None or granularity == "duration":
        return None, None
    if isinstance(value, dict):
        return _expand(value["start"], first=True), _expand(value["end"], first=False)
    return _expand(value, first=True), _expand(value, first=False)


def _expand(value: str, first: bool) -> str | None:
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return value
        year = int(parts[0])
        if len(parts) == 2:
            month = int(parts[1])
            return f"{value}-01" if first else f"{value}-{_last_day(year, month):02d}"
        return f"{year:04d}-01-01" if first else f"{year:04d}-12-31"
    except ValueError:
        return None
