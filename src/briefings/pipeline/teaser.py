"""Teasers: the opening of an article, cut at a sentence end and never mid-word.

Built from the article's own sentences (sentences.py): no dateline, no credit or read-more line,
no sentence twice. Whole sentences are taken while they fit; when even the first does not, it is
cut at the last space that fits (at a character in scripts without spaces) and ends with "…".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from briefings.pipeline.sentences import content_paragraphs, is_cjk, sentences

ELLIPSIS = "…"
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum plus "_"


def teaser(text: str, limit: int = 240, *, skip: Iterable[str] = ()) -> str:
    """At most `limit` characters of the text's whole sentences; `skip` lines (a credit line)
    and datelines don't count."""
    found = unique(s for p in content_paragraphs(text, skip) for s in sentences(p))
    chosen: list[str] = []
    length = 0
    first = ""
    for sentence in found:
        first = first or sentence
        extra = len(sentence) + (1 if chosen and _spaced(chosen[-1], sentence) else 0)
        if length + extra > limit:
            break
        chosen.append(sentence)
        length += extra
    if chosen:
        return join(chosen)
    return cut(first, limit) if first else ""


def unique(found: Iterable[str]) -> Iterator[str]:
    """The sentences without repeats (compared without case, spacing or punctuation), lazily."""
    seen: set[str] = set()
    for sentence in found:
        key = _key(sentence)
        if key and key not in seen:
            seen.add(key)
            yield sentence


def _key(sentence: str) -> str:
    return _NOT_ALNUM.sub("", sentence.casefold())


def _spaced(before: str, after: str) -> bool:
    """Whether two sentences are joined by a space: not between two CJK ones."""
    return not (is_cjk(before[-1:]) and is_cjk(after[:1]) and not _thai(before[-1:]))


def _thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def join(parts: list[str]) -> str:
    """Sentences as running text: spaced, except CJK ones, which follow each other directly."""
    out = parts[0]
    for part in parts[1:]:
        out += (" " if _spaced(out, part) else "") + part
    return out


def cut(sentence: str, limit: int) -> str:
    """A sentence longer than the limit: cut at the last space that fits, or at a character
    of a script without spaces, with an ellipsis, all within `limit`."""
    if len(sentence) <= limit:
        return sentence
    room = sentence[: max(1, limit - len(ELLIPSIS))]
    if is_cjk(room[-1:]) and not sentence[len(room):len(room) + 1].isspace():
        return room + ELLIPSIS
    space = room.rfind(" ") if not sentence[len(room):len(room) + 1].isspace() else len(room)
    kept = room[:space] if space > 0 else room
    return kept.rstrip(" ,;:-–—") + ELLIPSIS
