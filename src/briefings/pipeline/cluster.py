"""Stories: each new article joins the open story it matches best, or starts one.

An article's `Profile` is its terms (terms.py) hashed to stable 32-bit ids, so it can be stored
and compared later in another process. Terms are weighted by TF-IDF at the moment the article
arrives, with document frequencies counted over everything seen so far (`Frequencies`): a
newsroom's vocabulary is its own, and a word every paper uses this week (a summit's name) should
count less than the detail that separates two of its stories.

An article matches a story by average link: the mean over the story's members of the cosine of
the two articles, each divided by the threshold for that pair. Two articles in one language are
compared on their words, with a small bonus for shared anchors (names, numbers, dates); in two
languages on their anchors alone, with a lower bar because they are fewer, and only when they
share three or more (one number in common is luck). The article joins the story with the best
mean at or above 1, among the stories whose time span, widened by the window (72 h), holds the
article's time. Average link rather than the best single link keeps a story from drifting from
event to event through one article that mentions both.

Candidates come from an inverted index of the open stories' members, so an article is compared
with the few stories that share most of its heaviest terms, not with every open story, and with
a story's latest members only, so neither a busy day nor a long-running story slows it down.
Placing never moves an article already held: which articles are placed again (an updated one,
unless an editor pinned it) is the store's decision (newsroom/stories.py).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from briefings.pipeline.terms import Terms, terms

BUCKETS = 1 << 22  # document-frequency counters; a rare term shares one with a common one ~0.1%
PROBES = 12  # heaviest words and anchors of a new article used to find candidate stories
SHARED_ANCHORS = 3  # fewer shared anchors than this never link two languages: a number is luck
COMPARED = 8  # a story's latest members an article is compared with: its present, not its past
SHORTLIST = 6  # candidate stories scored, those sharing most heavy terms with the article
CROWDED = 0.05  # a term in more than this share of open stories finds no candidates,
CROWDED_MOST = 100  # nor one in more than this many: it names no particular event


def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Profile:
    """An article's hashed terms with their counts, and its language, ready to store."""

    language: str
    words: dict[int, int]
    anchors: dict[int, int]

    def to_bytes(self) -> bytes:
        language = self.language.encode("ascii", "replace")[:15]
        head = np.array([len(language), len(self.words), len(self.anchors)], dtype="<u4")
        parts = [head.tobytes(), language.ljust(15)]
        for bag in (self.words, self.anchors):
            parts.append(np.fromiter(bag.keys(), dtype="<u4", count=len(bag)).tobytes())
            parts.append(np.fromiter(bag.values(), dtype="<u2", count=len(bag)).tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Profile:
        size, n_words, n_anchors = np.frombuffer(data, dtype="<u4", count=3).tolist()
        language = data[12:12 + size].decode("ascii")
        at = 27
        bags = []
        for count in (n_words, n_anchors):
            ids = np.frombuffer(data, dtype="<u4", count=count, offset=at)
            at += 4 * count
            counts = np.frombuffer(data, dtype="<u2", count=count, offset=at)
            at += 2 * count
            bags.append(dict(zip(ids.tolist(), counts.tolist(), strict=True)))
        return cls(language, bags[0], bags[1])


def _language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


def profile(title: str, text: str, language: str) -> Profile:
    found: Terms = terms(title, text, language)
    words: dict[int, int] = {}
    for term, count in found.words.items():
        key = term_id(term)
        words[key] = min(words.get(key, 0) + count, 65535)
    anchors: dict[int, int] = {}
    for term, count in found.anchors.items():
        key = term_id(term)
        anchors[key] = min(anchors.get(key, 0) + count, 65535)
    return Profile(_language(language), words, anchors)


@dataclass(slots=True)
class Frequencies:
    """How many of the articles seen so far hold each term, in hashed counters."""

    documents: int = 0
    counts: np.ndarray = field(default_factory=lambda: np.zeros(BUCKETS, dtype=np.uint32))

    def add(self, found: Profile) -> None:
        self.documents += 1
        for bag in (found.words, found.anchors):
            if bag:
                keys = np.fromiter(bag.keys(), dtype=np.uint32, count=len(bag)) % BUCKETS
                self.counts[np.unique(keys)] += 1

    def idf(self, keys: Iterable[int]) -> np.ndarray:
        slots = np.fromiter(keys, dtype=np.uint32) % BUCKETS
        return np.log((self.documents + 1) / (self.counts[slots] + 1.0)) + 1.0

    def to_bytes(self) -> bytes:
        """The counters in use, as slot numbers then counts: a young newsroom's few thousand
        terms are kilobytes, not the 16 MB of the whole table."""
        used = np.flatnonzero(self.counts).astype("<u4")
        return zlib.compress(used.tobytes() + self.counts[used].astype("<u4").tobytes(), 1)

    @classmethod
    def from_bytes(cls, documents: int, data: bytes) -> Frequencies:
        pairs = np.frombuffer(zlib.decompress(data), dtype="<u4")
        used, counts = pairs[:pairs.size // 2], pairs[pairs.size // 2:]
        if used.size and int(used.max()) >= BUCKETS:
            raise ValueError(f"term frequencies name a counter beyond the {BUCKETS}")
        table = np.zeros(BUCKETS, dtype=np.uint32)
        table[used] = counts
        return cls(documents, table)


Vector = dict[int, float]


def _weigh(bag: dict[int, int], frequencies: Frequencies) -> Vector:
    if not bag:
        return {}
    idf = frequencies.idf(bag.keys())
    tf = 1.0 + np.log(np.fromiter(bag.values(), dtype=np.float64, count=len(bag)))
    weights = tf * idf
    norm = float(np.sqrt(np.dot(weights, weights))) or 1.0
    return dict(zip(bag.keys(), (weights / norm).tolist(), strict=True))


def _shared(a: Vector, b: Vector) -> int:
    return len(a.keys() & b.keys())


def _cosine(a: Vector, b: Vector) -> float:
    # the shared keys are few: intersect in C, then add up only those
    return sum(a[k] * b[k] for k in a.keys() & b.keys())


@dataclass(frozen=True, slots=True)
class Settings:
    window: timedelta = timedelta(hours=72)
    same_language: float = 0.24  # cosine of words that makes two same-language articles one
    across_languages: float = 0.18  # cosine of anchors that makes two languages' articles one
    # in one language, shared anchors add their cosine over this to the words' share
    anchors_in_language: float = 1.0


@dataclass(slots=True)
class Member:
    article: int
    story: int
    when: datetime | None
    language: str
    words: Vector
    anchors: Vector
    pinned: bool = False


@dataclass(slots=True)
class OpenStory:
    members: list[int] = field(default_factory=list)  # article ids
    first: datetime | None = None
    last: datetime | None = None

    def widen(self, when: datetime | None) -> None:
        if when is None:
            return
        self.first = when if self.first is None else min(self.first, when)
        self.last = when if self.last is None else max(self.last, when)


class Clusterer:
    """The open stories and their members, and the placing of new articles among them."""

    def __init__(self, settings: Settings, frequencies: Frequencies | None = None) -> None:
        self.settings = settings
        self.frequencies = frequencies or Frequencies()
        self.members: dict[int, Member] = {}
        self.stories: dict[int, OpenStory] = defaultdict(OpenStory)
        # term → the open stories whose members hold it, with how many members do
        self.postings: dict[int, dict[int, int]] = defaultdict(dict)

    def remember(self, article: int, story: int, when: datetime | None, found: Profile,
                 *, pinned: bool = False) -> None:
        """Hold an article already in a story (placed now, or loaded from the store)."""
        member = Member(article, story, when, found.language,
                        _weigh(found.words, self.frequencies),
                        _weigh(found.anchors, self.frequencies), pinned)
        self.members[article] = member
        self.stories[story].members.append(article)
        self.stories[story].widen(when)
        for key in (*member.words, *member.anchors):
            posting = self.postings[key]
            posting[story] = posting.get(story, 0) + 1

    def count(self, found: Profile) -> None:
        """Count a newly arrived article's terms before it is weighed."""
        self.frequencies.add(found)

    def place(self, when: datetime | None, found: Profile) -> int | None:
        """The story the article belongs to, or None for a story of its own."""
        words = _weigh(found.words, self.frequencies)
        anchors = _weigh(found.anchors, self.frequencies)
        best, best_score = None, 1.0
        for story in self._candidates(words, anchors):
            score = self._score(story, when, found.language, words, anchors)
            if score >= best_score:
                best, best_score = story, score
        return best

    def forget(self, article: int) -> None:
        """Let go of one article (it is about to be placed again)."""
        member = self.members.pop(article, None)
        if member is None:
            return
        held = self.stories.get(member.story)
        if held is not None and article in held.members:
            held.members.remove(article)
            if not held.members:
                del self.stories[member.story]
        self._unpost(member)

    def _unpost(self, member: Member) -> None:
        for key in (*member.words, *member.anchors):
            posting = self.postings.get(key)
            if posting is None or member.story not in posting:
                continue
            posting[member.story] -= 1
            if not posting[member.story]:
                del posting[member.story]
                if not posting:
                    del self.postings[key]

    def forget_before(self, cutoff: datetime) -> int:
        """Drop the stories last updated before `cutoff`; no new article can join them."""
        closed = [s for s, open_ in self.stories.items()
                  if open_.last is not None and open_.last < cutoff]
        for story in closed:
            for article in self.stories.pop(story).members:
                self._unpost(self.members.pop(article))
        return len(closed)

    def _candidates(self, words: Vector, anchors: Vector) -> list[int]:
        crowded = min(CROWDED_MOST, max(8, int(CROWDED * len(self.stories))))
        hits: Counter[int] = Counter()
        for vector in (words, anchors):
            for key in sorted(vector, key=vector.__getitem__, reverse=True)[:PROBES]:
                posting = self.postings.get(key)
                if posting and len(posting) <= crowded:
                    hits.update(posting.keys())
        return [story for story, _ in hits.most_common(SHORTLIST)]

    def _score(self, story: int, when: datetime | None, language: str, words: Vector,
               anchors: Vector) -> float:
        held = self.stories[story]
        window = self.settings.window
        if when is not None and held.first is not None and held.last is not None and not (
                held.first - window <= when <= held.last + window):
            return 0.0
        total = 0.0
        compared = held.members[-COMPARED:]
        for article in compared:
            member = self.members[article]
            if member.language == language:
                total += (_cosine(words, member.words) / self.settings.same_language
                          + _cosine(anchors, member.anchors) / self.settings.anchors_in_language)
            elif _shared(anchors, member.anchors) >= SHARED_ANCHORS:
                total += _cosine(anchors, member.anchors) / self.settings.across_languages
        return total / len(compared) if compared else 0.0


def similarity_baseline(profiles: list[Profile], threshold: float) -> list[int]:
    """The reference: single-pass clustering on TF-IDF cosine to each cluster's centroid, all
    languages alike, no time window; returns a cluster number per profile."""
    frequencies = Frequencies()
    for found in profiles:
        frequencies.add(found)
    centroids: list[dict[int, float]] = []
    labels: list[int] = []
    for found in profiles:
        vector = _weigh({**found.words}, frequencies)
        scores = [_cosine(vector, c) for c in centroids]
        best = max(range(len(scores)), key=scores.__getitem__, default=-1)
        if best >= 0 and scores[best] >= threshold:
            centroid = centroids[best]
            for key, weight in vector.items():
                centroid[key] = centroid.get(key, 0.0) + weight
            norm = math.sqrt(sum(w * w for w in centroid.values()))
            centroids[best] = {k: w / norm for k, w in centroid.items()}
            labels.append(best)
        else:
            centroids.append(dict(vector))
            labels.append(len(centroids) - 1)
    return labels
