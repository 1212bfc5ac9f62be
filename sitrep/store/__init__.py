"""Store: persist analysed documents and query them back.

``open_store(url)`` accepts ``sqlite:///path.db``, a plain path (SQLite) or
``postgresql://user@host/db`` (psycopg 3). Both share one schema and migrations.
"""

from sitrep.store.base import (
    PreparedDoc,
    SaveResult,
    Skipped,
    Store,
    open_store,
    prepare_document,
)

__all__ = ["PreparedDoc", "SaveResult", "Skipped", "Store", "open_store", "prepare_document"]
