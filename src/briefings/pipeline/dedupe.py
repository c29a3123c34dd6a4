"""Syndicated copies: confirm a candidate pair, group copies, and say which one is the original.

A candidate from the band keys is a copy when the estimated Jaccard similarity of the two shingle
sets is at least 0.5, or when the smaller text is at least 80% inside a text at most twice its
size: an added paragraph or a changed headline keeps a copy well above both, while two papers'
own reports of one event share at most a fifth of their shingles (measured on the sample papers,
the BASIL triplets and the MMDS clusters; see docs/dedupe.md).

The original of a group of copies is the paper the others credit ("By China Daily"), else one that
credits nobody, else the earliest published: a copy is never published before its original, but
feeds lie about times more often than credit lines lie about papers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from briefings.pipeline.bylines import site_key
from briefings.pipeline.minhash import Sketch, containment, jaccard

COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
MIN_SIZE_RATIO = 0.5  # containment counts only between texts of comparable length
CREDIT_PREFIX = "By "


def similarity(first: Sketch, second: Sketch) -> tuple[float, float]:
    """(estimated Jaccard, estimated share of the smaller text inside the larger)."""
    small, large = sorted((first, second), key=lambda s: s.size)
    return jaccard(first.signature, second.signature), containment(small, large)


def is_copy(first: Sketch, second: Sketch) -> bool:
    """Whether two texts are one story: the same text, give or take small edits and additions."""
    if not first.size or not second.size:
        return False
    same, inside = similarity(first, second)
    comparable = min(first.size, second.size) >= MIN_SIZE_RATIO * max(first.size, second.size)
    return same >= COPY_JACCARD or (comparable and inside >= COPY_CONTAINMENT)


@dataclass(frozen=True, slots=True)
class Candidate:
    """What choosing an original needs to know of one article of a group of copies."""

    id: int
    paper: str  # the name of the paper that published it
    credit: str = ""  # its credit line, "By China Daily", if it carries one
    published: datetime | None = None


def credited_paper(credit: str) -> str:
    """The comparison key of the paper a credit line names ("By The Daily Courier")."""
    return site_key(credit.removeprefix(CREDIT_PREFIX)) if credit else ""


def choose_original(group: Sequence[Candidate]) -> Candidate:
    """The original among copies: the credited paper, else an uncredited one, else the earliest.

    Ties end on the earlier publication time (unknown times last), then the lower id, so the
    answer does not depend on the order the articles arrived in.
    """
    if not group:
        raise ValueError("a group of copies needs at least one article")
    credits = Counter(credited_paper(c.credit) for c in group if c.credit)
    credits.pop("", None)

    def rank(candidate: Candidate) -> tuple[int, bool, bool, float, int]:
        when = candidate.published
        return (-credits.get(site_key(candidate.paper), 0), bool(candidate.credit),
                when is None, when.timestamp() if when else 0.0, candidate.id)

    return min(group, key=rank)


def group_copies(pairs: Iterable[tuple[int, int]],
                 candidates: Sequence[Candidate]) -> dict[int, int]:
    """`duplicate_of` for every article in a confirmed copy pair: copy id -> original id.

    Pairs join into groups (a copy of a copy is a copy of the original); each group's original
    maps to nothing and is left out.
    """
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, second in pairs:
        parent[root(first)] = root(second)
    by_id = {c.id: c for c in candidates}
    groups: dict[int, list[Candidate]] = {}
    for node in list(parent):
        groups.setdefault(root(node), []).append(by_id[node])
    duplicate_of: dict[int, int] = {}
    for members in groups.values():
        original = choose_original(members).id
        duplicate_of.update({m.id: original for m in members if m.id != original})
    return duplicate_of
