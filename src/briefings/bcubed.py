"""BCubed precision, recall and F1 of a clustering against gold classes.

Each item's precision is the share of its predicted cluster that shares its gold class, its
recall the share of its gold class that shares its predicted cluster; both are averaged over
items and F1 is taken of the two averages (the rule in story-clusters/README.md of the shared
data). Singletons count like any cluster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import NamedTuple


class Score(NamedTuple):
    precision: float
    recall: float
    f1: float


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> Score:
    if len(predicted) != len(gold):
        raise ValueError("one predicted cluster per gold label")
    if not gold:
        return Score(1.0, 1.0, 1.0)
    both = Counter(zip(predicted, gold, strict=True))
    in_predicted = Counter(predicted)
    in_gold = Counter(gold)
    precision = sum(both[p, g] / in_predicted[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(both[p, g] / in_gold[g] for p, g in zip(predicted, gold, strict=True))
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)
