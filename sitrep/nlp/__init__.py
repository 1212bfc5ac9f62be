"""NLP: the spaCy pipeline with sitrep's registered components."""

from sitrep.nlp.pipeline import load_pipeline

__all__ = ["load_pipeline"]
