"""The sample papers over real HTTP: feeds announce every article, pages carry their quirks."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import feedparser
import httpx
import lxml.etree
import lxml.html
import pytest

from briefings.demo.content import ARTICLES_DIR, load_papers
from briefings.demo.render import CREDIT_IN_BODY
from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import build_truth
from tests.test_demo_content import write_article

NOW = datetime(2026, 3, 10, 3, 30, 20, tzinfo=UTC)
BODIES = {
    "en": "Talks resumed at dawn & ended <late>.\n\nThe second paragraph.\n\nA third one.",
    "zh": "会谈在金边举行——双方分歧仍在。\n\n第二段，含繁體字與引号“分歧”。\n\n第三段。",
    "ja": "協議は東京で再開された～記号も含む。\n\n第二段落です。\n\n第三段落です。",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two stories per paper, plus syndicated copies and a paywalled teaser."""
    root = tmp_path_factory.mktemp("articles")
    for paper in load_papers():
        body = BODIES[paper.language].replace("dawn", f"dawn in {paper.slug}")
        write_article(root, paper.slug, "first", section=paper.sections[0], hours_ago=30.25,
                      updated_hours_ago=2.5, image="lead.jpg", event="quake", body=body,
                      authors=["Anh Nguyen", "Tran Bao"] if paper.language == "en" else ["山田"])
        write_article(root, paper.slug, "second", section=paper.sections[1], hours_ago=5,
                      authors=[], standfirst="", body=f"Short item from {paper.slug}.")
    for paper, section in (("han-river-post", "World"), ("mekong-observer", "Politics"),
                           ("lanka-evening-mail", "International")):
        write_article(root, paper, "courier-copy", section=section, hours_ago=20,
                      copy_of="daily-courier/first", credit="By The Daily Courier",
                      body=BODIES["en"].replace("dawn", "dawn in daily-courier"))
    write_article(root, "indus-chronicle", "locked", section="Business", hours_ago=3,
                  paywalled=True, body="Open first paragraph.\n\nLocked second paragraph.")
    return root


@pytest.fixture(scope="module")
def demo(corpus: Path) -> Iterator[DemoNewspapers]:
    with DemoNewspapers(corpus, now=NOW) as newspapers:
        yield newspapers


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, follow_redirects=False) as http:
        yield http


def decode(response: httpx.Response) -> str:
    """Decode as a browser would: the header's charset, else the meta tag's, strictly."""
    found = re.search(r"charset=([\w-]+)", response.headers["content-type"])
    if found is None:
        found = re.search(rb'<meta charset="([\w-]+)"', response.content[:1024])
        charset = found[1].decode() if found else "utf-8"
    else:
        charset = found[1]
    return response.content.decode(charset)


def announced(client: httpx.Client, demo: DemoNewspapers, slug: str) -> list[str]:
    """The article links a poller would find: feed via <link rel=alternate>, or robots sitemaps."""
    base = demo.papers[slug]
    if demo.content.paper(slug).uses_sitemap:
        robots = client.get(base + "/robots.txt").text
        links = []
        for sitemap in re.findall(r"^Sitemap: (\S+)$", robots, re.M):
            tree = lxml.etree.fromstring(client.get(sitemap).content)
            links += tree.xpath("//s:loc/text()",
                                namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
        return links
    home = lxml.html.fromstring(decode(client.get(base + "/")))
    (feed_url,) = home.xpath('//link[@rel="alternate"]/@href')
    response = client.get(feed_url)
    assert response.status_code == 200
    if "json" in response.headers["content-type"]:
        return [item["url"] for item in response.json()["items"]]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.link for entry in parsed.entries]


def check_every_article_reachable(client: httpx.Client, demo: DemoNewspapers) -> None:
    truth = build_truth(demo.content)
    for paper in demo.content.papers:
        links = announced(client, demo, paper.slug)
        keys = {truth.key_for_url(link, demo.papers) for link in links}
        assert keys == {a.key for a in demo.content.of_paper(paper.slug)}, paper.slug
        for link in links:
            response = client.get(link)
            assert response.status_code == 200, link
            page = lxml.html.fromstring(decode(response))
            (canonical,) = page.xpath('//link[@rel="canonical"]/@href')
            assert canonical == demo.url_of(truth.key_for_url(link, demo.papers) or "")


def test_every_sample_article_is_announced_and_served(client: httpx.Client,
                                                      demo: DemoNewspapers) -> None:
    assert len(demo.content.articles) == 24
    check_every_article_reachable(client, demo)


def test_every_real_article_is_announced_and_served(client: httpx.Client) -> None:
    with DemoNewspapers(ARTICLES_DIR) as real:
        check_every_article_reachable(client, real)
        check_body_containers(client, real)


def body_paragraphs(html: str, first: str) -> list[str]:
    """The <p> children of the element that holds the article's first paragraph."""
    page = lxml.html.fromstring(html)
    (anchor,) = [p for p in page.iter("p") if p.text_content().strip() == first]
    container = anchor.getparent()
    assert not (container.text or "").strip()
    return [child.text_content().strip() for child in container if child.tag == "p"]


HOUSE_NOTE_AS_PARAGRAPH = frozenset({"broadsheet", "ledger", "classic", "cjk"})  # others: in a div


def check_body_containers(client: httpx.Client, demo: DemoNewspapers) -> None:
    for article in demo.content.articles:
        paper = demo.content.paper(article.paper)
        html = decode(client.get(demo.url_of(article.key)))
        expected = list(article.paragraphs[:1] if article.paywalled else article.paragraphs)
        if article.credit and paper.template in CREDIT_IN_BODY:
            expected.insert(0, article.credit)
        found = body_paragraphs(html, article.paragraphs[0])
        if paper.template in HOUSE_NOTE_AS_PARAGRAPH:  # the paper's own block: site furniture
            assert paper.name in found.pop(), article.key
        if paper.template == "magazine" and article.authors and not article.credit:
            assert found.pop().startswith(f"Write to {article.authors[0]} at ")
        assert found == expected, article.key
        assert "fictional newspaper" in html


def test_the_body_container_holds_exactly_the_paragraphs_and_the_house_note(client: httpx.Client,
                                                         demo: DemoNewspapers) -> None:
    check_body_containers(client, demo)


def test_templates_carry_their_furniture(client: httpx.Client, demo: DemoNewspapers) -> None:
    def page(key: str) -> str:
        return decode(client.get(demo.url_of(key)))

    broadsheet = page("daily-courier/first")
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', broadsheet)
    data = json.loads(ld)
    published = (NOW - timedelta(hours=30.25)).replace(second=0)
    assert data["datePublished"] == published.astimezone(
        load_papers()[0].zone).isoformat() == "2026-03-09T05:15:00+08:00"
    assert data["articleSection"] == "World" and data["author"][0]["name"] == "Anh Nguyen"
    assert "newsletter-signup" in broadsheet and "share-bar" in broadsheet
    assert "/world/2026/03/09/first" in demo.url_of("daily-courier/first")

    ledger = page("manila-ledger/first")
    assert "By Anh Nguyen and Tran Bao, Staff Reporters" in ledger
    assert 'property="article:published_time"' in ledger and "ld+json" not in ledger
    assert "cookie-banner" in ledger and "Reprints" in ledger
    locked = page("indus-chronicle/locked")
    assert "Subscribe to continue reading" in locked and "Locked second" not in locked
    assert '"isAccessibleForFree": false' in locked

    hashed = page("han-river-post/first")
    tree = lxml.html.fromstring(hashed)
    assert not tree.xpath("//article | //aside | //nav")
    assert re.search(r'class="css-[0-9a-z]{6}"', hashed)
    assert re.search(r"Published : 2026-03-09 06:15 KST", hashed)
    assert '<meta name="pubdate" content="2026-03-09T06:15:00+09:00">' in hashed
    promo = tree.xpath("//p[starts-with(., 'Get The Han River Post app')]")
    assert promo and promo[0].getparent().get("class").startswith("css-")

    magazine = page("mekong-observer/first")
    assert '<time datetime="2026-03-09T04:15:00+07:00">' in magazine
    assert "author-bio" in magazine and "/media/authors/anh-nguyen.svg" in magazine
    assert ("Write to Anh Nguyen at anh.nguyen@mekong-observer.example and Tran Bao at "
            "tran.bao@mekong-observer.example") in magazine
    copy = page("mekong-observer/courier-copy")
    assert '<span class="feature__byline">By The Daily Courier</span>' in copy

    classic = page("lanka-evening-mail/first")
    assert '<meta name="date" content="2026-03-09 02:45:00">' in classic
    assert "<table" in classic and "All rights reserved" in classic

    donghai = page("donghai-daily/first")
    assert "相关新闻" in donghai and "责任编辑" in donghai and "版权所有" in donghai
    yamato = page("yamato-shimpo/first")
    assert "関連記事" in yamato and "この記事をシェア" in yamato and "無断転載を禁じます" in yamato


def test_cjk_pages_and_feeds_decode(client: httpx.Client, demo: DemoNewspapers) -> None:
    donghai = client.get(demo.url_of("donghai-daily/first"))
    assert donghai.headers["content-type"] == "text/html; charset=gb2312"
    text = donghai.content.decode("gb2312")
    assert '<meta charset="gb2312">' in text
    paragraphs = body_paragraphs(text, "会谈在金边举行——双方分歧仍在。")
    assert paragraphs[1] == "第二段，含繁體字與引号“分歧”。"

    yamato = client.get(demo.url_of("yamato-shimpo/first"))
    assert yamato.headers["content-type"] == "text/html"
    text = yamato.content.decode("shift_jis")
    assert '<meta charset="Shift_JIS">' in text
    assert body_paragraphs(text, "協議は東京で再開された～記号も含む。")[2] == "第三段落です。"

    rss = client.get(demo.papers["donghai-daily"] + "/rss.xml")
    assert rss.headers["content-type"] == "application/rss+xml; charset=gb2312"
    parsed = feedparser.parse(rss.content)
    assert parsed.encoding in ("gb2312", "gb18030") and parsed.feed.title == "东海日报"
    assert {e.title for e in parsed.entries} == {"Story first", "Story second"}
    atom = client.get(demo.papers["yamato-shimpo"] + "/atom.xml")
    assert atom.content.decode("utf-8").startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert feedparser.parse(atom.content).feed.title == "大和新報"


def test_feed_dialects(client: httpx.Client, demo: DemoNewspapers) -> None:
    def get(slug: str, path: str) -> bytes:
        return client.get(demo.papers[slug] + path).content

    full = feedparser.parse(get("mekong-observer", "/rss.xml"))
    assert any("<p>A third one.</p>" in e.content[0].value for e in full.entries
               if "content" in e)
    old = feedparser.parse(get("indus-chronicle", "/rss091.xml"))
    assert old.version == "rss091u"
    raw_dates = re.findall(rb"<pubDate>(.*?)</pubDate>", get("indus-chronicle", "/rss091.xml"))
    assert raw_dates and all(re.fullmatch(rb"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d", d)
                             for d in raw_dates)
    assert feedparser.parse(get("lanka-evening-mail", "/index.rdf")).version == "rss10"
    assert feedparser.parse(get("manila-ledger", "/atom.xml")).version == "atom10"
    feed = json.loads(get("valley-gazette", "/feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][-1]["date_published"] == "2026-03-09T03:00:00+05:45"
    sitemap = lxml.etree.fromstring(get("java-sentinel", "/sitemap-news.xml"))
    dates = sitemap.xpath("//n:publication_date/text()",
                          namespaces={"n": "http://www.google.com/schemas/sitemap-news/0.9"})
    assert dates == ["2026-03-10T05:30:00+07:00", "2026-03-09T04:15:00+07:00"]
    tracked = [link for slug in ("daily-courier", "manila-ledger", "mekong-observer",
                                 "valley-gazette", "donghai-daily", "yamato-shimpo")
               for link in announced(client, demo, slug)]
    assert any("utm_source=rss&utm_medium=feed" in link for link in tracked)
    assert not all("utm_source" in link for link in tracked)


def test_conditional_requests_gzip_and_head(client: httpx.Client, demo: DemoNewspapers) -> None:
    for url in (demo.url_of("daily-courier/first"), demo.papers["valley-gazette"] + "/feed.json"):
        first = client.get(url, headers={"Accept-Encoding": "identity"})
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert "content-encoding" not in first.headers
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        older = format_datetime(NOW - timedelta(days=5), usegmt=True)
        assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
        zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.content == first.content
        assert client.get(url, headers={"If-None-Match": zipped.headers["etag"],
                                        "Accept-Encoding": "gzip"}).status_code == 304
        head = client.head(url, headers={"Accept-Encoding": "identity"})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(first.content))
    assert client.get(demo.url_of("daily-courier/first"), headers={
        "If-Modified-Since": "not a date"}).status_code == 200


def test_robots_pages_images_and_errors(client: httpx.Client, demo: DemoNewspapers) -> None:
    for paper in demo.content.papers:
        base = demo.papers[paper.slug]
        robots = client.get(base + "/robots.txt").text
        assert "Disallow: /private/" in robots
        assert ("Sitemap:" in robots) == paper.uses_sitemap
        missing = client.get(base + "/no/such/page")
        assert missing.status_code == 404 and "Briefings demo" in decode(missing)
        assert client.head(base + "/no/such/page").status_code == 404
        home = decode(client.get(base + "/"))
        assert "fictional newspaper" in home
        section = paper.section_path(paper.sections[0])
        assert "Story first" in decode(client.get(base + section))
    moved = client.get(demo.papers["daily-courier"] + "/world")
    assert moved.status_code == 301 and moved.headers["location"] == "/world/"
    key = "daily-courier/first"
    html = decode(client.get(demo.url_of(key)))
    (amp,) = lxml.html.fromstring(html).xpath('//link[@rel="amphtml"]/@href')
    amp_page = client.get(amp)
    assert amp_page.status_code == 200 and demo.url_of(key) in amp_page.text
    (image,) = lxml.html.fromstring(html).xpath('//figure[@class="lead-image"]/img/@src')
    picture = client.get(demo.papers["daily-courier"] + image)
    assert picture.headers["content-type"] == "image/svg+xml" and b"<svg" in picture.content


def test_truth_maps_served_urls_back_to_keys(demo: DemoNewspapers) -> None:
    truth = build_truth(demo.content)
    for article in demo.content.articles:
        url = demo.url_of(article.key)
        base = demo.papers[article.paper]
        variants = (url, base + "/amp" + url.removeprefix(base),
                    url + ("&" if "?" in url else "?") + "utm_source=rss&utm_medium=feed")
        for variant in variants:
            assert truth.key_for_url(variant, demo.papers) == article.key
    assert truth.key_for_url(demo.papers["daily-courier"] + "/about", demo.papers) is None
    assert truth.key_for_url("http://127.0.0.1:1/world/2026/03/09/first", demo.papers) is None


def test_sources_point_at_the_live_papers(client: httpx.Client, demo: DemoNewspapers) -> None:
    specs = {spec.slug: spec for spec in demo.sources()}
    assert list(specs) == [p.slug for p in demo.content.papers]
    courier, sentinel = specs["daily-courier"], specs["java-sentinel"]
    assert courier.feeds == (demo.papers["daily-courier"] + "/rss.xml",) and not courier.sitemaps
    assert sentinel.sitemaps == (demo.papers["java-sentinel"] + "/sitemap-news.xml",)
    assert courier.timezone == "Asia/Singapore" and courier.country == "SG"
    assert courier.region == "Southeast Asia" and courier.sections == ()
    assert not specs["indus-chronicle"].full_text and specs["yamato-shimpo"].language == "ja"
    for spec in specs.values():
        assert spec.delay == 0.0 and spec.allow_private
        assert client.get((spec.feeds + spec.sitemaps)[0]).status_code == 200


def test_the_command_serves_until_interrupted(corpus: Path, client: httpx.Client) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefings.demo.server", "--articles", str(corpus)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(11)]
        assert lines[-1].startswith("Serving")
        base = lines[0].split()[1]
        assert client.get(base + "robots.txt").status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
