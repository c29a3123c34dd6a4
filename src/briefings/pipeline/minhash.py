"""MinHash signatures of shingle sets, computed for many texts at once with numpy.

A signature holds, for each of `PERMUTATIONS` random permutations of the 32-bit hash space, the
smallest permuted shingle hash; two signatures agree in a slot with probability equal to the
Jaccard similarity of the two sets. A permutation is x -> a*x + b mod 2^32 with a odd (a bijection,
so it adds no collisions); the shingle hashes are already avalanched, so these cheap permutations
behave like random ones, which the tests check against exact Jaccard on real text pairs.

Speed comes from doing the whole batch in a few array operations: all shingles of a group of texts
are permuted in one (shingles x permutations) block that fits the CPU cache, and each text's minima
are taken with one `minimum.reduceat`. Nothing here is per shingle in Python.

The permutations come from a fixed seed: a stored signature stays comparable with every later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefings.pipeline.shingles import shingle_sets

PERMUTATIONS = 128
SEED = 20240611
BLOCK = 4096  # shingles permuted at once: 128 x 4096 x 4 bytes = 2 MB, about one L2 cache
TEXTS_AT_ONCE = 256  # texts shingled together: a few MB of temporary arrays
EMPTY = np.uint32(0xFFFFFFFF)  # every slot of the signature of an empty set

_rng = np.random.default_rng(SEED)
_MULTIPLIERS = (_rng.integers(0, 1 << 32, PERMUTATIONS, dtype=np.uint64) | 1).astype(np.uint32)
_OFFSETS = _rng.integers(0, 1 << 32, PERMUTATIONS, dtype=np.uint64).astype(np.uint32)


@dataclass(frozen=True, slots=True)
class Sketch:
    """What dedupe keeps of a text: its signature and how many distinct shingles it has.

    The size turns a Jaccard estimate into a containment estimate (is one text inside the
    other?), which is how a copy with an added paragraph is still recognised.
    """

    signature: np.ndarray  # uint32[PERMUTATIONS]
    size: int

    def to_bytes(self) -> bytes:
        """The signature as stored (little-endian uint32s); the size is stored beside it."""
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Sketch:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), size)


def _permuted_minima(values: np.ndarray, offsets: np.ndarray, out: np.ndarray) -> None:
    """Fill `out` (one row per set) with the minima of each non-empty set's permuted hashes."""
    sizes = np.diff(offsets)
    rows = np.flatnonzero(sizes)
    if not len(rows):
        return
    # permutations by shingles, so each row is one contiguous run that numpy vectorises, and
    # the per-set minima run along rows (reducing down columns is several times slower)
    block = np.multiply.outer(_MULTIPLIERS, values[offsets[0]:offsets[-1]])
    block += _OFFSETS[:, np.newaxis]
    out[rows] = np.minimum.reduceat(block, offsets[rows] - offsets[0], axis=1).T


def signatures_of_sets(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Signatures (uint32, one row per set) of sets given as `shingle_sets` gives them, the
    permutations applied to about BLOCK shingles at a time."""
    count = len(offsets) - 1
    out = np.full((count, PERMUTATIONS), EMPTY, dtype=np.uint32)
    start = 0
    while start < count:
        # the sets whose shingles fit in one block, and at least one set
        stop = max(start + 1, int(np.searchsorted(offsets, offsets[start] + BLOCK, "right")) - 1)
        stop = min(stop, count)
        _permuted_minima(values, offsets[start:stop + 1], out[start:stop])
        start = stop
    return out


def sketches(texts: Sequence[str]) -> list[Sketch]:
    """A sketch of each text; a text without words gets the empty signature and size 0.

    Texts are taken TEXTS_AT_ONCE at a time, which bounds the temporary arrays.
    """
    found: list[Sketch] = []
    for start in range(0, len(texts), TEXTS_AT_ONCE):
        values, offsets = shingle_sets(texts[start:start + TEXTS_AT_ONCE])
        rows = signatures_of_sets(values, offsets)
        found.extend(Sketch(row, int(size)) for row, size in zip(rows, np.diff(offsets),
                                                                 strict=True))
    return found


def sketch(text: str) -> Sketch:
    return sketches([text])[0]


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of slots where the two signatures agree."""
    return float(np.count_nonzero(first == second)) / len(first)


def containment(small: Sketch, large: Sketch) -> float:
    """Estimated share of `small`'s shingles that are also in `large`.

    From |A∩B| = J(|A|+|B|)/(1+J): exact when J is, and as good as the Jaccard estimate otherwise.
    """
    if not small.size or not large.size:
        return 0.0
    estimate = jaccard(small.signature, large.signature)
    shared = estimate * (small.size + large.size) / (1 + estimate)
    return min(1.0, shared / small.size)
