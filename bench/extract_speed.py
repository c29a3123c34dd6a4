"""Extraction speed: our `extract` next to plain `trafilatura.extract` on the same pages.

Both run in this one process over the 113 pages of extraction-dev and asian-news, decoded
once beforehand, taking turns page by page so that a busy moment on the machine weighs on
both alike. Prints the median per-page time of each over several rounds and their ratio; the
goal is at most 1.5x.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import trafilatura  # noqa: E402

from briefings.errors import ExtractError  # noqa: E402
from briefings.pipeline.extract import extract  # noqa: E402
from briefings.pipeline.types import ExtractHints, Page  # noqa: E402
from extract_quality import Sample, load_asian_news, load_extraction_dev  # noqa: E402

ROUNDS = 3
GOAL = 1.5


def ours(sample: Sample) -> None:
    page = Page(url=sample.url, final_url=sample.url, status=200, text=sample.html)
    with contextlib.suppress(ExtractError):
        extract(page, ExtractHints(timezone=sample.zone))


def plain(sample: Sample) -> None:
    trafilatura.extract(sample.html, url=sample.url)


def one_round(systems: dict[str, Callable[[Sample], None]], samples: list[Sample]) -> dict:
    """Seconds per page of each system over all samples, the systems taking turns per page."""
    spent = dict.fromkeys(systems, 0.0)
    for sample in samples:
        for name, run in systems.items():
            started = time.perf_counter()
            run(sample)
            spent[name] += time.perf_counter() - started
    return {name: seconds / len(samples) for name, seconds in spent.items()}


def main() -> int:
    samples = load_extraction_dev() + load_asian_news()
    for sample in samples[:5]:  # warm imports and caches for both
        ours(sample)
        plain(sample)
    systems = {"briefings extract": ours, "trafilatura.extract": plain}
    rounds = [one_round(systems, samples) for _ in range(ROUNDS)]
    medians = {name: statistics.median(r[name] for r in rounds) for name in systems}
    print(f"{len(samples)} pages, median of {ROUNDS} rounds")
    for name, value in medians.items():
        print(f"  {name:<22} {value * 1000:7.1f} ms/page")
    ratio = medians["briefings extract"] / medians["trafilatura.extract"]
    print(f"  ratio                  {ratio:7.2f}x  (goal <= {GOAL}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
