"""The home page (top stories by breadth and recency, per region, then every story) and the
article page with its story box, topics and related stories."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify

from briefings.newsroom.models import Article, Story
from briefings.newsroom.related import copies, related
from briefings.pipeline.teaser import teaser
from briefings.site.discovery import article_meta

PER_PAGE = 200
RELATED_STORIES = 8  # other stories listed under an article, after every report of its own
TOP_STORIES = 8  # on the home page, by breadth and recency
TOP_WINDOW = timedelta(days=3)  # stories updated this recently may be top stories
TOP_POOL = 500  # the latest stories weighed for the top
PER_REGION = 4  # top stories shown under each region
TOPICS = 8  # people, organisations and places linked from an article, most named first


def _card(story: Story) -> dict[str, object]:
    best = story.best
    return {"story": story, "article": best,
            "teaser": story.summary or teaser(best.standfirst, 240, skip=(best.credit,)),
            "others": [p for p in story.papers if p != best.source.name]}


def _weight(story: Story, now: datetime) -> float:
    """Breadth over age: a story four papers ran yesterday outranks one paper's this hour."""
    hours = max(0.0, (now - story.last_updated).total_seconds() / 3600)
    return story.breadth / (1 + hours / 24)


def home(request: HttpRequest) -> HttpResponse:
    """Today's top stories by breadth and recency, the same per region, then every story, the
    latest first; each told by its best article and naming every paper that ran it."""
    stories = Story.objects.exclude(best=None).select_related("best__source").defer(
        "best__html", "best__text").order_by("-last_updated", "-id")
    page = Paginator(stories, PER_PAGE).get_page(request.GET.get("page"))
    top: list[Story] = []
    regions: dict[str, list[Story]] = {}
    if page.number == 1:
        now = timezone.now()
        recent = sorted(stories.filter(last_updated__gte=now - TOP_WINDOW)[:TOP_POOL],
                        key=lambda s: _weight(s, now), reverse=True)
        top = recent[:TOP_STORIES]
        for story in recent:
            if story.best.region and story.breadth > 1:
                regions.setdefault(story.best.region, [])
                if len(regions[story.best.region]) < PER_REGION:
                    regions[story.best.region].append(story)
    return render(request, "site/home.html", {
        "page": page,
        "top": [_card(s) for s in top],
        "regions": [(name, slugify(name), [_card(s) for s in held])
                    for name, held in sorted(regions.items())],
        "cards": [_card(s) for s in page.object_list],
        "total": page.paginator.count,
        "display_zone": settings.DISPLAY_TIME_ZONE,
    })


def article(request: HttpRequest, pk: int) -> HttpResponse:
    """One article; the papers that ran the same text; the other papers' reports of its story;
    and the stories that name the same people, organisations and places."""
    item = get_object_or_404(Article.objects.select_related("source", "story"), pk=pk)
    also = {e.source.name for e in item.entries.select_related("source").exclude(
        source=item.source)}
    also |= {copy.source.name for copy in copies(item)} - {item.source.name}
    found = related(item, RELATED_STORIES + (item.story.size if item.story else 0))
    summary = teaser(item.text, 400, skip=(item.credit,))
    return render(request, "site/article.html", {
        "item": item,
        "teaser": summary,
        "meta": article_meta(request, item, item.standfirst or summary),
        "full_text": item.source.full_text and not item.paywalled,
        "also_ran_in": sorted(also),
        "topics": list(item.entities.order_by("-article_links__count", "name")[:TOPICS]),
        "section_slug": slugify(item.section) if item.section in settings.BRIEFINGS[
            "sections"] else "",
        "region_slug": slugify(item.region) if item.region else "",
        "covered_by": [r for r in found if r.same_story],
        "related": [r for r in found if not r.same_story][:RELATED_STORIES],
        "display_zone": settings.DISPLAY_TIME_ZONE,
    })


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "site/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A page of our own for an unexpected error; it reads nothing from the store, which may be
    what failed."""
    return render(request, "site/500.html", status=500)
