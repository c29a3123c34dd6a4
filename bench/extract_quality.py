"""Extraction quality: our extractor next to trafilatura's `extract`, scored in the same run.

Prints one table per data set and writes nothing:
- extraction-dev (91 pages, human-annotated bodies): body precision, recall and F1 with the
  benchmark's word shingles, and with character shingles on the CJK pages;
- asian-news (22 pages in 9 languages): the same on the pages with a full gold body, the
  must-contain / must-not-contain snippets and the goose3 prefix, and title, date and author
  accuracy against the upstream expectations exactly as `index.json` gives them.

`tests/test_extract_quality.py` runs the same functions and pins floors under these figures.
"""

from __future__ import annotations

import ast
import gzip
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import trafilatura  # noqa: E402

from briefings.errors import ExtractError  # noqa: E402
from briefings.evaluate import (  # noqa: E402
    BodyScore,
    aggregate,
    authors_match,
    char_tokens,
    date_matches,
    is_cjk,
    parse_gold_date,
    score_page,
    title_matches,
    word_tokens,
)
from briefings.pipeline.charset import decode  # noqa: E402
from briefings.pipeline.extract import EXTRACTOR, extract  # noqa: E402
from briefings.pipeline.types import ExtractHints, Page  # noqa: E402

SHARED_DATA = Path(os.environ.get("BRIEFINGS_SHARED_DATA", ROOT.parent / "shared" / "data"))
# the zone each country's papers print their times in: what sources.toml would configure
ZONES = {"JP": "Asia/Tokyo", "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "IN": "Asia/Kolkata",
         "BD": "Asia/Dhaka", "VN": "Asia/Ho_Chi_Minh", "ID": "Asia/Jakarta"}


@dataclass(frozen=True)
class Sample:
    """One page with what is known about it."""

    name: str
    url: str
    html: str
    zone: str = "UTC"
    gold_body: str | None = None  # a full gold body, when the data set gives one
    expected: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Output:
    """What one system extracted from one page."""

    text: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    day_only: bool = False  # the system gives a date without a time


def read_page(path: Path) -> str:
    text, _charset = decode(gzip.decompress(path.read_bytes()), "text/html")
    return text


def load_extraction_dev(root: Path = SHARED_DATA) -> list[Sample]:
    folder = root / "extraction-dev"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Sample(name=key, url=item["url"], html=read_page(folder / "html" / f"{key}.html.gz"),
               gold_body=item["articleBody"])
        for key, item in sorted(gold.items())
    ]


def load_asian_news(root: Path = SHARED_DATA) -> list[Sample]:
    folder = root / "asian-news"
    samples = []
    for record in json.loads((folder / "index.json").read_text(encoding="utf-8")):
        if not record["file"].startswith("pages/"):
            continue
        expected = record.get("expected") or {}
        samples.append(Sample(
            name=Path(record["file"]).name.removesuffix(".html.gz"),
            url=record["url"],
            html=read_page(folder / record["file"]),
            zone=ZONES.get(record["country"], "UTC"),
            gold_body=_gold_body(expected),
            expected=expected,
        ))
    return samples


def _gold_body(expected: dict) -> str | None:
    """fundus paragraphs (hand-curated) or an annotated/extracted body; None for snippets."""
    paragraphs = expected.get("body_paragraphs")
    if paragraphs:
        if isinstance(paragraphs, str):
            paragraphs = ast.literal_eval(paragraphs)
        return "\n\n".join(paragraphs)
    return expected.get("body_text")


def run_ours(sample: Sample) -> Output:
    page = Page(url=sample.url, final_url=sample.url, status=200, text=sample.html)
    try:
        article = extract(page, ExtractHints(timezone=sample.zone))
    except ExtractError:
        return Output()
    return Output(article.text, article.title, article.authors, article.published)


def run_trafilatura(sample: Sample, precision: bool = False) -> Output:
    """trafilatura's own `extract` for the body (as users call it) and its metadata."""
    text = trafilatura.extract(sample.html, url=sample.url, favor_precision=precision) or ""
    return Output(text=text)


def run_trafilatura_metadata(sample: Sample) -> Output:
    document = trafilatura.bare_extraction(sample.html, url=sample.url, with_metadata=True)
    if document is None:
        return Output()
    published = None
    if document.date:
        day = datetime.fromisoformat(document.date[:10])
        published = day.replace(hour=12, tzinfo=ZoneInfo(sample.zone)).astimezone(UTC)
    authors = tuple(a.strip() for a in (document.author or "").split(";") if a.strip())
    return Output(document.text or "", document.title or "", authors, published, day_only=True)


SYSTEMS: dict[str, Callable[[Sample], Output]] = {
    EXTRACTOR: run_ours,
    "trafilatura extract (default)": run_trafilatura,
    "trafilatura extract (precision)": lambda s: run_trafilatura(s, precision=True),
}


def body_score(
    samples: Sequence[Sample], outputs: Sequence[Output], chars: bool = False
) -> BodyScore:
    """Shingle P/R/F1 over the samples with a gold body (character tokens when `chars`)."""
    tokenize = char_tokens if chars else word_tokens
    return aggregate(
        score_page(s.gold_body, o.text, tokenize)
        for s, o in zip(samples, outputs, strict=True)
        if s.gold_body is not None
    )


def cjk_only(
    samples: Sequence[Sample], outputs: Sequence[Output]
) -> tuple[list[Sample], list[Output]]:
    """The samples (and their outputs) whose gold body is mostly CJK."""
    pairs = [
        (s, o) for s, o in zip(samples, outputs, strict=True)
        if s.gold_body and is_cjk(s.gold_body)
    ]
    return [s for s, _ in pairs], [o for _, o in pairs]


def _squash(text: str) -> str:
    return "".join(text.split())


def snippet_score(
    samples: Sequence[Sample], outputs: Sequence[Output]
) -> tuple[float, float, float]:
    """Share of must-contain snippets found, must-not-contain absent, goose openings found."""
    found = wanted = clean = banned = prefixes = prefixed = 0
    for sample, output in zip(samples, outputs, strict=True):
        text = _squash(output.text)
        for snippet in sample.expected.get("text_must_contain", ()):
            wanted += 1
            found += _squash(snippet) in text
        for snippet in sample.expected.get("text_must_not_contain", ()):
            banned += 1
            clean += _squash(snippet) not in text
        if prefix := sample.expected.get("body_text_prefix"):
            prefixes += 1
            prefixed += _squash(prefix)[:200] in text
    return found / max(wanted, 1), clean / max(banned, 1), prefixed / max(prefixes, 1)


@dataclass(frozen=True)
class FieldScore:
    title: tuple[int, int]
    date_minute: tuple[int, int]
    date_day: tuple[int, int]
    authors: tuple[int, int]


def field_score(samples: Sequence[Sample], outputs: Sequence[Output]) -> FieldScore:
    """(right, asked) for title, date to the minute, date to the day, authors."""
    counts = {"title": [0, 0], "minute": [0, 0], "day": [0, 0], "authors": [0, 0]}
    for sample, output in zip(samples, outputs, strict=True):
        want = sample.expected
        if want.get("title"):
            counts["title"][0] += title_matches(output.title, want["title"])
            counts["title"][1] += 1
        if want.get("publishing_date"):
            gold = want["publishing_date"]
            has_time = isinstance(parse_gold_date(gold, sample.zone), datetime)
            if has_time:
                counts["minute"][0] += not output.day_only and date_matches(output.published, gold)
                counts["minute"][1] += 1
            counts["day"][0] += _same_day(output.published, gold, sample.zone)
            counts["day"][1] += 1
        if want.get("authors") is not None:
            counts["authors"][0] += authors_match(output.authors, want["authors"])
            counts["authors"][1] += 1
    return FieldScore(*(tuple(counts[k]) for k in ("title", "minute", "day", "authors")))  # type: ignore[arg-type]


def _same_day(published: datetime | None, gold: str, zone: str) -> bool:
    if published is None:
        return False
    want = parse_gold_date(gold, zone)
    day = want.astimezone(ZoneInfo(zone)).date() if isinstance(want, datetime) else want
    return published.astimezone(ZoneInfo(zone)).date() == day


def _row(name: str, score: BodyScore) -> str:
    return f"  {name:<46} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}"


def _ratio(pair: tuple[int, int]) -> str:
    return f"{pair[0]:>2}/{pair[1]:<2}" if pair[1] else "  -  "


def print_bodies(name: str, samples: list[Sample], results: dict[str, list[Output]]) -> None:
    scored = sum(s.gold_body is not None for s in samples)
    cjk = len(cjk_only(samples, results[EXTRACTOR])[0])
    print(f"\n{name}: body of {scored} pages with a gold body ({cjk} CJK)")
    print(f"  {'system · tokens':<46} {'P':>6} {'R':>6} {'F1':>6}")
    for system, outputs in results.items():
        print(_row(f"{system} · words", body_score(samples, outputs)))
    for system, outputs in results.items():
        if cjk:
            score = body_score(*cjk_only(samples, outputs), chars=True)
            print(_row(f"{system} · CJK chars", score))


def print_asian_fields(samples: list[Sample], ours: list[Output]) -> None:
    print("\nasian-news: fields, right/asked against the upstream expectations")
    print(f"  {'system':<46} {'title':>6} {'d-min':>6} {'d-day':>6} {'author':>6}")
    fields = {EXTRACTOR: ours, "trafilatura bare_extraction (metadata)":
              [run_trafilatura_metadata(s) for s in samples]}
    for system, outputs in fields.items():
        score = field_score(samples, outputs)
        cells = (score.title, score.date_minute, score.date_day, score.authors)
        print(f"  {system:<46} " + " ".join(f"{_ratio(c):>6}" for c in cells))


def main() -> int:
    sets = {"extraction-dev": load_extraction_dev(), "asian-news": load_asian_news()}
    results = {
        name: {system: [run(s) for s in samples] for system, run in SYSTEMS.items()}
        for name, samples in sets.items()
    }
    for name, samples in sets.items():
        print_bodies(name, samples, results[name])
    samples = sets["asian-news"]
    print("\nasian-news: snippets, share of must-contain found / must-not-contain absent "
          "/ goose3 openings found")
    for system, outputs in results["asian-news"].items():
        contain, clean, opening = snippet_score(samples, outputs)
        print(f"  {system:<46} {contain:6.2f} {clean:6.2f} {opening:6.2f}")
    print_asian_fields(samples, results["asian-news"][EXTRACTOR])
    return 0


if __name__ == "__main__":
    sys.exit(main())
