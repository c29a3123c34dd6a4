"""Section classifier quality on articles it never saw, and its cost per article.

The model is built only from our seed words (section_terms.toml). It is scored on articles
whose own paper gave a section, taking as the truth what that section name or URL path maps to
(sections.py), exactly as the extractor would file it:
- extraction-dev: 91 pages from 65 sites (gold body; section from the page's metadata or URL);
- asian-news: 22 pages in 9 languages (the fundus body where it has one, else our extraction);
- BASIL: 150 US political reports (section from the URL path; HuffPost URLs name none);
- our sample papers: the 115 articles we wrote, under their papers' sections that map (for
  comparison: a model that also learns from them is scored on the real sets too).
Each line gives accuracy over the articles the model named a section for, how many it named,
and accuracy counting a refusal as wrong. `tests/test_sections.py` pins floors under these.

    .venv/bin/python bench/section_quality.py
"""

from __future__ import annotations

import gzip
import json
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT / "src", ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench.extract_quality import (  # noqa: E402
    SHARED_DATA,
    Sample,
    load_asian_news,
    load_extraction_dev,
)

from briefings.demo.content import ARTICLES_DIR as DEMO_ARTICLES  # noqa: E402
from briefings.errors import ExtractError  # noqa: E402
from briefings.pipeline.extract import extract, parse_page  # noqa: E402
from briefings.pipeline.metadata import read_meta  # noqa: E402
from briefings.pipeline.sectionmodel import (  # noqa: E402
    SectionModel,
    build,
    infer_section,
    seed_documents,
    shipped_model,
)
from briefings.pipeline.sections import map_name, map_path, map_section  # noqa: E402
from briefings.pipeline.types import ExtractHints, Page  # noqa: E402


@dataclass(frozen=True)
class Labelled:
    """One real article and the section its own paper gave it, in our taxonomy."""

    name: str
    title: str
    text: str
    section: str


def from_pages(samples: Sequence[Sample]) -> list[Labelled]:
    """The pages whose own section names or URL map to one of ours."""
    found = []
    for sample in samples:
        page = Page(url=sample.url, final_url=sample.url, status=200, text=sample.html)
        meta = read_meta(parse_page(page))
        section = map_section(meta.sections, sample.url)
        if not section:
            continue
        title = next(iter(meta.headlines or meta.h1), meta.html_title)
        text = sample.gold_body
        if not text:
            try:
                text = extract(page, ExtractHints(timezone=sample.zone)).text
            except ExtractError:
                continue
        found.append(Labelled(sample.name, title, text, section))
    return found


def load_basil(root: Path = SHARED_DATA) -> list[Labelled]:
    """BASIL's reports whose URL path names a section."""
    found = []
    with gzip.open(root / "story-clusters" / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            section = map_path(record.get("url") or "")
            if section:
                found.append(Labelled(record["id"], record["title"], record["text"], section))
    return found


def load_demo() -> list[Labelled]:
    """The sample papers' articles whose paper's own section maps to one of ours."""
    found = []
    for path in sorted(DEMO_ARTICLES.glob("*/*.toml")):
        article = tomllib.loads(path.read_text(encoding="utf-8"))
        section = map_name(article["section"])
        if section:
            found.append(Labelled(path.stem, article["title"],
                                  article.get("standfirst", "") + "\n\n" + article["body"],
                                  section))
    return found


@dataclass(frozen=True)
class Score:
    right: int
    named: int
    total: int

    @property
    def precision(self) -> float:
        """Accuracy over the articles given a section."""
        return self.right / self.named if self.named else 0.0

    @property
    def accuracy(self) -> float:
        """Accuracy over all articles, a refusal counting as wrong."""
        return self.right / self.total if self.total else 0.0


Classify = Callable[[str, str], str]


def score(classify: Classify, articles: Sequence[Labelled]) -> tuple[Score, Counter[str]]:
    """The score, and a count of each (truth → guess) confusion."""
    right = named = 0
    confused: Counter[str] = Counter()
    for article in articles:
        guess = classify(article.title, article.text)
        named += bool(guess)
        right += guess == article.section
        if guess != article.section:
            confused[f"{article.section} → {guess or '-'}"] += 1
    return Score(right, named, len(articles)), confused


def with_demo() -> Classify:
    """The rejected alternative: seeds plus our sample articles as training documents."""
    model = build([*seed_documents(), *((a.text, a.section) for a in load_demo())])
    return lambda title, text: _guess(model, title, text)


def _guess(model: SectionModel, title: str, text: str) -> str:
    return model.classify(title, text).section


def cost(articles: Sequence[Labelled], rounds: int = 5) -> float:
    """Mean seconds to infer the section of one article."""
    start = time.perf_counter()
    for _ in range(rounds):
        for article in articles:
            infer_section(article.title, article.text)
    return (time.perf_counter() - start) / (rounds * len(articles))


def real_sets() -> dict[str, list[Labelled]]:
    return {
        "extraction-dev": from_pages(load_extraction_dev()),
        "asian-news": from_pages(load_asian_news()),
        "basil": load_basil(),
    }


def main() -> None:
    start = time.perf_counter()
    model = shipped_model()
    built = time.perf_counter() - start
    sets = real_sets()
    real = [a for articles in sets.values() for a in articles]
    sets["real, all"] = real
    sets["sample papers"] = load_demo()
    print(f"model built in {built * 1000:.0f} ms: {len(model.vocabulary)} words, "
          f"{len(model.counts)} sections")
    for name, articles in sets.items():
        result, confused = score(infer_section, articles)
        print(f"{name:15} precision {result.precision:.3f} ({result.right}/{result.named}), "
              f"named {result.named}/{result.total}, accuracy {result.accuracy:.3f}")
        print("    truth:", dict(Counter(a.section for a in articles)))
        print("    misses:", dict(confused.most_common(6)))
    rejected, _ = score(with_demo(), real)
    print(f"rejected (seeds + sample articles) on real, all: accuracy {rejected.accuracy:.3f}")
    print(f"cost per article: {cost(real) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
