"""Schema migrations, applied in order and recorded in ``schema_migrations``.

Never edit a released migration: append a new one.
"""

from __future__ import annotations

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

LATEST_VERSION = MIGRATIONS[-1][0]
