"""Related stories on a store of 1 000 000 articles: time and queries per article page.

The store is synthetic, written straight into a throwaway SQLite file: a year of articles (one
every 31.5 s, ids in publication order), stories of one to five consecutive articles, and six
entities per article: three the story's members share and three of the article's own. Entity
names are drawn from a Zipf-like law over 200 000 entities (exponent 1.1), so the commonest ones
are on a tenth of the store, as "China" or "United States" are on a news desk's. Only the timing
of `related()` and `story_related()` is measured: for 300 articles of the last month (the pages
readers open) and 100 from earlier in the year, after 20 unmeasured pages to warm the cache.
The reference, on 50 of the same recent pages, is the plain way to the same list: one query for
every link of the article's entities to a story of the window, and each entity's links counted.

`--size 100000` builds a smaller store.
"""

from __future__ import annotations

# isort: off
import throwaway_store  # first, before any model: a fresh store, Django set up
# isort: on

import argparse
import itertools
import math
import random
import shutil
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Field
from django.test.utils import CaptureQueriesContext

from briefings.newsroom.models import Article, ArticleEntity, Entity, Story
from briefings.newsroom.related import WINDOW, related, story_related
from briefings.sources.models import Source

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=365)  # a year to now
ENTITIES = 200_000
BATCH = 20_000


def _insert(model: type, fields: list[Field], rows: list[list[object]]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _columns(model: type, given: dict[str, object]) -> tuple[list[Field], list[object]]:
    """Every concrete column: the given values, else the field's default, as stored."""
    fields = [f for f in model._meta.concrete_fields if f.column in given or not f.null]
    fixed = [f.get_db_prep_save(given.get(f.column, f.get_default()), connection)
             for f in fields]
    return fields, fixed


def build(size: int, seed: int = 7) -> None:
    picker = random.Random(seed)
    ranks = list(range(1, ENTITIES + 1))
    weights = list(itertools.accumulate(1 / (rank ** 1.1) for rank in ranks))
    spacing = timedelta(days=365) / size
    source = Source.objects.create(slug="bench", name="Bench Daily", homepage="https://b.example")
    with transaction.atomic():
        Entity.objects.bulk_create(
            [Entity(pk=n, name=f"Entity {n}", kind=Entity.PLACE, slug=f"entity-{n}")
             for n in ranks], batch_size=5000)
    article_fields, article_fixed = _columns(Article, {
        "id": 0, "source_id": source.pk, "url": "", "canonical_url": "", "title": "",
        "published": START, "fetched_at": START, "first_seen_at": START, "story_id": 0})
    story_fields, story_fixed = _columns(Story, {
        "id": 0, "headline": "", "best_id": 0, "first_seen": START, "last_updated": START})
    link_fields = [ArticleEntity._meta.get_field(n) for n in ("article", "entity", "count")]
    index = {f.column: n for n, f in enumerate(article_fields)}
    story_index = {f.column: n for n, f in enumerate(story_fields)}
    article_id, story_id = 0, 0
    named: Counter[int] = Counter()
    began = time.perf_counter()
    while article_id < size:
        articles, stories, links = [], [], []
        while len(articles) < BATCH and article_id < size:
            story_id += 1
            members = min(picker.randint(1, 5), size - article_id)
            core = picker.choices(ranks, cum_weights=weights, k=3)
            first = START + article_id * spacing
            last = START + (article_id + members - 1) * spacing
            row = list(story_fixed)
            for column, value in (("id", story_id), ("headline", f"Story {story_id}"),
                                  ("best_id", article_id + 1),
                                  ("first_seen", first), ("last_updated", last)):
                row[story_index[column]] = story_fields[story_index[column]].get_db_prep_save(
                    value, connection)
            stories.append(row)
            for _ in range(members):
                article_id += 1
                when = START + (article_id - 1) * spacing
                row = list(article_fixed)
                for column, value in (("id", article_id), ("url", f"https://b.example/{article_id}"),
                                      ("canonical_url", f"https://b.example/{article_id}"),
                                      ("title", f"Article {article_id}"), ("published", when),
                                      ("fetched_at", when), ("first_seen_at", when),
                                      ("story_id", story_id)):
                    row[index[column]] = article_fields[index[column]].get_db_prep_save(
                        value, connection)
                articles.append(row)
                chosen = dict.fromkeys([*core, *picker.choices(ranks, cum_weights=weights, k=3)])
                links += [[article_id, entity, 1] for entity in chosen]
                named.update(chosen.keys())
        with transaction.atomic():
            _insert(Story, story_fields, stories)
            _insert(Article, article_fields, articles)
            _insert(ArticleEntity, link_fields, links)
    with transaction.atomic(), connection.cursor() as cursor:
        table = connection.ops.quote_name(Entity._meta.db_table)
        cursor.executemany(f"UPDATE {table} SET article_count = %s WHERE id = %s",
                           [(n, entity) for entity, n in named.items()])
        cursor.execute("ANALYZE")
    print(f"built {size:,} articles, {story_id:,} stories, "
          f"{ArticleEntity.objects.count():,} entity links in {time.perf_counter() - began:.0f} s")


def measure(label: str, pages: list[int], call) -> None:
    times, queries = [], []
    for pk in pages:
        article = Article.objects.get(pk=pk)
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            found = call(article)
            times.append((time.perf_counter() - began) * 1000)
        queries.append(len(captured.captured_queries))
        assert found, f"nothing related to article {pk}"
    times.sort()
    print(f"{label}: {len(pages)} pages, median {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms, "
          f"queries {min(queries)}-{max(queries)}")


def plain(article: Article) -> list[Story]:
    """The reference: no caps, no id ranges, counts counted."""
    mine = list(ArticleEntity.objects.filter(article=article).values_list("entity_id", flat=True))
    named = dict(ArticleEntity.objects.filter(entity_id__in=mine).values("entity_id")
                 .annotate(n=Count("pk")).values_list("entity_id", "n"))
    total = Article.objects.count()
    held: dict[int, set[int]] = {}
    for entity, story in (ArticleEntity.objects
                          .filter(entity_id__in=mine,
                                  article__story__last_updated__gte=article.when - WINDOW,
                                  article__story__first_seen__lte=article.when + WINDOW)
                          .exclude(article__story_id=article.story_id)
                          .values_list("entity_id", "article__story_id")):
        held.setdefault(story, set()).add(entity)
    ranked = sorted(held, key=lambda s: sum(math.log(total / named[e]) for e in held[s]),
                    reverse=True)
    return list(Story.objects.filter(pk__in=ranked[:8]).select_related("best__source"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    try:
        run(args.size)
    finally:
        shutil.rmtree(throwaway_store.HOME, ignore_errors=True)


def run(size: int) -> None:
    build(size)
    picker = random.Random(11)
    recent = [picker.randint(int(size * 0.92), size) for _ in range(320)]
    older = [picker.randint(1, int(size * 0.8)) for _ in range(100)]
    measure("warm-up", recent[:20], related)
    measure("related(), last month", recent[20:], related)
    measure("related(), earlier in the year", older, related)
    measure("story_related(), last month", recent[20:120],
            lambda article: story_related(article.story))
    measure("reference (plain query), last month", recent[20:70], plain)


if __name__ == "__main__":
    main()
