"""Related stories on the sample newspapers after a real ingest: the other papers' reports of an
event first, copies named apart, then the stories sharing entities, rarest and latest first, as a
plain scan of the whole store ranks them; and the article page that shows them."""

from __future__ import annotations

import itertools
import math

import pytest
from django.db.models import Count, Max
from django.test import Client

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth
from briefings.newsroom.models import Article, ArticleEntity, Entity, Entry, Story
from briefings.newsroom.related import MAX_ENTITIES, SCALE, copies, related, story_related
from briefings.newsroom.tagging import store_tags
from briefings.pipeline.tag import tag
from briefings.pipeline.types import Tags

pytestmark = pytest.mark.django_db


def keys_of(demo: DemoNewspapers, truth: Truth) -> dict[int, str]:
    """The sample article key of every stored row (a row also stands for identical pages)."""
    return {row.id: truth.key_for_url(row.url, demo.papers) or "" for row in Article.objects.all()}


def clean_events(demo: DemoNewspapers, truth: Truth) -> list[tuple[str, Story]]:
    """The events whose reports the ingest put in one story of their own, and that story."""
    found = []
    row_of = {truth.key_for_url(e.url, demo.papers): e.article
              for e in Entry.objects.exclude(article=None).select_related("article")}
    for event, keys in truth.events.items():
        stories = {row_of[k].story_id for k in keys}
        members = set(Article.objects.filter(story_id__in=stories).values_list("pk", flat=True))
        if len(stories) == 1 and members == {row_of[k].pk for k in keys}:
            found.append((event, Story.objects.get(pk=stories.pop())))
    return found


class Scan:
    """Every story's entities, read once: the reference ranking is a plain loop over them."""

    def __init__(self) -> None:
        self.total = Article.objects.aggregate(top=Max("pk"))["top"]
        self.named = dict(Entity.objects.annotate(n=Count("article_links"))
                          .values_list("pk", "n"))
        self.stories = {s.pk: s for s in Story.objects.exclude(best=None)}
        self.entities: dict[int, set[int]] = {}
        for story, entity in ArticleEntity.objects.values_list("article__story_id", "entity_id"):
            self.entities.setdefault(story, set()).add(entity)

    def expected(self, article: Article) -> list[tuple[int, int]]:
        """(story, score) of every other story sharing one of the article's most named
        entities, ranked as a reader wants them: the rarer a shared entity (the more articles
        there are per article naming it), the more it weighs; equal weights go to the story
        updated last."""
        mine = set(ArticleEntity.objects.filter(article=article).order_by("-count", "entity_id")
                   .values_list("entity_id", flat=True)[:MAX_ENTITIES])
        ranked = []
        for pk, story in self.stories.items():
            shared = mine & self.entities.get(pk, set())
            if shared and pk != article.story_id:
                score = sum(round(SCALE * math.log((self.total + 1) / self.named[e]))
                            for e in shared)
                ranked.append((score, story.last_updated, pk))
        return [(pk, score) for score, _, pk in sorted(ranked, reverse=True)]


def test_the_other_papers_reports_come_first_and_copies_stand_apart(
        ingested: DemoNewspapers, truth: Truth) -> None:
    events = clean_events(ingested, truth)
    assert len(events) >= 5
    key = keys_of(ingested, truth)
    checked_copies = 0
    for event, story in events:
        members = list(story.articles.all())
        for article in members:
            found = related(article, limit=30)
            same = [r for r in found if r.same_story]
            assert found[:len(same)] == same
            text = article.duplicate_of_id or article.pk
            # one entry per other text of the event; a copy of another report stands behind it
            assert len(same) == len({r.article.pk for r in same}) == len(
                {m.duplicate_of_id or m.pk for m in members} - {text})
            assert {r.article.pk for r in same} == {
                m.duplicate_of_id or m.pk for m in members if (m.duplicate_of_id or m.pk) != text}
            assert all(truth.event_of(key[r.article.pk]) == event for r in same)
            assert all(r.story == story for r in same)
            if same and story.best_id not in (article.pk, text):
                best = Article.objects.get(pk=story.best_id)
                assert same[0].article.pk == (best.duplicate_of_id or best.pk)
            # the same text elsewhere is named apart, never as a related report
            same_text = {m.pk for m in members if (m.duplicate_of_id or m.pk) == text} - {
                article.pk}
            assert {c.pk for c in copies(article)} == same_text
            assert not same_text & {r.article.pk for r in found}
            checked_copies += bool(same_text)
    assert checked_copies >= 2


def test_then_stories_sharing_names_and_places_rarest_then_latest_first(
        ingested: DemoNewspapers, truth: Truth) -> None:
    _, story = max(clean_events(ingested, truth), key=lambda found: found[1].breadth)
    report = story.best
    found = related(report, limit=len(story.papers) + 6)
    shared = [r for r in found if not r.same_story]
    assert found[0].same_story and shared
    # what comes next shares a named person or place with the report, and nothing unrelated
    kinds = set(Entity.objects.filter(name__in=shared[0].shared, article_links__article=report)
                .values_list("kind", flat=True))
    assert kinds & {Entity.PERSON, Entity.PLACE}
    scan = Scan()
    assert [(r.story.pk, r.score) for r in shared] == scan.expected(report)[:len(shared)]
    for item in shared:
        assert item.article == item.story.best and item.shared and item.story != story

    # across the store: every article's list is what a scan of the whole store ranks, and
    # among stories sharing equal weight the one updated last comes first
    ties = 0
    for article in Article.objects.exclude(entity_links=None):
        listed = [r for r in related(article, limit=100) if not r.same_story]
        assert [(r.story.pk, r.score) for r in listed] == scan.expected(article)
        for first, second in itertools.pairwise(listed):
            if first.score == second.score:
                ties += 1
                assert first.story.last_updated >= second.story.last_updated
    assert ties >= 10
    lone = Article.objects.filter(entity_links=None).first()
    if lone is not None:
        assert not [r for r in related(lone) if not r.same_story]


def test_limit_window_and_story_page(ingested: DemoNewspapers, truth: Truth) -> None:
    _, story = max(clean_events(ingested, truth), key=lambda found: found[1].breadth)
    report = story.best
    assert len(related(report, limit=2)) == 2
    assert related(report, limit=0) == []
    # stories last updated long before the article are out of its window
    later = Article.objects.filter(pk=report.pk)
    later.update(published=report.when.replace(year=report.when.year + 1))
    moved = later.get()
    assert [r for r in related(moved) if not r.same_story] == []
    # a story page: the stories naming what any of its reports names
    listed = story_related(story, limit=5)
    assert listed and len(listed) <= 5 and all(r.story != story for r in listed)
    assert [r.score for r in listed] == sorted((r.score for r in listed), reverse=True)


def test_every_entity_counts_its_articles(ingested: DemoNewspapers) -> None:
    def counts() -> tuple[dict[int, int], dict[int, int]]:
        return (dict(Entity.objects.values_list("pk", "article_count")),
                dict(Entity.objects.annotate(n=Count("article_links")).values_list("pk", "n")))

    kept, counted = counts()
    assert kept == counted
    # tags stored again without some entities, then with them: the counts follow the links
    row = Article.objects.annotate(n=Count("entity_links")).filter(n__gte=2).first()
    found = tag(row.title, row.text, row.language)
    store_tags([(row, Tags(entities=found.entities[1:]))])
    fewer, counted = counts()
    assert fewer == counted != kept
    store_tags([(row, found)])
    assert counts() == (kept, kept)


def test_article_page_shows_other_reports_and_related_stories(
        ingested: DemoNewspapers, truth: Truth) -> None:
    story = next(story for _, story in clean_events(ingested, truth)
                 if story.articles.exclude(duplicate_of=None).exists())
    copy = story.articles.exclude(duplicate_of=None).select_related("source").first()
    original = copy.duplicate_of
    found = related(original, limit=20)
    reports = [r.article for r in found if r.same_story]
    others = [r for r in found if not r.same_story]
    assert reports and others
    # titles are escaped like every other text on the page
    Article.objects.filter(pk=others[0].article.pk).update(title="Rice <b>&</b> rain")

    response = Client().get(f"/article/{original.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Also covered by" in page and "Related stories" in page
    assert page.index("Also covered by") < page.index("Related stories")
    for report in reports:
        assert f'href="/article/{report.pk}/"' in page and report.source.name in page
    positions = [page.index(f'href="/article/{r.pk}/"') for r in reports]
    assert positions == sorted(positions)
    assert "Rice &lt;b&gt;&amp;&lt;/b&gt; rain" in page and "<b>&</b>" not in page
    assert f'href="/article/{others[1].article.pk}/"' in page
    # the copy's paper ran the same text: named on the "also ran in" line, not linked as a report
    also = page[page.index('class="also"'):]
    assert copy.source.name in also[:also.index("</p>")]
    assert f'href="/article/{copy.pk}/"' not in page
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    # no script but the JSON-LD data block, which browsers do not run
    assert page.count("<script") == page.count("<script type=\"application/ld+json\">") == 1
