"""Store: persist analysed documents and query them back.

``open_store(url)`` accepts ``sqlite:///path.db``, a plain path (SQLite) or, where
supported, ``postgresql://...``.
"""

from sitrep.store.base import SaveResult, Store, open_store

__all__ = ["SaveResult", "Store", "open_store"]
