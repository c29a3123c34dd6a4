"""Site learning on the sample newspapers: body P/R/F1 against their own ground truth, per
template, with the general extractor alone ("before") and after learning each paper's
furniture from its pages ("batch": all of them first, as `briefings extract --manifest` does;
"ingest": as pages arrive, with a young site's first pages held back and extracted again).

The ingest column runs a real ingest into a throwaway SQLite store; it reads the stored bodies.
"""

from __future__ import annotations

# isort: off
import throwaway_store  # noqa: F401  (first, before any model: a fresh store, Django set up)
# isort: on

import os
import sys
from collections import defaultdict

from django.core.management import call_command

from briefings.demo.content import DemoArticle, Paper
from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import load_truth
from briefings.evaluate import PageScore, aggregate, char_tokens, score_page, word_tokens
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.ingest import Ingest
from briefings.newsroom.models import Article
from briefings.pipeline.extract import extract
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.sitebatch import SiteHints, learn, lesson
from briefings.pipeline.types import ExtractHints
from briefings.sources.catalog import sync_sources
from briefings.sources.models import Source


def score(paper: Paper, article: DemoArticle, text: str) -> PageScore:
    gold = "\n\n".join(article.paragraphs[:1] if article.paywalled else article.paragraphs)
    tokens = char_tokens if paper.language in ("zh", "ja") else word_tokens
    return score_page(gold, text, tokens)


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    columns: dict[str, dict[str, list[PageScore]]] = {
        name: defaultdict(list) for name in ("before", "batch", "ingest")}
    with DemoNewspapers() as demo, Fetcher(FetchConfig()) as fetcher:
        pages = []
        for article in demo.content.articles:
            paper = demo.content.paper(article.paper)
            page = fetcher.fetch(demo.url_of(article.key), delay=0, allow_private=True)
            hints = ExtractHints(timezone=paper.timezone, language=paper.language,
                                 full_text=paper.full_text, site_name=paper.name)
            pages.append((paper, article, page, hints))
        site_hints = SiteHints(learn(lesson(page) for _, _, page, _ in pages))
        for paper, article, page, hints in pages:
            columns["before"][paper.template].append(
                score(paper, article, extract(page, hints).text))
            columns["batch"][paper.template].append(
                score(paper, article, extract(page, site_hints(hints, page)).text))
        sync_sources(demo.sources())
        with ExtractionPool(os.cpu_count() or 1) as pool:
            Ingest(list(Source.objects.all()), fetcher=fetcher, pool=pool).run()
        truth = load_truth()
        for row in Article.objects.all():
            article = truth.article(truth.key_for_url(row.url, demo.papers) or "")
            paper = demo.content.paper(article.paper)
            columns["ingest"][paper.template].append(score(paper, article, row.text))
    print("sample papers: body P / R / F1 per template against their own ground truth")
    print(f"  {'template':<12}" + "".join(f"{name:>22}" for name in columns))
    for template in columns["before"]:
        cells = [aggregate(columns[name][template]) for name in columns]
        print(f"  {template:<12}" + "".join(
            f"   {c.precision:.3f} {c.recall:.3f} {c.f1:.3f}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
