"""Storing articles' tags: countries and region on each row, entities merged with those already
known, a batch of articles at a time.

An entity is found again by its variant keys (`EntityKey`, pipeline/names.py): one indexed
query finds every stored entity any entity of the batch may be, a new spelling is added to the
entity's variants, and a new entity brings its keys (two articles of one batch naming a new
person make one entity); each entity's article count follows its links. The ingest's writer
collects the batch's tags in a `TagWriter` and writes them once, inside the batch's transaction,
in a handful of queries whatever the batch's size; storing the same tags again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q

from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.models import ArticleEntity, Entity, EntityKey
from briefings.newsroom.rows import insert_values, update_many
from briefings.pipeline.entities import entity_keys
from briefings.pipeline.names import NameKeys
from briefings.pipeline.types import Entity as Found
from briefings.pipeline.types import Tags

_ARTICLE_FIELDS = ("countries", "country", "region")


class TagWriter:
    """The tags of the articles stored in one batch, written together by `flush`."""

    def __init__(self) -> None:
        self.pending: dict[int, tuple[ArticleRow, Tags]] = {}

    def add(self, row: ArticleRow, tags: Tags | None) -> None:
        if tags is not None:
            self.pending[row.pk] = (row, tags)

    def flush(self) -> None:
        if self.pending:
            store_tags(self.pending.values())
            self.pending.clear()


def store_tags(items: Iterable[tuple[ArticleRow, Tags]]) -> None:
    """Write each stored article's tags, replacing what an earlier version of it had."""
    items = list(items)
    if not items:
        return
    for row, tags in items:
        row.countries, row.country, row.region = list(tags.countries), tags.country, tags.region
    update_many([row for row, _ in items], _ARTICLE_FIELDS)
    homes = _entities([entity for _, tags in items for entity in tags.entities])
    links: dict[tuple[int, int], int] = {}
    at = 0
    for row, tags in items:
        for entity in tags.entities:
            pair = (row.pk, homes[at])
            links[pair] = links.get(pair, 0) + entity.count
            at += 1
    stored = ArticleEntity.objects.filter(article_id__in=[row.pk for row, _ in items])
    held = set(stored.values_list("article_id", "entity_id"))
    stored.delete()
    insert_values(ArticleEntity, ("article", "entity", "count"),
                  [(a, e, c) for (a, e), c in links.items()])
    steps: dict[int, int] = {}
    for _, entity in links.keys() - held:
        steps[entity] = steps.get(entity, 0) + 1
    for _, entity in held - links.keys():
        steps[entity] = steps.get(entity, 0) - 1
    _count_articles(steps)


def _count_articles(steps: dict[int, int]) -> None:
    """Keep each entity's article count, which weighs its rarity in related stories: one
    executemany of relative UPDATEs."""
    changes = [(step, entity) for entity, step in steps.items() if step]
    if not changes:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    table, count = quote(Entity._meta.db_table), quote("article_count")
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {count} = {count} + %s "
                           f"WHERE {quote(Entity._meta.pk.column)} = %s", changes)


def _entities(found: Sequence[Found]) -> list[int]:
    """The stored entity of each found one, in order; the new ones are made."""
    keyed = [(entity, entity_keys(entity)) for entity in found]
    strong = {k for _, keys in keyed for k in keys.strong}
    loose = {k for _, keys in keyed for k in keys.loose}
    known: dict[str, tuple[int, bool]] = {
        key: (entity_id, is_loose) for key, entity_id, is_loose in EntityKey.objects.filter(
            Q(key__in=strong) | Q(key__in=loose, loose=False)
        ).values_list("key", "entity_id", "loose")}
    # New entities get numbers below zero until they are made: -1 is the first new one.
    batch: dict[str, tuple[int, bool]] = {}
    new: list[Found] = []
    homes: list[int] = []
    for entity, keys in keyed:
        home = _home(keys, known) or _home(keys, batch)
        if home is None:
            new.append(entity)
            home = -len(new)
            batch.update((k, (home, False)) for k in keys.strong)
            batch.update((k, (home, True)) for k in keys.loose if k not in batch)
        homes.append(home)
    made = [row.pk for row in _create(new)]
    homes = [h if h > 0 else made[-h - 1] for h in homes]
    _remember(keyed, homes, known)
    return homes


def _home(keys: NameKeys, known: dict[str, tuple[int, bool]]) -> int | None:
    home = next((known[k][0] for k in keys.strong if k in known), None)
    if home is None:
        home = next((known[k][0] for k in keys.loose if k in known and not known[k][1]), None)
    return home


def _remember(keyed: Sequence[tuple[Found, NameKeys]], homes: Sequence[int],
              known: dict[str, tuple[int, bool]]) -> None:
    """Add the batch's new spellings to their entities and store the keys the store lacks (a
    key another entity holds stays that entity's)."""
    # the variants alone, not whole rows: making a model object per entity cost the most here
    variants: dict[int, list[str]] = dict(
        Entity.objects.filter(pk__in=set(homes)).values_list("pk", "variants"))
    grown: dict[int, Entity] = {}
    new_keys: dict[str, tuple[str, int, bool]] = {}
    for (entity, keys), home in zip(keyed, homes, strict=True):
        spellings = [v for v in entity.variants if v not in variants[home]]
        if spellings:
            variants[home] = [*variants[home], *spellings]
            grown[home] = Entity(pk=home, variants=variants[home])
        for key in keys.strong:
            if known.get(key, (None,))[0] != home:
                new_keys.setdefault(key, (key[:200], home, False))
        for key in keys.loose:
            if key not in known:
                new_keys.setdefault(key, (key[:200], home, True))
    if grown:
        update_many(grown.values(), ["variants"])
    insert_values(EntityKey, ("key", "entity", "loose"), new_keys.values(), skip_conflicts=True)


def _create(found: Sequence[Found]) -> list[Entity]:
    """New entity rows, with slugs made unique against the store and each other: a taken slug
    gets the next free number ("kim-jong-un-2"), asked of the store a round at a time."""
    if not found:
        return []
    slugs = [e.slug for e in found]
    numbers = [1] * len(found)
    taken: set[str] = set()  # slugs the store holds
    checked: set[str] = set()  # slugs asked about
    while asked := {s for s in slugs if s not in checked}:
        taken |= set(Entity.objects.filter(slug__in=asked).values_list("slug", flat=True))
        checked |= asked
        used: set[str] = set()
        for i, entity in enumerate(found):
            while slugs[i] in taken or slugs[i] in used:
                numbers[i] += 1
                slugs[i] = f"{entity.slug[:90]}-{numbers[i]}"
            used.add(slugs[i])
    return Entity.objects.bulk_create([
        Entity(name=e.name[:200], kind=e.kind, slug=slug, variants=list(e.variants), ref=e.ref)
        for e, slug in zip(found, slugs, strict=True)])
