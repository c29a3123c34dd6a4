"""The frozen dataclasses that travel between pipeline stages.

Each arrow of the pipeline carries exactly one of these types; nothing downstream of `poll` knows
whether an entry came from RSS, Atom, JSON Feed or a sitemap. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from briefings.pipeline.sections import DEFAULT_SECTIONS


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One newspaper as configured in sources.toml; what the stages need to know about it."""

    slug: str
    name: str
    homepage: str
    country: str = ""  # ISO 3166-1 alpha-2, e.g. "SG"
    region: str = ""  # "Southeast Asia", ...
    language: str = "en"  # BCP 47 tag of the main edition
    timezone: str = "UTC"  # IANA zone used when a page or feed gives a time without a zone
    feeds: tuple[str, ...] = ()  # RSS/Atom/JSON Feed URLs
    sitemaps: tuple[str, ...] = ()  # Google News sitemap URLs
    full_text: bool = True  # may we republish the whole body, or only an excerpt with a link?
    sections: tuple[tuple[str, str], ...] = ()  # (the paper's own section name or URL path, ours)
    delay: float = 1.0  # minimum seconds between two requests to one of its hosts
    allow_private: bool = False  # may its URLs resolve to private or loopback addresses?
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed or news sitemap, reduced to the fields every format can give."""

    url: str
    feed_url: str
    title: str = ""
    summary: str = ""  # plain text
    content_html: str = ""  # full body when the feed carries it (content:encoded, Atom content)
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    published_raw: str = ""  # the date string as the feed gave it, before zone handling
    categories: tuple[str, ...] = ()
    image: str = ""
    language: str = ""
    guid: str = ""


@dataclass(frozen=True, slots=True)
class Poll:
    """The result of polling one feed: its entries, or a 304 that means nothing changed."""

    feed_url: str
    entries: tuple[FeedEntry, ...] = ()
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    title: str = ""
    link: str = ""  # the site the feed describes
    children: tuple[str, ...] = ()  # a sitemap index's child sitemaps, to poll in turn
    skipped: int = 0  # entries dropped for want of a usable http(s) link


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched response: the decoded body and how we got it."""

    url: str  # the URL we asked for
    final_url: str  # after redirects
    status: int
    text: str  # body decoded with `charset`
    content: bytes = b""  # the raw (decompressed) body bytes
    charset: str = "utf-8"
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: datetime | None = None
    elapsed: float = 0.0  # seconds, including retries and politeness waits
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class ExtractHints:
    """What the source and its feed tell the extractor beyond the page itself."""

    timezone: str = "UTC"
    language: str = ""
    sections: tuple[tuple[str, str], ...] = ()
    taxonomy: tuple[str, ...] = DEFAULT_SECTIONS  # the site's sections, onto which all map
    full_text: bool = True
    site_name: str = ""
    entry: FeedEntry | None = None
    furniture: frozenset[int] = frozenset()  # keys of the blocks learned as the site's furniture


class SiteBlock(NamedTuple):
    """A block of a page that may be its site's furniture: its key (tag path and levelled
    text, see sitefurniture.py), and its path and text as editors see them."""

    key: int
    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place an article names, its spellings merged (tag.py)."""

    name: str  # the fullest spelling seen
    kind: str  # "person", "organisation" or "place"
    slug: str  # for its topic page
    variants: tuple[str, ...]  # every spelling seen, titles and possessives removed
    count: int = 1  # mentions in the article
    ref: str = ""  # a gazetteer place: the country code, or "geo:<GeoNames id>" for a city


@dataclass(frozen=True, slots=True)
class Tags:
    """What an article is about: its entities, the countries it names and where it happens."""

    entities: tuple[Entity, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, most mentioned first
    country: str = ""  # where it happens, "" if unknown
    region: str = ""  # that country's region ("Southeast Asia", ..., "Outside Asia")
    regions: tuple[str, ...] = ()  # the regions of the countries it names


@dataclass(frozen=True, slots=True)
class Article:
    """An extracted news article, every field normalised; `html` is sanitised."""

    url: str
    canonical_url: str
    title: str
    text: str
    html: str
    standfirst: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    section: str = ""
    section_inferred: bool = False  # the classifier chose `section`: the source gave none
    language: str = ""
    image: str = ""
    credit: str = ""  # "By China Daily": the credit line of a syndicated story
    paywalled: bool = False
    site_name: str = ""
    body_hash: str = ""  # sha256 of the normalised text; equal bodies are one article
    extractor: str = ""  # name and version of what produced it, e.g. "briefings-extract/1"
    warnings: tuple[str, ...] = field(default=())
    blocks: tuple[SiteBlock, ...] = ()  # the page's candidate blocks, for the site to learn
    lifted: frozenset[int] = frozenset()  # keys of the blocks removed as the site's furniture
    minhash: bytes = b""  # MinHash signature of the text (minhash.Sketch.to_bytes), if sketched
    shingles: int = 0  # distinct shingles of the text: the size of the sketch
    profile: bytes = b""  # hashed words and anchors for story clustering (cluster.Profile)
    tags: Tags | None = None  # entities, countries and region, if tagged
