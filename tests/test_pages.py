"""The pages beyond home and article, on the ingested sample papers: a story's full coverage,
and the section, region, topic and paper lists; every page the home page leads to renders."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.text import slugify
from markupsafe import escape

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth
from briefings.newsroom.models import Article, Entity, Entry
from briefings.sources.models import Source

pytestmark = pytest.mark.django_db


def page(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_story_page_lists_every_paper_of_its_event(
        ingested: DemoNewspapers, demo: DemoNewspapers, truth: Truth) -> None:
    story_of = {}
    for entry in Entry.objects.exclude(article=None).select_related("article"):
        key = truth.key_for_url(entry.url, demo.papers)
        if key is not None:
            story_of[key] = entry.article.story_id
    whole = [keys for keys in truth.events.values() if len({story_of[k] for k in keys}) == 1]
    assert len(whole) >= 5
    for keys in whole:
        html = page(f"/story/{story_of[next(iter(keys))]}/")
        papers = {truth.article(k).paper for k in keys}
        names = {Source.objects.get(slug=p).name for p in papers}
        assert all(str(escape(name)) in html for name in names), (keys, names)
        assert "first report" in html and "Timeline" in html


def test_section_region_topic_and_paper_pages_list_their_own(ingested: DemoNewspapers) -> None:
    section = Article.objects.exclude(section="").values_list("section", flat=True).first()
    html = page(f"/section/{slugify(section)}/")
    shown = {int(n) for n in re.findall(r'href="/article/(\d+)/"', html)}
    assert shown and set(Article.objects.filter(pk__in=shown).values_list(
        "section", flat=True)) == {section}
    assert f'/feeds/section/{slugify(section)}/rss.xml' in html

    region = Article.objects.exclude(region="").values_list("region", flat=True).first()
    assert "By <a" in page(f"/region/{slugify(region)}/")

    person = Entity.objects.filter(kind="person").order_by("-article_count").first()
    html = page(f"/topic/{person.slug}/")
    assert "Spellings seen" in html and str(escape(person.variants[0])) in html

    paper = Source.objects.order_by("slug").first()
    html = page(f"/source/{paper.slug}/")
    assert "Last ingest" in html and str(escape(paper.name)) in html
    shown = {int(n) for n in re.findall(r'href="/article/(\d+)/"', html)}
    assert shown and set(Article.objects.filter(pk__in=shown).values_list(
        "source__slug", flat=True)) == {paper.slug}


def test_unknown_pages_are_404(ingested: DemoNewspapers) -> None:
    for path in ("/section/gardening/", "/region/atlantis/", "/topic/nobody-at-all/",
                 "/source/no-such-paper/", "/story/999999/"):
        assert Client().get(path).status_code == 404, path


def test_every_page_the_home_page_leads_to_renders(ingested: DemoNewspapers) -> None:
    """Two clicks from home: stories, articles, and from an article its paper, section, region
    and topics."""
    seen: set[str] = set()
    frontier = ["/"]
    for _ in range(3):
        found = []
        for path in frontier:
            for link in re.findall(r'href="(/(?:story|article|section|region|topic|source)'
                                   r'/[^"?#]+)"', page(path)):
                if link not in seen:
                    seen.add(link)
                    found.append(link)
        frontier = found[:60]
    kinds = {link.split("/")[1] for link in seen}
    assert kinds == {"story", "article", "section", "region", "topic", "source"}


def test_home_leads_with_the_broadest_recent_stories_and_each_region(
        ingested: DemoNewspapers) -> None:
    html = page("/")
    top = html[html.index('id="top"'):html.index("Latest stories")]
    first = int(re.search(r'href="/article/(\d+)/"', top).group(1))
    broadest = max(Article.objects.exclude(story=None).values_list("story__breadth", flat=True))
    assert Article.objects.get(pk=first).story.breadth == broadest
    assert 'href="/region/northeast-asia/"' in top or 'href="/region/southeast-asia/"' in top
