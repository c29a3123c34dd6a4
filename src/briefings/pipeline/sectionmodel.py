"""The section classifier: a story's section from its words, when its source gives none.

A multinomial naive Bayes model over words (character pairs in Chinese, Japanese, Korean and
Thai, which have no reliable spaces), built in a few milliseconds from a seed vocabulary per
section that we wrote (section_terms.toml) and that ships with Briefings: no model download, and
nothing learnt from other people's articles. Naive Bayes because it needs no more than word
lists, and scores an article in a fraction of a millisecond; priors are uniform.

Why seeds only: adding labelled articles (our sample papers' 115, filed under their papers'
own sections) made it worse on real pages, 0.73 → 0.15 on BASIL's political reports, because
such sets are lopsided (a third of ours is Business) and the sections with the most text soak
up every common news word. A store's own source-labelled articles would be lopsided the same
way, so the model does not learn from them either (bench/section_quality.py measures both).

Opinion is not a subject: only a label on the headline ("Column:", "[사설]") makes a piece
opinion here; otherwise the paper's own section has to say so. Pure: no Django, no clock.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from briefings.pipeline.sections import DEFAULT_SECTIONS, map_name
from briefings.pipeline.types import Article

TERMS_FILE = Path(__file__).with_name("section_terms.toml")
SMOOTHING = 0.1  # additive smoothing of every word's count in every section
LEAD = 1500  # characters of body read: the lead says what the story is about
MIN_EVIDENCE = 4  # known words needed before the model names a section

_TIGHT_RUN = r"[\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]+"
_TOKENS = re.compile(rf"{_TIGHT_RUN}|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TIGHT = re.compile(_TIGHT_RUN)
# a headline that labels itself opinion: "Column: ...", "[Opinion] ...", "【社説】...", "[사설] ..."
OPINION_LABEL = re.compile(
    r"\s*[\[【〈(]?\s*(?:column|comment|commentary|opinion|editorial|op-ed|letter|viewpoint"
    r"|社説|社论|社評|社评|评论|評論|コラム|사설|칼럼|시론|기고|opini|tajuk)\s*(?:[\]】〉):：|]|\s-\s)",
    re.IGNORECASE)


def tokens(text: str) -> list[str]:
    """The units the model counts: casefolded words, or character pairs of spaceless runs."""
    out: list[str] = []
    for match in _TOKENS.finditer(text.casefold()):
        unit = match.group(0)
        if _TIGHT.fullmatch(unit):
            out.extend(unit[i:i + 2] for i in range(len(unit) - 1))
        elif len(unit) > 1:
            out.append(unit)
    return out


@dataclass(frozen=True, slots=True)
class Guess:
    section: str  # "" when the text gives too little evidence
    margin: float  # log-likelihood per word of the best section over the runner-up
    evidence: int  # words of the text the model knows


class SectionModel:
    """Word counts per section; `classify` picks the section whose words the text is likeliest
    to be drawn from."""

    def __init__(self, counts: dict[str, Counter[str]]) -> None:
        self.counts = counts
        self._logs: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        vocabulary = set().union(*counts.values()) if counts else set()
        size = len(vocabulary) or 1
        for section, words in counts.items():
            total = sum(words.values()) + SMOOTHING * size
            self._logs[section] = {w: math.log((c + SMOOTHING) / total) for w, c in words.items()}
            self._unseen[section] = math.log(SMOOTHING / total)
        self.vocabulary = frozenset(vocabulary)

    def classify(self, title: str, text: str,
                 taxonomy: Sequence[str] = DEFAULT_SECTIONS) -> Guess:
        """The likeliest section of the taxonomy for an article, from its headline and lead."""
        found = Counter(tokens(title))
        found.update(tokens(text[:LEAD]))
        known = {w: n for w, n in found.items() if w in self.vocabulary}
        evidence = sum(known.values())
        sections = [s for s in taxonomy if s in self._logs]
        if evidence < MIN_EVIDENCE or not sections:
            return Guess("", 0.0, evidence)
        scores = sorted(((self._score(s, known), s) for s in sections), reverse=True)
        margin = (scores[0][0] - scores[1][0]) / evidence if len(scores) > 1 else 0.0
        return Guess(scores[0][1], margin, evidence)

    def _score(self, section: str, known: dict[str, int]) -> float:
        logs, unseen = self._logs[section], self._unseen[section]
        return sum(n * logs.get(w, unseen) for w, n in known.items())


def seed_documents(path: Path = TERMS_FILE) -> list[tuple[str, str]]:
    """(text, section) pairs of the seed vocabulary, one per section and language."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return [(text, section) for section, langs in table.items() for text in langs.values()]


def build(seeds: Iterable[tuple[str, str]]) -> SectionModel:
    """A model from (seed words, section) pairs."""
    counts: dict[str, Counter[str]] = {}
    for text, section in seeds:
        counts.setdefault(section, Counter()).update(tokens(text))
    return SectionModel(counts)


@cache
def shipped_model() -> SectionModel:
    """The model built from what ships with Briefings, once per process."""
    return build(seed_documents())


def with_inferred_section(article: Article,
                          taxonomy: Sequence[str] = DEFAULT_SECTIONS) -> Article:
    """The article with the section its text suggests, marked as inferred (when one fits)."""
    section = infer_section(article.title, f"{article.standfirst}\n\n{article.text}", taxonomy)
    return replace(article, section=section, section_inferred=bool(section))


def infer_section(title: str, text: str, taxonomy: Sequence[str] = DEFAULT_SECTIONS) -> str:
    """The section of an article whose source gave none: "Opinion" when its headline is labelled
    so, else the shipped model's guess; "" when the text says too little."""
    opinion = map_name("Opinion", (), taxonomy)
    if opinion and OPINION_LABEL.match(title):
        return opinion
    return shipped_model().classify(title, text, taxonomy).section
