"""Evaluation against annotated sets: ``sitrep eval NAME FILE``."""
