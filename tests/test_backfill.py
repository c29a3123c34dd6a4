"""A store filled by an older Briefings: its articles get sketches, copies, tags and stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefings.newsroom.backfill import backfill
from briefings.newsroom.models import Article, Story
from briefings.newsroom.stories import StoryDesk
from briefings.sources.models import Source

pytestmark = pytest.mark.django_db

FLOOD = ("Heavy monsoon rain flooded low-lying districts of Dhaka on Tuesday, closing schools "
         "and cutting power to thousands of homes. The Bangladesh Water Development Board said "
         "the Buriganga river had risen above the danger mark. Officials in Dhaka opened "
         "shelters for families from Keraniganj and Kamrangirchar as more rain was forecast.")
OTHER_FLOOD = ("Schools across Dhaka stayed shut after a night of monsoon rain flooded the "
               "Bangladeshi capital. The Buriganga river rose above the danger mark, the Water "
               "Development Board said, and shelters opened in Keraniganj.")
SUBWAY = ("Seoul opened a new subway line on Monday linking Gangnam with the city's western "
          "districts. The Seoul Metropolitan Government said 200,000 riders a day are expected.")


def old_row(source: Source, n: int, title: str, text: str, when: datetime) -> Article:
    """An article as an older Briefings stored it: no sketch, no profile, no tags."""
    return Article.objects.create(
        source=source, url=f"{source.homepage}a/{n}", canonical_url=f"{source.homepage}a/{n}",
        title=title, text=text, html=f"<p>{text}</p>", body_hash=f"old{n}", extractor="old",
        fetched_at=when, published=when, language="en")


def test_older_articles_get_sketches_copies_tags_and_stories() -> None:
    star = Source.objects.create(slug="star", name="The Daily Star", homepage="https://s.test/")
    post = Source.objects.create(slug="post", name="The Post", homepage="https://p.test/")
    herald = Source.objects.create(slug="herald", name="The Herald", homepage="https://h.test/")
    start = datetime(2025, 7, 1, 6, tzinfo=UTC)
    flood = old_row(star, 1, "Floods close schools in Dhaka", FLOOD, start)
    other = old_row(post, 2, "Dhaka schools shut as floods hit the capital", OTHER_FLOOD,
                    start + timedelta(hours=5))
    copy = old_row(herald, 3, "Floods close schools in Dhaka",
                   "By The Daily Star\n" + FLOOD, start + timedelta(hours=8))
    subway = old_row(herald, 4, "Seoul opens a new subway line", SUBWAY, start)

    assert backfill(StoryDesk()) == 4
    rows = {a.pk: a for a in Article.objects.all()}
    assert all(a.profile and a.minhash and a.story_id for a in rows.values())
    assert rows[copy.pk].duplicate_of_id == flood.pk
    assert rows[flood.pk].story_id == rows[other.pk].story_id == rows[copy.pk].story_id
    assert rows[subway.pk].story_id != rows[flood.pk].story_id
    assert rows[flood.pk].country == "BD" and rows[subway.pk].country == "KR"
    story = Story.objects.get(pk=rows[flood.pk].story_id)
    assert story.breadth == 3 and story.papers[0] == "The Daily Star"
    # nothing left to do the next time
    assert backfill(StoryDesk()) == 0
