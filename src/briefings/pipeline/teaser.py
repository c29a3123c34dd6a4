"""Teasers: the opening of an article, cut at a sentence end and never mid-word.

Sentence ends include the CJK full stops (。！？), which need no following space; scripts
without spaces between words are cut at a character when no sentence end fits.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(
    r".+?(?:[.!?…](?:[\"'”’)\]]*)(?=\s|$)|[。！？](?:[」』”）]*)|$)", re.S
)
# CJK punctuation, kana, ideographs, Hangul, full-width forms, and Thai: no spaces between words.
_CJK = re.compile(
    r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef\u0e00-\u0e7f]"
)


def sentences(text: str) -> list[str]:
    """Split running text into sentences, keeping their punctuation."""
    flat = " ".join(text.split())
    return [m.group(0).strip() for m in _SENTENCE.finditer(flat) if m.group(0).strip()]


def teaser(text: str, limit: int = 240, *, skip: tuple[str, ...] = ()) -> str:
    """At most `limit` characters of whole sentences; `skip` lines (a credit line) don't count."""
    paragraphs = [p for p in text.split("\n") if p.strip() and p.strip() not in skip]
    chosen: list[str] = []
    seen: set[str] = set()
    length = 0
    for sentence in sentences(" ".join(paragraphs)):
        if sentence in seen:
            continue
        extra = len(sentence) + (1 if chosen and _spaced(chosen[-1], sentence) else 0)
        if length + extra > limit:
            break
        seen.add(sentence)
        chosen.append(sentence)
        length += extra
    if chosen:
        return _join(chosen)
    first = sentences(" ".join(paragraphs))[:1]
    return _cut(first[0], limit) if first else ""


def _spaced(before: str, after: str) -> bool:
    """Whether two sentences are joined by a space: not between two CJK or Thai ones."""
    return not (_CJK.match(before[-1:]) and _CJK.match(after[:1]))


def _join(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        out += (" " if _spaced(out, part) else "") + part
    return out


def _cut(sentence: str, limit: int) -> str:
    """A sentence longer than the limit: cut at the last space, or at a CJK character."""
    room = sentence[: max(1, limit - 1)]
    if _CJK.search(room[-1:]):
        return room + "…"
    space = room.rfind(" ")
    return (room[:space] if space > 0 else room).rstrip(",;:-–—") + "…"
