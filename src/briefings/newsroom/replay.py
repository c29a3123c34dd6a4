"""Replay a file of articles through the ingest's own dedupe and clustering.

`briefings stories eval` and the benchmarks use it to score the clustering on labelled data: each
line is `{"id", "title", "text", "date", "source", "lang"}` (`date` YYYY-MM-DD or null; other
fields ignored). Articles are replayed in date order (undated ones in file order, after the
dated), each stored with `store_article`, linked to its copies and placed in its story exactly
as a fetched page would be, with the same settings. The caller chooses the store: the command
makes a throwaway one.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from briefings.errors import ConfigError
from briefings.newsroom.copies import link_copies
from briefings.newsroom.extracting import enrich
from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.store import ArticleIndex, store_article
from briefings.newsroom.stories import StoryDesk
from briefings.pipeline.cluster import Settings
from briefings.pipeline.extract import body_hash
from briefings.pipeline.types import Article, Page
from briefings.sources.models import Source

BATCH = 200  # articles per transaction, as the ingest commits a batch of pages at a time


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    text: str
    date: datetime | None
    source: str
    language: str


def _item(line: str, number: int) -> Item:
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        day = data.get("date")
        date = datetime.fromisoformat(day).replace(tzinfo=UTC) if day else None
        if date is not None and date.tzinfo is not UTC:
            date = date.astimezone(UTC)
        return Item(str(data["id"]), str(data.get("title") or ""), str(data.get("text") or ""),
                    date, str(data.get("source") or ""), str(data.get("lang") or ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"line {number}: {exc}") from exc


def read_items(path: Path) -> tuple[list[Item], list[str]]:
    """The file's articles, and one message per line that could not be read."""
    opener = gzip.open if path.suffix == ".gz" else open
    items, problems = [], []
    try:
        with opener(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        items.append(_item(line, number))
                    except ConfigError as exc:
                        problems.append(f"{path}: {exc}")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return items, problems


def _source(name: str, known: dict[str, Source]) -> Source:
    slug = slugify(name)[:80] or "unnamed"
    if slug not in known:
        known[slug], _ = Source.objects.get_or_create(
            slug=slug, defaults={"name": name or "Unnamed", "homepage": f"https://{slug}.invalid/"})
    return known[slug]


def replay(items: Sequence[Item], settings: Settings | None = None) -> Iterator[tuple[str, int]]:
    """Store, dedupe and cluster the items; yields each item's id with its story's id."""
    ordered = sorted(enumerate(items), key=lambda p: (p[1].date is None, p[1].date or 0, p[0]))
    desk = StoryDesk(settings)
    sources: dict[str, Source] = {}
    stored: list[tuple[str, int]] = []
    now = timezone.now()
    for start in range(0, len(ordered), BATCH):
        with transaction.atomic():
            chunk = [item for _, item in ordered[start:start + BATCH]]
            articles = [_article(item, start + n) for n, item in enumerate(chunk)]
            index = ArticleIndex(articles)
            for item, article in zip(chunk, articles, strict=True):
                page = Page(article.url, article.url, 200, "", fetched_at=now)
                outcome = store_article(_source(item.source, sources), article, page, index)
                link_copies(outcome.article, outcome.kind)
                desk.place(outcome.article, outcome.kind)
                stored.append((item.id, outcome.article.pk))
            desk.flush()
    with transaction.atomic():
        desk.close()
    story_of = dict(ArticleRow.objects.filter(pk__in={pk for _, pk in stored})
                    .values_list("pk", "story_id"))
    for item_id, pk in stored:
        yield item_id, story_of[pk]


def _article(item: Item, number: int) -> Article:
    url = f"https://replay.invalid/{number}"
    return enrich(Article(url=url, canonical_url=url, title=item.title, text=item.text, html="",
                          language=item.language, published=item.date,
                          body_hash=body_hash(f"{item.title}\n{item.text}"),
                          extractor="replay"))
