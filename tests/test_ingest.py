"""The ingest job end to end: real sample newspapers and real failing servers on 127.0.0.1."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.ingest import Ingest, Report
from briefings.newsroom.models import Article, Entry
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.types import SourceSpec
from briefings.sources.catalog import sync_sources
from briefings.sources.models import Feed, FetchLog, Source
from tests.servers import Hit, Response, RouteServer

pytestmark = pytest.mark.django_db


def ingest(workers: int = 1, **kwargs: object) -> Report:
    config = FetchConfig(backoff=0.01, retries=1, read_timeout=2.0)
    with Fetcher(config) as fetcher, ExtractionPool(workers) as pool:
        return Ingest(list(Source.objects.all()), fetcher=fetcher, pool=pool, **kwargs).run()


def test_demo_papers_are_ingested_whole_and_a_second_run_changes_nothing(
    demo: DemoNewspapers, truth: Truth
) -> None:
    sync_sources(demo.sources())
    report = ingest(workers=2)
    assert report.total("failed") == 0, [(s, t.error) for s, t in report.sources.items()]
    assert not [t.error for t in report.sources.values() if t.error]
    stored = {truth.key_for_url(a.url, demo.papers): a for a in Article.objects.all()}
    expected = {a.key for a in truth.content.articles}
    duplicates = {truth.key_for_url(e.url, demo.papers): truth.key_for_url(e.article.url,
                                                                           demo.papers)
                  for e in Entry.objects.filter(state=Entry.DUPLICATE).select_related("article")}
    # Every sample article is stored, or folded into the identical copy or original we hold.
    assert set(stored) | set(duplicates) == expected
    for key, held in duplicates.items():
        assert truth.original_of(key) == truth.original_of(held), (key, held)
    assert report.total("new") == len(stored)
    for key, row in stored.items():
        article = truth.article(key)
        assert row.title == article.title, key
        assert row.source.slug == key.split("/")[0]
        assert row.published is not None, key
        assert abs(row.published - article.published_at(demo.now)) < timedelta(minutes=1), key
    donghai = [a for a in stored.values() if a.source.slug == "donghai-daily"]
    assert donghai and all(a.language.startswith("zh") for a in donghai)

    again = ingest()
    assert (again.total("new"), again.total("updated"), again.total("failed")) == (0, 0, 0)
    # Every feed answered 304 the second time (the sample papers honour conditional GET).
    feeds = Feed.objects.filter(enabled=True).count()
    assert again.total("feeds_not_modified") == feeds
    assert Article.objects.count() == len(stored)


def feed_xml(server: RouteServer, items: list[tuple[str, str, datetime]]) -> bytes:
    rows = "".join(
        f"<item><title>{title}</title><link>{server.url(path)}</link>"
        f"<pubDate>{format_datetime(when)}</pubDate></item>"
        for path, title, when in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"<link>{server.base}/</link>{rows}</channel></rss>").encode()


def page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (f"<html><head><title>{title}</title>"
            f'<meta property="article:published_time" content="2026-03-10T09:00:00+08:00">'
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


LONG = ("The provincial government announced a new plan for the river on Monday, with funds "
        "for dredging and new embankments along forty kilometres of the lower course.\n"
        "Farmers in the delta said the plan came too late for this season's crop, which was "
        "lost to floods in the spring, but welcomed the promise of compensation.\n"
        "Engineers will begin surveys next month and expect the work to take three years.")


def source_for(server: RouteServer, slug: str, feed: str) -> SourceSpec:
    return SourceSpec(slug=slug, name=slug.title(), homepage=server.url("/"),
                      feeds=(server.url(feed),), allow_private=True, delay=0.0,
                      timezone="Asia/Singapore")


def test_failures_are_recorded_where_they_belong_and_the_rest_goes_on(
    server: RouteServer,
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.routes.update({
        "/good.xml": Response(200, feed_xml(server, [
            ("/ok", "Fine story", now), ("/boom", "Broken story", now),
            ("/gone", "Missing story", now), ("/empty", "Empty story", now),
        ]), {"Content-Type": "application/rss+xml"}),
        "/ok": Response(200, page("Fine story", LONG), html),
        "/boom": Response(500, b"oops", {"Content-Type": "text/plain"}),
        "/gone": Response(404, b"no", {"Content-Type": "text/plain"}),
        "/empty": Response(200, b"<html><body><nav>menu</nav></body></html>", html),
        "/bad.xml": Response(200, b"<rss><channel><item><title>trunc", html),
        "/down.xml": Response(503, b"", {"Retry-After": "0"}),
    })
    sync_sources([source_for(server, "good", "/good.xml"), source_for(server, "bad", "/bad.xml"),
                  source_for(server, "down", "/down.xml")])
    report = ingest()
    good, bad, down = report.sources["good"], report.sources["bad"], report.sources["down"]
    assert (good.new, good.failed, good.error) == (1, 3, "")
    assert bad.error and bad.feeds_failed == 1
    assert down.error and down.feeds_failed == 1
    assert Article.objects.get().title == "Fine story"
    reasons = dict(Entry.objects.exclude(state=Entry.STORED).values_list("url", "error_reason"))
    assert reasons == {server.url("/boom"): "http-status", server.url("/gone"): "http-status",
                       server.url("/empty"): "extract"}
    assert Source.objects.get(slug="bad").health == "failing"
    assert Source.objects.get(slug="bad").last_error_reason == "feed"
    assert Source.objects.get(slug="down").last_error_reason == "http-status"
    assert Source.objects.get(slug="good").health == "ok"
    assert FetchLog.objects.filter(reason="http-status", kind=FetchLog.PAGE).count() == 2

    # Failed pages are retried on later ingests, then given up; stored ones are left alone.
    ingest(entry_retries=2)
    ingest(entry_retries=2)
    assert set(Entry.objects.values_list("state", flat=True)) == {Entry.STORED, Entry.GIVEN_UP}
    assert server.requests_to("/ok").__len__() == 1


def test_a_changed_article_updates_its_row(server: RouteServer) -> None:
    first = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    state = {"when": first, "body": LONG}

    def feed(hit: Hit) -> Response:
        return Response(200, feed_xml(server, [("/story", "River plan", state["when"])]),
                        {"Content-Type": "application/rss+xml"})

    def story(hit: Hit) -> Response:
        return Response(200, page("River plan", str(state["body"])), {"Content-Type": "text/html"})

    server.routes.update({"/feed.xml": feed, "/story": story})
    sync_sources([source_for(server, "river", "/feed.xml")])
    assert ingest().total("new") == 1
    assert ingest().total("unchanged") == 1  # same entry date: the page is not even fetched
    assert len(server.requests_to("/story")) == 1
    state["when"] = first + timedelta(hours=1)
    state["body"] = LONG + "\nA spokesman later said the budget would be published in full."
    report = ingest()
    assert report.total("updated") == 1
    row = Article.objects.get()
    assert row.versions == 2 and "budget would be published" in row.text
    assert row.updated is not None and row.changed_at is not None
    assert row.published == datetime(2026, 3, 10, 1, 0, tzinfo=UTC)


def test_exact_duplicates_are_stored_once(server: RouteServer) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    html = {"Content-Type": "text/html"}
    server.routes.update({
        "/a.xml": Response(200, feed_xml(server, [
            ("/story?utm_source=rss&utm_medium=feed", "River plan", now),
            ("/story#comments", "River plan", now),
        ]), {"Content-Type": "application/rss+xml"}),
        "/b.xml": Response(200, feed_xml(server, [("/copy", "River plan", now)]),
                           {"Content-Type": "application/rss+xml"}),
        "/story": Response(200, page("River plan", LONG), html),
        "/copy": Response(200, gzip.compress(page("River plan", LONG)),
                          {**html, "Content-Encoding": "gzip"}),
    })
    sync_sources([source_for(server, "a", "/a.xml"), source_for(server, "b", "/b.xml")])
    report = ingest()
    assert Article.objects.count() == 1
    assert report.total("new") == 1 and report.total("duplicate") == 1
    states = sorted(Entry.objects.values_list("state", flat=True))
    assert states == [Entry.DUPLICATE, Entry.STORED]  # whichever arrived second is the duplicate
    assert {e.article for e in Entry.objects.all()} == {Article.objects.get()}
    assert Entry.objects.filter(source__slug="a").count() == 1  # tracking and fragment removed
