"""All user-facing errors, each with a stable code (like spaCy's ``Errors``).

Raise ``SitrepError(Errors.E001, path=...)``; the CLI prints ``error[E001]: ...`` on one
line and never a traceback. Add new codes at the end; never renumber.
"""

from __future__ import annotations


class Errors:
    E001 = "{input}: no such file or directory"
    E002 = "{input}: the file is empty"
    E003 = "{input}: looks like a binary file, not text"
    E004 = "{input}: not valid UTF-8 (first bad byte at offset {offset})"
    E005 = "{input}: too large ({size_mb:.1f} MB; the limit is {limit_mb} MB)"
    E006 = "{input}: line {line}: not a valid JSON object ({detail})"
    E007 = "{input}: line {line}: missing or empty 'text' field"
    E008 = "{input}: does not look like English (detected: {language})"
    E009 = "{input}: invalid publication date {value!r} (expected YYYY-MM-DD or a full date with a year)"
    E010 = "{input}: no text after stripping whitespace"
    E011 = "{input}: is a directory with no .txt, .jsonl or .json files"
    E020 = "database {url}: {detail}"
    E021 = (
        "database {url}: unsupported URL scheme {scheme!r} (use sqlite:///PATH or postgresql://...)"
    )
    E022 = "database {url}: schema version {found} is newer than this sitrep ({supported})"
    E030 = "knowledge base file {path}: {detail}"
    E040 = "evaluation file {path}: {detail}"
    E041 = "unknown evaluation {name!r} (choose from {choices})"
    E050 = "{input}: {detail}"

    # E300-E399: store, ingest (HTML/URL/feeds/CSV), queries and exports
    E300 = "invalid --{name} date {value!r} (expected YYYY-MM-DD)"
    E301 = "invalid paging: limit {limit}, offset {offset} (limit 0..{max}, offset >= 0)"
    E302 = "database {url}: PostgreSQL needs the psycopg package (pip install 'psycopg[binary]')"
    E310 = "{input}: cannot fetch: {detail}"
    E311 = "{input}: refusing to fetch from private, loopback or link-local address {address} (use --allow-private to allow)"
    E312 = "{input}: too many redirects ({detail})"
    E313 = "{input}: response larger than {limit_mb:.0f} MB"
    E314 = "{input}: HTTP error {status}"
    E315 = "{input}: unsupported URL {target!r} (only http:// and https://)"
    E316 = "{input}: no article text found in the HTML"
    E317 = "{input}: malformed feed: {detail}"
    E318 = "{input}: feed rejected: {detail}"
    E319 = "{input}: CSV: {detail}"
    E320 = "{input}: no files match this pattern"
    E321 = "invalid --column {value!r} (expected FIELD=NAME, FIELD one of {fields})"
    E322 = "{input}: unsupported content type {ctype!r} (expected HTML, plain text or a feed)"
    E330 = "parquet export needs pyarrow (pip install 'sitrep[parquet]')"
    E331 = "unknown export format {fmt!r} (choose from {choices})"
    E332 = "parquet is binary: give an output file with -o PATH"
    E333 = "cannot write {path}: {detail}"
    E340 = "invalid interval {value!r} (expected e.g. 30s, 10m, 1h)"
    E341 = "invalid --order {value!r} (expected asc or desc)"

    # E400-E449: HTTP API and web dashboard (sitrep serve)
    E400 = "refusing to serve on {host} without a token: set SITREP_TOKEN or --token (write endpoints need one off localhost)"
    E401 = "missing or invalid API token (send 'Authorization: Bearer TOKEN')"
    E402 = "bad request: {detail}"
    E403 = "no stored article {key!r}"
    E404 = "cross-site write refused (Origin {origin!r} is not this server)"
    E405 = "cannot fetch {url}: {detail}"
    E406 = "cannot start the server on {host}:{port}: {detail}"

    # E450-E499: batch processing (sitrep batch, Dask) and benchmarks
    E450 = "{input}: analysis failed ({detail})"
    E451 = "{input}: the worker process died while analysing it ({detail})"
    E452 = "--dask needs the 'dask' extra (pip install 'sitrep[dask]'): {detail}"
    E453 = "cannot reach the Dask scheduler at {address}: {detail}"
    E454 = "--{name} must be at least 1 (got {value})"
    E455 = "benchmark corpus {path}: {detail}"

    # E200-E249: events (extraction, sitrep eval plover / sitrep eval events)
    E200 = "event evaluation file {path}: line {line}: {detail}"
    E201 = "event evaluation file {path}: {detail}"
    E202 = "WikiEvents file {path}: line {line}: {detail}"
    E203 = "WikiEvents file {path}: {detail}"
    E204 = "KAIROS mapping file {path}: line {line}: {detail}"

    # E250-E259, E280-E299: quotes (extraction and sitrep eval quotes)
    E250 = "quote gold file {path}: line {line}: {detail}"
    E251 = "quote gold file {path}: no quotes in split {split!r}"

    # E100-E149: actor knowledge base and actor resolution (sitrep kb)
    E100 = "actor KB file {path}: {detail}"
    E101 = "actor KB file {path}: line {line}: {detail}"
    E102 = "PETRARCH dictionary {path}: line {line}: {detail}"
    E103 = "invalid --date {value!r} (expected YYYY-MM-DD)"

    # E150-E199: places (gazetteer, geocoding, sitrep eval geo)
    E150 = "geo gold file {path}: {detail}"
    E151 = "geo gold file {path}: article {article}: {detail}"


class SitrepError(Exception):
    """An error with a code and a one-line message meant for the user."""

    def __init__(self, template: str, **kwargs: object) -> None:
        self.code = next(
            (name for name, value in vars(Errors).items() if value == template), "E000"
        )
        self.message = template.format(**kwargs)
        super().__init__(f"[{self.code}] {self.message}")


class InputError(SitrepError):
    """A single input (file, line, URL) could not be read or analysed."""


class StoreError(SitrepError):
    """The database could not be opened, migrated or written."""
