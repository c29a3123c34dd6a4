"""`briefings sources discover URL`: a homepage's feeds and sitemaps, each checked by parsing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from briefings import config
from briefings.errors import BriefingsError
from briefings.pipeline.discover import feeds_from_html, sitemaps_from_robots
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.poll import classify_feed

FEED_KINDS = {"rss", "atom", "jsonfeed"}


@dataclass
class Discovery:
    homepage: str
    name: str = ""
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (url, kind)
    sitemaps: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_toml(self) -> str:
        slug = (urlsplit(self.homepage).hostname or "source").removeprefix("www.").split(".")[0]
        lines = ["[[source]]", f'slug = "{slug}"', f"name = {_quote(self.name or slug)}",
                 f'homepage = "{self.homepage}"']
        lines.append("feeds = [" + ", ".join(_quote(u) for u, _ in self.feeds) + "]")
        lines.append("sitemaps = [" + ", ".join(_quote(u) for u, _ in self.sitemaps) + "]")
        return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def discover_feeds(url: str, *, allow_private: bool = False, delay: float = 1.0) -> Discovery:
    """Discovery with a fetcher of its own, for `briefings sources discover`."""
    values = config.load()
    with Fetcher(FetchConfig(user_agent=config.user_agent(values))) as fetcher:
        return discover_with(fetcher, url, allow_private=allow_private, delay=delay)


def discover_with(fetcher: Fetcher, url: str, *, allow_private: bool = False,
                  delay: float = 1.0) -> Discovery:
    """Fetch the homepage and robots.txt, then keep the candidates that parse as feeds.

    News sitemaps are preferred to general ones: a general sitemap lists a whole archive, so it
    is kept only when the site offers no news sitemap and no feed.
    """
    found = Discovery(url)
    home = fetcher.fetch(url, delay=delay, allow_private=allow_private)
    found.homepage = home.final_url
    found.name = _site_name(home.text)
    candidates = [c.url for c in feeds_from_html(home.text, home.final_url)]
    try:
        robots = fetcher.fetch(urljoin(home.final_url, "/robots.txt"), delay=delay,
                               allow_private=allow_private)
        candidates += sitemaps_from_robots(robots.text, robots.final_url)
    except BriefingsError as exc:
        found.notes.append(f"robots.txt: {exc}")
    general: list[tuple[str, str]] = []
    for candidate in dict.fromkeys(candidates):
        try:
            page = fetcher.fetch(candidate, delay=delay, allow_private=allow_private)
        except BriefingsError as exc:
            found.notes.append(f"{candidate}: {exc}")
            continue
        kind = classify_feed(page.content, page.content_type)
        if kind in FEED_KINDS:
            found.feeds.append((page.final_url, kind))
        elif kind in {"news-sitemap", "sitemap-index"}:
            found.sitemaps.append((page.final_url, kind))
        elif kind == "sitemap":
            general.append((page.final_url, kind))
        else:
            found.notes.append(f"{candidate}: not a feed")
    if not found.feeds and not found.sitemaps:
        found.sitemaps = general
    return found


def _site_name(html: str) -> str:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for xpath in ('//meta[@property="og:site_name"]/@content', "//title/text()"):
        values = tree.xpath(xpath)
        if values and str(values[0]).strip():
            return str(values[0]).strip()
    return ""
