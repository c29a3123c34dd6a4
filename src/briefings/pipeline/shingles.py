"""Shingles: a text as the set of hashed runs of five units, where a unit is a word or a character.

Copies are found by comparing shingle sets, so a shingle must survive what syndication changes
(case, width of digits and kana, a credit line) and differ between two papers' own wording. Spaced
scripts split into words; Chinese, Japanese, Korean, Thai, Lao, Khmer and Burmese have no reliable
spaces, so each of their characters is a unit of its own, and mixed text ("2024年のAI規制") is one
stream of both. Five words make a shingle specific enough that two reports of one event share
few; five CJK characters are two or three words.

Everything runs on whole batches of texts as numpy arrays of code points (Python's regex engine
tokenises at ~15 MB/s, the arrays several times faster), and hashes are stable across processes
and machines (no salted `hash()`), because signatures built from them are stored and compared
later. A shingle hash is 32 bits: within one article's few thousand shingles a collision is a
one-in-ten-thousand event and moves a similarity by a fraction of a percent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np

from briefings.pipeline.bylines import credit_of_line

WIDTH = 5  # units per shingle
# scripts written without spaces between words: each character is one unit
TIGHT = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B to G
)
SEPARATOR, WORD, CHAR = 0, 1, 2  # what a code point is: between units, in a word, a unit alone
SHORT_LINE = 80  # a credit line is short; longer edge paragraphs are never tested
EDGE_LINES = 3  # credit lines sit among the first or last few paragraphs
MAX_PLACE = 31  # letters past the 32nd of a word share one weight (such words are not prose)
_WORD = re.compile(r"\w")
_U64 = np.uint64


def _splitmix(values: np.ndarray) -> np.ndarray:
    """A 64-bit avalanche (the splitmix64 finaliser) on an array: every output bit is random."""
    values = (values ^ (values >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> _U64(27))) * _U64(0x94D049BB133111EB)
    return values ^ (values >> _U64(31))


_PLACES = _splitmix(np.arange(1, MAX_PLACE + 2, dtype=np.uint64)) | _U64(1)  # odd weights
_SLOTS = _splitmix(np.arange(101, 101 + WIDTH, dtype=np.uint64)) | _U64(1)


def _kind(char: str) -> int:
    point = ord(char)
    if any(low <= point <= high for low, high in TIGHT):
        return CHAR
    # combining marks belong to their word (Indic vowel signs, decomposed accents)
    return WORD if _WORD.match(char) or unicodedata.category(char)[0] == "M" else SEPARATOR


def _fold(char: str) -> int:
    """The code point a character counts as: NFKC (full-width digits, half-width kana), then
    lower case, where each gives a single character."""
    folded = unicodedata.normalize("NFKC", char)
    folded = folded.casefold() if len(folded) == 1 else char.casefold()
    return ord(folded) if len(folded) == 1 else ord(char)


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """For every Basic Multilingual Plane code point: a random 64-bit value of the character it
    counts as, and its kind (built once, ~0.3 s). One table lookup per character is what makes
    shingling fast."""
    chars = [" " if 0xD800 <= p <= 0xDFFF else chr(p) for p in range(0x10000)]  # no surrogates
    folds = np.fromiter((_fold(c) for c in chars), dtype=np.uint64, count=0x10000)
    kinds = np.fromiter((_kind(c) for c in chars), dtype=np.uint8, count=0x10000)
    return _splitmix(folds), kinds


def prepare_tables() -> None:
    """Build the lookup tables now: processes forked afterwards share them instead of each
    spending the build time on its first text."""
    _tables()


def without_credit(text: str) -> str:
    """The text without short paragraphs at either end that are credit lines ("By China Daily").

    A copy carries the credit and its original does not; on a short story those few shingles
    would be a visible share of the set.
    """
    lines = text.split("\n")
    edges = set(range(min(EDGE_LINES, len(lines)))) | set(
        range(max(0, len(lines) - EDGE_LINES), len(lines)))
    drop = {i for i in edges if len(lines[i]) <= SHORT_LINE and lines[i].strip()
            and credit_of_line(lines[i])}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop) if drop else text


def _code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The random value and kind of each character of the texts joined by newlines (which
    separate units), and where each text ends."""
    cleaned = [without_credit(t) for t in texts]
    ends = np.cumsum(np.fromiter((len(t) + 1 for t in cleaned), np.int64, len(cleaned)))
    joined = "\n".join(cleaned).encode("utf-32-le", "surrogatepass")
    # indices as intp: numpy gathers several times faster than with uint32 indices
    points = np.frombuffer(joined, dtype=np.uint32).astype(np.intp)
    astral = np.flatnonzero(points > 0xFFFF)
    astral_points = points[astral]
    np.minimum(points, 0xFFFF, out=points)
    randoms, kinds = _tables()
    value, kind = randoms[points], kinds[points]
    if len(astral):  # emoji, rare CJK: looked up one by one
        value[astral] = _splitmix(astral_points.astype(np.uint64))
        kind[astral] = [_kind(chr(p)) for p in astral_points]
    return value, kind, ends


def _units(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """A hash for each unit of the texts in order, and the index of the text it belongs to."""
    value, kind, ends = _code_points(texts)
    # one more separator in front, so the first character can start a unit
    kind_before = np.concatenate(([SEPARATOR], kind[:-1]))
    starts = (kind == CHAR) | ((kind == WORD) & (kind_before != WORD))
    inside = np.flatnonzero(kind != SEPARATOR)
    if not len(inside):
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    unit_of = np.cumsum(starts)[inside] - 1
    first = np.flatnonzero(starts)
    place = np.minimum(inside - first[unit_of], MAX_PLACE)
    letters = value[inside] * _PLACES[place]
    hashes = _splitmix(np.add.reduceat(letters, np.flatnonzero(place == 0)))
    return hashes, np.searchsorted(ends, first, side="right")


def shingle_sets(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct shingle hashes of each text: (sorted uint32 values, offsets).

    Text i's set is values[offsets[i]:offsets[i + 1]]. A text shorter than a shingle gives one
    shingle of all its units; a text without words gives none.
    """
    hashes, text_of = _units(texts)
    count = len(hashes)
    padded = np.concatenate((hashes, np.zeros(WIDTH - 1, np.uint64)))
    owner = np.concatenate((text_of, np.full(WIDTH - 1, -1, np.int64)))
    combined = padded[:count] * _SLOTS[0]
    for slot in range(1, WIDTH):
        same = owner[slot:slot + count] == text_of
        combined += np.where(same, padded[slot:slot + count] * _SLOTS[slot], _U64(0))
    # a shingle needs WIDTH units of its text, except the single one of a shorter text
    full = owner[WIDTH - 1:WIDTH - 1 + count] == text_of
    opening = np.concatenate(([True], text_of[1:] != text_of[:-1]))
    keep = full | opening
    keys = (text_of[keep].astype(np.uint64) << _U64(32)) | (_splitmix(combined[keep]) >> _U64(32))
    if len(keys):
        keys.sort()
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    sizes = np.bincount((keys >> _U64(32)).astype(np.int64), minlength=len(texts))
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    return (keys & _U64(0xFFFFFFFF)).astype(np.uint32), offsets


def shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes of one text (sorted uint32)."""
    values, _ = shingle_sets([text])
    return values
