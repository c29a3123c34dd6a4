"""The sample newspapers as data: papers.toml and the article files, validated, plus their URLs.

The articles are the ground truth for the pipeline's tests and benchmarks, so a bad file must fail
loudly with its name rather than quietly skew a score. Each paper's template also fixes its URL
style; building and parsing those URLs lives here so the server and the truth loader agree.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefings.errors import ConfigError

DEMO_DIR = Path(__file__).resolve().parent
PAPERS_TOML = DEMO_DIR / "papers.toml"
ARTICLES_DIR = DEMO_DIR / "articles"
NAMES_TOML = DEMO_DIR / "names.toml"

TEMPLATES = ("broadsheet", "ledger", "hashed", "magazine", "classic", "cjk")
FEED_KINDS = ("rss2", "rss2-full", "rss1", "rss091", "atom", "jsonfeed", "news-sitemap")
FEED_PATHS = {
    "rss2": "/rss.xml",
    "rss2-full": "/rss.xml",
    "rss1": "/index.rdf",
    "rss091": "/rss091.xml",
    "atom": "/atom.xml",
    "jsonfeed": "/feed.json",
    "news-sitemap": "/sitemap-news.xml",
}
FEED_TYPES = {
    "rss2": "application/rss+xml",
    "rss2-full": "application/rss+xml",
    "rss1": "application/rdf+xml",
    "rss091": "application/rss+xml",
    "atom": "application/atom+xml",
    "jsonfeed": "application/feed+json",
    "news-sitemap": "application/xml",
}
TRACKING = {"utm_source": "rss", "utm_medium": "feed"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_HOURS = 71.0


@dataclass(frozen=True, slots=True)
class Paper:
    """One fictional newspaper from papers.toml."""

    slug: str
    name: str
    country: str
    region: str
    language: str
    timezone: str
    encoding: str
    feed: str
    template: str
    full_text: bool
    sections: tuple[str, ...]
    name_en: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def feed_path(self) -> str:
        return FEED_PATHS[self.feed]

    @property
    def uses_sitemap(self) -> bool:
        return self.feed == "news-sitemap"

    def section_slug(self, section: str) -> str:
        """The URL segment of a section: ASCII words slugified, other scripts numbered."""
        slug = re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")
        return slug or f"section-{self.sections.index(section) + 1}"

    def section_path(self, section: str) -> str:
        slug = self.section_slug(section)
        if self.template == "hashed":
            return f"/news/articleList.html?sc_section={slug}"
        if self.template == "magazine":
            return f"/section/{slug}/"
        return f"/{slug}/"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One article file; `key` is "<paper>/<slug>" and `number` its stable numeric id."""

    paper: str
    slug: str
    number: int
    title: str
    standfirst: str
    authors: tuple[str, ...]
    section: str
    hours_ago: float
    paragraphs: tuple[str, ...]
    updated_hours_ago: float | None = None
    event: str = ""
    copy_of: str = ""
    credit: str = ""
    image: str = ""
    people: tuple[str, ...] = ()
    paywalled: bool = False

    @property
    def key(self) -> str:
        return f"{self.paper}/{self.slug}"

    def published_at(self, now: datetime) -> datetime:
        """Publication time in UTC: `now` minus `hours_ago`, rounded to the minute."""
        return _minute(now - timedelta(hours=self.hours_ago))

    def updated_at(self, now: datetime) -> datetime | None:
        if self.updated_hours_ago is None:
            return None
        return _minute(now - timedelta(hours=self.updated_hours_ago))


@dataclass(frozen=True, slots=True)
class DemoContent:
    """Every paper and every article, in file order (papers) and key order (articles)."""

    papers: tuple[Paper, ...]
    articles: tuple[DemoArticle, ...]

    def paper(self, slug: str) -> Paper:
        for paper in self.papers:
            if paper.slug == slug:
                return paper
        raise KeyError(slug)

    def article(self, key: str) -> DemoArticle:
        for article in self.articles:
            if article.key == key:
                return article
        raise KeyError(key)

    def of_paper(self, slug: str) -> tuple[DemoArticle, ...]:
        return tuple(a for a in self.articles if a.paper == slug)


def _minute(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the demo clock needs a timezone-aware datetime")
    moment = moment.astimezone(UTC) + timedelta(seconds=30)
    return moment.replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# URLs: each template has its own style; the parser ignores dates and tracking parameters.


def article_path(paper: Paper, article: DemoArticle, now: datetime) -> str:
    """The canonical path of an article on its paper's site (dates in the paper's zone)."""
    local = article.published_at(now).astimezone(paper.zone)
    section = paper.section_slug(article.section)
    match paper.template:
        case "broadsheet":
            return f"/{section}/{local:%Y/%m/%d}/{article.slug}"
        case "ledger":
            return f"/{section}/{article.number}/{article.slug}"
        case "hashed":
            return f"/news/articleView.html?idxno={article.number}"
        case "magazine":
            return f"/article/{article.slug}-{article.number}.html"
        case "classic":
            return f"/{section}/{local:%Y%m%d}/{article.number}.htm"
        case _:
            return f"/{section}/{local:%Y%m}/{local:%d}/content_{article.number}.htm"


def amp_path(path: str) -> str:
    return "/amp" + path


def with_tracking(path: str) -> str:
    """The path as some feeds link it, with campaign parameters appended."""
    return path + ("&" if "?" in path else "?") + urlencode(TRACKING)


def normalise_path(path: str) -> str:
    """Drop tracking parameters and sort the rest, so every spelling of a URL finds one page."""
    base, _, query = path.partition("?")
    params = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True)
                    if not k.lower().startswith(("utm_", "fbclid", "gclid")))
    return base + ("?" + urlencode(params) if params else "")


_PATTERNS = {
    "broadsheet": re.compile(r"^/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/(?P<slug>[a-z0-9-]+)$"),
    "ledger": re.compile(r"^/[a-z0-9-]+/(?P<number>\d+)/[a-z0-9-]+$"),
    "hashed": re.compile(r"^/news/articleView\.html\?idxno=(?P<number>\d+)$"),
    "magazine": re.compile(r"^/article/[a-z0-9-]+-(?P<number>\d+)\.html$"),
    "classic": re.compile(r"^/[a-z0-9-]+/\d{8}/(?P<number>\d+)\.htm$"),
    "cjk": re.compile(r"^/[a-z0-9-]+/\d{6}/\d{2}/content_(?P<number>\d+)\.htm$"),
}


def parse_article_path(paper: Paper, path: str) -> tuple[str, str] | None:
    """("slug", value) or ("number", value) for an article path of `paper`, AMP or not."""
    path = normalise_path(path)
    if path.startswith("/amp/"):
        path = path[len("/amp"):]
    found = _PATTERNS[paper.template].match(path)
    if found is None:
        return None
    field = "slug" if "slug" in found.groupdict() else "number"
    return field, found[field]


# ---------------------------------------------------------------------------------------------
# Loading and validation.


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _need(where: Path, data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise ConfigError(f"{where}: `{key}` is missing")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ConfigError(f"{where}: `{key}` has the wrong type ({type(value).__name__})")
    return value


def _strings(where: Path, data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


_PAPER_KEYS = {"slug", "name", "name_en", "country", "region", "language", "timezone", "encoding",
               "feed", "template", "full_text", "sections"}


def load_papers(path: Path = PAPERS_TOML) -> tuple[Paper, ...]:
    """The papers of papers.toml, each checked (zone, codec, template, feed kind, sections)."""
    entries = read_toml(path).get("paper", [])
    papers: list[Paper] = []
    for index, data in enumerate(entries):
        where = Path(f"{path} [paper #{index + 1}]")
        unknown = set(data) - _PAPER_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
        paper = Paper(
            slug=_need(where, data, "slug", str), name=_need(where, data, "name", str),
            name_en=data.get("name_en", ""), country=_need(where, data, "country", str),
            region=_need(where, data, "region", str), language=_need(where, data, "language", str),
            timezone=_need(where, data, "timezone", str),
            encoding=_need(where, data, "encoding", str), feed=_need(where, data, "feed", str),
            template=_need(where, data, "template", str),
            full_text=_need(where, data, "full_text", bool),
            sections=_strings(where, data, "sections"),
        )
        _check_paper(where, paper, papers)
        papers.append(paper)
    if not papers:
        raise ConfigError(f"{path}: no [[paper]] entries")
    return tuple(papers)


def _check_paper(where: Path, paper: Paper, earlier: Iterable[Paper]) -> None:
    if not SLUG.match(paper.slug) or any(p.slug == paper.slug for p in earlier):
        raise ConfigError(f"{where}: slug {paper.slug!r} is invalid or repeated")
    if paper.template not in TEMPLATES:
        raise ConfigError(f"{where}: unknown template {paper.template!r}")
    if paper.feed not in FEED_KINDS:
        raise ConfigError(f"{where}: unknown feed kind {paper.feed!r}")
    try:
        ZoneInfo(paper.timezone)
        codecs.lookup(paper.encoding)
    except (ZoneInfoNotFoundError, LookupError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    slugs = [paper.section_slug(s) for s in paper.sections]
    if not slugs or len(set(slugs)) != len(slugs):
        raise ConfigError(f"{where}: sections must be non-empty and distinct")


_ARTICLE_KEYS = {"title", "standfirst", "authors", "section", "hours_ago", "updated_hours_ago",
                 "event", "copy_of", "credit", "image", "people", "paywalled", "body"}


def paragraphs_of(body: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; the line breaks inside one are only wrapping."""
    blocks = re.split(r"\n\s*\n", body.strip())
    return tuple(" ".join(line.strip() for line in b.splitlines()) for b in blocks if b.strip())


def _number(key: str, taken: set[int]) -> int:
    number = 100000 + int(hashlib.sha1(key.encode()).hexdigest(), 16) % 900000
    while number in taken:
        number += 1
    taken.add(number)
    return number


def load_article(path: Path, paper: Paper, number: int) -> DemoArticle:
    """One article file, checked on its own (cross-file checks are in `load_content`)."""
    data = read_toml(path)
    unknown = set(data) - _ARTICLE_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")
    if not SLUG.match(path.stem):
        raise ConfigError(f"{path}: the file name must be a lowercase-hyphenated slug")
    title = _need(path, data, "title", str).strip()
    section = _need(path, data, "section", str)
    hours = float(_need(path, data, "hours_ago", (int, float)))
    updated = data.get("updated_hours_ago")
    if updated is not None and (isinstance(updated, bool) or not isinstance(updated, int | float)
                                or not 0 <= updated < hours):
        raise ConfigError(f"{path}: `updated_hours_ago` must be a number from 0 to under "
                          "`hours_ago`")
    paragraphs = paragraphs_of(_need(path, data, "body", str))
    article = DemoArticle(
        paper=paper.slug, slug=path.stem, number=number, title=title,
        standfirst=str(data.get("standfirst", "")).strip(), authors=_strings(path, data, "authors"),
        section=section, hours_ago=hours, paragraphs=paragraphs,
        updated_hours_ago=None if updated is None else float(updated),
        event=str(data.get("event", "")), copy_of=str(data.get("copy_of", "")),
        credit=str(data.get("credit", "")).strip(), image=str(data.get("image", "")),
        people=_strings(path, data, "people"), paywalled=data.get("paywalled", False) is True,
    )
    problem = _problem(article, paper, data)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    return article


def _problem(article: DemoArticle, paper: Paper, data: dict[str, Any]) -> str:
    if not article.title:
        return "`title` is empty"
    if not article.paragraphs:
        return "`body` has no paragraphs"
    if article.section not in paper.sections:
        return f"unknown section {article.section!r}; {paper.slug} has {list(paper.sections)}"
    if not 1 <= article.hours_ago <= MAX_HOURS:
        return f"`hours_ago` must be between 1 and {MAX_HOURS:g}, not {article.hours_ago:g}"
    if article.event and not SLUG.match(article.event):
        return f"`event` {article.event!r} must be a lowercase-hyphenated id"
    if article.copy_of and not article.credit:
        return "`copy_of` needs a `credit` line such as 'By The Daily Courier'"
    if "paywalled" in data and not isinstance(data["paywalled"], bool):
        return "`paywalled` must be true or false"
    if article.image and not re.match(r"^[\w-]+\.(jpe?g|png|gif|webp|svg)$", article.image):
        return f"`image` {article.image!r} must be a plain file name like 'dam.jpg'"
    return ""


def load_content(articles_dir: Path = ARTICLES_DIR, papers_path: Path = PAPERS_TOML) -> DemoContent:
    """Papers and every `<paper>/<slug>.toml` under `articles_dir`, with cross-file checks."""
    papers = load_papers(papers_path)
    by_slug = {p.slug: p for p in papers}
    articles: dict[str, DemoArticle] = {}
    paths: dict[str, Path] = {}
    taken: dict[str, set[int]] = {p.slug: set() for p in papers}
    root = Path(articles_dir)
    folders = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")) \
        if root.is_dir() else []
    for folder in folders:
        paper = by_slug.get(folder.name)
        if paper is None:
            raise ConfigError(f"{folder}: no paper with this slug in {papers_path}")
        for path in sorted(folder.glob("*.toml")):
            key = f"{paper.slug}/{path.stem}"
            articles[key] = load_article(path, paper, _number(key, taken[paper.slug]))
            paths[key] = path
    for key, article in articles.items():
        problem = _copy_problem(article, articles)
        if problem:
            raise ConfigError(f"{paths[key]}: {problem}")
    return DemoContent(papers=papers, articles=tuple(articles[k] for k in sorted(articles)))


def _copy_problem(article: DemoArticle, articles: dict[str, DemoArticle]) -> str:
    if not article.copy_of:
        return ""
    original = articles.get(article.copy_of)
    if original is None:
        return f"`copy_of` {article.copy_of!r} names no article (use '<paper>/<slug>')"
    if original.paper == article.paper:
        return "`copy_of` must name another paper's article"
    if original.copy_of:
        return f"`copy_of` must name the original, and {original.key} is itself a copy"
    if article.hours_ago > original.hours_ago:
        return f"a copy cannot be published before its original {original.key}"
    if article.event and original.event and article.event != original.event:
        return f"`event` differs from the original's ({original.event!r})"
    return ""
