"""Near-duplicate detection: MinHash over word shingles, with LSH bands for lookup.

A wire story republished with small edits (a new headline, a changed sentence) shares
most of its 3-word shingles with the first copy. The MinHash signature estimates the
Jaccard similarity of two shingle sets; splitting it into bands lets the store find
candidates with an indexed lookup (any identical band) instead of comparing against
every stored article. Candidates are then confirmed with the signature estimate.

Numbers: 128 hash functions in 32 bands of 4 rows. A pair with Jaccard 0.7 becomes a
candidate with probability 1 - (1 - 0.7**4)**32 > 0.99; at 0.3 about 23%, and those are
rejected by the estimate. Changing one word changes at most 3 shingles, so a 400-word
story with a new headline and a reworded sentence stays well above 0.7, while different
stories on the same topic share few 3-word sequences (typically J < 0.1).
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE = 3
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.7  # estimated Jaccard at or above which two texts are near-duplicates
MIN_WORDS = 40  # shorter texts are never called near-duplicates (too little evidence)
_PRIME = np.uint64(4294967311)  # smallest prime above 2**32
_rng = np.random.default_rng(20250519)
_A = _rng.integers(1, 2**31 - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2**32 - 1, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Signature:
    """A MinHash signature; ``bands`` are the LSH bucket keys (one per band)."""

    values: tuple[int, ...]
    words: int

    @property
    def bands(self) -> list[str]:
        return list(_bands(self.values))

    def hex(self) -> str:
        return "".join(f"{v:09x}" for v in self.values)

    @classmethod
    def from_hex(cls, text: str, words: int = MIN_WORDS) -> Signature:
        return cls(tuple(int(text[i : i + 9], 16) for i in range(0, len(text), 9)), words)

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        same = sum(a == b for a, b in zip(self.values, other.values, strict=True))
        return same / NUM_PERM


@functools.lru_cache(maxsize=256)
def _bands(values: tuple[int, ...]) -> tuple[str, ...]:
    """LSH bucket keys, cached: the gate asks for one text's bands several times."""
    out = []
    for b in range(BANDS):
        chunk = values[b * ROWS : (b + 1) * ROWS]
        key = ",".join(map(str, chunk)).encode()
        out.append(hashlib.blake2b(key, digest_size=8).hexdigest())
    return tuple(out)


def shingles(text: str, k: int = SHINGLE) -> tuple[set[str], int]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < k:
        return ({" ".join(words)} if words else set()), len(words)
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}, len(words)


def signature(text: str) -> Signature:
    grams, n_words = shingles(text)
    if not grams:
        return Signature(tuple([0] * NUM_PERM), 0)
    hashes = np.fromiter(
        (zlib.crc32(g.encode()) for g in grams),  # fast, stable across processes
        dtype=np.uint64, count=len(grams),
    )  # fmt: skip
    # (a * x + b) mod p for every (permutation, shingle); a < 2**31, x < 2**32: no overflow
    table = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    return Signature(tuple(int(v) for v in table.min(axis=1)), n_words)


def is_candidate(sig: Signature) -> bool:
    """Whether this text is long enough to be judged a near-duplicate."""
    return sig.words >= MIN_WORDS


class NearDuplicateIndex:
    """An in-memory LSH index, for the articles of one batch not yet in the store."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._buckets: dict[tuple[int, str], list[str]] = {}
        self._sigs: dict[str, Signature] = {}

    def add(self, key: str, sig: Signature) -> None:
        if not is_candidate(sig) or key in self._sigs:
            return
        self._sigs[key] = sig
        for band, bucket in enumerate(sig.bands):
            self._buckets.setdefault((band, bucket), []).append(key)

    def remove(self, key: str) -> None:
        """Forget ``key`` (e.g. once it is stored, where the store's band index finds it)."""
        sig = self._sigs.pop(key, None)
        if sig is None:
            return
        for band, bucket in enumerate(sig.bands):
            keys = self._buckets.get((band, bucket))
            if keys is not None and key in keys:
                keys.remove(key)
                if not keys:
                    del self._buckets[(band, bucket)]

    def __len__(self) -> int:
        return len(self._sigs)

    def get(self, key: str) -> Signature | None:
        """The signature added under ``key`` (None when not held)."""
        return self._sigs.get(key)

    def find(self, sig: Signature) -> tuple[str, float] | None:
        """The best earlier key at or above the threshold, with its similarity."""
        if not is_candidate(sig):
            return None
        seen: set[str] = set()
        best: tuple[str, float] | None = None
        for band, bucket in enumerate(sig.bands):
            for key in self._buckets.get((band, bucket), ()):
                if key in seen:
                    continue
                seen.add(key)
                sim = sig.similarity(self._sigs[key])
                if sim >= self.threshold and (best is None or sim > best[1]):
                    best = (key, sim)
        return best
