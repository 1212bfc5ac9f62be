"""CSV/TSV files of articles, one per row, with configurable column names.

The header row names the columns; ``Columns`` maps sitrep's fields (text, id, title,
published, source, url) to them (``--column text=body``). A bad row is one error; the
other rows go on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from sitrep.errors import Errors, InputError, SitrepError

CSV_SUFFIXES = {".csv", ".tsv"}
FIELDS = ("text", "id", "title", "published", "source", "url")


@dataclass(frozen=True, slots=True)
class Columns:
    """Which input column (CSV header or JSON key) holds each article field."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    published: str = "published"
    source: str = "source"
    url: str = "url"

    @classmethod
    def parse(cls, specs: tuple[str, ...] | list[str]) -> Columns:
        """From ``["text=body", "published=date"]``; raises ``SitrepError`` E321."""
        names = {f.name for f in fields(cls)}
        mapping: dict[str, str] = {}
        for spec in specs:
            key, sep, value = spec.partition("=")
            if not sep or key.strip() not in names or not value.strip():
                raise SitrepError(Errors.E321, value=spec, fields=", ".join(FIELDS))
            mapping[key.strip()] = value.strip()
        return cls(**mapping)


def read_csv(path: Path, data: bytes, origin: str, columns: Columns) -> Iterator[object]:
    """``RawArticle`` or ``InputError`` per row."""
    from sitrep.ingest.readers import RawArticle, parse_published

    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield InputError(Errors.E004, input=origin, offset=exc.start)
        return
    if not content.strip():
        yield InputError(Errors.E002, input=origin)
        return
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if delimiter == ",":
        try:
            delimiter = csv.Sniffer().sniff(content[:4096], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(20 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    if columns.text not in header:
        yield InputError(Errors.E319, input=origin,
                         detail=f"no {columns.text!r} column (columns: {', '.join(header)[:200]};"
                                " use --column text=NAME)")  # fmt: skip
        return
    try:
        for row in reader:
            lineno = reader.line_num
            where = f"{origin}:{lineno}"
            if None in row:
                yield InputError(
                    Errors.E319, input=origin, detail=f"line {lineno}: more fields than the header"
                )
                continue
            text = (row.get(columns.text) or "").strip()
            if not text:
                yield InputError(Errors.E007, input=origin, line=lineno)
                continue
            try:
                published = parse_published(row.get(columns.published), where)
            except InputError as err:
                yield err
                continue
            yield RawArticle(
                text=row[columns.text], origin=where,
                id=(row.get(columns.id) or "").strip() or f"{path.stem}-{lineno}",
                title=row.get(columns.title) or None, published=published,
                source=row.get(columns.source) or None, url=row.get(columns.url) or None,
            )  # fmt: skip
    except csv.Error as exc:
        yield InputError(Errors.E319, input=origin, detail=f"line {reader.line_num}: {exc}")
