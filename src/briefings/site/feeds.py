"""RSS 2.0 and Atom feeds of the home page and of each section, region, topic and paper.

Every item links to our article page and carries a teaser, never a body: a paper that lets us
show its whole text on our pages has not thereby let feed readers copy it, and an excerpt-only
paper has let no one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import re_path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import slugify
from markupsafe import Markup

from briefings.newsroom.models import Article, Entity, Story
from briefings.pipeline.places import OUTSIDE_ASIA, REGIONS
from briefings.pipeline.teaser import teaser
from briefings.sources.models import Source

ITEMS = 50
TEASER = 400  # characters of whole sentences in an item's description


@dataclass(frozen=True, slots=True)
class Item:
    article: Article
    summary: str
    papers: Sequence[str]  # every paper that ran it, its own first


@dataclass(frozen=True, slots=True)
class Scope:
    title: str
    description: str
    items: list[Item]
    guid: str = ""  # the feed's absolute URL: an Atom id of its own, unlike the shared link


def section_names() -> dict[str, str]:
    """The site's sections by slug."""
    return {slugify(name): name for name in settings.BRIEFINGS["sections"]}


def region_names() -> dict[str, str]:
    """The site's regions by slug."""
    return {slugify(name): name for name in (*REGIONS.values(), OUTSIDE_ASIA)}


def _articles(found: QuerySet[Article]) -> list[Item]:
    rows = found.select_related("source").defer("html").order_by("-published", "-id")[:ITEMS]
    return [Item(a, teaser(a.standfirst or a.text, TEASER, skip=(a.credit,)), (a.source.name,))
            for a in rows]


def _stories() -> list[Item]:
    rows = Story.objects.exclude(best=None).select_related("best__source").defer(
        "best__html").order_by("-last_updated", "-id")[:ITEMS]
    items = []
    for story in rows:
        best = story.best
        own = best.source.name
        summary = story.summary or teaser(best.standfirst or best.text, TEASER,
                                          skip=(best.credit,))
        items.append(Item(best, summary, [own, *(p for p in story.papers if p != own)]))
    return items


def scope(kind: str, slug: str) -> Scope:
    """What one feed holds; Http404 for a slug we do not know."""
    site = settings.BRIEFINGS["site_name"]
    originals = Article.objects.filter(duplicate_of=None)
    if kind == "home":
        return Scope(site, f"The latest stories on {site}.", _stories())
    if kind == "section":
        name = named(section_names(), slug)
        return Scope(f"{name} · {site}", f"The latest {name} stories on {site}.",
                     _articles(originals.filter(section=name)))
    if kind == "region":
        name = named(region_names(), slug)
        return Scope(f"{name} · {site}", f"The latest stories from {name} on {site}.",
                     _articles(originals.filter(region=name)))
    if kind == "topic":
        entity = get_object_or_404(Entity, slug=slug)
        return Scope(f"{entity.name} · {site}", f"The latest stories naming {entity.name}.",
                     _articles(originals.filter(entity_links__entity=entity)))
    if kind == "source":
        paper = get_object_or_404(Source, slug=slug)
        return Scope(f"{paper.name} · {site}", f"The latest from {paper.name} on {site}.",
                     _articles(Article.objects.filter(source=paper)))
    raise Http404(f"no feed of kind {kind!r}")


def named(names: dict[str, str], slug: str) -> str:
    """The name a section's or region's slug stands for; Http404 for one we do not know."""
    if slug not in names:
        raise Http404(f"no section or region {slug!r}")
    return names[slug]


class RssFeed(Feed):
    """One scope's items as RSS 2.0; the scope is looked up from the URL."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, kind: str = "home", slug: str = "") -> Scope:
        return replace(scope(kind, slug), guid=request.build_absolute_uri(request.path))

    def feed_guid(self, obj: Scope) -> str:
        return obj.guid

    def title(self, obj: Scope) -> str:
        return obj.title

    def link(self, obj: Scope) -> str:
        return reverse("home")

    def description(self, obj: Scope) -> str:
        return obj.description

    def items(self, obj: Scope) -> list[Item]:
        return obj.items

    def item_title(self, item: Item) -> str:
        return item.article.title

    def item_link(self, item: Item) -> str:
        return reverse("article", args=[item.article.pk])

    def item_description(self, item: Item) -> str:
        """HTML: the teaser, then every paper that ran the story, so each is credited."""
        others = item.papers[1:]
        credit = Markup("<p>{} · {}</p>").format(item.papers[0], item.article.credit) \
            if item.article.credit else Markup("<p>{}</p>").format(item.papers[0])
        also = Markup("<p>Also in {}.</p>").format(", ".join(others)) if others else ""
        return str(Markup("<p>{}</p>").format(item.summary) + credit + also)

    def item_pubdate(self, item: Item) -> datetime:
        return item.article.when

    def item_updateddate(self, item: Item) -> datetime:
        return max(item.article.when, item.article.updated or item.article.when)

    def item_author_name(self, item: Item) -> str:
        authors = ", ".join(item.article.authors)
        return f"{authors} ({item.papers[0]})" if authors else item.papers[0]

    def item_categories(self, item: Item) -> list[str]:
        return [c for c in (item.article.section, item.article.region) if c]


class AtomFeed(RssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Scope) -> str:
        return obj.description


FORMATS: dict[str, Feed] = {"rss": RssFeed(), "atom": AtomFeed()}


def feed(request: HttpRequest, fmt: str, kind: str = "home", slug: str = "") -> HttpResponse:
    return FORMATS[fmt](request, kind=kind, slug=slug)


_FORMAT = r"(?P<fmt>rss|atom)\.xml$"
urlpatterns = [
    re_path(r"^" + _FORMAT, feed, name="feed"),
    re_path(r"^(?P<kind>section|region|topic|source)/(?P<slug>[-a-zA-Z0-9_]+)/" + _FORMAT, feed,
            name="feed"),
]
