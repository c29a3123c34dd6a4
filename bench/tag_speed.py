"""Tagging time per article on real texts, next to the cheapest possible capitalised-name finder.

Tagging runs once per article in the extraction pool, so its cost adds to every page ingested.
The texts: the story-clusters articles (BASIL English; MMDS English, Chinese and Malay), the gold
bodies of the extraction-dev pages and of the asian-news pages (Chinese, Japanese, Korean,
Vietnamese, Indonesian and English), and the sample papers' articles, each with its title and
language where the data gives them.

Prints the median, 95th percentile and maximum CPU milliseconds per article (process time, so
that other work on a shared machine does not count) of `tag()`: on a first pass after
`prepare_tags()`, as a freshly forked worker meets them (every name is folded for the first
time), and again, the best of three passes (what depends on one word is cached by then). As the
reference, measured the same way in the same run: one `re.findall` of capitalised runs per
article, and the ratio of the medians.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path(os.environ.get("BRIEFINGS_SHARED_DATA", ROOT.parent / "shared" / "data"))

from briefings.demo.truth import load_truth  # noqa: E402
from briefings.pipeline.tag import prepare_tags, tag  # noqa: E402

PASSES = 3
CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")


@dataclass(frozen=True, slots=True)
class Text:
    """One article to tag: where it comes from, its title, body and language ("" if unknown)."""

    name: str
    title: str
    text: str
    language: str


def story_clusters() -> list[Text]:
    out = []
    for file in ("articles.jsonl.gz", "articles-mmds2025.jsonl.gz"):
        with gzip.open(DATA / "story-clusters" / file, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                out.append(Text(f"clusters:{row['id']}", row["title"] or "", row["text"],
                                row["lang"]))
    return out


def extraction_dev() -> list[Text]:
    truth = json.loads((DATA / "extraction-dev" / "ground-truth.json").read_text())
    return [Text(f"extraction-dev:{key[:12]}", "", row["articleBody"], "")
            for key, row in sorted(truth.items())]


def asian_news() -> list[Text]:
    """The pages whose gold body is given whole (fundus paragraphs, or a body text)."""
    out = []
    for row in json.loads((DATA / "asian-news" / "index.json").read_text()):
        expected = row.get("expected") or {}
        body = ("\n\n".join(expected["body_paragraphs"]) if expected.get("body_paragraphs")
                else expected.get("body_text", ""))
        if body:
            out.append(Text(f"asian-news:{Path(row['file']).name}", expected.get("title", ""),
                            body, row["language"]))
    return out


def sample_papers() -> list[Text]:
    content = load_truth().content
    return [Text(f"demo:{a.key}", a.title, "\n\n".join(a.paragraphs),
                 content.paper(a.paper).language) for a in content.articles]


def texts() -> list[Text]:
    """Every real text the benchmark tags, in a stable order."""
    return story_clusters() + extraction_dev() + asian_news() + sample_papers()


def per_article(items: list[Text], work: Callable[[Text], object], passes: int = 1
                ) -> list[float]:
    """CPU milliseconds of `work` on each article, the best of `passes`."""
    best = [float("inf")] * len(items)
    for _ in range(passes):
        for index, item in enumerate(items):
            started = time.process_time()
            work(item)
            best[index] = min(best[index], (time.process_time() - started) * 1000)
    return best


def summary(times: list[float]) -> tuple[float, float, float]:
    """Median, 95th percentile and maximum."""
    ordered = sorted(times)
    return (statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
            ordered[-1])


def main() -> int:
    started = time.perf_counter()
    prepare_tags()
    print(f"gazetteer and word lists built in {time.perf_counter() - started:.1f} s")
    items = texts()
    words = sum(len(t.text.split()) for t in items)
    print(f"{len(items)} articles, {words / len(items):.0f} words each on average")

    def tagging(item: Text) -> object:
        return tag(item.title, item.text, item.language)

    rows = [("tag(), first pass", per_article(items, tagging)),
            ("tag(), again (best of 3)", per_article(items, tagging, PASSES)),
            ("re.findall capitalised runs", per_article(
                items, lambda t: CAPITALISED.findall(t.text), PASSES))]
    print(f"{'CPU ms per article':30} {'median':>8} {'p95':>8} {'max':>8}")
    for label, times in rows:
        median, p95, most = summary(times)
        print(f"{label:30} {median:8.3f} {p95:8.3f} {most:8.3f}")
    reference = max(statistics.median(rows[2][1]), 1e-6)
    print(f"tag() median is {statistics.median(rows[0][1]) / reference:.0f}x the regex pass's "
          f"on the first pass, {statistics.median(rows[1][1]) / reference:.0f}x again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
