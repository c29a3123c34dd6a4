"""Storing an article's tags: its countries and region on the row, its entities merged with those
already known.

An entity is found again by its variant keys (`EntityKey`, pipeline/names.py): one indexed
query finds every stored entity any of the article's entities may be, a new spelling is added to
the entity's variants, and a new entity brings its keys; each entity's article count follows its
links. Called only from the ingest's main thread, inside its transaction, after
`store_article`; storing the same tags again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import F, Q

from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.models import ArticleEntity, Entity, EntityKey
from briefings.newsroom.rows import update_many
from briefings.pipeline.entities import entity_keys
from briefings.pipeline.names import NameKeys
from briefings.pipeline.types import Entity as Found
from briefings.pipeline.types import Tags

_ARTICLE_FIELDS = ("countries", "country", "region")


def store_tags(row: ArticleRow, tags: Tags | None) -> None:
    """Write `tags` for the stored article `row`, replacing what an earlier version had."""
    if tags is None:
        return
    row.countries, row.country, row.region = list(tags.countries), tags.country, tags.region
    update_many([row], _ARTICLE_FIELDS)
    counts = _entities(tags.entities)
    links = ArticleEntity.objects.filter(article=row)
    held = dict(links.values_list("entity_id", "count"))
    gone = [e for e in held if e not in counts]
    if gone:
        links.filter(entity_id__in=gone).delete()
    changed = [ArticleEntity(article=row, entity_id=e, count=c) for e, c in counts.items()
               if held.get(e) != c]
    if changed:
        links.filter(entity_id__in=[a.entity_id for a in changed]).delete()
        ArticleEntity.objects.bulk_create(changed)
    _count_articles([e for e in counts if e not in held], 1)
    _count_articles(gone, -1)


def _count_articles(entities: Sequence[int], step: int) -> None:
    """Keep each entity's article count, which weighs its rarity in related stories."""
    if entities:
        Entity.objects.filter(pk__in=entities).update(article_count=F("article_count") + step)


def _entities(found: Sequence[Found]) -> dict[int, int]:
    """The stored entity of each found one (made if new), and its mentions in the article."""
    keyed = [(entity, entity_keys(entity)) for entity in found]
    strong = {k for _, keys in keyed for k in keys.strong}
    loose = {k for _, keys in keyed for k in keys.loose}
    known: dict[str, tuple[int, bool]] = {
        key: (entity_id, is_loose) for key, entity_id, is_loose in EntityKey.objects.filter(
            Q(key__in=strong) | Q(key__in=loose, loose=False)
        ).values_list("key", "entity_id", "loose")}
    matched: list[tuple[Found, NameKeys, int | None]] = []
    for entity, keys in keyed:
        home = next((known[k][0] for k in keys.strong if k in known), None)
        if home is None:
            home = next((known[k][0] for k in keys.loose if k in known and not known[k][1]),
                        None)
        matched.append((entity, keys, home))
    rows = Entity.objects.in_bulk([home for _, _, home in matched if home is not None])
    created = _create([entity for entity, _, home in matched if home is None])
    counts: dict[int, int] = {}
    grown: dict[int, Entity] = {}
    new_keys: list[EntityKey] = []
    fresh = iter(created)
    for entity, keys, home in matched:
        row = rows[home] if home is not None else next(fresh)
        spellings = [v for v in entity.variants if v not in row.variants]
        if spellings:
            row.variants = [*row.variants, *spellings]
            grown[row.id] = row
        new_keys += [EntityKey(key=k[:200], entity_id=row.id) for k in keys.strong
                     if known.get(k, (None,))[0] != row.id]
        new_keys += [EntityKey(key=k[:200], entity_id=row.id, loose=True) for k in keys.loose
                     if k not in known]
        counts[row.id] = counts.get(row.id, 0) + entity.count
    if grown:
        update_many(grown.values(), ["variants"])
    EntityKey.objects.bulk_create(new_keys, ignore_conflicts=True)
    return counts


def _create(found: Sequence[Found]) -> list[Entity]:
    """New entity rows, with slugs made unique against the store and each other."""
    if not found:
        return []
    wanted = {e.slug for e in found}
    taken = set(Entity.objects.filter(
        Q(slug__in=wanted) | Q(*[Q(slug__startswith=f"{s}-") for s in wanted], _connector=Q.OR)
    ).values_list("slug", flat=True))
    rows = []
    for entity in found:
        slug, number = entity.slug, 1
        while slug in taken:
            number += 1
            slug = f"{entity.slug[:90]}-{number}"
        taken.add(slug)
        rows.append(Entity(name=entity.name[:200], kind=entity.kind, slug=slug,
                           variants=list(entity.variants), ref=entity.ref))
    return Entity.objects.bulk_create(rows)
