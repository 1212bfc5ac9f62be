"""Batch analysis that scales out: all local cores, or a Dask cluster.

``run_batch(paths, db_url, workers=..., dask=...)`` reads articles, skips texts already in
the store (so an interrupted run resumes), keeps non-English texts and near-duplicates out
(recorded as skipped, as ``sitrep analyze`` does), analyses new ones on worker processes (one
pipeline each, loaded once) and stores them from this process. See docs/scale.md.
"""

from sitrep.batch.runner import BatchSummary, default_workers, run_batch
from sitrep.batch.worker import ChunkResult, Failure, analyze_chunk

__all__ = [
    "BatchSummary",
    "ChunkResult",
    "Failure",
    "analyze_chunk",
    "default_workers",
    "run_batch",
]
