"""Every page of one sample paper, rendered once at start: homepage, sections, articles, AMP
variants, images, robots.txt and the 404 page.

Each template family mimics a kind of real site with the furniture an extractor must learn to
ignore; the article body container holds exactly the article's paragraphs plus that furniture.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup

from briefings.demo.content import (
    FEED_TYPES,
    DemoArticle,
    Paper,
    amp_path,
    article_path,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CREDIT_IN_BODY = frozenset({"ledger", "hashed", "classic", "cjk"})  # others show it as the byline
AMP_TEMPLATES = frozenset({"broadsheet", "ledger", "hashed", "magazine"})
HEADERLESS_CHARSETS = frozenset({"shift_jis"})  # like many Japanese sites: only the meta tag says
CHARSET_LABELS = {"shift_jis": "Shift_JIS", "gb2312": "gb2312", "utf-8": "utf-8"}
RELATED = 4

LABELS = {
    "en": {
        "notice": "Sample content: {name} is a fictional newspaper written for the Briefings demo. "
                  "Its stories and people are invented.",
        "latest": "Latest news", "sections": "Sections", "related": "Related stories",
        "share": "Share this article", "home": "Home", "not_found": "Page not found",
        "not_found_text": "The page you asked for is not on this site.",
        "paywall_title": "Subscribe to continue reading",
        "paywall_text": "This story is for subscribers. Get unlimited access from $1 a week.",
        "subscribe": "Subscribe now", "sign_in": "Sign in",
    },
    "zh": {
        "notice": "示例内容：{name}是为 Briefings 演示编写的虚构报纸，新闻与人物均为虚构。",
        "latest": "最新新闻", "sections": "栏目", "related": "相关新闻", "share": "分享到",
        "home": "首页", "not_found": "页面不存在", "not_found_text": "您访问的页面不存在。",
        "editor": "责任编辑", "source": "来源", "rights": "版权所有",
        "paywall_title": "订阅后继续阅读", "paywall_text": "本文为订阅用户专享内容。",
        "house_note": "{name}每日清晨六时出版，周末另有城市副刊随报附送。",
        "subscribe": "立即订阅", "sign_in": "登录",
    },
    "ja": {
        "notice": "サンプルコンテンツ：{name}は Briefings のデモ用に作られた架空の新聞です。"
                  "記事と人物はすべて架空です。",
        "latest": "最新ニュース", "sections": "ジャンル", "related": "関連記事",
        "share": "この記事をシェア", "home": "トップ", "not_found": "ページが見つかりません",
        "not_found_text": "お探しのページは見つかりませんでした。",
        "editor": "編集", "source": "出典", "rights": "無断転載を禁じます",
        "house_note": "{name}は毎朝六時に発行し、土曜日には地域版の別刷りを付けてお届けします。",
        "paywall_title": "この記事は会員限定です",
        "paywall_text": "続きは有料会員登録でお読みいただけます。",
        "subscribe": "会員登録", "sign_in": "ログイン",
    },
}
EDITORS = ("李文", "张华", "陈静", "王磊")


@dataclass(frozen=True, slots=True)
class Served:
    """One response body as the server sends it, before compression."""

    body: bytes
    content_type: str
    modified: datetime
    status: int = 200


@dataclass(frozen=True, slots=True)
class Placed:
    """An article set on its paper's site: local times and canonical URL."""

    article: DemoArticle
    published: datetime  # in the paper's zone
    updated: datetime | None
    path: str
    url: str

    @property
    def modified(self) -> datetime:
        return self.updated or self.published

    @property
    def visible(self) -> tuple[str, ...]:
        """The paragraphs the page shows: a paywalled teaser shows only the first."""
        paragraphs = self.article.paragraphs
        return paragraphs[:1] if self.article.paywalled else paragraphs

    @property
    def image_path(self) -> str:
        if not self.article.image:
            return ""
        return f"/media/{self.article.number}/{Path(self.article.image).stem}.svg"


@dataclass(frozen=True)
class Site:
    """One paper served at `base` at the moment `now`; `articles` newest first."""

    paper: Paper
    base: str
    now: datetime
    articles: tuple[Placed, ...]

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    @property
    def domain(self) -> str:
        return f"{self.paper.slug}.example"

    @property
    def modified(self) -> datetime:
        """When the site last changed: its newest publication or update."""
        return max((p.modified for p in self.articles), default=self.now)

    @cached_property
    def labels(self) -> dict[str, str]:
        labels = dict(LABELS["en"])
        labels.update(LABELS.get(self.paper.language, {}))
        labels["notice_en"] = LABELS["en"]["notice"]
        return labels

    @property
    def charset_label(self) -> str:
        """The charset as pages declare it (`Shift_JIS`, `gb2312`, `utf-8`)."""
        return CHARSET_LABELS.get(self.paper.encoding, self.paper.encoding)

    @property
    def feed_type(self) -> str:
        """The media type of the feed for `<link rel="alternate">`; "" for sitemap papers."""
        return "" if self.paper.uses_sitemap else FEED_TYPES[self.paper.feed]

    def in_section(self, section: str) -> tuple[Placed, ...]:
        return tuple(p for p in self.articles if p.article.section == section)

    def related(self, item: Placed) -> tuple[Placed, ...]:
        """Same section first, then the latest; never the article itself."""
        others = [p for p in self.articles if p is not item]
        others.sort(key=lambda p: p.article.section != item.article.section)
        return tuple(others[:RELATED])

    def html_type(self) -> str:
        if self.paper.encoding in HEADERLESS_CHARSETS:
            return "text/html"
        return f"text/html; charset={self.paper.encoding}"

    def encode(self, text: str) -> bytes:
        return text.encode(self.paper.encoding, "xmlcharrefreplace")


def place_site(paper: Paper, articles: tuple[DemoArticle, ...], base: str, now: datetime) -> Site:
    """Anchor `articles` of `paper` at `now` and give each its URL on `base`."""
    placed = []
    for article in articles:
        path = article_path(paper, article, now)
        updated = article.updated_at(now)
        placed.append(Placed(
            article=article, published=article.published_at(now).astimezone(paper.zone),
            updated=updated.astimezone(paper.zone) if updated else None,
            path=path, url=base.rstrip("/") + path,
        ))
    placed.sort(key=lambda p: (p.published, p.article.key), reverse=True)
    return Site(paper=paper, base=base, now=now.astimezone(paper.zone), articles=tuple(placed))


def name_slug(name: str) -> str:
    """An ASCII handle for a person: for file names and e-mail addresses."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "staff-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def _css(paper: Paper, role: str) -> str:
    """A hashed class name such as `css-1x9ab3`, stable per paper and role (CSS-in-JS style)."""
    digest = int(hashlib.sha1(f"{paper.slug}:{role}".encode()).hexdigest(), 16)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    chars = []
    for _ in range(6):
        digest, rest = divmod(digest, 36)
        chars.append(alphabet[rest])
    return "css-" + "".join(chars)


def _authors(names: tuple[str, ...], suffix: str = "") -> str:
    """ "A", "A and B", "A, B and C", with an optional ", Staff Reporter(s)"."""
    if not names:
        return ""
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if suffix:
        text += f", {suffix}" + ("s" if len(names) > 1 else "")
    return text


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["iso"] = lambda moment: moment.isoformat(timespec="seconds")
    env.filters["rfc822"] = format_datetime
    env.filters["authors"] = _authors
    env.globals["name_slug"] = name_slug
    return env


_ENV = _environment()


def _image_svg(label: str, seed: str, width: int = 640, height: int = 360) -> bytes:
    """A small placeholder picture: a tinted panel with the file's name on it."""
    hue = int(hashlib.sha1(seed.encode()).hexdigest()[:4], 16) % 360
    label = label.replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" '
        f'fill="hsl({hue},45%,55%)"/><text x="50%" y="50%" text-anchor="middle" '
        f'font-family="sans-serif" font-size="22" fill="#fff">{label}</text></svg>'
    ).encode()


def _json_ld(site: Site, item: Placed) -> Markup:
    """NewsArticle data: the full set for broadsheet, only the paywall flag for ledger."""
    article = item.article
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle",
                               "headline": article.title, "url": item.url}
    if site.paper.template == "broadsheet":
        if article.credit:
            authors = [{"@type": "Organization", "name": article.credit.removeprefix("By ")}]
        else:
            authors = [{"@type": "Person", "name": name} for name in article.authors]
        data.update({
            "description": article.standfirst,
            "datePublished": item.published.isoformat(timespec="seconds"),
            "dateModified": item.modified.isoformat(timespec="seconds"),
            "author": authors, "articleSection": article.section,
            "inLanguage": site.paper.language, "mainEntityOfPage": item.url,
            "publisher": {"@type": "Organization", "name": site.paper.name,
                          "url": site.url("/")},
        })
        if item.image_path:
            data["image"] = [site.url(item.image_path)]
    if article.paywalled:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False,
                           "cssSelector": ".paywall, .paywall-box"}
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))


def render_text(site: Site, template: str, **context: object) -> str:
    """Render one of templates/ for `site` (pages and feeds alike)."""
    return _ENV.get_template(template).render(
        site=site, paper=site.paper, labels=site.labels,
        css=lambda role: _css(site.paper, role), **context,
    )


def _page(site: Site, template: str, **context: object) -> bytes:
    return site.encode(render_text(site, template, **context))


def robots_txt(site: Site) -> Served:
    lines = ["User-agent: *", "Disallow: /private/", "Crawl-delay: 0", ""]
    if site.paper.uses_sitemap:
        lines.append(f"Sitemap: {site.url(site.paper.feed_path)}")
    return Served("\n".join(lines).encode() + b"\n", "text/plain; charset=utf-8", site.now)


def not_found(site: Site) -> Served:
    return Served(_page(site, "not_found.html", canonical=site.url("/")), site.html_type(),
                  site.now, status=404)


def build_pages(site: Site) -> dict[str, Served]:
    """Every HTML page and image of `site` by path (the path as `normalise_path` spells it)."""
    paper = site.paper
    pages: dict[str, Served] = {
        "/": Served(_page(site, "front.html", heading=site.labels["latest"],
                          items=site.articles[:40], canonical=site.url("/")),
                    site.html_type(), site.modified),
        "/robots.txt": robots_txt(site),
        "/private/": Served(site.encode("<!doctype html><title>Staff only</title>"
                                        "<p>Staff only.</p>"), site.html_type(), site.now),
    }
    for section in paper.sections:
        items = site.in_section(section)
        path = paper.section_path(section)
        pages[path] = Served(
            _page(site, "front.html", heading=section, items=items, canonical=site.url(path)),
            site.html_type(), max((p.modified for p in items), default=site.now))
    for item in site.articles:
        amp = site.url(amp_path(item.path)) if paper.template in AMP_TEMPLATES else ""
        editor = EDITORS[item.article.number % len(EDITORS)]
        body = _page(site, f"{paper.template}.html", item=item, related=site.related(item),
                     canonical=item.url, amp_url=amp, editor=editor, json_ld=_json_ld(site, item),
                     credit_in_body=paper.template in CREDIT_IN_BODY)
        pages[item.path] = Served(body, site.html_type(), item.modified)
        if amp:
            pages[amp_path(item.path)] = Served(
                _page(site, "amp.html", item=item, canonical=item.url), site.html_type(),
                item.modified)
        if item.image_path:
            pages[item.image_path] = Served(
                _image_svg(item.article.image, item.article.key), "image/svg+xml", item.modified)
        for author in item.article.authors:
            pages[f"/media/authors/{name_slug(author)}.svg"] = Served(
                _image_svg(author, author, 160, 160), "image/svg+xml", site.now)
    return pages
