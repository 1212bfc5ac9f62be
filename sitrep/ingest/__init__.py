"""Ingest: turn files, stdin and JSONL into ``RawArticle`` records (or per-item errors)."""

from sitrep.ingest.readers import RawArticle, iter_inputs, read_text_bytes

__all__ = ["RawArticle", "iter_inputs", "read_text_bytes"]
