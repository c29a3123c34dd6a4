"""Summaries: a story in two sentences, taken from the lead of its best article.

News is written lead first, so the opening sentences are the summary, once what is not the
story's own prose is set aside: the dateline and credit lines (sentences.py), photo captions,
"Read more" lines, fragments too short to say anything, and a first sentence that only repeats
the headline. `best_article` picks which member of a story to summarise. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from briefings.pipeline.sentences import cjk_count, content_paragraphs, is_cjk
from briefings.pipeline.sentences import sentences as split
from briefings.pipeline.teaser import join, unique

MIN_WORDS = 5  # a sentence of fewer words (spaced scripts) is a fragment
MIN_CHARACTERS = 10  # the same for scripts without spaces
TITLE_OVERLAP = 0.7  # share of a sentence's words in the headline that makes it a repeat
_WORDS = re.compile(r"\w+")


def summary(title: str, text: str, *, sentences: int = 2, skip: Sequence[str] = ()) -> str:
    """The first `sentences` sentences of the article's own prose, as one paragraph."""
    chosen = list(islice(lead_sentences(title, text, skip), sentences))
    return join(chosen) if chosen else ""


def lead_sentences(title: str, text: str, skip: Sequence[str] = ()) -> Iterator[str]:
    """The article's sentences in order, lazily, without fragments and repeats of each other or
    of the headline."""
    found = (s for p in content_paragraphs(text, skip) for s in split(p)
             if _informative(s) and not _repeats(s, title))
    return unique(found)


def _informative(sentence: str) -> bool:
    if is_cjk(sentence[:1]) or cjk_count(sentence) > len(sentence) / 2:
        return len(sentence) >= MIN_CHARACTERS
    return len(_WORDS.findall(sentence)) >= MIN_WORDS


def _repeats(sentence: str, title: str) -> bool:
    """Whether the sentence says no more than the headline."""
    said, headline = _units(sentence), _units(title)
    if not said or not headline:
        return False
    return len(said & headline) / len(said) >= TITLE_OVERLAP


def _units(text: str) -> set[str]:
    """Words, or character pairs where words are not spaced."""
    units: set[str] = set()
    for word in _WORDS.findall(text.casefold()):
        if is_cjk(word[:1]):
            units.update(word[i:i + 2] for i in range(max(1, len(word) - 1)))
        else:
            units.add(word)
    return units


@dataclass(frozen=True, slots=True)
class Candidate:
    """What `best_article` weighs of one member of a story."""

    length: int  # characters of text: the store counts them without reading the text
    standfirst: str = ""
    paywalled: bool = False
    full_text: bool = True  # may the source's whole body be shown?
    copy: bool = False  # a syndicated copy of another member (it has a `duplicate_of`)


def best_article(candidates: Iterable[Candidate]) -> int:
    """The index of the article to summarise a story from: an original over a copy, the whole
    text over a paywalled teaser, a source we may show in full, one with a standfirst, then the
    longest text; the earliest listed on a tie. Raises ValueError when there is none."""
    ranked = [(not c.paywalled, not c.copy, c.full_text, bool(c.standfirst.strip()),
               c.length, -index) for index, c in enumerate(candidates)]
    if not ranked:
        raise ValueError("no candidates")
    return -max(ranked)[-1]
