"""Exports of stored events: csv and jsonl (the PLOVER-style table), parquet, plover
(a JSON array in the PLOVER/POLECAT layout) and acled (an ACLED-style CSV table)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sitrep.errors import Errors, SitrepError
from sitrep.export.tables import (
    ACLED_COLUMNS,
    PLOVER_COLUMNS,
    acled_rows,
    iter_events,
    plover_rows,
)
from sitrep.query import EventFilter

FORMATS = ("csv", "jsonl", "parquet", "plover", "acled")


def rows_for(
    store: Any, fmt: str, f: EventFilter | None = None
) -> tuple[tuple[str, ...], Iterator[dict[str, Any]]]:
    """The columns and rows a format exports."""
    events = iter_events(store, f)
    if fmt == "acled":
        return ACLED_COLUMNS, acled_rows(store, events)
    return PLOVER_COLUMNS, plover_rows(store, events)


def write_csv(columns: tuple[str, ...], rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
        n += 1
    return n


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_json_array(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    out.write("[")
    for row in rows:
        out.write(("," if n else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def write_parquet(columns: tuple[str, ...], rows: Iterator[dict[str, Any]], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise SitrepError(Errors.E330) from None
    data = list(rows)
    table = pa.Table.from_pylist([{k: r.get(k) for k in columns} for r in data],
                                 schema=_parquet_schema(pa, columns))  # fmt: skip
    pq.write_table(table, path)
    return len(data)


_INTS = {"event_text_start", "event_text_end", "killed", "injured", "fatalities", "year"}
_FLOATS = {"latitude", "longitude", "confidence"}


def _parquet_schema(pa: Any, columns: tuple[str, ...]) -> Any:
    def kind(c: str) -> Any:
        return pa.int64() if c in _INTS else pa.float64() if c in _FLOATS else pa.string()

    return pa.schema([(c, kind(c)) for c in columns])


def export(store: Any, fmt: str, out: Path | None, f: EventFilter | None = None,
           stdout: IO[str] | None = None) -> int:  # fmt: skip
    """Write the export; returns the number of rows. ``out=None`` writes to ``stdout``."""
    if fmt not in FORMATS:
        raise SitrepError(Errors.E331, fmt=fmt, choices=", ".join(FORMATS))
    columns, rows = rows_for(store, fmt, f)
    if fmt == "parquet":
        if out is None:
            raise SitrepError(Errors.E332)
        return _atomic(out, lambda tmp: write_parquet(columns, rows, tmp))

    def write(fh: IO[str]) -> int:
        if fmt in ("csv", "acled"):
            return write_csv(columns, rows, fh)
        if fmt == "jsonl":
            return write_jsonl(rows, fh)
        return write_json_array(rows, fh)

    if out is None:
        import sys

        return write(stdout or sys.stdout)

    def to_file(tmp: Path) -> int:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            return write(fh)

    return _atomic(out, to_file)


def _atomic(path: Path, writer: Any) -> int:
    """Write to a temp file beside ``path`` and rename: no half-written exports."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        n = writer(tmp)
        tmp.replace(path)
        return n
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SitrepError(Errors.E333, path=str(path), detail=exc.strerror or str(exc)) from None


__all__ = ["FORMATS", "export", "rows_for"]
