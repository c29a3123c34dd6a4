"""Tags through the whole ingest of the sample papers, and the `briefings entities` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth
from briefings.newsroom.models import Article, ArticleEntity, EntityKey
from briefings.newsroom.models import Entity as EntityRow
from briefings.newsroom.tagging import store_tags
from briefings.pipeline.tag import tag
from briefings.pipeline.types import Entity, Tags
from briefings.sources.models import Source


def article_of(truth: Truth, demo: DemoNewspapers, key: str) -> Article:
    for row in Article.objects.all():
        if truth.key_for_url(row.url, demo.papers) == key:
            return row
    raise AssertionError(key)


@pytest.mark.django_db
def test_every_article_gets_its_country_and_region(ingested: DemoNewspapers, truth: Truth) -> None:
    rail = article_of(truth, ingested, "daily-courier/ev-pyongyang-beijing-rail")
    assert rail.country == "CN" and rail.region == "Northeast Asia"
    assert {"CN", "KP"} <= set(rail.countries)
    chinese = article_of(truth, ingested, "donghai-daily/ev-pyongyang-beijing-rail")
    assert {"CN", "KP"} <= set(chinese.countries)
    quake = article_of(truth, ingested, "daily-courier/ev-pokhara-quake")
    assert quake.country == "NP" and quake.region == "South Asia"
    tagged = Article.objects.exclude(country="").count()
    assert tagged >= 0.8 * Article.objects.count()


@pytest.mark.django_db
def test_spellings_of_one_person_are_one_entity_across_papers(ingested: DemoNewspapers,
                                                              truth: Truth) -> None:
    stored = list(EntityRow.objects.filter(kind=EntityRow.PERSON))
    home = {v: e.id for e in stored for v in e.variants}
    latin = [g for g in truth.people if len(g) > 1]
    merged = 0
    for group in latin:
        seen = {home[s] for s in group if s in home and s.isascii()}
        merged += len(seen) == 1
        assert len(seen) <= 2, group  # never scattered
    assert merged >= len(latin) // 2
    ri = next(e for e in stored if "Ri Song Chol" in e.variants)
    assert ri.article_links.count() >= 2
    # different people stay apart: every entity's Latin spellings belong to one true person
    for entity in stored:
        people = {truth.person(v) for v in entity.variants if v in home and v.isascii()
                  and any(v in a.people for a in truth.content.articles)}
        assert len(people) <= 1, entity.variants


@pytest.mark.django_db
def test_places_merge_across_scripts_and_links_carry_counts(ingested: DemoNewspapers) -> None:
    beijing = EntityRow.objects.get(ref="geo:1816670")
    assert {"Beijing", "北京"} <= set(beijing.variants)
    assert beijing.slug == "beijing"
    assert EntityKey.objects.filter(entity=beijing, key="place:geo:1816670").exists()
    assert ArticleEntity.objects.filter(entity=beijing).count() >= 2
    assert ArticleEntity.objects.filter(count__gte=2).exists()


@pytest.mark.django_db
def test_storing_the_same_tags_again_changes_nothing(ingested: DemoNewspapers) -> None:
    row = Article.objects.order_by("id").first()
    assert row is not None
    before = (EntityRow.objects.count(), EntityKey.objects.count(),
              sorted(ArticleEntity.objects.filter(article=row).values_list("entity_id", "count")))
    store_tags([(row, tag(row.title, row.text, row.language))])
    after = (EntityRow.objects.count(), EntityKey.objects.count(),
             sorted(ArticleEntity.objects.filter(article=row).values_list("entity_id", "count")))
    assert before == after


def test_entities_command_prints_one_line_per_file(tmp_path: Path, shared_data: Path) -> None:
    text = tmp_path / "story.txt"
    text.write_text("Talks in Pyongyang\nPYONGYANG — Kim Jong-un met Indonesian envoys. "
                    "Mr Kim thanked Jakarta.\n", encoding="utf-8")
    page = shared_data / "asian-news" / "pages" / "the-japan-news__fundus-92ec3aa4.html.gz"
    done = subprocess.run([sys.executable, "-m", "briefings", "entities", "--json", str(text),
                           str(page), str(tmp_path / "missing.txt")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1  # the missing file
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3 and "error" in lines[2]
    first = lines[0]
    assert set(first) >= {"entities", "countries", "regions"}
    assert first["countries"][0] == "KP" and first["regions"][0] == "Northeast Asia"
    kim = next(e for e in first["entities"] if e["name"] == "Kim Jong-un")
    assert kim == {"name": "Kim Jong-un", "kind": "person", "slug": "kim-jong-un",
                   "variants": ["Kim Jong-un"]}
    assert "JP" in lines[1]["countries"]
    assert any(e["kind"] == "person" for e in lines[1]["entities"])


@pytest.mark.django_db
def test_one_batch_makes_one_entity_per_name_and_unique_slugs() -> None:
    paper = Source.objects.create(slug="p", name="P", homepage="https://p.test/")
    rows = [Article.objects.create(source=paper, url=f"https://p.test/{n}",
                                   canonical_url=f"https://p.test/{n}", title=f"T{n}",
                                   body_hash=f"h{n}", extractor="t",
                                   fetched_at="2026-01-01T00:00Z") for n in range(3)]
    ri = Entity(name="Mok Tae-sun", kind="person", slug="mok-tae-sun",
                variants=("Mok Tae-sun",), count=2)
    ri_again = Entity(name="Mok Tae Sun", kind="person", slug="mok-tae-sun",
                      variants=("Mok Tae Sun",))
    # another thing of the same slug: a company, not the person
    firm = Entity(name="Mok Tae Sun", kind="organisation", slug="mok-tae-sun",
                  variants=("MOK TAE SUN",))
    tags = [Tags(entities=(ri,)), Tags(entities=(ri_again,)), Tags(entities=(firm,))]
    store_tags(list(zip(rows, tags, strict=True)))
    person = EntityRow.objects.get(slug="mok-tae-sun")
    assert set(person.variants) == {"Mok Tae-sun", "Mok Tae Sun"}
    links = ArticleEntity.objects.filter(entity=person).values_list("article_id", "count")
    assert set(links) == {(rows[0].pk, 2), (rows[1].pk, 1)}
    assert EntityKey.objects.filter(entity=person).exists()
    assert EntityRow.objects.get(kind="organisation", name="Mok Tae Sun").slug == "mok-tae-sun-2"
