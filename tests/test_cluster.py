"""The clustering stage on its own: terms, anchors across languages, profiles, the window, and
the floors on the labelled story-clusters data."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefings.bcubed import bcubed
from briefings.pipeline.cedict import dictionary
from briefings.pipeline.cluster import (
    Clusterer,
    Frequencies,
    Profile,
    Settings,
    profile,
    similarity_baseline,
)
from briefings.pipeline.terms import prepare_terms, terms

HURRICANE_EN = ("Hurricane Fiona heads to Bermuda, up to eight dead in Puerto Rico",
                "SAN JUAN: Hurricane Fiona strengthened to a Category 4 storm on Sep 21 as it "
                "headed towards Bermuda after carving a path through Puerto Rico.")
HURRICANE_ZH = ("飓风菲奥娜前往百慕大，波多黎各多达8人死亡",
                "波多黎各圣胡安——飓风菲奥娜9月21日增强为4级风暴，前往百慕大。")
BUDGET_EN = ("Parliament passes the 2027 budget after a long night",
             "Lawmakers approved spending on schools and hospitals by 61 votes to 40.")


def test_dates_and_names_are_the_same_anchor_in_english_and_chinese() -> None:
    english = terms(*HURRICANE_EN).anchors
    chinese = terms(*HURRICANE_ZH, "zh").anchors
    assert "@9-21" in english and "@9-21" in chinese
    assert {"$bermuda", "$puerto", "$rico"} <= set(english) & set(chinese)


def test_title_words_weigh_more_than_lead_words_and_cjk_runs_become_pairs() -> None:
    found = terms("Flood warning", "A flood warning was issued for the river town.")
    assert found.words["flood"] > found.words["river"]
    assert "the" not in found.words
    assert {"台风", "风登", "登陆"} <= set(terms("台风登陆", "").words)


def test_prepare_terms_reads_the_stoplist_and_chinese_names_before_any_text() -> None:
    dictionary.cache_clear()
    prepare_terms()
    assert dictionary.cache_info().currsize == 1
    found = terms(*HURRICANE_ZH, "zh").anchors
    assert dictionary.cache_info().misses == 1 and "$bermuda" in found


def test_profile_survives_storage() -> None:
    found = profile(*HURRICANE_EN, "en-GB")
    again = Profile.from_bytes(found.to_bytes())
    assert again == found and again.language == "en"


def place(clusterer: Clusterer, article: int, when: datetime | None, found: Profile) -> int:
    clusterer.count(found)
    story = clusterer.place(when, found)
    story = article if story is None else story
    clusterer.remember(article, story, when, found)
    return story


def test_reports_of_one_event_join_across_languages_and_others_stay_apart() -> None:
    clusterer = Clusterer(Settings())
    now = datetime(2026, 9, 21, tzinfo=UTC)
    stories = [place(clusterer, 1, now, profile(*HURRICANE_EN, "en")),
               place(clusterer, 2, now, profile(*BUDGET_EN, "en")),
               place(clusterer, 3, now, profile(*HURRICANE_ZH, "zh"))]
    assert stories == [1, 2, 1]


def test_a_story_closes_after_its_window() -> None:
    clusterer = Clusterer(Settings(window=timedelta(hours=72)))
    start = datetime(2026, 9, 1, tzinfo=UTC)
    found = profile(*HURRICANE_EN, "en")
    assert place(clusterer, 1, start, found) == 1
    assert place(clusterer, 2, start + timedelta(hours=71), found) == 1
    # within 72 h of the story's last article, not of its first
    assert place(clusterer, 3, start + timedelta(hours=140), found) == 1
    assert place(clusterer, 4, start + timedelta(days=10), found) == 4
    assert clusterer.forget_before(start + timedelta(days=9)) == 1
    assert set(clusterer.members) == {4}


def load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.parametrize(("name", "floor"), [("articles.jsonl.gz", 0.98),
                                              ("articles-mmds2025.jsonl.gz", 0.88)])
def test_bcubed_floor_on_labelled_clusters_beats_the_single_pass_baseline(
        shared_data: Path, name: str, floor: float) -> None:
    rows = load(shared_data / "story-clusters" / name)
    rows.sort(key=lambda r: r["date"] or "")
    profiles = [profile(r["title"] or "", r["text"], r["lang"]) for r in rows]
    clusterer = Clusterer(Settings())
    labels = []
    for number, (row, found) in enumerate(zip(rows, profiles, strict=True)):
        when = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC) if row["date"] else None
        labels.append(place(clusterer, number, when, found))
    gold = [r["cluster"] for r in rows]
    ours = bcubed(labels, gold).f1
    baseline = max(bcubed(similarity_baseline(profiles, t), gold).f1
                   for t in (0.1, 0.15, 0.2, 0.25, 0.3))
    assert ours >= floor
    assert ours > baseline


def test_bcubed_counts_singletons_and_penalises_lumping() -> None:
    assert bcubed([1, 2, 3], ["a", "b", "c"]).f1 == 1.0
    lumped = bcubed([1, 1, 1, 1], ["a", "a", "b", "c"])
    assert lumped.recall == 1.0 and lumped.precision == pytest.approx((0.5 * 2 + 0.25 * 2) / 4)


def test_frequencies_survive_storage_in_the_size_of_what_they_hold() -> None:
    frequencies = Frequencies()
    for found in (profile(*HURRICANE_EN, "en"), profile(*BUDGET_EN, "en")):
        frequencies.add(found)
    data = frequencies.to_bytes()
    assert len(data) < 2000
    again = Frequencies.from_bytes(frequencies.documents, data)
    assert again.documents == 2 and (again.counts == frequencies.counts).all()
