"""Search latency on synthetic stores of 200 000 and 1 000 000 articles built from real texts.

Bodies are `dedupe_speed.article(i)` (sentences of the extraction-dev, story-clusters and sample
papers' texts, with planted copies), headlines their first sentence cut to 120 characters. Rows go
straight into a throwaway SQLite file with executemany, the search triggers of migration 0005
filling the FTS5 index as they would on ingest; eight papers, ids in publication order over a year.

Query classes, by document frequency among the built articles (whole lower-case words of four
letters or more, counted while building):
- rare: 20 of the 200 words in the fewest articles (the built articles reuse the corpus's
  sentences, so even these are in a few dozen articles at 200 000);
- mid: 20 words in 0.5 % to 2 % of the articles;
- common: the 20 words in the most articles (the commonest is in nearly all of them);
- two words: a mid word and a common word together;
- CJK: 20 two-character Chinese words of the corpus (the short-term path of search.py).
Each query runs with relevance and date sort, first page, after a warm-up pass over every query
(the OS cache holds the file, as on a server that answers searches all day); p50 and p99 in
milliseconds over 10 rounds of each class's queries, and how many hit the window cap.

`--sizes 200000` runs one size only.
"""

from __future__ import annotations

# isort: off
import throwaway_store  # first, before any model: a fresh store, Django set up
# isort: on

import argparse
import os
import random
import re
import shutil
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.db import connection, transaction

import dedupe_speed
from briefings.newsroom.search import WINDOW, Query, search
from briefings.sources.models import Source

START = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 5000
PAPERS = 8
WORD = re.compile(r"[a-z]{4,}")
HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
COLUMNS = ("source_id", "url", "canonical_url", "title", "standfirst", "authors", "published",
           "section", "section_inferred", "language", "image", "credit", "paywalled", "html",
           "text", "body_hash", "extractor", "etag", "last_modified", "fetched_at",
           "first_seen_at", "versions", "shingles", "story_pinned", "countries", "country",
           "region")
SECTIONS = ("World", "Business", "Sport", "Opinion")


def build(size: int) -> tuple[Counter[str], Counter[str]]:
    """Write `size` articles; return the document frequency of words and of Han bigrams."""
    sources = [Source.objects.create(slug=f"paper-{n}", name=f"Paper {n}",
                                     homepage=f"https://p{n}.example") for n in range(PAPERS)]
    words: Counter[str] = Counter()
    han: Counter[str] = Counter()
    spacing = timedelta(days=365) / size
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO newsroom_article ({', '.join(COLUMNS)}) VALUES ({marks})"
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
    for first in range(0, size, BATCH):
        rows = []
        for i in range(first, min(size, first + BATCH)):
            text = dedupe_speed.article(i)
            paragraphs = text.split("\n")
            lead = paragraphs[1] if paragraphs[0].startswith("By The ") else paragraphs[0]
            title = dedupe_speed.SENTENCE.split(lead, 1)[0][:120]
            lower = text.casefold()
            words.update(set(WORD.findall(lower)))
            han.update({run[k:k + 2] for run in HAN.findall(text) for k in range(len(run) - 1)})
            when = str((START + i * spacing).replace(tzinfo=None))
            url = f"https://p{i % PAPERS}.example/{i}"
            rows.append((sources[i % PAPERS].pk, url, url, title, "", "[]", when,
                         SECTIONS[i % len(SECTIONS)], False, "en", "", "", False, "", text,
                         f"{i:064x}", "bench", "", "", when, when, 1, 0, False, "[]", "", ""))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        if first and first % 100_000 == 0:
            print(f"  {first:,} articles in {time.perf_counter() - began:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO newsroom_article_fts(newsroom_article_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE")
    database = connection.settings_dict["NAME"]
    print(f"built {size:,} articles in {time.perf_counter() - began:.0f} s, "
          f"file {os.path.getsize(database) / 2**30:.1f} GiB", flush=True)
    return words, han


def classes(size: int, words: Counter[str], han: Counter[str]) -> dict[str, list[str]]:
    picker = random.Random(5)
    # the sentences repeat across a big store, so the rarest words are in dozens of articles
    rare = [w for w, _ in sorted(words.items(), key=lambda item: (item[1], item[0]))[:200]]
    mid = sorted(w for w, n in words.items() if 0.005 * size <= n <= 0.02 * size)
    common = [w for w, _ in words.most_common(20)]
    chosen_mid = picker.sample(mid, min(20, len(mid)))
    return {
        "rare": picker.sample(rare, min(20, len(rare))),
        "mid": chosen_mid,
        "common": common,
        "two words": [f"{m} {c}" for m, c in zip(chosen_mid, common, strict=False)],
        "CJK": [w for w, _ in han.most_common(200)][::10],
    }


def measure(size: int, queries: dict[str, list[str]], words: Counter[str],
            han: Counter[str]) -> None:
    for sort in ("relevance", "date"):
        for texts in queries.values():  # warm-up
            for text in texts:
                search(Query(text, sort=sort))
        for label, texts in queries.items():
            times, capped, found = [], 0, 0
            for _ in range(10):
                for text in texts:
                    began = time.perf_counter()
                    results = search(Query(text, sort=sort))
                    times.append((time.perf_counter() - began) * 1000)
                    capped += results.capped
                    found += bool(results.hits)
            times.sort()
            frequencies = [words.get(t, han.get(t, 0)) for t in texts if " " not in t]
            spread = (f"df {min(frequencies):,}-{max(frequencies):,}" if frequencies
                      else "df of the mid word, the common word")
            print(f"{size:>9,} {sort:<9} {label:<9} ({spread}): "
                  f"p50 {statistics.median(times):6.2f} ms, "
                  f"p99 {times[int(0.99 * len(times)) - 1]:6.2f} ms, "
                  f"max {times[-1]:6.2f} ms; {found}/{len(times)} found, "
                  f"{capped} capped at {WINDOW}", flush=True)


def run(size: int) -> None:
    call_command("migrate", verbosity=0)
    words, han = build(size)
    queries = classes(size, words, han)
    for label, texts in queries.items():
        print(f"  {label}: {', '.join(texts[:6])}, …")
    measure(size, queries, words, han)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    args = parser.parse_args()
    dedupe_speed.load_corpus()
    try:
        for size in args.sizes:
            run(size)
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(connection.settings_dict["NAME"] + suffix):
                    os.remove(connection.settings_dict["NAME"] + suffix)
    finally:
        shutil.rmtree(throwaway_store.HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
