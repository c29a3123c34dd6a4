"""The pages beyond home and article: a story's full coverage, and the lists of a section, a
region, a topic (a person, organisation or place) and a paper.

A list shows original reports only (a syndicated copy is credited on its original's page), newest
first, paginated, each as headline, standfirst or teaser and "By <paper> · <date>". The slugs are
the feeds' (site/feeds.py), so a page and its feed always name the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from briefings.newsroom.models import Article, Entity, Story
from briefings.pipeline.teaser import teaser
from briefings.site.feeds import named, region_names, section_names
from briefings.sources.models import Source

PER_PAGE = 30


@dataclass(frozen=True, slots=True)
class Listing:
    """What a list page shows above its articles, and the feed that follows it."""

    kind: str  # "section", "region", "topic" or "source": the feed's kind too
    slug: str
    title: str
    description: str


def _page(request: HttpRequest, found: QuerySet[Article]) -> Page:
    rows = found.select_related("source").defer("html").order_by("-published", "-id")
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _render_list(request: HttpRequest, listing: Listing, found: QuerySet[Article],
                 **extra: object) -> HttpResponse:
    page = _page(request, found)
    return render(request, "site/listing.html", {
        "listing": listing,
        "page": page,
        "cards": [{"article": a, "teaser": teaser(a.standfirst or a.text, 240, skip=(a.credit,))}
                  for a in page.object_list],
        "display_zone": settings.DISPLAY_TIME_ZONE,
        **extra,
    })


def section(request: HttpRequest, slug: str) -> HttpResponse:
    name = named(section_names(), slug)
    return _render_list(request, Listing("section", slug, name,
                                         f"The latest {name} stories from our partner papers."),
                        Article.objects.filter(duplicate_of=None, section=name))


def region(request: HttpRequest, slug: str) -> HttpResponse:
    name = named(region_names(), slug)
    return _render_list(request, Listing("region", slug, name,
                                         f"The latest stories from {name}."),
                        Article.objects.filter(duplicate_of=None, region=name))


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    entity = get_object_or_404(Entity, slug=slug)
    return _render_list(request, Listing("topic", slug, entity.name,
                                         f"Stories naming this {entity.kind}."),
                        Article.objects.filter(duplicate_of=None, entity_links__entity=entity),
                        entity=entity)


def source(request: HttpRequest, slug: str) -> HttpResponse:
    paper = get_object_or_404(Source, slug=slug)
    return _render_list(request, Listing("source", slug, paper.name,
                                         f"What {paper.name} published, newest first."),
                        Article.objects.filter(source=paper), paper=paper)


def story(request: HttpRequest, pk: int) -> HttpResponse:
    """Full coverage: every paper's version, the first report, and the timeline of updates."""
    held = get_object_or_404(Story.objects.select_related("best__source"), pk=pk)
    members = list(held.articles.select_related("source", "duplicate_of__source").defer("html")
                   .order_by("published", "id"))
    if not members:
        raise Http404("this story has no articles")
    timeline = sorted(
        [(a.when, "published", a) for a in members]
        + [(a.updated, "updated", a) for a in members
           if a.updated and a.published and a.updated > a.published],
        key=lambda event: (event[0], event[2].pk))
    return render(request, "site/story.html", {
        "story": held,
        "best": held.best or members[0],
        "first": min(members, key=lambda a: (a.when, a.pk)),
        "versions": [{"article": a, "teaser": teaser(a.standfirst or a.text, 300,
                                                     skip=(a.credit,))} for a in members],
        "timeline": timeline,
        "display_zone": settings.DISPLAY_TIME_ZONE,
    })
