"""What lets search engines and link previews find and describe our pages: the sitemaps, the
news sitemap, robots.txt, and an article's canonical link, JSON-LD and OpenGraph tags.

The JSON-LD sits in a `<script type="application/ld+json">` element: a data block that browsers
never run, so the Content-Security-Policy's `script-src 'none'` does not stop it, and `<`, `>`
and `&` are written as JSON escapes so no text of a paper's can close the element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from lxml import etree
from markupsafe import Markup

from briefings.newsroom.models import Article

NEWS_WINDOW = timedelta(days=2)  # Google News takes articles of the last two days
NEWS_LIMIT = 1000  # and at most this many in one news sitemap
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class ArticleSitemap(Sitemap):
    """Every article page, oldest first so a page of the sitemap keeps its URLs."""

    limit = 10_000

    def items(self) -> Any:
        return Article.objects.only("id", "published", "updated", "first_seen_at").order_by("id")

    def location(self, item: Article) -> str:
        return reverse("article", args=[item.pk])

    def lastmod(self, item: Article) -> datetime:
        return max(item.when, item.updated or item.when)

    def get_latest_lastmod(self) -> None:
        """None: the base class would read every article to answer, for the index's sake."""
        return None


class PageSitemap(Sitemap):
    """The pages that are not articles."""

    changefreq = "hourly"

    def items(self) -> list[str]:
        return ["home"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, Sitemap] = {"pages": PageSitemap(), "articles": ArticleSitemap()}


def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, SITEMAPS, template_name="site/sitemap_index.xml",
                               sitemap_url_name="sitemap-section")


def sitemap(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, SITEMAPS, section=section,
                                 template_name="site/sitemap.xml")


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """The articles of the last two days, with what Google News asks for; the publication is
    this site, as the pages listed are ours."""
    since = timezone.now() - NEWS_WINDOW
    recent = Article.objects.filter(Q(published__gte=since) | Q(
        published=None, first_seen_at__gte=since)).select_related("source").only(
        "id", "title", "language", "published", "first_seen_at", "source__language").order_by(
        "-published", "-id")[:NEWS_LIMIT]
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for item in recent:
        entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = request.build_absolute_uri(
            reverse("article", args=[item.pk]))
        news = etree.SubElement(entry, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = settings.BRIEFINGS["site_name"]
        etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = (
            item.language or item.source.language or "en").lower()
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = item.when.isoformat()
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = item.title
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="application/xml")


def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /desk/", ""]
    lines += [f"Sitemap: {request.build_absolute_uri(reverse(name))}"
              for name in ("sitemap", "sitemap-news")]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What an article page's head says about it."""

    canonical: str
    description: str
    json_ld: Markup
    properties: list[tuple[str, str]]  # OpenGraph <meta property=…>
    names: list[tuple[str, str]]  # Twitter card <meta name=…>


def json_script(data: Any) -> Markup:
    """JSON that cannot end its <script> element nor open a comment inside it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def article_meta(request: HttpRequest, item: Article, description: str) -> ArticleMeta:
    """Canonical URL, schema.org NewsArticle and OpenGraph/Twitter tags of an article page,
    crediting the paper as publisher and pointing at its original."""
    canonical = request.build_absolute_uri(reverse("article", args=[item.pk]))
    paper = item.source
    published = item.when.isoformat()
    modified = max(item.when, item.updated or item.when).isoformat()
    language = item.language or paper.language
    publisher = {"@type": "Organization", "name": paper.name, "url": paper.homepage}
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": item.title, "url": canonical, "mainEntityOfPage": canonical,
        "datePublished": published, "dateModified": modified,
        "author": [{"@type": "Person", "name": name} for name in item.authors] or [publisher],
        "publisher": publisher, "isBasedOn": item.canonical_url, "inLanguage": language,
    }
    if description:
        data["description"] = description
    if item.image:
        data["image"] = [item.image]
    if item.section:
        data["articleSection"] = item.section
    properties = [("og:type", "article"), ("og:title", item.title), ("og:url", canonical),
                  ("og:site_name", settings.BRIEFINGS["site_name"]),
                  ("og:description", description), ("og:image", item.image),
                  ("article:published_time", published), ("article:modified_time", modified),
                  ("article:section", item.section)]
    names = [("twitter:card", "summary_large_image" if item.image else "summary"),
             ("twitter:title", item.title), ("twitter:description", description),
             ("twitter:image", item.image)]
    return ArticleMeta(canonical, description, json_script(data), [p for p in properties if p[1]],
                       [n for n in names if n[1]])


urlpatterns = [
    path("robots.txt", robots, name="robots"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-news.xml", news_sitemap, name="sitemap-news"),
    path("sitemap-<section>.xml", sitemap, name="sitemap-section"),
]
