"""LSH band keys of MinHash signatures: two texts that share a key are worth comparing.

The signature's 128 slots are cut into 32 bands of 4. Two texts with Jaccard similarity J agree on
a whole band with probability J^4, so they share at least one of the 32 keys with probability
1 - (1 - J^4)^32: 0.87 at J = 0.5 (the copy threshold), 0.985 at 0.6, above 0.9998 from 0.7 (every
syndicated copy of the sample papers is at 0.77 or more), but 0.05 at 0.2 and 0.0003 at 0.05,
where two different reports of one event sit (at most 0.21 on the sample papers and the BASIL
triplets). Fewer, wider bands would miss copies near 0.5; more, narrower ones would store more
keys per article and bring more candidates to confirm.

Each key is one signed 64-bit integer that already encodes its band's position, so the store needs
one table (key, article) with one index, fits a SQL BIGINT, and finds every candidate of an
article with a single `WHERE key IN (...)` query.
"""

from __future__ import annotations

import numpy as np

from briefings.pipeline.minhash import PERMUTATIONS, Sketch

BANDS = 32
ROWS = PERMUTATIONS // BANDS
MIN_SHINGLES = 20  # a shorter text has no band keys: too little text to call it a copy
_U64 = np.uint64
_SLOT_WEIGHTS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                          0xD6E8FEB86659FD93][:ROWS], dtype=np.uint64)
_BAND_SALTS = (np.arange(1, BANDS + 1, dtype=np.uint64) * _U64(0xFF51AFD7ED558CCD))


def _avalanche(values: np.ndarray) -> np.ndarray:
    values = (values ^ (values >> _U64(31))) * _U64(0x7FB5D329728EA185)
    values = (values ^ (values >> _U64(27))) * _U64(0x81DADEF4BC2DD44D)
    return values ^ (values >> _U64(33))


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """The BANDS keys (int64) of each signature row: an (n, BANDS) array."""
    slots = signatures.reshape(len(signatures), BANDS, ROWS).astype(np.uint64)
    mixed = (slots * _SLOT_WEIGHTS).sum(axis=2, dtype=np.uint64) + _BAND_SALTS
    return _avalanche(mixed).view(np.int64)


def bands(sketch: Sketch) -> list[int]:
    """The keys under which to store and look up one text; none for a text too short to judge."""
    if sketch.size < MIN_SHINGLES:
        return []
    return band_keys(sketch.signature[np.newaxis, :])[0].tolist()


def candidate_probability(jaccard: float) -> float:
    """The chance that two texts with this Jaccard similarity share at least one band key."""
    return 1.0 - (1.0 - jaccard**ROWS) ** BANDS
