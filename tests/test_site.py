"""The first page lists stories; article pages respect the paper's republishing terms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client, RequestFactory

from briefings.newsroom.models import Article, Story
from briefings.newsroom.stories import refresh
from briefings.site.views import server_error
from briefings.sources.models import Source

pytestmark = pytest.mark.django_db


def make_article(source: Source, n: int, **fields: object) -> Article:
    values: dict[str, object] = {
        "url": f"{source.homepage}/a/{n}", "canonical_url": f"{source.homepage}/a/{n}",
        "title": f"Headline number {n}", "text": f"First sentence of story {n}. Second one.",
        "html": f"<p>First sentence of story {n}. Second one.</p>", "body_hash": f"h{n}",
        "extractor": "test", "fetched_at": datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
        "published": datetime(2026, 3, 10, 1, n, tzinfo=UTC), "language": "en",
    }
    values.update(fields)
    return Article.objects.create(source=source, **values)


@pytest.fixture
def papers() -> tuple[Source, Source]:
    open_paper = Source.objects.create(slug="open", name="The Open Paper",
                                       homepage="https://open.example", timezone="Asia/Kathmandu")
    closed = Source.objects.create(slug="closed", name="The Closed Paper",
                                   homepage="https://closed.example", full_text=False)
    return open_paper, closed


def as_story(*members: Article) -> Story:
    """A story of these articles, its facts computed as the ingest computes them."""
    first = members[0]
    story = Story.objects.create(headline=first.title, first_seen=first.published,
                                 last_updated=first.published)
    Article.objects.filter(pk__in=[m.pk for m in members]).update(story=story)
    refresh([story.pk])
    story.refresh_from_db()
    return story


def test_home_lists_stories_latest_first_with_their_papers(
        papers: tuple[Source, Source]) -> None:
    for n in range(1, 4):
        as_story(make_article(papers[0], n))
    # the paper that may be shown in full tells the story; the other is credited beside it
    as_story(make_article(papers[0], 9, title="东海日报的新闻标题", language="zh"),
             make_article(papers[1], 8, title="Closed Paper's take on it"))
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Headline number 1", "Headline number 3", "东海日报的新闻标题"):
        assert title in html
    assert html.index("东海日报的新闻标题") < html.index("Headline number 3") < html.index(
        "Headline number 1")
    assert "The Open Paper" in html and "First sentence of story 2." in html
    assert 'lang="zh"' in html
    assert "Also in The Closed Paper · <a" in html and "full coverage: 2 papers" in html
    assert "4 stories" in html
    # Reader's zone by default (Singapore), the paper's own zone on hover (Kathmandu, +05:45).
    assert "March 10, 2026 · 09:03 +08" in html
    assert "06:48 +0545 at the paper (Asia/Kathmandu)" in html
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]


def test_article_page_shows_body_only_where_allowed(papers: tuple[Source, Source]) -> None:
    full = make_article(papers[0], 1, html="<p>Full body here.</p>", text="Full body here.")
    teaser_only = make_article(papers[1], 2, html="<p>Secret full text.</p>",
                               text="Opening sentence. Secret full text follows.")
    page = Client().get(f"/article/{full.pk}/").content.decode()
    assert "Full body here." in page and "Read it at The Open Paper" in page
    page = Client().get(f"/article/{teaser_only.pk}/").content.decode()
    assert "Secret full text." not in page and "Read it at The Closed Paper" in page


def test_unknown_pages_get_a_useful_404() -> None:
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert b"See the latest stories" in response.content


def test_an_unexpected_error_gets_a_page_of_our_own() -> None:
    response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"latest stories" in response.content
