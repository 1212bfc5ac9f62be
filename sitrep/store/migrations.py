"""Schema migrations, applied in order and recorded in ``schema_migrations``.

Never edit a released migration: append a new one.
"""

from __future__ import annotations

import re

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial schema",
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            ext_id TEXT,
            title TEXT,
            source TEXT,
            url TEXT,
            published TEXT,
            language TEXT,
            text TEXT NOT NULL,
            analyzed_at TEXT NOT NULL,
            sitrep_version TEXT NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX idx_articles_published ON articles(published);
        CREATE TABLE actors (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT,
            country TEXT,
            sector TEXT,
            kb_id TEXT,
            role TEXT,
            mention_count INTEGER NOT NULL,
            mentions TEXT NOT NULL,
            PRIMARY KEY (article_id, local_id)
        );
        CREATE INDEX idx_actors_name ON actors(name);
        CREATE INDEX idx_actors_kb ON actors(kb_id);
        CREATE TABLE places (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT,
            country TEXT,
            admin1 TEXT,
            lat REAL,
            lon REAL,
            geonames_id INTEGER,
            mentions TEXT NOT NULL,
            PRIMARY KEY (article_id, local_id)
        );
        CREATE INDEX idx_places_name ON places(name);
        CREATE TABLE events (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            type TEXT NOT NULL,
            mode TEXT,
            source TEXT,
            target TEXT,
            source_names TEXT,
            target_names TEXT,
            date_start TEXT,
            date_end TEXT,
            date_text TEXT,
            date_inferred INTEGER,
            place_id TEXT,
            place_name TEXT,
            place_country TEXT,
            lat REAL,
            lon REAL,
            killed INTEGER,
            injured INTEGER,
            counts TEXT NOT NULL,
            counts_qualifier TEXT NOT NULL,
            status TEXT NOT NULL,
            confidence REAL,
            cameo TEXT,
            evidence_text TEXT NOT NULL,
            evidence_start INTEGER NOT NULL,
            evidence_end INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (article_id, local_id)
        );
        CREATE INDEX idx_events_type ON events(type);
        CREATE INDEX idx_events_date ON events(date_start);
        CREATE TABLE quotes (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            speaker_id TEXT,
            speaker_name TEXT,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            cue TEXT,
            channel TEXT,
            PRIMARY KEY (article_id, local_id)
        );
        CREATE INDEX idx_quotes_speaker ON quotes(speaker_name);
        """,
    ),
]

MIGRATIONS.append(
    (
        2,
        "near-duplicate fingerprints, skipped articles, feed state",
        """
        ALTER TABLE articles ADD COLUMN minhash TEXT;
        CREATE TABLE article_bands (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            band INTEGER NOT NULL,
            bucket TEXT NOT NULL,
            PRIMARY KEY (article_id, band)
        );
        CREATE INDEX idx_article_bands_bucket ON article_bands(band, bucket);
        CREATE TABLE skipped_articles (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            ext_id TEXT,
            title TEXT,
            source TEXT,
            url TEXT,
            published TEXT,
            origin TEXT,
            reason TEXT NOT NULL,
            detail TEXT,
            language TEXT,
            duplicate_of TEXT,
            similarity REAL,
            skipped_at TEXT NOT NULL
        );
        CREATE INDEX idx_skipped_reason ON skipped_articles(reason);
        CREATE INDEX idx_skipped_duplicate_of ON skipped_articles(duplicate_of);
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            last_polled TEXT,
            last_ok TEXT,
            last_error TEXT,
            polls INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE feed_items (
            feed_url TEXT NOT NULL,
            item_key TEXT NOT NULL,
            url TEXT,
            status TEXT NOT NULL,
            detail TEXT,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_url, item_key)
        );
        CREATE INDEX idx_events_place ON events(place_name);
        CREATE INDEX idx_events_country ON events(place_country)
        """,
    )
)

MIGRATIONS.append(
    (
        3,
        "covering indexes for dashboard aggregates and type/date queries (web)",
        """
        CREATE INDEX idx_events_date_type ON events(date_start, type);
        CREATE INDEX idx_events_type_date ON events(type, date_start);
        CREATE INDEX idx_events_type_geo ON events(type, place_name, place_country, lat, lon);
        CREATE INDEX idx_events_type_pair ON events(type, source_names, target_names)
        """,
    )
)

MIGRATIONS.append((4, "article author", "ALTER TABLE articles ADD COLUMN author TEXT"))

MIGRATIONS.append(
    (
        5,
        "event-actor links (who took part in which event, indexed)",
        """
        CREATE TABLE event_actors (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (article_id, event_id, actor_id, role)
        );
        CREATE INDEX idx_event_actors_actor ON event_actors(article_id, actor_id)
        """,
    )
)

MIGRATIONS.append(
    (
        6,
        "feed validators for conditional GET",
        """
        ALTER TABLE feeds ADD COLUMN etag TEXT;
        ALTER TABLE feeds ADD COLUMN last_modified TEXT
        """,
    )
)

MIGRATIONS.append(
    (
        7,
        "actor and place summaries (one row per name, counts kept on save) for fast listings",
        """
        CREATE TABLE actor_names (
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            country TEXT NOT NULL,
            kb_id TEXT,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            events INTEGER NOT NULL,
            PRIMARY KEY (name, kind, country)
        );
        CREATE INDEX idx_actor_names_mentions ON actor_names(mentions, name);
        CREATE TABLE place_names (
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            admin1 TEXT NOT NULL,
            kind TEXT,
            lat REAL,
            lon REAL,
            geonames_id INTEGER,
            articles INTEGER NOT NULL,
            events INTEGER NOT NULL,
            PRIMARY KEY (name, country, admin1)
        );
        CREATE INDEX idx_place_names_articles ON place_names(articles, name)
        """,
    )
)

# Summary tables rebuilt from the detail tables (migration 7's backfill; also run by
# ``Store.rebuild_summaries`` after bulk loads that bypass ``Store.save``). NULL kind,
# country and admin1 are stored as '' so that they can be part of the primary key.
SUMMARY_REBUILD = (
    "DELETE FROM actor_names",
    """INSERT INTO actor_names (name, kind, country, kb_id, articles, mentions, events)
    SELECT x.name, COALESCE(x.kind, ''), COALESCE(x.country, ''), MAX(x.kb_id),
           COUNT(DISTINCT x.article_id), SUM(x.mention_count), SUM(COALESCE(l.n, 0))
    FROM actors x LEFT JOIN (SELECT article_id, actor_id, COUNT(DISTINCT event_id) AS n
                             FROM event_actors GROUP BY article_id, actor_id) l
         ON l.article_id = x.article_id AND l.actor_id = x.local_id
    GROUP BY x.name, COALESCE(x.kind, ''), COALESCE(x.country, '')""",
    "DELETE FROM place_names",
    """INSERT INTO place_names (name, country, admin1, kind, lat, lon, geonames_id, articles,
                             events)
    SELECT p.name, COALESCE(p.country, ''), COALESCE(p.admin1, ''), MAX(p.kind), MAX(p.lat),
           MAX(p.lon), MAX(p.geonames_id), COUNT(DISTINCT p.article_id), SUM(COALESCE(l.n, 0))
    FROM places p LEFT JOIN (SELECT article_id, place_id, COUNT(*) AS n FROM events
                             WHERE place_id IS NOT NULL GROUP BY article_id, place_id) l
         ON l.article_id = p.article_id AND l.place_id = p.local_id
    GROUP BY p.name, COALESCE(p.country, ''), COALESCE(p.admin1, '')""",
)

# SQLite only (statements() drops CREATE VIRTUAL TABLE for PostgreSQL, which answers text
# filters with a plain scan): a trigram index of the evidence sentences, so that
# ``LIKE '%words%'`` finds rare words without reading every event. Filled by Store.save.
MIGRATIONS.append(
    (
        8,
        "trigram full-text index of event evidence (SQLite)",
        """
        CREATE VIRTUAL TABLE events_fts USING fts5(evidence_text, content='events',
            content_rowid='rowid', tokenize='trigram', detail='none')
        """,
    )
)

# Data steps run right after a migration, in its transaction: version -> Store method name.
BACKFILLS: dict[int, str] = {
    5: "_backfill_event_actors", 7: "rebuild_summaries", 8: "_rebuild_text_index",
}  # fmt: skip

LATEST_VERSION = MIGRATIONS[-1][0]

_PG_REWRITES = (
    (re.compile(r"\bid INTEGER PRIMARY KEY\b"), "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
)  # fmt: skip


def statements(sql: str, dialect: str) -> list[str]:
    """Split a migration into statements, rewritten for ``dialect`` (sqlite|postgresql).

    Migrations are written in the common subset of SQLite and PostgreSQL; the only
    differences are the integer key, integer width and float type rewritten here.
    """
    out = []
    for statement in sql.split(";"):
        statement = statement.strip()
        if not statement:
            continue
        if dialect == "postgresql":
            if statement.upper().startswith("CREATE VIRTUAL TABLE"):
                continue  # SQLite-only (full-text index)
            for pattern, repl in _PG_REWRITES:
                statement = pattern.sub(repl, statement)
        out.append(statement)
    return out
