"""Each sample paper's feed in its own dialect: RSS 2.0 (with or without full text), RSS 1.0,
RSS 0.91 with zoneless local dates, Atom, JSON Feed 1.1, or a Google News sitemap.

The quirks are deliberate: the poll stage must cope with tracking parameters on links, dates
without a zone, and a feed in GB2312.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from briefings.demo.content import FEED_TYPES, with_tracking
from briefings.demo.render import Placed, Served, Site, render_text

TRACKED_KINDS = frozenset({"rss2", "rss2-full", "atom", "jsonfeed"})
TEMPLATES = {
    "rss2": "rss2.xml",
    "rss2-full": "rss2.xml",
    "rss1": "rss1.xml",
    "rss091": "rss091.xml",
    "atom": "atom.xml",
    "news-sitemap": "sitemap-news.xml",
}
UTF8_KINDS = frozenset({"atom", "jsonfeed"})  # these are UTF-8 whatever the pages use


@dataclass(frozen=True, slots=True)
class FeedItem:
    """An article as its feed announces it."""

    item: Placed
    link: str  # absolute; sometimes with tracking parameters
    summary: str  # plain text
    html: str  # the visible paragraphs as HTML


def feed_encoding(site: Site) -> str:
    return "utf-8" if site.paper.feed in UTF8_KINDS else site.paper.encoding


def feed_items(site: Site) -> tuple[FeedItem, ...]:
    """Newest first; every other article's link carries campaign parameters in tracked kinds."""
    tracked = site.paper.feed in TRACKED_KINDS and not site.paper.uses_sitemap
    items = []
    for placed in site.articles:
        path = placed.path
        if tracked and placed.article.number % 2 == 0:
            path = with_tracking(path)
        article = placed.article
        summary = article.standfirst or article.paragraphs[0]
        html = "".join(f"<p>{escape(p, quote=False)}</p>" for p in placed.visible)
        items.append(FeedItem(item=placed, link=site.url(path), summary=summary, html=html))
    return tuple(items)


def _json_feed(site: Site, items: tuple[FeedItem, ...]) -> bytes:
    paper = site.paper
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": paper.name,
        "home_page_url": site.url("/"),
        "feed_url": site.url(paper.feed_path),
        "description": site.labels["notice"].format(name=paper.name),
        "language": paper.language,
        "items": [_json_item(site, entry) for entry in items],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def _json_item(site: Site, entry: FeedItem) -> dict[str, object]:
    placed, article = entry.item, entry.item.article
    item: dict[str, object] = {
        "id": f"{site.paper.slug}-{article.number}",
        "url": entry.link,
        "title": article.title,
        "summary": entry.summary,
        "content_html": entry.html,
        "date_published": placed.published.isoformat(timespec="seconds"),
        "date_modified": placed.modified.isoformat(timespec="seconds"),
        "authors": [{"name": name} for name in article.authors],
        "tags": [article.section],
    }
    if placed.image_path:
        item["image"] = site.url(placed.image_path)
    return item


def build_feed(site: Site) -> dict[str, Served]:
    """The paper's one feed or sitemap, keyed by its path."""
    paper = site.paper
    items = feed_items(site)
    encoding = feed_encoding(site)
    if paper.feed == "jsonfeed":
        body = _json_feed(site, items)
    else:
        text = render_text(
            site, TEMPLATES[paper.feed], entries=items, encoding=encoding,
            feed_url=site.url(paper.feed_path), full=paper.feed == "rss2-full",
            notice=site.labels["notice"].format(name=paper.name),
        )
        body = text.encode(encoding, "xmlcharrefreplace")
    content_type = FEED_TYPES[paper.feed] + f"; charset={encoding}"
    return {paper.feed_path: Served(body, content_type, site.modified)}
