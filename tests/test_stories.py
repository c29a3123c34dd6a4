"""Stories in the store: the sample papers' events through the whole ingest, syndicated copies in
their original's story, the editors' merge and split, and the commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from briefings.bcubed import bcubed
from briefings.cli import main
from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.ingest import Ingest, Report
from briefings.newsroom.models import Article, Entry, Story
from briefings.newsroom.replay import Item, replay
from briefings.newsroom.store import StoreOutcome
from briefings.newsroom.stories import StoryDesk
from briefings.pipeline.cluster import profile
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.sources.catalog import sync_sources
from briefings.sources.models import Source

pytestmark = pytest.mark.django_db


def ingest(slugs: Sequence[str] = ()) -> Report:
    sources = Source.objects.filter(slug__in=slugs) if slugs else Source.objects.all()
    with Fetcher(FetchConfig(backoff=0.01, retries=1, read_timeout=2.0)) as fetcher, \
            ExtractionPool(2) as pool:
        return Ingest(list(sources), fetcher=fetcher, pool=pool).run()


def story_of_each_key(demo: DemoNewspapers, truth: Truth) -> dict[str, int]:
    """The story of every sample article: its own row's, or the row its entry was folded into."""
    found = {}
    for entry in Entry.objects.exclude(article=None).select_related("article"):
        key = truth.key_for_url(entry.url, demo.papers)
        if key is not None:
            found[key] = entry.article.story_id
    return found


@pytest.fixture
def ingested(demo: DemoNewspapers, truth: Truth) -> Report:
    sync_sources(demo.sources())
    return ingest()


def test_sample_events_become_stories(demo: DemoNewspapers, truth: Truth,
                                      ingested: Report) -> None:
    placed = story_of_each_key(demo, truth)
    assert set(placed) == {a.key for a in truth.content.articles}
    assert None not in placed.values()
    gold = {key: n for n, keys in enumerate(truth.stories()) for key in keys}
    keys = sorted(placed)
    score = bcubed([placed[k] for k in keys], [gold[k] for k in keys])
    assert score.precision >= 0.95 and score.recall >= 0.9, score
    assert ingested.stories == Story.objects.count()
    # a story's facts come from its members
    for story in Story.objects.all():
        members = list(story.articles.select_related("source"))
        assert story.size == len(members)
        assert story.breadth == len({a.source.name for a in members}) == len(story.papers)
        assert story.headline in {a.title for a in members}
        assert story.first_seen == min(a.when for a in members)
        assert story.last_updated == max(a.when for a in members)
        assert story.summary


def test_a_copy_is_in_its_originals_story(ingested: Report) -> None:
    copies = Article.objects.exclude(duplicate_of=None).select_related("duplicate_of")
    assert copies
    for copy in copies:
        assert copy.story_id == copy.duplicate_of.story_id


def test_merge_and_split_pin_members_and_the_clustering_respects_them(
        ingested: Report) -> None:
    broad = Story.objects.order_by("-breadth", "id").first()
    other = Story.objects.exclude(pk=broad.pk).order_by("-breadth", "id").first()
    moved = set(other.articles.values_list("pk", flat=True))
    merged = broad.merge(other)
    assert not Story.objects.filter(pk=other.pk).exists()
    assert moved <= set(merged.articles.values_list("pk", flat=True))
    assert all(merged.articles.values_list("story_pinned", flat=True))
    assert merged.size == merged.articles.count()

    apart = merged.split(moved)
    assert set(apart.articles.values_list("pk", flat=True)) == moved
    merged.refresh_from_db()
    assert merged.size == merged.articles.count() and not moved & set(
        merged.articles.values_list("pk", flat=True))

    # an updated article is placed again, unless an editor pinned it
    elsewhere = profile("Zebra crossing painted in Ulaanbaatar", "A new zebra crossing.", "en")
    desk = StoryDesk()
    for row in Article.objects.filter(pk__in=moved):
        row.profile = elsewhere.to_bytes()
        assert desk.place(row, StoreOutcome.UPDATED) == apart.pk
    loose = Article.objects.filter(story_pinned=False).exclude(story=None).first()
    before = loose.story_id
    loose.profile = elsewhere.to_bytes()
    after = desk.place(loose, StoreOutcome.UPDATED)
    desk.close()
    assert after != before and Article.objects.get(pk=loose.pk).story_id == after
    with pytest.raises(ValueError):
        merged.split([next(iter(moved))])


def test_a_new_desk_picks_up_open_stories_without_recomputing(ingested: Report) -> None:
    desk = StoryDesk()
    held = set(desk.clusterer.members)
    assert held == set(Article.objects.exclude(story=None).values_list("pk", flat=True))
    assert desk.clusterer.frequencies.documents == Article.objects.count()


def test_replay_puts_one_event_in_one_story_across_languages() -> None:
    items = [
        Item("en", "Hurricane Fiona heads to Bermuda, up to eight dead in Puerto Rico",
             "SAN JUAN: Hurricane Fiona strengthened to a Category 4 storm on Sep 21 as it "
             "headed towards Bermuda after carving a path through Puerto Rico.", None, "A", "en"),
        Item("budget", "Parliament passes the 2027 budget after a long night",
             "Lawmakers approved spending on schools by 61 votes to 40.", None, "B", "en"),
        Item("zh", "飓风菲奥娜前往百慕大，波多黎各多达8人死亡",
             "波多黎各圣胡安——飓风菲奥娜9月21日增强为4级风暴，前往百慕大。", None, "C", "zh"),
    ]
    placed = dict(replay(items))
    assert placed["en"] == placed["zh"] != placed["budget"]


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFINGS_HOME": str(home)}
    env.pop("BRIEFINGS_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "briefings", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_stories_eval_prints_a_story_per_article_and_skips_bad_lines(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "title": "Floods close schools in Dhaka", "lang": "en", "date": "2026-07-01",
         "source": "Daily Star", "text": "Heavy rain flooded Dhaka on Tuesday.", "cluster": "a"},
        {"id": 2, "title": "Dhaka floods shut schools", "lang": "en", "date": "2026-07-02",
         "source": "Prothom Alo", "text": "Schools in Dhaka closed after floods.", "cluster": "a"},
        {"id": 3, "title": "Seoul opens new subway line", "lang": "en", "date": None,
         "source": "Korea Herald", "text": "Line 10 opened in Seoul.", "cluster": "b"},
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    done = run_cli("stories", "eval", str(path), "--score", home=tmp_path / "home")
    assert done.returncode == 1  # one line was skipped, and said so
    assert "line 4" in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["1", "2", "3"]
    assert out[0]["story"] == out[1]["story"] != out[2]["story"]
    score = json.loads(done.stderr.strip().splitlines()[-1])
    assert score["f1"] == 1.0
    assert not (tmp_path / "home" / "briefings.sqlite3").exists()  # a throwaway store


def test_stories_lists_the_latest_with_papers_and_breadth(
        ingested: Report, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--since", "3650d", "--json"]) == 0
    shown = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(shown) == Story.objects.count()
    assert shown[0]["breadth"] == max(s["breadth"] for s in shown) > 1
    assert all(len(s["papers"]) == s["breadth"] for s in shown)
    assert main(["stories", "--since", "3650d"]) == 0
    assert "stories updated in the last" in capsys.readouterr().out
    assert main(["stories", "--since", "yesterday"]) == 2
