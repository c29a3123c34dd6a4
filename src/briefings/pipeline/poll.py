"""Stage `poll`: the bytes of a feed or sitemap become `FeedEntry` records, whatever the dialect.

RSS 0.9x/1.0/2.0 and Atom go through feedparser (it knows every dialect and encoding), JSON Feed
through `json`, sitemaps through lxml. Each adapter yields the same fields, cleaned the same way:
absolute http(s) URLs, plain-text titles, and aware UTC datetimes in which a zoneless date is read
in the source's own zone (feedparser would call it UTC, which is off by hours for Asian papers).
An entry that gives no publication date takes its update date (a sitemap's lastmod) instead.
"""

from __future__ import annotations

import html
import json
import re
import time
import zlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_zone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import feedparser
from lxml import etree

from briefings.errors import ConfigError, FeedError
from briefings.pipeline.types import FeedEntry, Poll

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own cap on an uncompressed file
_SNIFF_BYTES = 64 * 1024

_FIRST_TAG = re.compile(rb"<(?![?!])([A-Za-z_][\w.:-]*)")
_KNOWN_ROOT = re.compile(rb"<((?:\w+:)?(?:rss|RDF|feed|urlset|sitemapindex))[\s>/]")
_NEWS_NS = re.compile(rb"google\.com/schemas/sitemap-news/")
_JSONFEED_VERSION = re.compile(rb"jsonfeed\.org\\?/version")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BYLINE = re.compile(r"^\s*by\s*[:\-]?\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|&|\band\b)\s*", re.IGNORECASE)
# "editor@paper.com (Name)"; feedparser leaves "com (Name" when the domain is not 2–4 letters.
_MAIL_AND_NAME = re.compile(r"^(\S*)\s*\(([^()]+)(\))?$")
_NOT_A_NAME = re.compile(  # a URL, an e-mail address or a bare domain such as "www.qq.com"
    r"^(?:https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:www\.)?[\w-]+(?:\.[\w-]+)+/?)$")
_NUMERIC_DATE = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日.]?"
    r"(?:[T\s]*(\d{1,2})[:时](\d{2})(?:[:分](\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|\?)", re.IGNORECASE)


def classify_feed(content: bytes, content_type: str = "") -> str:
    """Name the dialect from the body's first bytes, trusting the body over the Content-Type.

    Returns "rss", "atom", "jsonfeed", "news-sitemap", "sitemap", "sitemap-index", or "" when the
    body is no feed at all (an HTML page, an error message, nothing).
    """
    head = _sniff_head(content)
    text = head.lstrip()
    if text.startswith((b"{", b"[")):
        declared = "json" in content_type.lower() and b'"items"' in head
        return "jsonfeed" if declared or _JSONFEED_VERSION.search(head) else ""
    first = _FIRST_TAG.search(text)
    root = first.group(1) if first else b""
    if root.lower() == b"html":
        return ""
    kind = _root_kind(root, head)
    if not kind:
        # Leading junk (a PHP warning, a stray tag) before the real root element.
        known = _KNOWN_ROOT.search(head)
        kind = _root_kind(known.group(1), head) if known else ""
    return kind


def parse_feed(content: bytes, *, url: str, content_type: str = "", timezone: str = "UTC",
               etag: str = "", last_modified: str = "") -> Poll:
    """Parse one fetched feed or sitemap into a `Poll`.

    `timezone` is the source's IANA zone, used for dates that carry none. A sitemap index gives no
    entries but its child sitemaps in `children`, newest first when they say when they changed.
    Raises `FeedError` when the body holds nothing usable.
    """
    zone = _zone(timezone)
    body = _gunzip(content, url)
    if not body.strip():
        raise FeedError("the response body is empty", url=url)
    kind = classify_feed(body, content_type)
    if kind == "jsonfeed":
        poll = _parse_json_feed(body, url, zone)
    elif kind in {"news-sitemap", "sitemap", "sitemap-index"}:
        poll = _parse_sitemap(body, url, zone)
    elif kind or not _looks_like_html(body):
        poll = _parse_with_feedparser(body, url, content_type, zone, sniffed=bool(kind))
    else:
        raise FeedError(f"not a feed but an HTML page ({content_type or 'no content type'})",
                        url=url)
    return replace(poll, etag=etag, last_modified=last_modified)


def parse_date(raw: str, zone: tzinfo, fallback: time.struct_time | None = None) -> datetime | None:
    """Read a feed date as aware UTC; a date without a zone is wall-clock time in `zone`.

    Understands ISO 8601/RFC 3339, RFC 822 and the usual numeric forms (2018/09/18 14:38,
    2018年9月18日 14:38). `fallback` is feedparser's own reading, used for the exotic formats it
    knows; it is already UTC.
    """
    text = " ".join(raw.split())
    if not text:
        return None
    value = _read_date(text)
    if value is None:
        return datetime(*fallback[:6], tzinfo=UTC) if fallback else None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


# --- the three adapters -----------------------------------------------------------------------


def _parse_with_feedparser(body: bytes, url: str, content_type: str, zone: tzinfo, *,
                           sniffed: bool) -> Poll:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    channel = parsed.get("feed", {})
    feed_language = _language(channel.get("language", ""))
    entries = _Entries(url)
    for item in parsed.get("entries", []):
        fields = _feedparser_entry(item, zone, feed_language, url)
        entries.add(item.get("link") or _alternate_link(item), fields)
    if not entries.items and not sniffed:
        raise FeedError(f"not a feed: the body starts {_preview(body)}", url=url)
    exc = parsed.get("bozo_exception")
    # Encoding and content-type complaints are notes; a syntax error that left nothing is fatal.
    if not entries.items and exc and not isinstance(exc, feedparser.ThingsNobodyCaresAboutButMe):
        raise FeedError(f"not a readable feed: {type(exc).__name__}: {exc}", url=url)
    return Poll(url, entries=tuple(entries.items), title=_plain(channel.get("title", "")),
                link=_absolute(channel.get("link", ""), url), skipped=entries.skipped)


def _parse_json_feed(body: bytes, url: str, zone: tzinfo) -> Poll:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"JSON Feed is not valid JSON: {exc}", url=url) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FeedError("JSON Feed has no list of items", url=url)
    feed_language = _language(_str(doc.get("language")))
    feed_authors = _json_authors(doc)
    entries = _Entries(url)
    for item in doc["items"]:
        if not isinstance(item, dict):
            entries.skipped += 1
            continue
        content = _str(item.get("content_html"))
        if not content and _str(item.get("content_text")):
            content = _text_to_html(_str(item["content_text"]))
        published_raw = _str(item.get("date_published"))
        updated_raw = _str(item.get("date_modified"))
        published = parse_date(published_raw, zone)
        updated = parse_date(updated_raw, zone)
        tags = item.get("tags")
        entries.add(_str(item.get("url")) or _str(item.get("external_url")), dict(
            title=_plain(_str(item.get("title"))),
            summary=_plain(_str(item.get("summary")), keep_paragraphs=True),
            content_html=content,
            authors=_clean_authors(_json_authors(item)) or _clean_authors(feed_authors),
            published=published or updated, updated=updated,
            published_raw=published_raw or updated_raw,
            categories=_unique(_plain(_str(t)) for t in tags) if isinstance(tags, list) else (),
            image=_absolute(_str(item.get("image")) or _str(item.get("banner_image")), url),
            language=_language(_str(item.get("language"))) or feed_language,
            guid=str(item["id"]) if isinstance(item.get("id"), str | int) else "",
        ))
    return Poll(url, entries=tuple(entries.items), title=_plain(_str(doc.get("title"))),
                link=_absolute(_str(doc.get("home_page_url")), url), skipped=entries.skipped)


def _parse_sitemap(body: bytes, url: str, zone: tzinfo) -> Poll:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"sitemap is not readable XML: {exc}", url=url) from exc
    if root is None:
        raise FeedError(f"sitemap is not readable XML: the body starts {_preview(body)}", url=url)
    if _local(root) == "sitemapindex":
        children = _child_sitemaps(root, url, zone)
        if not children and parser.error_log:
            raise FeedError(f"sitemap index is broken: {parser.error_log[0].message}", url=url)
        return Poll(url, children=children)
    entries = _Entries(url)
    publication = ""
    for node in root:
        if _local(node) == "url":
            name, fields = _sitemap_fields(node, url, zone)
            publication = publication or name
            entries.add(_child_text(node, "loc"), fields)
    if not entries.items and parser.error_log:
        raise FeedError(f"sitemap is broken: {parser.error_log[0].message}", url=url)
    return Poll(url, entries=tuple(entries.items), title=publication, skipped=entries.skipped)


# --- per-format field extraction ----------------------------------------------------------------


def _feedparser_entry(item: Any, zone: tzinfo, feed_language: str, url: str) -> dict[str, Any]:
    # dict.get: feedparser's own lookup of "updated" falls back to "published", with a warning.
    published_raw = dict.get(item, "published") or ""
    updated_raw = dict.get(item, "updated") or ""
    published = parse_date(published_raw, zone, dict.get(item, "published_parsed"))
    updated = parse_date(updated_raw, zone, dict.get(item, "updated_parsed"))
    content = _feed_content(item)
    summary = item.get("summary", "")
    if content and summary.strip() == content.strip():
        summary = ""  # feedparser copies the body into `summary` when the item has no summary
    title_detail = item.get("title_detail") or {}
    return dict(
        title=_plain(item.get("title", "")),
        summary=_plain(summary, keep_paragraphs=True),
        content_html=content,
        authors=_clean_authors(a.get("name", "") for a in item.get("authors", []) if a),
        published=published or updated, updated=updated,
        published_raw=published_raw or updated_raw,
        categories=_unique(_plain(t.get("label") or t.get("term") or "")
                           for t in item.get("tags", [])),
        image=_feed_image(item, url),
        language=_language(title_detail.get("language") or "") or feed_language,
        guid=item.get("id", ""),
    )


def _feed_content(item: Any) -> str:
    parts = item.get("content") or []
    for part in parts:
        if "html" in (part.get("type") or ""):
            return str(part.get("value", ""))
    return _text_to_html(str(parts[0].get("value", ""))) if parts else ""


def _feed_image(item: Any, url: str) -> str:
    for media in item.get("media_content", []):
        kind = media.get("medium") or media.get("type") or ""
        link = media.get("url", "")
        if link and (kind == "image" or kind.startswith("image/")
                     or (not kind and _IMAGE_SUFFIX.search(link))):
            return _absolute(link, url)
    for thumb in item.get("media_thumbnail", []):
        if thumb.get("url"):
            return _absolute(thumb["url"], url)
    for link in item.get("links", []):
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/"):
            return _absolute(link.get("href", ""), url)
    image = item.get("image")
    return _absolute(image.get("href", ""), url) if isinstance(image, dict) else ""


def _alternate_link(item: Any) -> str:
    for link in item.get("links", []):
        if link.get("rel") == "alternate" and link.get("href"):
            return str(link["href"])
    return ""


def _json_authors(obj: dict[str, Any]) -> list[str]:
    """JSON Feed 1.1 has `authors`; 1.0 had a single `author`."""
    found = obj.get("authors")
    people = found if isinstance(found, list) else [obj.get("author")]
    return [_str(p.get("name")) for p in people if isinstance(p, dict)]


def _sitemap_fields(node: etree._Element, url: str, zone: tzinfo) -> tuple[str, dict[str, Any]]:
    """The publication's name, and the entry's fields from <url>, <news:news> and <image:image>."""
    news = _child(node, "news")
    publication = _child(news, "publication") if news is not None else None
    published_raw = _child_text(news, "publication_date") if news is not None else ""
    lastmod_raw = _child_text(node, "lastmod")
    updated = parse_date(lastmod_raw, zone)
    keywords = _child_text(news, "keywords") if news is not None else ""
    image = _child(node, "image")
    name = _child_text(publication, "name") if publication is not None else ""
    return name, dict(
        title=_plain(_child_text(news, "title")) if news is not None else "",
        published=parse_date(published_raw, zone) or updated, updated=updated,
        published_raw=published_raw or lastmod_raw,
        categories=_unique(k.strip() for k in keywords.split(",")),
        image=_absolute(_child_text(image, "loc"), url) if image is not None else "",
        language=_language(_child_text(publication, "language"))
        if publication is not None else "",
    )


def _child_sitemaps(root: etree._Element, url: str, zone: tzinfo) -> tuple[str, ...]:
    """Child sitemap URLs, those most recently changed first: news sites keep years of them."""
    dated: list[tuple[datetime, int, str]] = []
    seen: set[str] = set()
    oldest = datetime.min.replace(tzinfo=UTC)
    for index, node in enumerate(n for n in root if _local(n) == "sitemap"):
        link = _absolute(_child_text(node, "loc"), url)
        if link and link not in seen:
            seen.add(link)
            changed = parse_date(_child_text(node, "lastmod"), zone) or oldest
            dated.append((changed, -index, link))
    return tuple(link for _, _, link in sorted(dated, reverse=True))


# --- shared cleaning -------------------------------------------------------------------------


class _Entries:
    """Collects entries in feed order: one per absolute URL, counting those without a usable one."""

    def __init__(self, feed_url: str) -> None:
        self.feed_url = feed_url
        self.items: list[FeedEntry] = []
        self.skipped = 0
        self._seen: set[str] = set()

    def add(self, link: str, fields: dict[str, Any]) -> None:
        url = _absolute(link, self.feed_url)
        if not url:
            self.skipped += 1
        elif url not in self._seen:
            self._seen.add(url)
            self.items.append(FeedEntry(url=url, feed_url=self.feed_url, **fields))


class _TextParser(HTMLParser):
    """HTML to text with a line break at block boundaries, so paragraphs do not run together."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "tr", "table", "section", "article", "figure", "pre"})
    _HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _plain(value: str, *, keep_paragraphs: bool = False) -> str:
    """Feed text as plain text: tags stripped, entities (even double-escaped ones) decoded."""
    if _HTML_TAG.search(value):
        parser = _TextParser()
        parser.feed(value)
        parser.close()
        value = "".join(parser.parts)
    value = html.unescape(value)
    if not keep_paragraphs:
        return " ".join(value.split())
    lines = (" ".join(line.split()) for line in value.splitlines())
    return "\n\n".join(line for line in lines if line)


def _text_to_html(text: str) -> str:
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", text))
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


def _clean_authors(names: Iterable[str]) -> tuple[str, ...]:
    """Person names without "By", split where a byline lists several, minus e-mails and domains."""
    people: list[str] = []
    for name in names:
        name = _BYLINE.sub("", _plain(name))
        mailed = _MAIL_AND_NAME.match(name)
        if mailed and ("@" in mailed.group(1) or not mailed.group(3)):
            name = mailed.group(2)
        for part in _AUTHOR_SPLIT.split(name):
            part = part.strip(" .:-")
            if part and not _NOT_A_NAME.match(part):
                people.append(part)
    return _unique(people)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return tuple(seen.values())


def _absolute(link: str, base: str) -> str:
    """`link` resolved against `base`, without fragment; "" unless it is a usable http(s) URL."""
    if not link or not link.strip():
        return ""
    url, _ = urldefrag(urljoin(base, link.strip()))
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.hostname else ""


def _language(tag: str) -> str:
    """A BCP 47 tag in its usual case: zh-cn → zh-CN, zh_hant_tw → zh-Hant-TW."""
    parts = [p for p in re.split(r"[-_]", tag.strip()) if p]
    if not parts:
        return ""
    rest = [p.upper() if len(p) == 2 or p.isdigit() else p.title() if len(p) == 4 else p.lower()
            for p in parts[1:]]
    return "-".join([parts[0].lower(), *rest])


def _read_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        value = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        value = None
    if value is not None:
        # RFC 2822 "-0000" means UTC with the sender's zone unknown; Python leaves it naive.
        return value.replace(tzinfo=UTC) if value.tzinfo is None and "-0000" in text else value
    match = _NUMERIC_DATE.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                         int(second or 0))
    except ValueError:
        return None
    if zone is None:
        return value
    if zone in {"Z", "UTC", "GMT"}:
        return value.replace(tzinfo=UTC)
    digits = zone.replace(":", "")
    offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
    return value.replace(tzinfo=fixed_zone(-offset if digits[0] == "-" else offset))


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {name!r}") from exc


def _gunzip(content: bytes, url: str) -> bytes:
    """Sitemaps are often served as .xml.gz files rather than with Content-Encoding."""
    if not content.startswith(b"\x1f\x8b"):
        return content
    inflater = zlib.decompressobj(wbits=31)
    try:
        body = inflater.decompress(content, MAX_XML_BYTES)
    except zlib.error as exc:
        raise FeedError(f"gzip body is corrupt: {exc}", url=url) from exc
    if inflater.unconsumed_tail:
        raise FeedError(f"gzip body inflates past {MAX_XML_BYTES} bytes", url=url)
    return body


def _sniff_head(content: bytes) -> bytes:
    head = content[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf")


def _root_kind(root: bytes, head: bytes) -> str:
    name = root.split(b":")[-1].lower()
    if name == b"urlset":
        return "news-sitemap" if _NEWS_NS.search(head) else "sitemap"
    return {b"rss": "rss", b"rdf": "rss", b"feed": "atom", b"sitemapindex": "sitemap-index"}.get(
        name, "")


def _looks_like_html(body: bytes) -> bool:
    return bool(re.search(rb"<(?:!doctype\s+)?html[\s>]", _sniff_head(body).lower()))


def _preview(body: bytes) -> str:
    return repr(body[:60].decode("utf-8", errors="replace"))


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _child(node: etree._Element | None, name: str) -> etree._Element | None:
    """First child with this local name, whatever namespace (or namespace typo) it carries."""
    if node is None:
        return None
    return next((c for c in node if _local(c) == name), None)


def _child_text(node: etree._Element | None, name: str) -> str:
    found = _child(node, name)
    return (found.text or "").strip() if found is not None else ""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""

