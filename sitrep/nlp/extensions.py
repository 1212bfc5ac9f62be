"""Custom ``Doc._`` attributes that sitrep's components read and write."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS: dict[str, object] = {
    "published": None,  # ISO date of publication, set before the pipeline runs
    "sitrep_actors": None,  # list[Actor]
    "sitrep_actor_spans": None,  # dict[(start_char, end_char)] -> actor id, every mention
    "sitrep_metonyms": None,  # set[(start_char, end_char)]: place names acting as governments
    "sitrep_places": None,  # list[Place]
    "sitrep_place_spans": None,  # dict[(start_char, end_char)] -> place id
    "sitrep_times": None,  # list[TimeExpr]
    "sitrep_numbers": None,  # list[NumberExpr]
    "sitrep_quotes": None,  # list[Quote]
    "sitrep_events": None,  # list[Event]
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
