"""Search latency on synthetic stores of 200 000 and 1 000 000 articles built from real texts.

Bodies are `dedupe_speed.article(i)` (sentences of the extraction-dev, story-clusters and sample
papers' texts, with planted copies), headlines their first sentence cut to 120 characters. Rows go
straight into a throwaway SQLite file with executemany, the search triggers of migration 0005
filling the FTS5 index as they would on ingest; eight papers, ids in publication order over a year.

Query classes, by document frequency as the word index's own vocabulary counts it (fts5vocab;
words of four ASCII letters or more):
- rare: 20 of the 200 words in the fewest articles, leaving out words of one article (mostly
  ends of cut headlines);
- mid: 20 words in 0.5 % to 2 % of the articles;
- common: the 20 words in the most articles (the commonest is in nearly all of them);
- two words: a mid word and a common word together;
- CJK: 20 two-character Chinese words, the first two characters of the commonest Han trigrams
  (the short-term path of search.py, through the trigram table).
Each query runs with relevance and date sort, first page, after a warm-up pass over every query
(the OS cache holds the file, as on a server that answers searches all day); p50 and p99 in
milliseconds over 10 rounds of each class's queries, the median number of matches, and how many
queries hit the window cap.

`--sizes 200000` runs one size only; `--reuse FILE` measures a store built before (kept with
`--keep DIR`) instead of building one; `--words-only` builds without the trigram index, which
takes most of the build time (about 2 ms an article on the reference machine), and so leaves the
CJK class out.
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
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.db import connection, transaction

import dedupe_speed
from briefings.newsroom.search import WINDOW, Query, search
from briefings.sources.models import Source

START = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 5000
PAPERS = 8
HAN = re.compile(r"[\u4e00-\u9fff]{3}")
COLUMNS = ("source_id", "url", "canonical_url", "title", "standfirst", "authors", "published",
           "section", "section_inferred", "language", "image", "credit", "paywalled", "html",
           "text", "body_hash", "extractor", "etag", "last_modified", "fetched_at",
           "first_seen_at", "versions", "shingles", "story_pinned", "countries", "country",
           "region")
SECTIONS = ("World", "Business", "Sport", "Opinion")


WORDS_ONLY_TRIGGER = (
    "CREATE TRIGGER newsroom_article_fts_insert AFTER INSERT ON newsroom_article BEGIN "
    "INSERT INTO newsroom_article_words(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END")


def build(size: int, words_only: bool) -> None:
    """Write `size` articles; with `words_only`, into the word index only (no CJK search)."""
    sources = [Source.objects.create(slug=f"paper-{n}", name=f"Paper {n}",
                                     homepage=f"https://p{n}.example") for n in range(PAPERS)]
    spacing = timedelta(days=365) / size
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO newsroom_article ({', '.join(COLUMNS)}) VALUES ({marks})"
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        if words_only:
            cursor.execute("DROP TRIGGER newsroom_article_fts_insert")
            cursor.execute(WORDS_ONLY_TRIGGER)
    for first in range(0, size, BATCH):
        rows = []
        for i in range(first, min(size, first + BATCH)):
            text = dedupe_speed.article(i)
            paragraphs = text.split("\n")
            lead = paragraphs[1] if paragraphs[0].startswith("By The ") else paragraphs[0]
            title = dedupe_speed.SENTENCE.split(lead, 1)[0]
            if len(title) > 120:
                title = title[:120].rsplit(" ", 1)[0]
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
        for table in ("newsroom_article_words",) if words_only else (
                "newsroom_article_words", "newsroom_article_fts"):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        cursor.execute("ANALYZE")
    database = connection.settings_dict["NAME"]
    print(f"built {size:,} articles in {time.perf_counter() - began:.0f} s, "
          f"file {os.path.getsize(database) / 2**30:.1f} GiB", flush=True)


def classes(size: int, words_only: bool) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.word_terms USING "
                       "fts5vocab(main, newsroom_article_words, row)")
        cursor.execute("SELECT term, doc FROM temp.word_terms WHERE term GLOB "
                       "'[a-z][a-z][a-z][a-z]*' AND term NOT GLOB '*[^a-z]*'")
        words = cursor.fetchall()
        cursor.execute("SELECT term FROM newsroom_article_fts_terms "
                       "WHERE term >= '一' AND term < '龥' ORDER BY doc DESC LIMIT 2000")
        han = [term for (term,) in cursor.fetchall() if HAN.fullmatch(term)]
    picker = random.Random(5)
    by_count = sorted(words, key=lambda item: (item[1], item[0]))
    # the built articles reuse the corpus's sentences: at a million even the rarest words of
    # more than one article are in a hundred or so
    rare = [w for w, n in by_count if n >= 2][:200]
    mid = [w for w, n in by_count if 0.005 * size <= n <= 0.02 * size]
    common = [w for w, _ in by_count[-20:]][::-1]
    chosen_mid = picker.sample(mid, min(20, len(mid)))
    return {
        "rare": picker.sample(rare, min(20, len(rare))),
        "mid": chosen_mid,
        "common": common,
        "two words": [f"{m} {c}" for m, c in zip(chosen_mid, common, strict=False)],
        **({} if words_only else {"CJK": list(dict.fromkeys(term[:2] for term in han))[:20]}),
    }


def measure(size: int, queries: dict[str, list[str]]) -> None:
    for sort in ("relevance", "date"):
        for texts in queries.values():  # warm-up
            for text in texts:
                search(Query(text, sort=sort))
        for label, texts in queries.items():
            times, capped, found, totals = [], 0, 0, []
            for _ in range(10):
                for text in texts:
                    began = time.perf_counter()
                    results = search(Query(text, sort=sort))
                    times.append((time.perf_counter() - began) * 1000)
                    capped += results.capped
                    found += bool(results.hits)
                    totals.append(results.total)
            times.sort()
            print(f"{size:>9,} {sort:<9} {label:<9}: "
                  f"p50 {statistics.median(times):6.2f} ms, "
                  f"p99 {times[int(0.99 * len(times)) - 1]:6.2f} ms, "
                  f"max {times[-1]:6.2f} ms; {found}/{len(times)} found, "
                  f"median {statistics.median(totals):,.0f} matches, "
                  f"{capped} capped at {WINDOW}", flush=True)


def run(size: int, reuse: str, keep: str, words_only: bool) -> None:
    if reuse:
        connection.close()
        connection.settings_dict["NAME"] = reuse
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM newsroom_article")
            size = cursor.fetchone()[0]
        print(f"measuring {reuse}: {size:,} articles")
    else:
        call_command("migrate", verbosity=0)
        build(size, words_only)
    queries = classes(size, words_only)
    for label, texts in queries.items():
        print(f"  {label}: {', '.join(texts[:6])}, …")
    try:
        measure(size, queries)
    finally:
        connection.close()
        if keep and not reuse:
            name = connection.settings_dict["NAME"]
            shutil.move(name, os.path.join(keep, f"search-{size}.sqlite3"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--reuse", default="", help="a store built before, to measure again")
    parser.add_argument("--keep", default="", help="a folder to keep the built stores in")
    parser.add_argument("--words-only", action="store_true",
                        help="skip the trigram index (its build is most of the time); no CJK")
    args = parser.parse_args()
    dedupe_speed.load_corpus()
    try:
        for size in [0] if args.reuse else args.sizes:
            run(size, args.reuse, args.keep, args.words_only)
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(throwaway_store.HOME + "/bench.sqlite3" + suffix):
                    os.remove(throwaway_store.HOME + "/bench.sqlite3" + suffix)
    finally:
        shutil.rmtree(throwaway_store.HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
