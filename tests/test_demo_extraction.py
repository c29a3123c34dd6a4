"""Extraction against the sample newspapers' own ground truth: every template, every field.

The sample papers are written for Briefings, so their truth is exact: the headline, standfirst,
authors, publication time, credit line and body paragraphs of every article are known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

import pytest

from briefings.demo.content import DemoArticle, Paper
from briefings.demo.server import DemoNewspapers
from briefings.evaluate import PageScore, aggregate, char_tokens, score_page, word_tokens
from briefings.pipeline.extract import extract
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.types import Article, ExtractHints


@pytest.fixture(scope="module")
def extracted() -> Iterator[list[tuple[Paper, DemoArticle, Article, DemoNewspapers]]]:
    with DemoNewspapers() as papers, Fetcher(FetchConfig()) as fetcher:
        results = []
        for article in papers.content.articles:
            paper = papers.content.paper(article.key.split("/")[0])
            page = fetcher.fetch(papers.url_of(article.key), delay=0, allow_private=True)
            hints = ExtractHints(timezone=paper.timezone, language=paper.language,
                                 full_text=paper.full_text, site_name=paper.name)
            results.append((paper, article, extract(page, hints), papers))
        yield results


def gold_body(article: DemoArticle) -> str:
    paragraphs = article.paragraphs[:1] if article.paywalled else article.paragraphs
    return "\n\n".join(paragraphs)


def test_bodies_per_template(extracted: list) -> None:
    scores: dict[str, list[PageScore]] = defaultdict(list)
    for paper, article, result, _ in extracted:
        tokens = char_tokens if paper.language in ("zh", "ja") else word_tokens
        scores[paper.template].append(score_page(gold_body(article), result.text, tokens))
    low = {template: aggregate(pages) for template, pages in scores.items()}
    low = {t: (round(s.precision, 3), round(s.recall, 3)) for t, s in low.items()
           if s.precision < 0.98 or s.recall < 0.98}
    assert not low, f"templates whose body P or R is under 0.98: {low}"


@pytest.mark.parametrize("field", ["title", "standfirst", "authors", "published", "credit",
                                   "paywalled"])
def test_fields(extracted: list, field: str) -> None:
    wrong = []
    for _paper, article, result, papers in extracted:
        if field == "published":
            ok = result.published is not None and abs(
                result.published - article.published_at(papers.now)) <= timedelta(minutes=1)
            got = result.published
        elif field == "authors":
            got = list(result.authors)
            ok = article.copy_of or got == list(article.authors)  # a copy may carry either
        elif field == "credit":
            got = result.credit
            ok = got == (article.credit if article.copy_of else "")
        else:
            got = getattr(result, field)
            ok = got == getattr(article, field)
        if not ok:
            wrong.append(f"{article.key}: {got!r}")
    assert not wrong, f"{len(wrong)} wrong {field}: " + "; ".join(wrong[:6])
