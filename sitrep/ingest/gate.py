"""The gate before analysis: non-English and near-duplicate articles are kept out.

Both are recorded in the store's ``skipped_articles`` table with the reason, so a
second run over the same inputs changes nothing. A near-duplicate is linked to the
first copy (its sha256), whether that copy is already stored or earlier in this batch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sitrep.errors import Errors, InputError
from sitrep.ingest.dedup import NearDuplicateIndex, signature
from sitrep.ingest.language import is_english
from sitrep.ingest.readers import RawArticle
from sitrep.store import Skipped, Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class GateStats:
    language: int = 0
    near_duplicates: int = 0
    known_skipped: int = 0  # recorded as skipped by an earlier run


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Gate:
    """Filter an input stream; ``on_skip(raw, reason, detail)`` hears about each skip."""

    def __init__(
        self,
        store: Store | None,
        *,
        dedup: bool = True,
        check_language: bool = True,
        on_skip: Callable[[RawArticle, str, str], None] | None = None,
    ) -> None:
        self.store = store
        self.dedup = dedup
        self.check_language = check_language
        self.on_skip = on_skip or (lambda raw, reason, detail: None)
        self.index = NearDuplicateIndex()
        self.stats = GateStats()

    def _record(self, raw: RawArticle, sha: str, **kw: object) -> None:
        if self.store is None:
            return
        self.store.save_skipped(Skipped(
            sha256=sha, origin=raw.origin, ext_id=raw.id, title=raw.title, source=raw.source,
            url=raw.url, published=raw.published, **kw,  # type: ignore[arg-type]
        ))  # fmt: skip

    def __call__(
        self, items: Iterable[RawArticle | InputError]
    ) -> Iterator[RawArticle | InputError]:
        for raw in items:
            if isinstance(raw, InputError) or not raw.text.strip():
                yield raw
                continue
            sha = _sha(raw.text)
            if self.check_language:
                ok, language = is_english(raw.text)
                if not ok:
                    self.stats.language += 1
                    self._record(raw, sha, reason="language", language=language,
                                 detail=f"detected language {language}")  # fmt: skip
                    yield InputError(Errors.E008, input=raw.origin, language=language)
                    continue
            if self.store is not None and self.store.is_skipped(sha):
                self.stats.known_skipped += 1
                self.on_skip(
                    raw, "near-duplicate", "recorded as a near-duplicate by an earlier run"
                )
                continue
            if not self.dedup or (self.store is not None and self.store.has(sha)):
                yield raw
                continue
            sig = signature(raw.text)
            match = self.index.find(sig)
            if match is None and self.store is not None:
                match = self.store.near_duplicate(sig)
            if match is not None and match[0] != sha:
                first, similarity = match
                self.stats.near_duplicates += 1
                self._record(raw, sha, reason="near-duplicate", duplicate_of=first,
                             similarity=round(similarity, 3),
                             detail=f"near-duplicate of {first[:12]} (similarity {similarity:.2f})")  # fmt: skip
                self.on_skip(
                    raw, "near-duplicate", f"of article {first[:12]} (similarity {similarity:.2f})"
                )
                continue
            self.index.add(sha, sig)
            yield raw
