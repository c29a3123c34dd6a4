"""The poll stage: every feed dialect becomes the same FeedEntry, with dates in the right zone."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefings.errors import ConfigError, FeedError
from briefings.pipeline.poll import classify_feed, parse_date, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def gb_feed(shared_data: Path) -> tuple[bytes, dict]:
    index = json.loads((shared_data / "asian-news" / "index.json").read_text(encoding="utf-8"))
    record = next(r for r in index if r["kind"] == "rss2_feed")
    return (shared_data / "asian-news" / record["file"]).read_bytes(), record


# --- the real GB2312 feed ---------------------------------------------------------------------


def test_gb2312_feed_decodes_to_proper_chinese(gb_feed: tuple[bytes, dict]) -> None:
    content, record = gb_feed
    expected = record["expected"]
    poll = parse_feed(content, url=record["url"], timezone="Asia/Shanghai",
                      content_type="application/rss+xml; charset=gb2312",
                      etag='"abc"', last_modified="Tue, 18 Sep 2018")
    assert poll.title == expected["channel_title"] == "新闻国内"
    assert poll.link == expected["channel_link"]
    assert (poll.etag, poll.last_modified) == ('"abc"', "Tue, 18 Sep 2018")
    assert len(poll.entries) == expected["item_count"] == 20
    assert poll.skipped == 0
    assert [e.title for e in poll.entries] == [i["title"] for i in expected["items"]]
    assert [e.url for e in poll.entries] == [i["link"] for i in expected["items"]]
    assert [e.published_raw for e in poll.entries] == [i["pubDate_raw"] for i in expected["items"]]
    first = poll.entries[0]
    assert first.title == expected["first_item_title"]
    assert first.language == "zh-CN"
    assert first.summary.startswith("编者按：历史是人民书写的")
    assert first.authors == ()  # "www.qq.com" is a site, not a person
    for entry in poll.entries:
        assert "&#" not in entry.title + entry.summary and "\ufffd" not in entry.title


def test_gb2312_feed_zoneless_dates_are_beijing_time(gb_feed: tuple[bytes, dict]) -> None:
    content, record = gb_feed
    poll = parse_feed(content, url=record["url"], timezone="Asia/Shanghai")
    # rss-parser's own expectation for the first item (it read the zoneless date as UTC+8).
    assert poll.entries[0].published == utc(2018, 9, 18, 6, 38, 10)
    assert poll.entries[-1].published == utc(2018, 9, 17, 3, 19, 42)
    assert all(e.published and e.published.tzinfo is UTC for e in poll.entries)


def test_gb2312_feed_survives_a_lying_content_type(gb_feed: tuple[bytes, dict]) -> None:
    content, record = gb_feed
    for content_type in ("text/xml", "text/html; charset=utf-8", "application/octet-stream"):
        poll = parse_feed(content, url=record["url"], content_type=content_type)
        assert poll.entries[0].title == "习近平为何如此强调崇尚英雄？"


# --- each dialect ------------------------------------------------------------------------------


def test_rss_091() -> None:
    poll = parse_feed(fixture("rss091.xml"), url="https://kathmandupost.example/rss/national.xml")
    assert classify_feed(fixture("rss091.xml")) == "rss"
    assert poll.title == "The Kathmandu Post — National"
    assert [e.title for e in poll.entries] == [
        "Café owners in Thamel protest new hours", "Monsoon preparations begin early"]
    assert poll.entries[0].summary == "Business owners say the 10 pm closing rule hurts tourism."
    assert poll.entries[0].language == "en-US"
    assert poll.entries[0].published is None


def test_rss_10_rdf() -> None:
    poll = parse_feed(fixture("rss10.rdf"), url="https://www.japantimes.example/feed/")
    assert classify_feed(fixture("rss10.rdf")) == "rss"
    budget, yen = poll.entries
    assert budget.url == "https://www.japantimes.example/news/2024/03/13/national/tokyo-budget/"
    assert budget.summary == "The ¥8.5 trillion plan funds child care."
    assert budget.authors == ("Kazuaki Nagata",)
    assert budget.categories == ("Politics",)
    assert budget.published == utc(2024, 3, 13, 9, 5)
    assert budget.published_raw == "2024-03-13T18:05:00+09:00"
    assert yen.published == utc(2024, 3, 13, 9, 30)
    assert yen.language == "en"


def test_rss_20_fields() -> None:
    poll = parse_feed(fixture("rss20.xml"), url="https://dailystar.example/rss/top.xml",
                      timezone="Asia/Dhaka")
    assert poll.title == "The Daily Star — Top News"
    assert poll.link == "https://dailystar.example/"
    bridge, air, cricket = poll.entries
    # An <a href> wrapper around the title, a relative link with a fragment.
    assert bridge.title == "Padma Bridge toll revenue tops Tk 1,500 crore"
    assert bridge.url == "https://dailystar.example/news/bangladesh/padma-bridge-toll"
    assert bridge.summary == ("The bridge has earned more than Tk 1,500 crore since it opened."
                              "\n\nOfficials expect “steady growth”.")
    assert bridge.content_html.startswith("<p>The bridge has earned")
    assert 'href="https://dailystar.example/topic/padma-bridge"' in bridge.content_html
    assert "<script" not in bridge.content_html
    assert bridge.authors == ("Staff Correspondent",)
    assert bridge.categories == ("Bangladesh", "Economy")
    assert bridge.image == "https://dailystar.example/files/padma.jpg"
    assert bridge.guid == "ds-3562811"
    assert bridge.language == "en-BD"
    assert air.title == "Dhaka air quality worst in the world again & schools stay shut"
    assert air.authors == ("Rafiul Islam",)
    assert air.image == "https://cdn.dailystar.example/aqi.jpg"
    assert air.published == utc(2024, 3, 13, 2, 0)
    assert cricket.authors == ("Mazhar Uddin", "Abdullah Al Mamun")
    assert cricket.image == "https://cdn.dailystar.example/cricket-thumb.jpg"
    assert cricket.published == utc(2024, 3, 13, 11, 45)


def test_rss_20_duplicates_and_linkless_items() -> None:
    poll = parse_feed(fixture("rss20.xml"), url="https://dailystar.example/rss/top.xml")
    urls = [e.url for e in poll.entries]
    assert len(urls) == len(set(urls)) == 3
    assert poll.skipped == 2  # no link at all, and a mailto: link


def test_atom() -> None:
    poll = parse_feed(fixture("atom.xml"), url="https://www.koreaherald.example/rss/atom.xml",
                      timezone="Asia/Seoul")
    assert classify_feed(fixture("atom.xml")) == "atom"
    assert poll.title == "The Korea Herald Example"
    assert poll.link == "https://www.koreaherald.example/"
    summit, chips = poll.entries
    assert summit.url == "https://www.koreaherald.example/view.php?ud=20240313000612"
    assert summit.title == "Yoon meets Kishida in Seoul"
    assert summit.summary == "The two leaders agreed to resume shuttle diplomacy."
    assert "Kishida Fumio" in summit.content_html
    assert 'src="https://www.koreaherald.example/images/yoon-kishida.jpg"' in summit.content_html
    assert summit.authors == ("Kim Arin", "Shin Ji-hye")
    assert summit.categories == ("Politics",)
    assert summit.published == utc(2024, 3, 13, 0, 30)
    assert summit.updated == utc(2024, 3, 13, 2, 2)
    assert summit.guid == "tag:koreaherald.example,2024:20240313000612"
    assert summit.language == "ko-KR"
    # No <published>: the update time is the best we have.
    assert chips.published == chips.updated == utc(2024, 3, 13, 2, 15)
    assert chips.summary == "Exports rose 30%."


def test_json_feed_11() -> None:
    content = fixture("jsonfeed11.json")
    assert classify_feed(content, "application/feed+json") == "jsonfeed"
    poll = parse_feed(content, url="https://www.rappler.example/feed.json", timezone="Asia/Manila")
    assert poll.title == "Rappler Example"
    assert poll.link == "https://www.rappler.example/"
    assert poll.skipped == 2  # an item without url, and an item that is not an object
    senate, peso = poll.entries
    assert senate.url == "https://www.rappler.example/nation/senate-charter-change/"
    assert senate.content_html == "<p>The Senate on Wednesday opened plenary debate.</p>"
    assert senate.summary == "Senators begin plenary debate on the economic provisions."
    assert senate.authors == ("Bonz Magsambol",)
    assert senate.image == "https://www.rappler.example/tachyon/2024/03/senate.jpg"
    assert senate.categories == ("Nation", "Senate")
    assert senate.published == utc(2024, 3, 13, 6, 5)
    assert senate.updated == utc(2024, 3, 13, 7, 0)
    assert senate.language == "en-PH"
    # content_text becomes escaped paragraphs; the zoneless date is Manila time; feed authors.
    assert peso.content_html == "<p>The peso closed at 55.9.</p><p>Traders cited US data.</p>"
    assert peso.published == utc(2024, 3, 13, 8, 30)
    assert peso.authors == ("Rappler Newsroom",)
    assert peso.guid == "1002"


def test_json_feed_10() -> None:
    poll = parse_feed(fixture("jsonfeed10.json"), url="https://en.tempo.example/feed.json")
    (entry,) = poll.entries
    assert entry.url == "https://en.tempo.example/read/1844210/jokowi-inaugurates-toll-road"
    assert entry.authors == ("Antara",)
    assert entry.image == "https://statik.tempo.example/banner.jpg"
    assert entry.published == utc(2024, 3, 13, 3, 0)


def test_news_sitemap() -> None:
    content = fixture("news-sitemap.xml")
    assert classify_feed(content, "application/xml") == "news-sitemap"
    poll = parse_feed(content, url="https://www.thestar.example/sitemap-news.xml",
                      timezone="Asia/Kuala_Lumpur")
    assert poll.title == "The Star"
    assert poll.skipped == 1  # the empty <loc>
    flood, ringgit = poll.entries
    assert flood.title == "Flood victims in Johor return home & begin clean-up"
    assert flood.published == utc(2024, 3, 12, 23, 45)
    assert flood.updated == utc(2024, 3, 13, 0, 10)
    assert flood.categories == ("floods", "Johor", "Segamat")
    assert flood.image == "https://apicms.thestar.example/uploads/images/2024/03/13/flood.jpg"
    assert flood.language == "en"
    assert ringgit.url == "https://www.thestar.example/news/nation/2024/03/13/ringgit-opens-higher"
    assert ringgit.published == utc(2024, 3, 12, 16, 0)  # a bare date: midnight in Kuala Lumpur
    assert ringgit.language == "zh-CN"


def test_plain_sitemap_uses_lastmod() -> None:
    content = fixture("sitemap.xml")
    assert classify_feed(content) == "sitemap"
    poll = parse_feed(content, url="https://www.dawn.example/sitemap.xml", timezone="Asia/Karachi")
    assert [e.url for e in poll.entries] == [
        "https://www.dawn.example/news/1820001/budget-talks-resume",
        "https://www.dawn.example/news/1820002/wheat-prices",
    ]
    assert poll.entries[0].updated == utc(2024, 3, 13, 4, 0)
    assert poll.entries[1].published == utc(2024, 3, 11, 19, 0)


def test_sitemap_index_gives_children_newest_first() -> None:
    content = fixture("sitemap-index.xml")
    assert classify_feed(content) == "sitemap-index"
    poll = parse_feed(content, url="https://www.inquirer.example/sitemap.xml")
    assert poll.entries == ()
    assert poll.children == (
        "https://www.inquirer.example/sitemap-news.xml",
        "https://www.inquirer.example/sitemap-2024-02.xml",
        "https://www.inquirer.example/sitemap-2023-12.xml",
        "https://www.inquirer.example/sitemap-pages.xml",
    )


def test_gzipped_sitemap() -> None:
    poll = parse_feed(gzip.compress(fixture("news-sitemap.xml")),
                      url="https://www.thestar.example/sitemap-news.xml.gz")
    assert len(poll.entries) == 2


# --- zones -----------------------------------------------------------------------------------


def test_zoneless_dates_are_read_in_the_source_zone() -> None:
    url = "https://dailystar.example/rss/top.xml"
    in_dhaka = parse_feed(fixture("rss20.xml"), url=url, timezone="Asia/Dhaka").entries
    in_kolkata = parse_feed(fixture("rss20.xml"), url=url, timezone="Asia/Kolkata").entries
    assert in_dhaka[0].published_raw == in_kolkata[0].published_raw == "2024-03-13 09:15:00"
    assert in_dhaka[0].published == utc(2024, 3, 13, 3, 15)
    assert in_kolkata[0].published == utc(2024, 3, 13, 3, 45)
    # A date with its own zone does not move with the source's.
    assert in_dhaka[1].published == in_kolkata[1].published == utc(2024, 3, 13, 2, 0)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2018-09-18 14:38:10", utc(2018, 9, 18, 6, 38, 10)),
    ("2018/09/18 14:38", utc(2018, 9, 18, 6, 38)),
    ("2018年9月18日 14:38", utc(2018, 9, 18, 6, 38)),
    ("18 Sep 2018 14:38:10", utc(2018, 9, 18, 6, 38, 10)),
    ("Tue, 18 Sep 2018 14:38:10 KST", utc(2018, 9, 18, 6, 38, 10)),  # unknown zone name
    ("Tue, 18 Sep 2018 14:38:10 +0900", utc(2018, 9, 18, 5, 38, 10)),
    ("Tue, 18 Sep 2018 14:38:10 GMT", utc(2018, 9, 18, 14, 38, 10)),
    ("Tue, 18 Sep 2018 14:38:10 -0000", utc(2018, 9, 18, 14, 38, 10)),
    ("2018-09-18T14:38:10Z", utc(2018, 9, 18, 14, 38, 10)),
    ("2018-09-18T14:38:10.5+05:30", utc(2018, 9, 18, 9, 8, 10, 500000)),
    ("2018-09-18 14:38:10 +0700", utc(2018, 9, 18, 7, 38, 10)),
    ("2018-09-18", utc(2018, 9, 17, 16, 0)),
    ("", None),
    ("yesterday", None),
    ("2018-13-45 10:00", None),
])
def test_parse_date(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw, ZoneInfo("Asia/Shanghai")) == expected


def test_parse_date_falls_back_to_feedparser() -> None:
    fallback = datetime(2018, 9, 18, 5, 0, tzinfo=UTC).timetuple()
    assert parse_date("화요일 오후 2시", ZoneInfo("Asia/Seoul"), fallback) == utc(2018, 9, 18, 5)


def test_unknown_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        parse_feed(fixture("rss091.xml"), url="https://a.example/feed", timezone="Mars/Olympus")


# --- broken input ------------------------------------------------------------------------------


def test_truncated_feed_keeps_what_was_recovered() -> None:
    content = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title>'
               b"<item><title>Whole</title><link>https://a.example/whole</link></item>"
               b"<item><title>Half")
    poll = parse_feed(content, url="https://a.example/feed")
    assert [e.url for e in poll.entries] == ["https://a.example/whole"]
    assert poll.skipped == 1


def test_truncated_garbage_is_a_feed_error() -> None:
    with pytest.raises(FeedError, match="not a readable feed") as caught:
        parse_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><chan', url="https://a.example/f")
    assert caught.value.url == "https://a.example/f"


def test_html_page_is_not_a_feed() -> None:
    page = (b"<!DOCTYPE html><html><head><title>Daily Star</title>"
            b'<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>'
            b"<body><h1>Top stories</h1><p>Hello</p></body></html>")
    assert classify_feed(page, "text/html") == ""
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(page, url="https://dailystar.example/", content_type="text/html")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"Service Unavailable", "not a feed"),
    (b'{"error": "rate limited"}', "not a feed"),
    (b"\x1f\x8bnot really gzip", "gzip"),
])
def test_other_non_feeds(content: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(content, url="https://a.example/feed")


def test_json_feed_that_is_not_json() -> None:
    with pytest.raises(FeedError, match="not valid JSON"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
                   url="https://a.example/feed.json")


def test_leading_junk_before_the_feed() -> None:
    content = b"<b>Warning</b>: headers already sent in <b>/var/www/rss.php</b>\n" + fixture(
        "rss091.xml").split(b"?>", 1)[1]
    assert classify_feed(content) == "rss"
    assert len(parse_feed(content, url="https://kathmandupost.example/rss").entries) == 2


def test_empty_but_valid_feed_is_not_an_error() -> None:
    content = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    poll = parse_feed(content, url="https://a.example/feed")
    assert (poll.entries, poll.title, poll.skipped) == ((), "Quiet", 0)


def test_truncated_sitemap_keeps_what_was_recovered() -> None:
    content = fixture("sitemap.xml")[:-200]
    poll = parse_feed(content, url="https://www.dawn.example/sitemap.xml")
    (entry,) = poll.entries
    assert entry.url == "https://www.dawn.example/news/1820001/budget-talks-resume"


@pytest.mark.parametrize("content", [b"<urlset><u", b"<sitemapindex><sitemap><lo"])
def test_broken_sitemap_is_a_feed_error(content: bytes) -> None:
    with pytest.raises(FeedError, match="broken"):
        parse_feed(content, url="https://a.example/sitemap.xml")
