"""Syndicated copies through the whole ingest: the sample papers' ground truth, and a real server
publishing an edited copy, another paper's own report of the event, and later changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from briefings.demo.server import DemoNewspapers
from briefings.demo.truth import Truth
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.ingest import Ingest, Report
from briefings.newsroom.models import Article, ArticleBand, Entry
from briefings.newsroom.runner import format_report, summary
from briefings.pipeline.bands import BANDS
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.types import SourceSpec
from briefings.sources.catalog import sync_sources
from briefings.sources.models import Source
from tests.servers import Hit, Response, RouteServer

pytestmark = pytest.mark.django_db


def ingest(slugs: Sequence[str] = (), workers: int = 1) -> Report:
    sources = Source.objects.filter(slug__in=slugs) if slugs else Source.objects.all()
    config = FetchConfig(backoff=0.01, retries=1, read_timeout=2.0)
    with Fetcher(config) as fetcher, ExtractionPool(workers) as pool:
        return Ingest(list(sources), fetcher=fetcher, pool=pool).run()


def links(demo: DemoNewspapers, truth: Truth) -> dict[str, str]:
    """Each sample article the store treats as a copy → the article it names as the original:
    an entry folded into an identical body, or a stored article's `duplicate_of`."""
    def key(url: str) -> str:
        found = truth.key_for_url(url, demo.papers)
        assert found is not None, url
        return found

    found = {key(e.url): key(e.article.url)
             for e in Entry.objects.filter(state=Entry.DUPLICATE).select_related("article")}
    found |= {key(a.url): key(a.duplicate_of.url)
              for a in Article.objects.exclude(duplicate_of=None).select_related("duplicate_of")}
    return {copy: original for copy, original in found.items() if copy != original}


def near_copies() -> dict[int, int | None]:
    return dict(Article.objects.values_list("id", "duplicate_of_id"))


def test_every_sample_copy_points_at_its_original_and_no_other_report_is_merged(
    demo: DemoNewspapers, truth: Truth
) -> None:
    sync_sources(demo.sources())
    report = ingest(workers=2)
    assert report.total("failed") == 0
    # recall and precision 1.0: exactly the ground truth's copies, each at its own original
    assert links(demo, truth) == dict(truth.copies)
    linked = Article.objects.exclude(duplicate_of=None)
    assert report.total("copies") == linked.count() > 0
    assert summary(report)["copies"] == linked.count()
    assert format_report(report).splitlines()[0].split()[5] == "copy"
    assert not Article.objects.filter(duplicate_of__in=linked).exists()  # a star per story
    keyed = Article.objects.filter(shingles__gte=20)
    assert ArticleBand.objects.count() == BANDS * keyed.count()
    assert all(len(a.minhash) == 512 for a in Article.objects.all())

    before, bands = near_copies(), ArticleBand.objects.count()
    again = ingest()
    assert (again.total("new"), again.total("updated"), again.total("copies")) == (0, 0, 0)
    assert near_copies() == before and ArticleBand.objects.count() == bands


@pytest.mark.parametrize("first", ["copies", "originals"])
def test_sample_copies_are_found_whichever_paper_arrives_first(
    demo: DemoNewspapers, truth: Truth, first: str
) -> None:
    sync_sources(demo.sources())
    copying = {key.split("/")[0] for key in truth.copies}
    copied = {key.split("/")[0] for key in truth.copies.values()}
    assert not copying & copied
    ingest(sorted(copying if first == "copies" else copied))
    rest = ingest(sorted(set(Source.objects.values_list("slug", flat=True)) - (
        copying if first == "copies" else copied)))
    assert links(demo, truth) == dict(truth.copies)
    # the report counts a found copy under the paper that published it, if that paper was in
    # the run (the originals' papers have none)
    for slug, tally in rest.sources.items():
        assert tally.copies == Article.objects.filter(source__slug=slug).exclude(
            duplicate_of=None).count(), slug


ORIGINAL = [
    "The provincial government announced a new plan for the river on Monday, with funds for "
    "dredging and new embankments along forty kilometres of the lower course.",
    "Farmers in the delta said the plan came too late for this season's crop, which was lost "
    "to floods in the spring, but welcomed the promise of compensation for every household.",
    "Engineers will begin surveys next month and expect the work to take three years, the "
    "water minister told reporters after a cabinet meeting in the capital.",
    "The opposition called the budget too small and said the embankments built a decade ago "
    "had already failed twice, leaving whole villages under water for weeks.",
]
EDITED = [
    ORIGINAL[0].replace("on Monday", "on Monday morning"),
    ORIGINAL[1],
    ORIGINAL[2].replace("three years", "about three years"),
    ORIGINAL[3],
    "Downstream, the port authority said it would dredge its own channel at the same time.",
    "By The River Times",
]
OWN_REPORT = [
    "Hundreds of rice growers gathered outside the provincial hall on Tuesday to hear how "
    "the promised river works would change their fields before the next monsoon arrives.",
    "Several said they had heard such promises before; one woman who lost her whole harvest "
    "in spring asked why the money would reach contractors before it reached families.",
    "An official from the water ministry told the crowd that surveyors would visit every "
    "village and that compensation forms would be handed out at the district offices.",
    "Our reporter counted at least forty tractors parked along the road to the town centre.",
]


def page(title: str, paragraphs: Sequence[str], published: datetime) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title><meta property='article:published_time' "
            f"content='{published.isoformat()}'></head><body><article><h1>{title}</h1>{body}"
            f"</article></body></html>").encode()


def test_an_edited_copy_points_at_its_original_and_another_report_does_not(
    server: RouteServer,
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    # the copy claims an earlier time than its original: the credit line outweighs the clock
    stories = {
        "/wire/plan": ("River plan unveiled", ORIGINAL, now - timedelta(hours=2)),
        "/partner/plan": ("Delta to get new embankments", EDITED, now - timedelta(hours=3)),
        "/other/plan": ("Growers wary of river works", OWN_REPORT, now - timedelta(hours=1)),
    }
    stamps = {path: when for path, (_, _, when) in stories.items()}

    def feed(slug: str):
        def answer(hit: Hit) -> Response:
            path = f"/{slug}/plan"
            item = (f"<item><title>{stories[path][0]}</title><link>{server.url(path)}</link>"
                    f"<pubDate>{format_datetime(stamps[path])}</pubDate></item>")
            return Response(200, (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                  f"<title>{slug}</title><link>{server.base}/</link>{item}"
                                  f"</channel></rss>").encode(),
                            {"Content-Type": "application/rss+xml"})
        return answer

    def story(path: str):
        def answer(hit: Hit) -> Response:
            title, paragraphs, when = stories[path]
            return Response(200, page(title, paragraphs, when), {"Content-Type": "text/html"})
        return answer

    for path in stories:
        slug = path.split("/")[1]
        server.routes[f"/{slug}.xml"] = feed(slug)
        server.routes[path] = story(path)
    names = {"wire": "The River Times", "partner": "Delta Herald", "other": "Valley Star"}
    sync_sources([SourceSpec(slug=slug, name=name, homepage=server.url("/"),
                             feeds=(server.url(f"/{slug}.xml"),), allow_private=True, delay=0.0)
                  for slug, name in names.items()])

    report = ingest(["partner", "other"])  # the copy arrives before its original
    assert report.total("new") == 2 and report.total("copies") == 0
    report = ingest(["wire"])
    rows = {a.source.slug: a for a in Article.objects.select_related("source")}
    assert rows["partner"].credit == "By The River Times"
    assert rows["partner"].duplicate_of == rows["wire"]
    assert rows["wire"].duplicate_of is None and rows["other"].duplicate_of is None
    assert report.total("copies") == 0  # the copy's paper was not in this run

    # The other paper replaces its own report with the wire story: its sketch and band keys
    # are renewed and it joins the group; the wire story stays the original.
    stories["/other/plan"] = ("River works: the plan", EDITED[:4], now - timedelta(hours=1))
    stamps["/other/plan"] = now
    report = ingest(["other"])
    assert report.total("updated") == 1 and report.sources["other"].copies == 1
    rows = {a.source.slug: a for a in Article.objects.all().select_related("source")}
    assert rows["other"].duplicate_of == rows["wire"]
    assert rows["partner"].duplicate_of == rows["wire"] and rows["wire"].duplicate_of is None
    assert ArticleBand.objects.filter(article=rows["other"]).count() == BANDS

    # The wire rewrites its story into something else: its copies no longer point at it, and
    # they stay one group of their own around the uncredited one.
    stories["/wire/plan"] = ("Growers gather", OWN_REPORT[::-1], now - timedelta(hours=2))
    stamps["/wire/plan"] = now
    report = ingest(["wire"])
    assert report.total("updated") == 1
    rows = {a.source.slug: a for a in Article.objects.all().select_related("source")}
    assert rows["wire"].duplicate_of is None
    assert rows["partner"].duplicate_of == rows["other"] and rows["other"].duplicate_of is None
