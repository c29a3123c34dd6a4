"""The search page: /search/?q=&source=&section=&region=&from=&to=&sort=&page=

A plain GET form, so results are linkable and need no JavaScript. Every filter's choices come
from the store, and anything malformed in the URL (a bad date, a page past the end) is read as
absent, not as an error.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from briefings.newsroom.models import Article
from briefings.newsroom.search import SORTS, WINDOW, Query, search
from briefings.sources.models import Source


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _page(value: str) -> int:
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1


def _choices(column: str) -> list[str]:
    return sorted(v for v in Article.objects.order_by().values_list(column, flat=True).distinct()
                  if v)


def search_page(request: HttpRequest) -> HttpResponse:
    get = request.GET
    query = Query(
        text=get.get("q", "")[:200], source=get.get("source", ""), section=get.get("section", ""),
        region=get.get("region", ""), since=_day(get.get("from", "")),
        until=_day(get.get("to", "")), sort=get.get("sort", "relevance"),
        page=_page(get.get("page", "")))
    results = search(query)
    params = {"q": query.text, "source": query.source, "section": query.section,
              "region": query.region, "from": get.get("from", ""), "to": get.get("to", ""),
              "sort": query.sort if query.sort in SORTS else "relevance"}
    return render(request, "site/search.html", {
        "query": query,
        "params": params,
        "results": results,
        "window": WINDOW,
        "sources": list(Source.objects.order_by("name").values_list("slug", "name")),
        "sections": _choices("section"),
        "regions": _choices("region"),
        "display_zone": settings.DISPLAY_TIME_ZONE,
    })
