"""The query layer: typed filters in, JSON-ready dicts out (CLI and HTTP API share it).

```python
from sitrep.store import open_store
from sitrep.query import EventFilter, query_events

with open_store("sitrep.db") as store:
    rows = query_events(store, EventFilter(type="ASSAULT", country="UA", since="2025-05-01"))
```
"""

from sitrep.query.api import (
    count_events,
    query_actors,
    query_articles,
    query_events,
    query_incidents,
    query_places,
    query_quotes,
    query_skipped,
    query_timeline,
)
from sitrep.query.filters import (
    ActorFilter,
    ArticleFilter,
    EventFilter,
    PlaceFilter,
    QuoteFilter,
)

__all__ = [
    "ActorFilter",
    "ArticleFilter",
    "EventFilter",
    "PlaceFilter",
    "QuoteFilter",
    "count_events",
    "query_actors",
    "query_articles",
    "query_events",
    "query_incidents",
    "query_places",
    "query_quotes",
    "query_skipped",
    "query_timeline",
]
