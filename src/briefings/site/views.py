"""The first public pages: the home list of articles and a plain article page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from briefings.newsroom.models import Article
from briefings.pipeline.teaser import teaser

PER_PAGE = 200


def _card(article: Article) -> dict[str, object]:
    return {
        "article": article,
        "teaser": teaser(article.standfirst or article.text, 240, skip=(article.credit,)),
    }


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("source").defer("html").order_by(
        "-published", "-id")
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "site/home.html", {
        "page": page,
        "cards": [_card(a) for a in page.object_list],
        "total": page.paginator.count,
        "display_zone": settings.DISPLAY_TIME_ZONE,
    })


def article(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    also = [e.source for e in item.entries.select_related("source").exclude(source=item.source)]
    return render(request, "site/article.html", {
        "item": item,
        "teaser": teaser(item.text, 400, skip=(item.credit,)),
        "full_text": item.source.full_text and not item.paywalled,
        "also_ran_in": sorted({s.name for s in also}),
        "display_zone": settings.DISPLAY_TIME_ZONE,
    })


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "site/404.html", status=404)
