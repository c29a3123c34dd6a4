"""The ingest job: poll every source's feeds, fetch new pages, extract them, store the articles.

Threads and processes, and who touches what:

    one thread per source ──poll──► main thread decides which entries to fetch (reads the store)
            ▲                                  │
            └────────── fetch jobs ◄───────────┘
    the source thread fetches each page (the fetcher keeps one request at a time per host) and
    hands it to the extraction pool (one process per core); every result comes back to the main
    thread, the only one that writes to the store.

Each article the main thread stores is placed among its near-copies (newsroom/copies.py) from
the sketch the pool computed with the extraction, its tags (entities, countries, region) are
stored beside it (newsroom/tagging.py), and it is placed in its story (newsroom/stories.py) from
the profile computed in the pool too.

The main thread also learns each site's furniture from its new articles (newsroom/sitelearning.py)
and publishes it for the source threads to put in the hints of the next pages. A young site's
pages are held back until its source is done, and those extracted before the furniture that
touches them was learned are extracted again, so even a new site's first pages are stored clean.

A failure is recorded on the row it belongs to (source, feed or entry) and the job goes on.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from briefings.errors import BriefingsError, FeedError
from briefings.newsroom.backfill import backfill
from briefings.newsroom.copies import link_copies
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.models import Entry
from briefings.newsroom.rows import insert_all, insert_many, update_many
from briefings.newsroom.sitelearning import HOLD, NOTHING, SiteLearning
from briefings.newsroom.store import ArticleIndex, StoreOutcome, save_entries, store_article
from briefings.newsroom.stories import StoryDesk
from briefings.newsroom.tagging import TagWriter
from briefings.pipeline.fetch import Fetcher
from briefings.pipeline.sections import DEFAULT_SECTIONS
from briefings.pipeline.sitefurniture import site_host
from briefings.pipeline.types import Article, ExtractHints, FeedEntry, Page, Poll, SourceSpec
from briefings.pipeline.urls import canonical_url
from briefings.sources.discovery import discover_with
from briefings.sources.models import Feed, FetchLog, Source

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_CHILD_SITEMAPS = 5
FEED_POLL_FIELDS = ("etag", "last_modified", "last_polled_at", "last_status", "last_entries",
                    "not_modified_count", "last_error", "last_error_reason",
                    "consecutive_failures", "title")


@dataclass
class Tally:
    """What one ingest did to one source."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    copies: int = 0  # articles found to be a near-copy of another (syndicated, edited)
    failed: int = 0
    feeds: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    extracted_again: int = 0  # pages extracted again with their site's newer furniture
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Report:
    sources: dict[str, Tally] = field(default_factory=dict)
    seconds: float = 0.0
    stories: int = 0  # stories this run started

    def total(self, name: str) -> int:
        return sum(getattr(t, name) for t in self.sources.values())


@dataclass(frozen=True, slots=True)
class FeedState:
    feed_id: int
    url: str
    etag: str
    last_modified: str


@dataclass(frozen=True, slots=True)
class Job:
    """A page to fetch for an entry; etag/last_modified make a refetch conditional."""

    entry_id: int
    url: str
    entry: FeedEntry
    etag: str = ""
    last_modified: str = ""
    known: bool = False  # the entry has a stored article: a refetch teaches its site nothing


# Messages from source threads to the main thread.
@dataclass(frozen=True, slots=True)
class Polled:
    slug: str
    feed: FeedState
    poll: Poll | None
    page: Page | None
    error: BriefingsError | None


@dataclass(frozen=True, slots=True)
class Discovered:
    slug: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    error: BriefingsError | None


@dataclass(frozen=True, slots=True)
class Fetched:
    slug: str
    job: Job
    page: Page | None
    article: Article | None
    error: BriefingsError | None
    again: bool = False  # extracted again with the site's newer furniture


@dataclass(frozen=True, slots=True)
class SourceDone:
    """The source thread has finished; `abandoned` jobs will send no `Fetched` (it crashed)."""

    slug: str
    abandoned: int = 0
    crash: str = ""


class SourceWorker:
    """Runs in its own thread: discovery, polling and page fetches for one source."""

    def __init__(self, spec: SourceSpec, feeds: Sequence[FeedState], fetcher: Fetcher,
                 pool: ExtractionPool, outbox: queue.Queue[Any],
                 furniture: Mapping[str, frozenset[int]],
                 taxonomy: tuple[str, ...] = DEFAULT_SECTIONS) -> None:
        self.spec = spec
        self.taxonomy = taxonomy
        self.feeds = list(feeds)
        self.fetcher = fetcher
        self.pool = pool
        self.outbox = outbox
        self.furniture = furniture  # per host, as the main thread last published it
        self.inbox: queue.Queue[list[Any] | None] = queue.Queue()  # jobs, or discovered feeds

    def fetch(self, url: str, **kwargs: Any) -> Page:
        return self.fetcher.fetch(
            url, delay=self.spec.delay, allow_private=self.spec.allow_private, **kwargs
        )

    def run(self) -> None:
        received = handled = 0
        crash = ""
        try:
            if not self.feeds:
                self.discover()
            for feed in self.feeds:
                self.poll(feed, depth=0)
                jobs = self.inbox.get() or []
                received += len(jobs)
                for job in jobs:
                    self.fetch_page(job)
                    handled += 1
        except Exception as exc:
            log.exception("%s: source thread crashed", self.spec.slug)
            crash = f"{type(exc).__name__}: {exc}"
        finally:
            self.outbox.put(SourceDone(self.spec.slug, received - handled, crash))

    def discover(self) -> None:
        """A source configured without feeds: find them, then poll what was found."""
        try:
            found = discover_with(self.fetcher, self.spec.homepage, delay=self.spec.delay,
                                  allow_private=self.spec.allow_private)
            message = Discovered(self.spec.slug, tuple(u for u, _ in found.feeds),
                                 tuple(u for u, _ in found.sitemaps), None)
        except BriefingsError as exc:
            message = Discovered(self.spec.slug, (), (), exc)
        self.outbox.put(message)
        for feed in self.inbox.get() or ():
            assert isinstance(feed, FeedState)
            self.feeds.append(feed)

    def poll(self, feed: FeedState, depth: int) -> None:
        page = None
        try:
            page = self.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified,
                              accept=FEED_ACCEPT)
            poll = (Poll(feed.url, not_modified=True, etag=page.etag,
                         last_modified=page.last_modified)
                    if page.not_modified else
                    self.pool.parse_feed(page.content, url=page.final_url,
                                         content_type=page.content_type,
                                         timezone=self.spec.timezone, etag=page.etag,
                                         last_modified=page.last_modified))
        except BriefingsError as exc:
            self.outbox.put(Polled(self.spec.slug, feed, None, page, exc))
            return
        self.outbox.put(Polled(self.spec.slug, feed, poll, page, None))
        if depth == 0:
            for child in poll.children[:MAX_CHILD_SITEMAPS]:
                self.feeds.append(FeedState(feed.feed_id, child, "", ""))

    def fetch_page(self, job: Job) -> None:
        try:
            page = self.fetch(job.url, etag=job.etag, last_modified=job.last_modified)
        except BriefingsError as exc:
            self.outbox.put(Fetched(self.spec.slug, job, None, None, exc))
            return
        if page.not_modified:
            self.outbox.put(Fetched(self.spec.slug, job, page, None, None))
            return
        self.extract(job, page)

    def extract(self, job: Job, page: Page, again: bool = False) -> None:
        """Send the page to the extraction pool with the furniture its site has taught so far;
        the result comes back to the main thread as a `Fetched`."""
        hints = ExtractHints(
            timezone=self.spec.timezone, language=self.spec.language, sections=self.spec.sections,
            taxonomy=self.taxonomy, full_text=self.spec.full_text, site_name=self.spec.name,
            entry=job.entry,
            furniture=self.furniture.get(site_host(page.final_url or job.url), NOTHING),
        )
        slug = self.spec.slug

        def done(article: Article | None, error: BriefingsError | None) -> None:
            self.outbox.put(Fetched(slug, job, page, article, error, again))

        # The extractor reads the decoded text; the raw bytes need not cross to its process.
        self.pool.submit(replace(page, content=b""), hints, done)


class Ingest:
    """One run of the ingest job over some sources; `run()` returns the report."""

    def __init__(self, sources: Iterable[Source], *, fetcher: Fetcher, pool: ExtractionPool,
                 threads: int = 32, max_entries: int = 200, entry_retries: int = 3,
                 max_age: timedelta | None = timedelta(days=7),
                 taxonomy: tuple[str, ...] = DEFAULT_SECTIONS,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.sources = {s.slug: s for s in sources if s.enabled}
        self.slugs = {s.id: slug for slug, s in self.sources.items()}
        prefetch_related_objects(list(self.sources.values()), "feeds")
        self.feed_rows: dict[int, Feed] = {}
        self.fetcher = fetcher
        self.pool = pool
        self.threads = max(1, threads)
        self.max_entries = max_entries
        self.max_age = max_age
        self.entry_retries = entry_retries
        self.taxonomy = taxonomy
        self.progress = progress or (lambda done, total: None)
        self.report = Report({slug: Tally() for slug in self.sources})
        self.outbox: queue.Queue[Any] = queue.Queue()
        self.workers: dict[str, SourceWorker] = {}
        self.feed_ok: dict[str, bool] = {}
        self.jobs_total = 0
        self.jobs_done = 0
        self.entries: dict[int, Entry] = {}  # the rows of the entries being fetched
        self.logs: list[FetchLog] = []  # written in bulk with each batch
        self.dirty: dict[int, Entry] = {}  # entries changed in this batch, saved in bulk
        self.ready: list[Fetched] = []  # extracted pages to store at the end of this batch
        hosts = {site_host(u) for s in self.sources.values()
                 for u in [s.homepage, *(f.url for f in s.feeds.all())]}
        self.learning = SiteLearning(hosts)
        self.open: dict[str, int] = {}  # per source: pages sent for extraction, not yet back
        self.done: set[str] = set()  # sources whose thread has finished
        self.held: dict[str, list[Fetched]] = {}  # per source: pages of young sites held back
        self.first: dict[int, Fetched] = {}  # per entry: its first extraction, while redone
        self.tags = TagWriter()  # the batch's tags, written together at its end
        self.stories = StoryDesk()
        self.backfilled = backfill(self.stories)  # articles stored by an older Briefings

    def run(self) -> Report:
        # The main thread's store calls release the interpreter lock inside SQLite; a short
        # switch interval lets it take the lock back promptly from the busy fetch threads.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(0.001)
        try:
            return self._run()
        finally:
            sys.setswitchinterval(interval)

    def _run(self) -> Report:
        started = timezone.now()
        pending = list(self.sources.values())
        running = 0
        while pending or running or self.jobs_done < self.jobs_total:
            while pending and running < self.threads:
                self.start(pending.pop(0))
                running += 1
            with transaction.atomic():  # one commit per batch of messages, not per row
                messages = self.batch()
                for message in messages:
                    if isinstance(message, SourceDone):
                        running -= 1
                        self.jobs_total -= message.abandoned
                        self.open[message.slug] = self.open.get(message.slug, 0) - message.abandoned
                        self.done.add(message.slug)
                        if message.crash:
                            self.report.sources[message.slug].error = f"crashed: {message.crash}"
                        self.finish_source(message.slug)
                        self.release(message.slug)
                    else:
                        self.handle(message)
                index = ArticleIndex(m.article for m in self.ready if m.article)
                for message in self.ready:
                    self.store(message, index)
                self.ready.clear()
                insert_many(self.logs)
                self.logs.clear()
                save_entries(self.dirty.values())
                self.dirty.clear()
                self.tags.flush()
                self.stories.flush()
        with transaction.atomic():
            self.learning.save()
            self.stories.close()
        self.report.stories = self.stories.started
        self.report.seconds = (timezone.now() - started).total_seconds()
        return self.report

    def start(self, source: Source) -> None:
        rows = sorted((f for f in source.feeds.all() if f.enabled), key=lambda f: f.id)
        self.feed_rows.update((f.id, f) for f in rows)
        feeds = [FeedState(f.id, f.url, f.etag, f.last_modified) for f in rows]
        worker = SourceWorker(source.spec(), feeds, self.fetcher, self.pool, self.outbox,
                              self.learning.furniture, self.taxonomy)
        self.workers[source.slug] = worker
        self.feed_ok[source.slug] = False
        self.report.sources[source.slug].feeds = len(feeds)
        threading.Thread(target=worker.run, name=f"ingest-{source.slug}", daemon=True).start()

    def batch(self, most: int = 64) -> list[Any]:
        """The next message (waiting for it), and whatever else has already arrived."""
        messages = [self.outbox.get()]
        while len(messages) < most:
            try:
                messages.append(self.outbox.get_nowait())
            except queue.Empty:
                break
        return messages

    def handle(self, message: Any) -> None:
        if isinstance(message, Polled):
            jobs = self.on_polled(message)
            self.jobs_total += len(jobs)
            self.open[message.slug] = self.open.get(message.slug, 0) + len(jobs)
            self.progress(self.jobs_done, self.jobs_total)
            self.workers[message.slug].inbox.put(jobs)
        elif isinstance(message, Discovered):
            self.workers[message.slug].inbox.put(self.on_discovered(message))
        elif isinstance(message, Fetched):
            self.open[message.slug] -= 1
            self.on_fetched(message)
            self.jobs_done += 1
            self.progress(self.jobs_done, self.jobs_total)
            self.release(message.slug)

    def log_fetch(self, source: Source, url: str, kind: str, page: Page | None,
                  error: BriefingsError | None) -> None:
        status = page.status if page else getattr(error, "status", None)
        self.logs.append(FetchLog(
            source=source, url=url[:1000], kind=kind, status=status or None,
            reason=error.reason if error else "", message=str(error) if error else "",
            bytes=len(page.content) if page else 0, elapsed=page.elapsed if page else 0.0,
            fetched_at=(page.fetched_at if page and page.fetched_at else timezone.now()),
        ))

    def on_discovered(self, message: Discovered) -> list[FeedState]:
        source = self.sources[message.slug]
        if not (message.feeds or message.sitemaps):
            self.report.sources[source.slug].error = (
                f"discovery: {message.error}" if message.error else "discovery found no feed")
        states = []
        for url, kind in [*((u, Feed.FEED) for u in message.feeds),
                          *((u, Feed.SITEMAP) for u in message.sitemaps)]:
            feed, _ = Feed.objects.get_or_create(
                source=source, url=url[:1000], defaults={"kind": kind, "discovered": True}
            )
            self.feed_rows[feed.id] = feed
            states.append(FeedState(feed.id, feed.url, feed.etag, feed.last_modified))
        self.report.sources[source.slug].feeds = len(states)
        return states

    def on_polled(self, message: Polled) -> list[Job]:
        source = self.sources[message.slug]
        tally = self.report.sources[source.slug]
        self.log_fetch(source, message.feed.url, FetchLog.FEED, message.page, message.error)
        feed = self.feed_rows[message.feed.feed_id]
        is_child = feed.url != message.feed.url
        now = timezone.now()
        if message.error or message.poll is None:
            error = message.error or FeedError("no result")
            if not is_child:
                feed.last_error, feed.last_error_reason = str(error), error.reason
                feed.consecutive_failures += 1
                feed.last_polled_at = now
                feed.last_status = getattr(message.page, "status", None)
                update_many([feed], FEED_POLL_FIELDS)
            tally.feeds_failed += 1
            return []
        self.feed_ok[source.slug] = True
        poll = message.poll
        if not is_child:
            feed.last_polled_at, feed.last_error, feed.last_error_reason = now, "", ""
            feed.consecutive_failures = 0
            feed.last_status = message.page.status if message.page else None
            if poll.not_modified:
                feed.not_modified_count += 1
            else:
                feed.etag, feed.last_modified = poll.etag, poll.last_modified
                feed.last_entries = len(poll.entries)
                feed.title = feed.title or poll.title[:300]
            update_many([feed], FEED_POLL_FIELDS)
        if poll.not_modified:
            tally.feeds_not_modified += 1
            return []
        return self.plan(source, feed, poll.entries)

    def plan(self, source: Source, feed: Feed, entries: Sequence[FeedEntry]) -> list[Job]:
        """Which entries need a fetch: new ones, updated ones, and failures not yet given up."""
        tally = self.report.sources[source.slug]
        oldest = timezone.now() - self.max_age if self.max_age else None
        dated = [e for e in entries
                 if oldest is None or (e.published or e.updated or oldest) >= oldest]
        newest = sorted(dated, key=lambda e: e.published or e.updated or datetime.min.replace(
            tzinfo=UTC), reverse=True)[: self.max_entries]
        by_url = {canonical_url(e.url): e for e in newest}
        known = {e.url: e for e in Entry.objects.filter(source=source, url__in=list(by_url))
                 .select_related("article")}
        fresh = [(Entry(source=source, feed=feed, url=url, title=item.title[:500],
                        published=item.published, entry_updated=item.updated or item.published),
                  item) for url, item in by_url.items() if url not in known]
        insert_all([row for row, _ in fresh])  # one statement for the poll's new entries
        jobs = []
        for row, item in fresh:
            self.entries[row.id] = row
            jobs.append(Job(row.id, item.url, item))
        for url, item in by_url.items():
            row = known.get(url)
            if row is None:
                continue
            stamp = item.updated or item.published
            if row.state in (Entry.STORED, Entry.DUPLICATE):
                if stamp and row.entry_updated and stamp > row.entry_updated and row.article:
                    self.entries[row.id] = row
                    jobs.append(Job(row.id, item.url, item, row.article.etag,
                                    row.article.last_modified, known=True))
                else:
                    tally.unchanged += 1
            elif row.state == Entry.GIVEN_UP:
                tally.failed += 1
            else:
                self.entries[row.id] = row
                jobs.append(Job(row.id, item.url, item, known=row.article_id is not None))
        return jobs

    def on_fetched(self, message: Fetched) -> None:
        if message.again:
            first = self.first.pop(message.job.entry_id)
            if message.article is None:  # nothing left with the furniture lifted: keep the first
                self.ready.append(first)
            else:
                self.settle(message)
            return
        source = self.sources[message.slug]
        tally = self.report.sources[source.slug]
        self.log_fetch(source, message.job.url, FetchLog.PAGE, message.page,
                       message.error if message.page is None else None)
        entry = self.entries[message.job.entry_id]
        entry.attempts += 1
        entry.last_attempt_at = timezone.now()
        if message.article is None:
            self.entries.pop(message.job.entry_id)
        stamp = message.job.entry.updated or message.job.entry.published
        if message.error is not None:
            entry.error, entry.error_reason = str(message.error), message.error.reason
            retry = entry.attempts < self.entry_retries and entry.state != Entry.STORED
            if entry.state not in (Entry.STORED, Entry.DUPLICATE):
                entry.state = Entry.FAILED if retry else Entry.GIVEN_UP
            self.dirty[entry.id] = entry
            tally.failed += 1
            log.info("%s: %s: %s", source.slug, message.job.url, message.error)
            return
        if message.article is None:  # 304: the page did not change
            entry.entry_updated = stamp or entry.entry_updated
            self.dirty[entry.id] = entry
            tally.unchanged += 1
            return
        assert message.page is not None
        if not message.job.known:
            self.learning.learn(self.host(message), message.article)
        held = self.held.setdefault(message.slug, [])
        if len(held) < HOLD and self.learning.young(self.host(message)):
            held.append(replace(message, page=replace(message.page, content=b"")))
            return
        self.settle(message)

    @staticmethod
    def host(message: Fetched) -> str:
        assert message.page is not None
        return site_host(message.page.final_url or message.job.url)

    def settle(self, message: Fetched) -> None:
        """Store the page, or first extract it again if its site's furniture changed since."""
        assert message.article is not None and message.page is not None
        if self.learning.outdated(self.host(message), message.article):
            self.report.sources[message.slug].extracted_again += 1
            self.first.setdefault(message.job.entry_id, message)
            self.open[message.slug] += 1
            self.jobs_total += 1
            self.workers[message.slug].extract(message.job, message.page, again=True)
        else:
            self.ready.append(message)

    def release(self, slug: str) -> None:
        """Once a source is done and all its pages are back, settle the pages held back."""
        if slug in self.done and not self.open.get(slug) and self.held.get(slug):
            for message in self.held.pop(slug):
                self.settle(message)

    def store(self, message: Fetched, index: ArticleIndex) -> None:
        assert message.article is not None and message.page is not None
        source = self.sources[message.slug]
        tally = self.report.sources[source.slug]
        entry = self.entries.pop(message.job.entry_id)
        stamp = message.job.entry.updated or message.job.entry.published
        outcome = store_article(source, message.article, message.page, index)
        entry.article = outcome.article
        entry.state = Entry.DUPLICATE if outcome.kind == StoreOutcome.DUPLICATE else Entry.STORED
        entry.entry_updated = stamp or entry.entry_updated
        entry.error, entry.error_reason = "", ""
        self.dirty[entry.id] = entry
        if outcome.kind == StoreOutcome.REPLACED:
            # The copy that held this row is now a duplicate of it, whether saved or not yet.
            Entry.objects.filter(article=outcome.article).exclude(pk=entry.pk).update(
                state=Entry.DUPLICATE)
            for other in self.dirty.values():
                if other.article_id == outcome.article.id and other is not entry:
                    other.state = Entry.DUPLICATE
        counted = StoreOutcome.DUPLICATE if outcome.kind == StoreOutcome.REPLACED else outcome.kind
        setattr(tally, counted, getattr(tally, counted) + 1)
        if outcome.kind in (StoreOutcome.NEW, StoreOutcome.UPDATED, StoreOutcome.REPLACED):
            for source_id in link_copies(outcome.article, outcome.kind):
                # the report covers this run's sources; a copy of another is left uncounted
                slug = self.slugs.get(source_id)
                if slug is not None:
                    self.report.sources[slug].copies += 1
            self.tags.add(outcome.article, message.article.tags)
            self.stories.place(outcome.article, outcome.kind)

    def finish_source(self, slug: str) -> None:
        source = self.sources[slug]
        tally = self.report.sources[slug]
        now = timezone.now()
        source.last_ingest_at = now
        if self.feed_ok.get(slug):
            source.last_success_at, source.consecutive_failures = now, 0
            source.last_error = source.last_error_reason = ""
        else:
            feed = source.feeds.exclude(last_error="").order_by("-last_polled_at").first()
            tally.error = tally.error or (feed.last_error if feed else "no feed found")
            source.last_error = tally.error
            source.last_error_reason = feed.last_error_reason if feed else "no-feed"
            source.consecutive_failures += 1
        source.save()
