"""Tables built once per process: the shared KB and the lazily built place tables."""

from sitrep.nlp.pipeline import load_pipeline, preload_tables
from sitrep.resolve.actor_groups import city_names
from sitrep.resolve.gazetteer import gazetteer
from sitrep.resolve.kb import load_kb


def test_default_kb_is_built_once():
    # the actors component asks for load_kb(()) and the event rules for load_kb()
    assert load_kb() is load_kb(())
    assert load_pipeline().get_pipe("sitrep_actors").kb is load_kb()


def test_preload_builds_the_lazy_place_tables():
    nlp = load_pipeline()
    preload_tables(nlp)
    gaz = gazetteer()
    assert gaz._fuzzy and gaz._small is not None
    names, _ = gaz.fuzzy_names("UA")
    assert "kharkiv" in names  # normalised keys


def test_city_names_from_the_gazetteer_columns():
    names = city_names()
    assert {"kharkiv", "lagos", "manchester", "london"} <= names
    assert "bantam" not in names  # a small town (below 15,000 people)
