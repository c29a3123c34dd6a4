"""OPML export and import: our own files round-trip; feed readers' exports become sources."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from briefings.errors import ConfigError
from briefings.pipeline.types import SourceSpec
from briefings.sources.opml import export_opml, import_opml

STRAITS_TIMES = SourceSpec(
    slug="straits-times", name="The Straits Times", homepage="https://www.straitstimes.com/",
    country="SG", region="Southeast Asia", language="en", timezone="Asia/Singapore",
    feeds=("https://www.straitstimes.com/news/world/rss.xml",
           "https://www.straitstimes.com/news/business/rss.xml"),
    sitemaps=("https://www.straitstimes.com/sitemap-news.xml",),
)
SIN_CHEW = SourceSpec(
    slug="sin-chew", name="星洲日报 Sin Chew Daily & Co", homepage="https://www.sinchew.com.my/",
    country="MY", region="Southeast Asia", language="zh-Hans", timezone="Asia/Kuala_Lumpur",
    feeds=("https://www.sinchew.com.my/feed/",),
)


def test_round_trip() -> None:
    assert import_opml(export_opml([STRAITS_TIMES, SIN_CHEW], "Eastern Briefings")) == [
        STRAITS_TIMES, SIN_CHEW]


def test_round_trip_of_the_real_member_list(shared_data: Path) -> None:
    with (shared_data / "ann-members.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["homepage"]]
    specs = [
        SourceSpec(slug=f"member-{i}", name=row["name"], homepage=row["homepage"],
                   region=row["region"], language=row["language"].split()[0].split("/")[0],
                   feeds=tuple(f for f in row["rss_feeds_reported"].split("|") if f))
        for i, row in enumerate(rows)
    ]
    assert len(specs) >= 20
    assert import_opml(export_opml(specs, "ANN members")) == specs


def test_export_is_opml_2_that_readers_understand() -> None:
    text = export_opml([STRAITS_TIMES, SIN_CHEW], "Eastern Briefings")
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Eastern Briefings"
    groups = root.findall("body/outline")
    assert [g.get("text") for g in groups] == ["The Straits Times", "星洲日报 Sin Chew Daily & Co"]
    assert groups[0].get("htmlUrl") == "https://www.straitstimes.com/"
    assert (groups[0].get("country"), groups[0].get("timezone")) == ("SG", "Asia/Singapore")
    feeds = root.findall(".//outline[@xmlUrl]")
    assert [f.get("xmlUrl") for f in feeds] == [*STRAITS_TIMES.feeds, *SIN_CHEW.feeds]
    assert all(f.get("type") == "rss" for f in feeds)
    assert feeds[0].get("language") == "en"
    # The sitemap rides along without an xmlUrl, so other readers do not take it for a feed.
    (sitemap,) = root.findall(".//outline[@type='sitemap']")
    assert sitemap.get("url") == "https://www.straitstimes.com/sitemap-news.xml"


READER_EXPORT = """<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>My subscriptions in a feed reader</title></head>
  <body>
    <outline text="Asia" title="Asia">
      <outline type="rss" text="The Star - Nation" title="The Star - Nation"
               xmlUrl="https://www.thestar.example/rss/News/Nation"
               htmlUrl="https://www.thestar.example/news/nation"/>
      <outline type="rss" text="The Korea Herald" xmlUrl="https://www.koreaherald.example/rss/newsAll"
               htmlUrl="https://www.koreaherald.example/"/>
      <outline text="Nested topic">
        <outline type="rss" text="Dawn" xmlUrl="https://www.dawn.example/feeds/home"/>
      </outline>
    </outline>
    <outline text="Business">
      <outline type="rss" text="The Star - Business" title="The Star - Business"
               xmlUrl="https://www.thestar.example/rss/Business"
               htmlUrl="https://www.thestar.example/business"/>
    </outline>
    <outline type="rss" text="腾讯新闻 国内" xmlUrl="http://news.qq.example/newsgn/rss_newsgn.xml"
             language="zh-cn"/>
    <outline type="rss" text="Dawn" xmlUrl="https://www.dawn.example/feeds/home"/>
  </body>
</opml>
"""


def test_reader_export_groups_feeds_by_site() -> None:
    star, herald, dawn, qq = import_opml(READER_EXPORT)
    assert star == SourceSpec(
        slug="the-star", name="The Star", homepage="https://www.thestar.example/",
        feeds=("https://www.thestar.example/rss/News/Nation",
               "https://www.thestar.example/rss/Business"),
    )
    assert (herald.slug, herald.name, herald.homepage) == (
        "the-korea-herald", "The Korea Herald", "https://www.koreaherald.example/")
    assert dawn.feeds == ("https://www.dawn.example/feeds/home",)  # listed twice, kept once
    assert dawn.homepage == "https://www.dawn.example/"
    # A name with no Latin letters: the slug comes from the site.
    assert (qq.slug, qq.name, qq.language) == ("news-qq-example", "腾讯新闻 国内", "zh-cn")


def test_folder_that_names_a_site_is_one_source() -> None:
    text = """<opml version="2.0"><body>
      <outline text="Kathmandu Post" htmlUrl="https://kathmandupost.example/"
               timezone="Asia/Kathmandu">
        <outline type="rss" text="National" xmlUrl="https://kathmandupost.example/rss/national"/>
        <outline type="rss" text="World" xmlUrl="https://feeds.burner.example/kp-world"/>
      </outline></body></opml>"""
    (spec,) = import_opml(text)
    assert spec.name == "Kathmandu Post"
    assert spec.slug == "kathmandu-post"
    assert spec.timezone == "Asia/Kathmandu"
    assert spec.feeds == ("https://kathmandupost.example/rss/national",
                          "https://feeds.burner.example/kp-world")


def test_slugs_are_unique() -> None:
    text = """<opml version="2.0"><body>
      <outline type="rss" text="The Nation" xmlUrl="https://www.nationthailand.example/rss"/>
      <outline type="rss" text="The Nation" xmlUrl="https://www.thenation.example/feed"/>
    </body></opml>"""
    assert [s.slug for s in import_opml(text)] == ["the-nation", "the-nation-2"]


def test_empty_opml_gives_no_sources() -> None:
    assert import_opml(export_opml([], "Nothing yet")) == []


@pytest.mark.parametrize(("text", "message"), [
    ("", "not an OPML document"),
    ("<html><body><p>Sign in</p></body></html>", "root element is <html>"),
    ('<rss version="2.0"><channel/></rss>', "root element is <rss>"),
    ("<opml version='2.0'><head/></opml>", "no <body>"),
    ("<opml><body><outline", "not an OPML document"),
    ("<opml><body><outline type='rss' text='X' xmlUrl='feed.xml'/></body></opml>",
     "not an http"),
    ("<opml><body><outline text='X' htmlUrl='javascript:alert(1)'/></body></opml>",
     "not an http"),
    ("<opml><body><outline text='X' slug='x'/></body></opml>", "no htmlUrl and no feeds"),
    ("<opml><body><outline text='X' htmlUrl='https://a.example/' timezone='Asia/Nowhere'>"
     "<outline type='rss' xmlUrl='https://a.example/rss'/></outline></body></opml>",
     "unknown time zone"),
])
def test_bad_input_is_a_config_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        import_opml(text)


def test_external_entities_are_refused() -> None:
    text = """<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body>
  <outline type="rss" text="&secret;" xmlUrl="https://a.example/rss"/>
</body></opml>"""
    with pytest.raises(ConfigError, match="external entity"):
        import_opml(text)
