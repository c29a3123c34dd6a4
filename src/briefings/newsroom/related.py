"""Related stories for an article page: the other papers' reports of the same event, then the
stories that name the same people, organisations and places.

A syndicated copy is the same text as its original, so it is never "related": `copies` names
the other rows of one text (the original and its copies) for the page's "also ran in" line.

Stories sharing entities are read from `ArticleEntity` through its (entity, article) index: for
each of the article's most named entities, the newest `PER_ENTITY` rows of articles that arrived
within `WINDOW` either side of the article, in stories that overlap that window, all in one UNION
ALL query. Ids grow with arrival, so the window is a range of ids and every part of the query is
a bounded index range: the work depends on those caps, not on the size of the store. A shared
entity weighs by its rarity, the log of how many articles there are per article naming it
(`Entity.article_count`): one rare name counts for more than "China" on every other article.
Weights are integers so that stories sharing the same entities tie exactly; ties go to the story
updated last.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from briefings.newsroom.models import Article, ArticleEntity, Story

WINDOW = timedelta(days=30)  # how far either side of the article candidate stories may lie
PER_ENTITY = 64  # candidate rows read per entity, newest first
MAX_ENTITIES = 20  # an article's most mentioned entities considered
SCALE = 1000  # weights are integers: log-rarity in thousandths
_STAND_IN = -1  # no entity has this id
HEAVY = ("html", "text", "minhash", "profile")  # columns a list of links never needs


@dataclass(frozen=True, slots=True)
class Related:
    """One article to link to: another paper's report of the same event (`same_story`), or the
    best article of a story naming the same entities (`shared`, rarest first, and their weight)."""

    article: Article
    story: Story
    same_story: bool
    shared: tuple[str, ...] = ()
    score: int = 0


def related(article: Article, limit: int = 8, *, window: timedelta = WINDOW) -> list[Related]:
    """The other reports of the article's story, best and most original first, then the stories
    sharing its entities; at most `limit` in all."""
    found = _same_story(article)[:limit]
    entities = (ArticleEntity.objects.filter(article=article)
                .order_by("-count", "entity_id")
                .values_list("entity_id", "entity__name", "entity__article_count")[:MAX_ENTITIES])
    return found + _sharing(list(entities), article.story_id, article.when,
                           limit - len(found), window=window)


def story_related(story: Story, limit: int = 8, *, window: timedelta = WINDOW) -> list[Related]:
    """The stories sharing entities with any member of `story`, for a story page."""
    entities = (ArticleEntity.objects.filter(article__story=story)
                .values("entity_id", "entity__name", "entity__article_count")
                .annotate(mentions=Sum("count"))
                .order_by("-mentions", "entity_id")
                .values_list("entity_id", "entity__name", "entity__article_count")[:MAX_ENTITIES])
    return _sharing(list(entities), story.pk, story.last_updated, limit, window=window)


def copies(article: Article) -> list[Article]:
    """The other rows of this article's text: its original and every copy of it, first first."""
    root = article.duplicate_of_id or article.pk
    return sorted(_light(Article.objects.filter(Q(pk=root) | Q(duplicate_of_id=root))
                         .exclude(pk=article.pk)), key=lambda a: (a.when, a.pk))


def _same_story(article: Article) -> list[Related]:
    """One entry per other text in the article's story (a copy stands behind its original): the
    story's best article first, then the earliest reports."""
    if article.story_id is None:
        return []
    story = article.story
    members = _light(Article.objects.filter(story_id=article.story_id).exclude(pk=article.pk))
    root = {a.pk: a.duplicate_of_id or a.pk for a in members}
    mine = article.duplicate_of_id or article.pk
    best = root.get(story.best_id) if story.best_id is not None else None
    texts: dict[int, Article] = {}
    for member in sorted(members, key=lambda a: (a.duplicate_of_id is not None, a.when, a.pk)):
        if root[member.pk] != mine:
            texts.setdefault(root[member.pk], member)
    ordered = sorted(texts.items(), key=lambda item: (item[0] != best, item[1].when, item[0]))
    return [Related(member, story, True) for _, member in ordered]


def _sharing(entities: Sequence[tuple[int, str, int]], exclude: int | None, when: datetime,
            limit: int, *, window: timedelta = WINDOW) -> list[Related]:
    """The stories other than `exclude` that name some of `entities` (id, name, article count)
    around `when`: most shared weight first, then the one updated last; each told by its best
    article."""
    weights = _weights({entity: named for entity, _, named in entities})
    if limit <= 0 or not weights:
        return []
    names = {entity: name for entity, name, _ in entities}
    held: dict[int, set[int]] = {}
    for entity, story in _candidates(list(weights), exclude, when - window, when + window):
        held.setdefault(story, set()).add(entity)
    if not held:
        return []
    updated = dict(Story.objects.filter(pk__in=list(held)).values_list("pk", "last_updated"))
    score = {story: sum(weights[e] for e in held[story]) for story in updated}
    chosen = sorted(updated, key=lambda s: (score[s], updated[s], s), reverse=True)[:limit]
    rows = Story.objects.select_related("best__source").defer(
        *(f"best__{name}" for name in HEAVY)).in_bulk(chosen)
    return [Related(rows[s].best, rows[s], False,
                    tuple(names[e] for e in sorted(held[s], key=lambda e: (-weights[e], e))),
                    score[s])
            for s in chosen]


def _light(rows: QuerySet[Article]) -> list[Article]:
    return list(rows.select_related("source").defer(*HEAVY))


def _weights(counts: dict[int, int]) -> dict[int, int]:
    """The rarity of each entity some other article names: log(articles per article naming it),
    in thousandths. The largest id stands for the number of articles: one index probe instead of
    a count of the store, and ids are never reused."""
    counts = {entity: named for entity, named in counts.items() if named > 1}
    if not counts:
        return {}
    total = Article.objects.aggregate(top=Max("pk"))["top"] or 0
    return {entity: max(1, round(SCALE * math.log((total + 1) / named)))
            for entity, named in counts.items()}


def _id_span(start: datetime, end: datetime) -> tuple[int, int | None] | None:
    """The ids of the articles that arrived from `start` to `end`: ids and arrival times grow
    together, so two probes of the arrival index give them. An article published in the window
    arrived after its start; one arriving after its end is left out, which only matters at the
    far edge of an old article's window. No upper end while the window reaches the present."""
    arrived = Article.objects.values_list("pk", flat=True)
    first = arrived.filter(first_seen_at__gte=start).order_by("first_seen_at", "pk").first()
    if first is None or end >= timezone.now():
        return None if first is None else (first, None)
    last = arrived.filter(first_seen_at__lte=end).order_by("-first_seen_at", "-pk").first()
    return None if last is None or last < first else (first, last)


def _candidates(entities: list[int], exclude: int | None, start: datetime,
                end: datetime) -> list[tuple[int, int]]:
    """(entity, story) rows: per entity its newest PER_ENTITY articles that arrived within the
    window, in a story overlapping it that has a best article. One UNION ALL of per-entity
    selects, each a bounded range of the (entity, article) index."""
    span = _id_span(start, end)
    if span is None:
        return []
    low, high = span
    rows = ArticleEntity.objects.filter(
        article_id__gte=low,
        article__story__last_updated__gte=start, article__story__first_seen__lte=end,
        article__story__best__isnull=False)
    if high is not None:
        rows = rows.filter(article_id__lte=high)
    if exclude is not None:
        rows = rows.exclude(article__story_id=exclude)
    # Compiled once for a stand-in entity, whose parameter each part then replaces.
    one = (rows.filter(entity_id=_STAND_IN).order_by("-article_id")
           .values_list("entity_id", "article__story_id")[:PER_ENTITY])
    sql, values = one.query.sql_with_params()
    slot = list(values).index(_STAND_IN)
    params: list[object] = []
    for entity in entities:
        params += [*values[:slot], entity, *values[slot + 1:]]
    union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS part{n}" for n in range(len(entities)))
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(union, params)
        return cursor.fetchall()
