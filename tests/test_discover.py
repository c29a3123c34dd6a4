"""Feed discovery from homepages and robots.txt, on real saved pages and on small made-up ones."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from briefings.pipeline.discover import (
    MAX_GUESSES,
    DiscoveredFeed,
    feeds_from_html,
    sitemaps_from_robots,
)


@pytest.fixture(scope="module")
def saved_pages(shared_data: Path) -> dict[str, tuple[str, str]]:
    """Publisher → (page text, page URL) for the real article pages in the shared data."""
    index = json.loads((shared_data / "asian-news" / "index.json").read_text(encoding="utf-8"))
    pages = {}
    for record in index:
        if record["kind"] == "article_html":
            raw = gzip.decompress((shared_data / "asian-news" / record["file"]).read_bytes())
            pages[record["file"]] = (raw.decode("utf-8", errors="replace"), record["url"])
    return pages


def page(pages: dict[str, tuple[str, str]], prefix: str) -> tuple[str, str]:
    return next(v for k, v in pages.items() if k.startswith(f"pages/{prefix}"))


def test_wordpress_page_gives_the_site_feed_not_comment_feeds(saved_pages: dict) -> None:
    html, url = page(saved_pages, "uk-bd-news")
    assert feeds_from_html(html, url) == [
        DiscoveredFeed("https://ukbdnews.com/feed/", "বৃটেনে আমরা প্রথম, আমরাই শীর্ষে » Feed", "rss"),
    ]


def test_a_feed_declared_twice_is_listed_once(saved_pages: dict) -> None:
    html, url = page(saved_pages, "india-post")
    assert feeds_from_html(html, url) == [
        DiscoveredFeed("https://www.indiapost.com/feed/", "India Post latest posts", "rss"),
    ]


def test_relative_declared_feed(saved_pages: dict) -> None:
    html, url = page(saved_pages, "entermedia")
    assert feeds_from_html(html, url) == [
        DiscoveredFeed("http://entermedia.co.kr/xml/news_rss.php", "최신뉴스(Entermedia)", "rss"),
    ]


def test_feed_links_in_the_page_are_guesses(saved_pages: dict) -> None:
    html, url = page(saved_pages, "dong-a-ilbo")
    assert feeds_from_html(html, url) == [DiscoveredFeed("http://rss.donga.com/", "RSS", "guess")]
    html, url = page(saved_pages, "media-indonesia")
    assert [f.url for f in feeds_from_html(html, url)] == ["https://mediaindonesia.com/feed"]


HOMEPAGE = """<!DOCTYPE html>
<html lang="en"><head>
<base href="https://www.thestar.example/">
<title>The Star</title>
<link rel="stylesheet" href="/main.css">
<link rel="alternate" type="application/rss+xml" title="The Star - News" href="rss/news.xml">
<link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml" title="Atom">
<link rel="alternate" type="application/feed+json" title="JSON" href="/feed.json">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
<link rel="alternate" hreflang="ms" type="text/html" href="https://www.thestar.example/ms/">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
</head><body>
<nav>
  <a href="/news/nation">Nation</a>
  <a href="/rss/news.xml">News RSS</a>
  <a href="/business/feed/">Business feed</a>
  <a href="https://feeds.example-burner.com/thestar-sport">Sport</a>
  <a href="/index.php?feed=rss2">Everything</a>
  <a href="/rss/index.html">All our RSS feeds</a>
  <a href="/sitemap.xml">Sitemap</a>
  <a href="/feedback">Feedback</a>
  <a href="https://reader.example/subscribe/feed/https%3A%2F%2Fwww.thestar.example%2Ffeed">Follow</a>
  <a href="mailto:rss@thestar.example">Mail us</a>
  <a href="/lifestyle/travel.rss" title="Travel &amp; leisure">Travel</a>
</nav>
</body></html>"""


def test_declared_feeds_come_first_then_guesses() -> None:
    found = feeds_from_html(HOMEPAGE, "https://www.thestar.example/news/")
    assert found == [
        DiscoveredFeed("https://www.thestar.example/rss/news.xml", "The Star - News", "rss"),
        DiscoveredFeed("https://www.thestar.example/atom.xml", "Atom", "atom"),
        DiscoveredFeed("https://www.thestar.example/feed.json", "JSON", "jsonfeed"),
        DiscoveredFeed("https://www.thestar.example/business/feed/", "Business feed", "guess"),
        DiscoveredFeed("https://feeds.example-burner.com/thestar-sport", "Sport", "guess"),
        DiscoveredFeed("https://www.thestar.example/index.php?feed=rss2", "Everything", "guess"),
        DiscoveredFeed("https://www.thestar.example/lifestyle/travel.rss", "Travel & leisure",
                       "guess"),
    ]


def test_guesses_are_capped() -> None:
    links = "".join(f'<a href="/section-{i}/rss.xml">s{i}</a>' for i in range(60))
    found = feeds_from_html(f"<html><body>{links}</body></html>", "https://a.example/")
    assert len(found) == MAX_GUESSES
    assert found[0].url == "https://a.example/section-0/rss.xml"


def test_xhtml_with_an_encoding_declaration() -> None:
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
             '<head><link rel="alternate" type="application/rss+xml" href="/rss"/></head>'
             "<body/></html>")
    assert [f.url for f in feeds_from_html(xhtml, "https://a.example/")] == ["https://a.example/rss"]


@pytest.mark.parametrize("html", ["", "   ", "plain text, no markup"])
def test_pages_without_feeds(html: str) -> None:
    assert feeds_from_html(html, "https://a.example/") == []


def test_sitemaps_from_robots() -> None:
    robots = """# robots.txt for a newspaper
User-agent: *
Disallow: /search
Sitemap: https://www.dawn.example/sitemaps/news.xml
sitemap: /sitemaps/sections.xml   # relative, which the standard does not allow but sites do
SITEMAP:https://www.dawn.example/sitemaps/news.xml

User-agent: GPTBot
Disallow: /
Sitemap: ftp://www.dawn.example/old.xml
"""
    assert sitemaps_from_robots(robots, "https://www.dawn.example/robots.txt") == [
        "https://www.dawn.example/sitemaps/news.xml",
        "https://www.dawn.example/sitemaps/sections.xml",
    ]


def test_robots_without_sitemaps() -> None:
    assert sitemaps_from_robots("", "https://a.example/robots.txt") == []
    assert sitemaps_from_robots("User-agent: *\nDisallow:\n", "https://a.example/robots.txt") == []
