"""Scoring for the extraction benchmark: body shingle P/R/F1 and field accuracy.

The body metric restates the published rule of the article-extraction benchmark (see
`extraction-dev/README.md` in the shared data) so any implementation gives the same numbers:
tokens are `\\w+` matches, shingles are runs of 4 tokens compared as multisets, precision and
recall are averaged over pages and F1 is taken of the two averages. `\\w+` makes a whole
Chinese or Japanese clause one token, so CJK pages are also scored with each CJK character as
a token (`char_tokens`). Pure functions only: the benchmark and its CI gate share them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WORD = re.compile(r"\w+")
# Han (with extensions and compatibility ideographs), kana, and Hangul syllables/jamo: scripts
# where a character, not a space-delimited word, is the useful unit of comparison.
CJK_CHAR = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff"
)
CHAR_TOKEN = re.compile(rf"[{CJK_CHAR}]|[^\W{CJK_CHAR}]+")
CJK_RUN = re.compile(rf"[{CJK_CHAR}]")

Tokenizer = Callable[[str], list[str]]


def word_tokens(text: str) -> list[str]:
    """The benchmark's tokens: every `\\w+` match, case kept."""
    return WORD.findall(text)


def char_tokens(text: str) -> list[str]:
    """Each CJK character is a token; runs of other word characters stay whole words."""
    return CHAR_TOKEN.findall(text)


def is_cjk(text: str, share: float = 0.3) -> bool:
    """Whether CJK characters make up at least `share` of the text's word characters."""
    letters = sum(len(t) for t in WORD.findall(text))
    return letters > 0 and len(CJK_RUN.findall(text)) >= share * letters


def shingles(tokens: Sequence[str], size: int = 4) -> Counter[tuple[str, ...]]:
    """Contiguous runs of `size` tokens as a multiset; 1..size-1 tokens give one shingle."""
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Shingle counts of one page: true positives, false positives, false negatives."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: an empty prediction does not count for precision."""
        if self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """None when the gold is empty."""
        if self.tp + self.fn == 0:
            return None
        return self.tp / (self.tp + self.fn)


def score_page(gold: str, predicted: str, tokenize: Tokenizer = word_tokens) -> PageScore:
    """Compare gold and predicted text as multisets of 4-token shingles."""
    want = shingles(tokenize(gold))
    got = shingles(tokenize(predicted))
    tp = sum((want & got).values())
    return PageScore(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)


@dataclass(frozen=True, slots=True)
class BodyScore:
    """Precision and recall averaged over pages, and the F1 of those two averages."""

    precision: float
    recall: float
    f1: float
    pages: int


def aggregate(scores: Iterable[PageScore]) -> BodyScore:
    """Average P over pages that predicted something, R over pages with gold; F1 of the means."""
    scores = list(scores)
    ps = [p for s in scores if (p := s.precision) is not None]
    rs = [r for s in scores if (r := s.recall) is not None]
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total else 0.0
    return BodyScore(precision=precision, recall=recall, f1=f1, pages=len(scores))


def normalise_title(title: str) -> str:
    """NFKC, case-folded, whitespace collapsed: full-width and spacing variants compare equal."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def title_matches(predicted: str, gold: str) -> bool:
    return normalise_title(predicted) == normalise_title(gold)


def parse_gold_date(value: str, zone: str = "UTC") -> datetime | date:
    """A gold date as an aware datetime, or a bare date when the gold gives no time of day.

    A time without a zone is read in `zone`. Midnight without a zone is taken as a bare date:
    that is how extractors serialise a day-only value (e.g. newspaper4k's "2023-11-17T00:00:00").
    """
    text = value.strip().replace(" ", "T", 1)
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        if moment.time() == datetime.min.time():
            return moment.date()
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def date_matches(predicted: datetime | None, gold: str, zone: str = "UTC") -> bool:
    """Equal to the minute in UTC; for a day-only gold, the same calendar day in `zone`."""
    if predicted is None:
        return False
    want = parse_gold_date(gold, zone)
    if isinstance(want, datetime):
        got = predicted.astimezone(UTC)
        return got.replace(second=0, microsecond=0) == want.replace(second=0, microsecond=0)
    return predicted.astimezone(ZoneInfo(zone)).date() == want


def authors_match(predicted: Iterable[str], gold: Iterable[str]) -> bool:
    """Equal as sets of normalised names (order and spacing variants do not matter)."""
    return {normalise_title(a) for a in predicted} == {normalise_title(a) for a in gold}
