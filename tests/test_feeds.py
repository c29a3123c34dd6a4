"""Feeds, sitemaps, robots.txt and article metadata, read back the way their consumers read them:
feedparser for the feeds, an XML parser for the sitemaps, json.loads for the JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from django.test import Client
from django.utils.text import slugify
from lxml import etree, html

from briefings.demo.server import DemoNewspapers
from briefings.newsroom.models import Article, Entity
from briefings.site.discovery import SITEMAPS
from briefings.site.feeds import TEASER, region_names, section_names
from briefings.sources.models import Source

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
HOSTILE = "</script><script>alert(1)</script> & \"quotes\" <!--"


def parsed(path: str) -> feedparser.FeedParserDict:
    response = Client().get(path)
    assert response.status_code == 200, path
    result = feedparser.parse(response.content)
    assert not result.bozo, (path, result.get("bozo_exception"))
    return result


def article_of(link: str) -> Article:
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.netloc == "testserver", link
    assert parts.path.startswith("/article/"), link
    return Article.objects.select_related("source").get(pk=int(parts.path.split("/")[2]))


def feed_paths() -> Iterator[str]:
    """Every feed the sample papers give: home, each section, region, topic and paper."""
    scopes = [""]
    used_sections = set(Article.objects.values_list("section", flat=True))
    scopes += [f"section/{s}/" for s, name in section_names().items() if name in used_sections]
    used_regions = set(Article.objects.values_list("region", flat=True))
    scopes += [f"region/{s}/" for s, name in region_names().items() if name in used_regions]
    scopes += [f"topic/{e.slug}/" for e in Entity.objects.order_by("-article_count")[:5]]
    scopes += [f"source/{s.slug}/" for s in Source.objects.all()]
    for scope in scopes:
        for fmt in ("rss", "atom"):
            yield f"/feeds/{scope}{fmt}.xml"


def test_every_feed_parses_and_links_to_our_article_pages(ingested: DemoNewspapers) -> None:
    paths = list(feed_paths())
    assert any("/section/" in p for p in paths) and any("/region/" in p for p in paths)
    assert any("/topic/" in p for p in paths)
    for path in paths:
        result = parsed(path)
        if path.endswith("atom.xml"):
            assert result.version == "atom10" and result.feed.id == f"http://testserver{path}"
        else:
            assert result.version == "rss20", path
        assert result.entries, path
        for entry in result.entries:
            item = article_of(entry.link)
            assert entry.id == entry.link
            assert entry.title == item.title
            assert entry.published_parsed[:6] == item.when.astimezone(UTC).timetuple()[:6]
            assert item.source.name in entry.author
            if "/source/" in path:
                assert path.split("/")[3] == item.source.slug
    home = parsed("/feeds/rss.xml")
    # a story's item credits every paper that ran it
    broad = [e for e in home.entries if "Also in" in e.summary]
    assert broad


def test_a_section_feed_holds_only_that_section(ingested: DemoNewspapers) -> None:
    name = Article.objects.exclude(section="").values_list("section", flat=True).first()
    for entry in parsed(f"/feeds/section/{slugify(name)}/atom.xml").entries:
        assert article_of(entry.link).section == name


def test_excerpt_only_papers_never_give_their_body_in_feeds(ingested: DemoNewspapers) -> None:
    closed = Source.objects.filter(full_text=False)
    assert closed
    long_bodies = 0
    for paper in closed:
        for fmt in ("rss", "atom"):
            result = parsed(f"/feeds/source/{paper.slug}/{fmt}.xml")
            assert result.entries
            for entry in result.entries:
                item = article_of(entry.link)
                teaser = html.fromstring(entry.summary).xpath("string(//p[1])")
                assert 0 < len(teaser) <= TEASER
                assert teaser in item.standfirst or teaser in " ".join(item.text.split())
                if len(item.text) > 2 * TEASER:
                    long_bodies += 1
                    assert item.text[-TEASER:] not in entry.summary
    assert long_bodies


def test_unknown_feeds_are_404(ingested: DemoNewspapers) -> None:
    for path in ("/feeds/section/no-such-section/rss.xml", "/feeds/region/atlantis/atom.xml",
                 "/feeds/topic/no-such-topic/rss.xml", "/feeds/source/no-such-paper/rss.xml",
                 "/feeds/colour/blue/rss.xml", "/feeds/json.xml"):
        response = Client().get(path)
        assert response.status_code == 404, path


def xml(path: str) -> etree._Element:
    response = Client().get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_sitemap_lists_every_article_with_its_dates(ingested: DemoNewspapers,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SITEMAPS["articles"], "limit", 50)  # a large store's pages, in small
    index = xml("/sitemap.xml")
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    locs = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    pages = -(-Article.objects.count() // 50)
    assert pages > 1 and len(locs) == 1 + pages
    assert "http://testserver/sitemap-articles.xml?p=2" in locs
    found: dict[str, str] = {}
    for loc in locs:
        page = xml(urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else ""))
        for url in page.xpath("//s:url", namespaces=NS):
            found[url.findtext("s:loc", namespaces=NS)] = url.findtext("s:lastmod", namespaces=NS)
    assert found.pop("http://testserver/") is None
    articles = Article.objects.all()
    assert len(found) == articles.count()
    for item in articles:
        lastmod = datetime.fromisoformat(found[f"http://testserver/article/{item.pk}/"])
        assert lastmod == max(item.when, item.updated or item.when)


def test_news_sitemap_has_the_last_two_days(ingested: DemoNewspapers) -> None:
    root = xml("/sitemap-news.xml")
    since = datetime.now(UTC) - timedelta(days=2)
    recent = {a.pk: a for a in Article.objects.select_related("source") if a.when >= since}
    old = Article.objects.count() - len(recent)
    assert recent and old, "the sample papers should have both recent and older articles"
    urls = root.xpath("//s:url", namespaces=NS)
    assert len(urls) == len(recent)
    for url in urls:
        item = recent[int(url.findtext("s:loc", namespaces=NS).split("/")[-2])]
        news = url.find("news:news", namespaces=NS)
        assert news.findtext("news:publication/news:name", namespaces=NS) == "Eastern Briefings"
        assert news.findtext("news:publication/news:language",
                             namespaces=NS) == (item.language or item.source.language)
        assert datetime.fromisoformat(
            news.findtext("news:publication_date", namespaces=NS)) == item.when
        assert news.findtext("news:title", namespaces=NS) == item.title


def test_robots_names_the_sitemaps_and_keeps_out_of_the_desk() -> None:
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /desk/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def head_of(path: str) -> tuple[dict, dict[str, str], html.HtmlElement]:
    response = Client().get(path)
    assert response.status_code == 200
    assert "script-src 'none'" in response["Content-Security-Policy"]
    page = html.fromstring(response.content)
    scripts = page.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    meta = {m.get("property") or m.get("name"): m.get("content")
            for m in page.xpath("//head/meta[@content]")}
    return json.loads(scripts[0].text), meta, page


def test_article_page_describes_itself(ingested: DemoNewspapers) -> None:
    item = Article.objects.select_related("source").exclude(authors=[]).exclude(
        updated=None).first()
    assert item is not None
    data, meta, page = head_of(f"/article/{item.pk}/")
    canonical = f"http://testserver/article/{item.pk}/"
    assert page.xpath("//link[@rel='canonical']/@href") == [canonical]
    assert data["@type"] == "NewsArticle" and data["url"] == canonical
    assert data["headline"] == item.title
    assert data["publisher"] == {"@type": "Organization", "name": item.source.name,
                                 "url": item.source.homepage}
    assert datetime.fromisoformat(data["datePublished"]) == item.when
    assert datetime.fromisoformat(data["dateModified"]) == max(item.updated, item.when)
    assert [a["name"] for a in data["author"]] == item.authors
    assert data["isBasedOn"] == item.canonical_url
    assert data["inLanguage"] == item.language
    assert meta["og:title"] == item.title and meta["og:url"] == canonical
    assert meta["article:published_time"] == data["datePublished"]
    assert meta["twitter:card"] in {"summary", "summary_large_image"}
    feeds = page.xpath("//link[@rel='alternate']/@href")
    assert "/feeds/rss.xml" in feeds and f"/feeds/source/{item.source.slug}/rss.xml" in feeds


def test_a_hostile_title_stays_inert() -> None:
    paper = Source.objects.create(slug="hostile", name="The </script> Paper",
                                  homepage="https://hostile.example")
    item = Article.objects.create(
        source=paper, url="https://hostile.example/a", canonical_url="https://hostile.example/a",
        title=HOSTILE, standfirst=HOSTILE, text=f"{HOSTILE}. Second sentence.",
        html="<p>Body.</p>", body_hash="h", extractor="test", authors=[HOSTILE],
        fetched_at=datetime(2026, 3, 10, tzinfo=UTC),
        published=datetime(2026, 3, 10, 1, tzinfo=UTC), section="Diplomacy")
    response = Client().get(f"/article/{item.pk}/")
    assert b"<script>alert" not in response.content
    data, meta, _ = head_of(f"/article/{item.pk}/")
    assert data["headline"] == HOSTILE and data["author"] == [{"@type": "Person",
                                                               "name": HOSTILE}]
    assert data["publisher"]["name"] == "The </script> Paper"
    assert meta["og:title"] == meta["twitter:title"] == HOSTILE
    for path in ("/feeds/source/hostile/atom.xml", "/feeds/source/hostile/rss.xml",
                 "/feeds/section/diplomacy/rss.xml"):
        response = Client().get(path)
        assert b"<script>" not in response.content
        result = feedparser.parse(response.content)
        assert not result.bozo
        mine = [e for e in result.entries if e.link.endswith(f"/article/{item.pk}/")]
        assert [e.title for e in mine] == [HOSTILE]


def test_home_page_links_its_feeds() -> None:
    page = html.fromstring(Client().get("/").content)
    alternates = page.xpath("//link[@rel='alternate']")
    links = {(link.get("type"), link.get("href")) for link in alternates}
    assert links == {("application/rss+xml", "/feeds/rss.xml"),
                     ("application/atom+xml", "/feeds/atom.xml")}
