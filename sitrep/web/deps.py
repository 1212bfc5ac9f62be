"""Per-thread store connections and the once-per-process analysis pipeline."""

from __future__ import annotations

import logging
import threading
from typing import Any

from sitrep.records import Document
from sitrep.store import Store, open_store

log = logging.getLogger(__name__)

_local = threading.local()
_analyze_lock = threading.Lock()


def store_for(url: str) -> Store:
    """This thread's open store for ``url`` (SQLite connections are per thread)."""
    stores: dict[str, Store] = getattr(_local, "stores", None) or {}
    _local.stores = stores
    store = stores.get(url)
    if store is None:
        store = stores[url] = open_store(url)
    return store


def analyze_text(text: str, **meta: Any) -> Document:
    """Run ``sitrep.analyze`` under a lock: one shared pipeline, loaded once per process."""
    import sitrep
    from sitrep.config import Config

    with _analyze_lock:
        return sitrep.analyze(text, config=Config.from_env(), **meta)


def warm_pipeline() -> None:
    """Load the spaCy pipeline now so the first request does not pay for it."""
    from sitrep.config import Config
    from sitrep.nlp.pipeline import load_pipeline

    load_pipeline(Config.from_env())
    log.info("pipeline loaded")
