"""Feed discovery: where a newspaper's homepage and robots.txt say its feeds and sitemaps are.

Pure functions over text already fetched; the caller fetches the homepage and robots.txt, then
checks each candidate with `poll.classify_feed`, because a guess from a link is only a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree
from protego import Protego

MAX_GUESSES = 20  # a homepage footer can link a hundred section feeds; a few are enough to try

_DECLARED_TYPES = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/json": "jsonfeed",
}
_FEED_SEGMENTS = frozenset({"rss", "rss2", "rssfeed", "rssfeeds", "feed", "feeds", "atom"})
_FEED_SUFFIX = re.compile(r"(?:\.(?:rss|atom|rdf)|(?:^|[/_.-])(?:rss2?|feed|atom)\.(?:xml|php))$",
                          re.IGNORECASE)
_FEED_QUERY = frozenset({"rss", "rss2", "atom", "feed", "xml"})
_COMMENTS = re.compile(r"/comments?/feed|comments feed", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DiscoveredFeed:
    """A feed URL found on a page; `kind` is "rss", "atom" or "jsonfeed" when the page declared
    it with <link rel=alternate>, and "guess" when only an <a href> looked like a feed."""

    url: str
    title: str = ""
    kind: str = ""


def feeds_from_html(html: str, base_url: str) -> list[DiscoveredFeed]:
    """Feeds a page declares, in page order, then feed-looking links; each URL once."""
    doc = _parse(html)
    if doc is None:
        return []
    base = _base_url(doc, base_url)
    found: dict[str, DiscoveredFeed] = {}
    for link in doc.iter("link"):
        rels = set((link.get("rel") or "").lower().split())
        mime = (link.get("type") or "").split(";")[0].strip().lower()
        kind = _DECLARED_TYPES.get(mime)
        url = _absolute(link.get("href"), base)
        title = _clean(link.get("title") or "")
        if not (kind and url and rels & {"alternate", "feed"}) or url in found:
            continue
        if _COMMENTS.search(url) or _COMMENTS.search(title):
            continue  # WordPress declares a comments feed next to the real one
        if kind == "jsonfeed" and "/wp-json/" in url:
            continue  # WordPress REST API documents, declared as application/json
        found[url] = DiscoveredFeed(url, title, kind)
    guesses = 0
    for anchor in doc.iter("a"):
        if guesses == MAX_GUESSES:
            break
        url = _absolute(anchor.get("href"), base)
        if url and url not in found and _looks_like_feed(url):
            title = _clean(anchor.get("title") or anchor.text_content())
            found[url] = DiscoveredFeed(url, title, "guess")
            guesses += 1
    return list(found.values())


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """The Sitemap: lines of a robots.txt as absolute http(s) URLs, in order, each once."""
    urls: list[str] = []
    for entry in Protego.parse(robots_txt).sitemaps:
        url = _absolute(entry, base_url)
        if url and url not in urls:
            urls.append(url)
    return urls


def _parse(html: str) -> lxml.html.HtmlElement | None:
    # Bytes, because lxml refuses a str that carries an XML encoding declaration (XHTML pages).
    data = html.encode("utf-8", errors="replace")
    if not data.strip():
        return None
    try:
        return lxml.html.fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def _base_url(doc: lxml.html.HtmlElement, page_url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href and href.strip():
            return urljoin(page_url, href.strip())
    return page_url


def _absolute(href: str | None, base: str) -> str:
    if not href or not href.strip():
        return ""
    url, _ = urldefrag(urljoin(base, href.strip()))
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.hostname else ""


def _looks_like_feed(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path
    lowered = unquote(f"{path}?{parts.query}").lower()
    if "sitemap" in lowered or "http" in lowered or "www." in lowered:
        return False  # sitemaps, and "subscribe in my reader" links that carry the feed's URL
    if path.lower().endswith((".htm", ".html")):
        return False  # an index page listing the feeds, not a feed
    host = (parts.hostname or "").lower()
    segments = {s.lower() for s in path.split("/") if s}
    query = {(k.lower(), v.lower()) for k, v in parse_qsl(parts.query)}
    return (
        host.startswith(("feeds.", "feed.", "rss."))
        or bool(segments & _FEED_SEGMENTS)
        or bool(_FEED_SUFFIX.search(path))
        or any(k in {"feed", "format", "type", "output"} and v in _FEED_QUERY for k, v in query)
    )


def _clean(text: str) -> str:
    return " ".join(text.split())
