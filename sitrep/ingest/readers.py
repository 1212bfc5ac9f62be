"""Read articles from paths, directories, stdin and JSONL files.

Readers never raise for a bad item: they yield an ``InputError`` in its place so a
batch keeps going and can list what failed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import glob
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sitrep.errors import Errors, InputError

MAX_BYTES = 20 * 1024 * 1024  # one article; larger is almost certainly not an article
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_GLOB = re.compile(r"[*?\[]")


@dataclass(slots=True)
class RawArticle:
    """An article as read, before analysis."""

    text: str
    origin: str  # where it came from, for messages: a path, "path:line" or "<stdin>"
    id: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None


_DATE_FORMATS = (
    "%d-%b-%Y %H:%M:%S.%f",  # Reuters-21578: 26-FEB-1987 15:01:01.79
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%Y/%m/%d",
    "%Y%m%d",
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


def parse_published(value: object, origin: str) -> str | None:
    """Normalise a publication date to ``YYYY-MM-DD``.

    Accepts ISO dates and timestamps, RFC 2822 (feeds, e-mail), and the common newswire forms
    in ``_DATE_FORMATS``. Anything else, or anything without a four-digit year (no relative
    dates such as "yesterday"), is an error rather than a guess.
    """
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    if _YEAR.search(text):
        try:
            return email.utils.parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
    raise InputError(Errors.E009, input=origin, value=value)


def read_text_bytes(data: bytes, origin: str) -> str:
    """Decode article bytes strictly, with a clear error for binary or non-UTF-8 input."""
    if len(data) > MAX_BYTES:
        raise InputError(
            Errors.E005, input=origin, size_mb=len(data) / 1e6, limit_mb=MAX_BYTES // 1_000_000
        )
    if not data:
        raise InputError(Errors.E002, input=origin)
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(Errors.E003, input=origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Errors.E004, input=origin, offset=exc.start) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(Errors.E003, input=origin)
    if not text.strip():
        raise InputError(Errors.E010, input=origin)
    return text


def _read_jsonl(
    path: Path, data: bytes, origin: str, columns: Columns | None = None
) -> Iterator[RawArticle | InputError]:
    cols = columns or Columns()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputError(Errors.E004, input=origin, offset=exc.start)
        return
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(Errors.E006, input=origin, line=lineno, detail=exc.msg)
            continue
        if not isinstance(obj, dict):
            yield InputError(Errors.E006, input=origin, line=lineno, detail="not an object")
            continue
        text = obj.get(cols.text)
        if not isinstance(text, str) or not text.strip():
            yield InputError(Errors.E007, input=origin, line=lineno)
            continue
        try:
            published = parse_published(obj.get(cols.published), where)
        except InputError as err:
            yield err
            continue
        yield RawArticle(
            text=text,
            origin=where,
            id=str(obj[cols.id]) if obj.get(cols.id) is not None else f"{path.stem}-{lineno}",
            title=obj.get(cols.title),
            published=published,
            source=obj.get(cols.source),
            url=obj.get(cols.url),
        )


def _read_path(
    path: Path, options: IngestOptions | None = None
) -> Iterator[RawArticle | InputError]:
    origin = str(path)
    options = options or IngestOptions()
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES and suffix not in JSONL_SUFFIXES | CSV_SUFFIXES:
            yield InputError(
                Errors.E005, input=origin, size_mb=size / 1e6, limit_mb=MAX_BYTES // 1_000_000
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(Errors.E050, input=origin, detail=exc.strerror or str(exc))
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        if not data.strip():
            yield InputError(Errors.E002, input=origin)
            return
        yield from _read_jsonl(path, data, origin, options.columns)
        return
    if suffix in CSV_SUFFIXES:
        yield from read_csv(path, data, origin, options.columns)  # type: ignore[misc]
        return
    if suffix in FEED_SUFFIXES or (suffix not in HTML_SUFFIXES and looks_like_feed(data)):
        yield from feed_articles(data, origin, options.fetch)  # type: ignore[misc]
        return
    if suffix in HTML_SUFFIXES or looks_like_html(data):
        try:
            art = html_article(data, origin)
        except InputError as err:
            yield err
            return
        art.id = path.stem  # type: ignore[attr-defined]
        yield art  # type: ignore[misc]
        return
    try:
        text = read_text_bytes(data, origin)
    except InputError as err:
        yield err
        return
    yield RawArticle(text=text, origin=origin, id=path.stem)


def _one_object_per_line(data: bytes) -> bytes:
    """A single pretty-printed JSON object becomes one line; JSON Lines stay as they are."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data
    return json.dumps(obj).encode() if isinstance(obj, dict) else data


def iter_inputs(
    paths: list[str], options: IngestOptions | None = None
) -> Iterator[RawArticle | InputError]:
    """Yield an article or an error for every input named by ``paths``: files (text,
    JSONL, CSV/TSV, HTML, RSS/Atom), directories (recursive, by extension), globs,
    http(s) URLs (pages or feeds) and "-" for stdin (text or HTML)."""
    options = options or IngestOptions()
    for name in paths:
        if name == "-":
            data = sys.stdin.buffer.read()
            if data.lstrip()[:1] == b"{":  # JSON Lines (or one JSON object) on stdin
                yield from _read_jsonl(Path("stdin"), _one_object_per_line(data), "<stdin>",
                                       options.columns)  # fmt: skip
                continue
            try:
                if looks_like_html(data):
                    yield html_article(data, "<stdin>")  # type: ignore[misc]
                else:
                    yield RawArticle(text=read_text_bytes(data, "<stdin>"), origin="<stdin>")
            except InputError as err:
                yield err
            continue
        if is_url(name):
            yield from read_url(name, options.fetch)  # type: ignore[misc]
            continue
        path = Path(name)
        if not path.exists() and _GLOB.search(name):
            matches = sorted(Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file())
            if not matches:
                yield InputError(Errors.E320, input=name)
            for file in matches:
                yield from _read_path(file, options)
        elif not path.exists():
            yield InputError(Errors.E001, input=name)
        elif path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in INPUT_SUFFIXES
            )
            if not files:
                yield InputError(Errors.E011, input=name)
            for file in files:
                yield from _read_path(file, options)
        else:
            yield from _read_path(path, options)


from sitrep.ingest.csvin import CSV_SUFFIXES, Columns, read_csv  # noqa: E402
from sitrep.ingest.feeds import FEED_SUFFIXES, looks_like_feed  # noqa: E402
from sitrep.ingest.fetch import is_url  # noqa: E402
from sitrep.ingest.html import HTML_SUFFIXES, looks_like_html  # noqa: E402
from sitrep.ingest.sources import IngestOptions, feed_articles, html_article, read_url  # noqa: E402

INPUT_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
