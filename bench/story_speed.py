"""Clustering throughput on synthetic streams of 100 000 and 1 000 000 articles.

The articles are dedupe_speed.py's stream (real sentences from the shared data and the sample
papers, one word in three sentences swapped, 10% planted syndicated copies of a recent original),
each with its first sentence as headline and a time 43.2 s after the one before (2 000 a day, the
partner papers' volume several times over), so the 72-hour window holds about 6 000 articles.
A planted copy joins its original's story without being compared, as the ingest does with the
dedupe's `duplicate_of` (dedupe_speed.py measures finding them: recall and precision 1.0).

Two worker processes build the articles and their profiles (terms.py, hashed), 1 000 at a time;
the main process counts document frequencies and places each article among the open stories with
the clustering itself (cluster.Clusterer), closing stories three windows old as the stream moves
on, as the ingest's StoryDesk does. Prints per size: wall time, articles per second, CPU seconds
of the workers and of the main process, stories made, open articles held at the end, and peak
memory (largest resident set of the main process and of a worker).

`--sizes 100000` runs one size only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedupe_speed
from briefings.pipeline.cluster import Clusterer, Profile, Settings, profile
from dedupe_speed import SENTENCE, article, load_corpus, original_of

CHUNK = 1000
START = datetime(2026, 1, 1, tzinfo=UTC)
SPACING = timedelta(seconds=43.2)


def headline(text: str) -> str:
    first = next((s for s in SENTENCE.split(text.split("\n", 1)[-1]) if s.strip()), "")
    return first[:120]


def _work(span: tuple[int, int]) -> tuple[int, list[bytes], float, float]:
    start, stop = span
    began = time.process_time()
    found = []
    for index in range(start, stop):
        text = article(index)
        found.append(profile(headline(text), text, "en").to_bytes())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return start, found, time.process_time() - began, peak


def _init() -> None:
    if not dedupe_speed.SENTENCES:
        load_corpus()


def run(count: int) -> None:
    settings = Settings()
    clusterer = Clusterer(settings)
    story_of: dict[int, int] = {}
    stories = 0
    worker_cpu, worker_peak = 0.0, 0.0
    began, main_began = time.perf_counter(), time.process_time()
    spans = [(s, min(count, s + CHUNK)) for s in range(0, count, CHUNK)]
    with multiprocessing.get_context("fork").Pool(2, initializer=_init) as pool:
        for start, found, cpu, peak in pool.imap(_work, spans):
            worker_cpu += cpu
            worker_peak = max(worker_peak, peak)
            for offset, data in enumerate(found):
                index = start + offset
                when = START + index * SPACING
                terms = Profile.from_bytes(data)
                clusterer.count(terms)
                original = original_of(index)
                story = story_of.get(original) if original != index else None
                if story is None:
                    story = clusterer.place(when, terms)
                if story is None:
                    stories += 1
                    story = index
                story_of[index] = story
                clusterer.remember(index, story, when, terms)
            clusterer.forget_before(START + (start + CHUNK) * SPACING - 3 * settings.window)
    wall = time.perf_counter() - began
    main_cpu = time.process_time() - main_began
    main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    joined = sum(1 for i, s in story_of.items() if s != i)
    print(f"clustering {count:>9,} articles: {wall:7.1f} s wall, {count / wall:7.0f} articles/s; "
          f"CPU workers {worker_cpu:.0f} s, main {main_cpu:.0f} s; "
          f"{stories:,} stories, {joined:,} articles joined one; "
          f"{len(clusterer.members):,} open articles held; "
          f"peak RSS main {main_peak:.0f} MB, worker {worker_peak:.0f} MB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    load_corpus()
    for size in args.sizes:
        run(size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
