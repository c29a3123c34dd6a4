"""Canonical URLs: one spelling per article page."""

from __future__ import annotations

import pytest

from briefings.pipeline.urls import absolute_url, canonical_url, same_site, site_of


@pytest.mark.parametrize(("url", "canonical"), [
    # scheme and host case, default ports, fragments
    ("HTTPS://WWW.Example.COM:443/News/Story?id=5#comments",
     "https://www.example.com/News/Story?id=5"),
    ("http://example.com:80", "http://example.com/"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    # tracking parameters go, meaningful ones stay, the rest sorted by name
    ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x&gclid=y",
     "https://example.com/a?id=7"),
    ("https://example.com/a?page=2&b=1&mc_cid=1&mc_eid=2&ref=home&cmpid=c&ocid=o&ito=i",
     "https://example.com/a?b=1&page=2"),
    ("https://example.com/a?igshid=1&_ga=2&UTM_Campaign=z&q=a+b", "https://example.com/a?q=a+b"),
    ("https://example.com/a?tag=x&tag=a", "https://example.com/a?tag=x&tag=a"),
    ("https://example.com/a?123", "https://example.com/a?123"),
    # AMP variants
    ("https://www.example.com/amp/news/story-1", "https://www.example.com/news/story-1"),
    ("https://www.example.com/news/story-1/amp", "https://www.example.com/news/story-1"),
    ("https://www.example.com/news/story-1/amp/", "https://www.example.com/news/story-1/"),
    ("https://www.example.com/news/story-1.amp.html", "https://www.example.com/news/story-1.html"),
    ("https://www.example.com/news/story-1?amp=1", "https://www.example.com/news/story-1"),
    ("https://www.example.com/news/story-1?amp", "https://www.example.com/news/story-1"),
    ("https://www.example.com/x?outputType=amp&id=3", "https://www.example.com/x?id=3"),
    ("https://amp.example.com/news/1", "https://www.example.com/news/1"),
    ("https://timesofindia.indiatimes.com/india/x/amp_articleshow/71496416.cms",
     "https://timesofindia.indiatimes.com/india/x/articleshow/71496416.cms"),
    ("https://m.hankookilbo.com/News/Read/Amp/A2025051516330004328",
     "https://www.hankookilbo.com/News/Read/A2025051516330004328"),
    # mobile hosts map to the www. host; bare and www. hosts are kept as they are
    ("https://m.example.com/news/1", "https://www.example.com/news/1"),
    ("https://mobile.example.co.jp/news/1", "https://www.example.co.jp/news/1"),
    ("https://example.com/news/1", "https://example.com/news/1"),
    ("https://m.com/news/1", "https://m.com/news/1"),
    # index.html is kept (a server may answer differently for the directory)
    ("https://example.com/news/index.html", "https://example.com/news/index.html"),
    # percent-escapes are upper-cased, an archived URL inside a path survives
    ("https://example.com/%e6%97%a5", "https://example.com/%E6%97%A5"),
    ("https://web.archive.org/web/20120611024252/http://www.he.xinhuanet.com/news/a.htm",
     "https://web.archive.org/web/20120611024252/http://www.he.xinhuanet.com/news/a.htm"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


def test_non_http_urls_come_back_unchanged() -> None:
    assert canonical_url(" mailto:desk@example.com ") == "mailto:desk@example.com"
    assert canonical_url("not a url") == "not a url"


def test_absolute_url() -> None:
    base = "https://news.example.com/world/story.html"
    assert absolute_url("/img/a.jpg", base) == "https://news.example.com/img/a.jpg"
    assert absolute_url("//cdn.example.org/a.jpg", base) == "https://cdn.example.org/a.jpg"
    assert absolute_url("other.html", base) == "https://news.example.com/world/other.html"
    assert absolute_url("javascript:alert(1)", base) == ""
    assert absolute_url("data:image/png;base64,AAAA", base) == ""
    assert absolute_url("  ", base) == ""
    assert absolute_url("http://[::1", base) == ""


def test_sites() -> None:
    assert site_of("https://news.example.co.jp/a") == "example.co.jp"
    assert site_of("https://www.hankookilbo.com/a") == "hankookilbo.com"
    assert same_site("https://m.example.com/a", "https://www.example.com/b")
    assert not same_site("https://example.com/a", "https://example.org/a")
    assert not same_site("https://a.co.jp/", "https://b.co.jp/")
