"""sources.toml: the shipped partner list loads, bad entries are named, sync is idempotent."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from briefings.config import PACKAGE_DIR
from briefings.errors import ConfigError
from briefings.sources.catalog import load_sources, sync_sources
from briefings.sources.models import Feed, Source


def test_the_shipped_partner_papers(shared_data: Path) -> None:
    specs = load_sources(PACKAGE_DIR / "sources.toml")
    assert len(specs) == 22
    members = {row["homepage"] for row in csv.DictReader(
        (shared_data / "ann-members.csv").open(encoding="utf-8"))}
    assert {s.homepage for s in specs} <= members
    assert {s.region for s in specs} == {"South Asia", "Southeast Asia", "Northeast Asia"}
    offsets = {s.timezone for s in specs}
    assert {"Asia/Kathmandu", "Asia/Kolkata", "Asia/Tokyo", "Asia/Singapore"} <= offsets
    assert all(not s.allow_private for s in specs)
    straits = next(s for s in specs if s.slug == "straits-times")
    assert len(straits.feeds) == 4 and ("business", "Business") in straits.sections


@pytest.mark.parametrize("body, message", [
    ('[[source]]\nslug = "x"\nname = "X"\n', "homepage is required"),
    ('[[source]]\nslug = "X Y"\nname = "X"\nhomepage = "https://x.example"\n', "slug"),
    ('[[source]]\nslug = "x"\nname = "X"\nhomepage = "ftp://x.example"\n', "not an http"),
    ('[[source]]\nslug = "x"\nname = "X"\nhomepage = "https://x.example"\ntimezone = "Mars/Base"\n',
     "unknown time zone"),
    ('[[source]]\nslug = "x"\nname = "X"\nhomepage = "https://x.example"\ncolour = "red"\n',
     "unknown keys"),
    ('[[source]]\nslug = "x"\nname = "X"\nhomepage = "https://x.example"\n' * 2, "used twice"),
])
def test_bad_entries_are_reported(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_sources(path)


@pytest.mark.django_db
def test_sync_is_idempotent_and_disables_dropped_feeds(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nslug = "x"\nname = "X"\nhomepage = "https://x.example"\n'
                    'feeds = ["https://x.example/a.xml", "https://x.example/b.xml"]\n'
                    'sitemaps = ["https://x.example/news.xml"]\n', encoding="utf-8")
    sync_sources(load_sources(path))
    sync_sources(load_sources(path))
    assert Source.objects.count() == 1
    assert Feed.objects.filter(enabled=True).count() == 3
    assert Feed.objects.get(url__endswith="news.xml").kind == Feed.SITEMAP
    path.write_text('[[source]]\nslug = "x"\nname = "X2"\nhomepage = "https://x.example"\n'
                    'feeds = ["https://x.example/a.xml"]\n', encoding="utf-8")
    sync_sources(load_sources(path))
    assert Source.objects.get().name == "X2"
    assert list(Feed.objects.filter(enabled=True).values_list("url", flat=True)) == [
        "https://x.example/a.xml"]
    spec = Source.objects.get().spec()
    assert spec.feeds == ("https://x.example/a.xml",) and spec.sitemaps == ()
