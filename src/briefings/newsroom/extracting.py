"""The CPU-heavy stages off the main process: a pool of processes, one per core, or in-process
for one.

Extraction and feed parsing are the CPU-heavy stages; processes let them use every core while
the fetch threads wait on the network, and leave the ingest's own process (fetching and the
store) the interpreter lock to itself. A crash inside the extractor becomes an ExtractError for
that page only. The text's MinHash sketch (near-duplicate detection), its profile for story
clustering (hashed headline and lead words, and anchors), its tags (people, organisations,
places, countries and region: pipeline/tag.py) and, when the source gave no section, the
section classifier are CPU work too, so they run here beside the extraction and travel back
with the article.

The workers are forked when the pool is made, before the ingest starts its threads, so they
start at once with the extractor already imported (a fresh interpreter would spend a second or
more importing trafilatura) and the shingling tables, the gazetteer, and the profiles' stoplist
and Chinese names already built. Where fork is not available they are spawned instead.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from briefings.errors import BriefingsError, ExtractError, FeedError
from briefings.pipeline.cluster import profile
from briefings.pipeline.extract import extract
from briefings.pipeline.minhash import sketch
from briefings.pipeline.poll import parse_feed
from briefings.pipeline.sectionmodel import shipped_model, with_inferred_section
from briefings.pipeline.shingles import prepare_tables
from briefings.pipeline.tag import prepare_tags, tag
from briefings.pipeline.terms import prepare_terms
from briefings.pipeline.types import Article, ExtractHints, Page, Poll

Done = Callable[[Article | None, BriefingsError | None], None]


def enrich(article: Article) -> Article:
    """The article with what the writer's stages need computed: sketch, profile and tags."""
    found = sketch(article.text)
    terms = profile(article.title, article.text, article.language)
    return replace(article, minhash=found.to_bytes(), shingles=found.size,
                   profile=terms.to_bytes(),
                   tags=tag(article.title, article.text, article.language))


def extract_safely(page: Page, hints: ExtractHints) -> Article | BriefingsError:
    """Run the stage, sketch and tag the text; never raise, so one bad page cannot take a worker
    or the job down."""
    try:
        article = enrich(extract(page, hints))
        return article if article.section else with_inferred_section(article, hints.taxonomy)
    except BriefingsError as exc:
        return exc
    except Exception as exc:
        return ExtractError(f"extractor failed: {type(exc).__name__}: {exc}", url=page.url)


def worker_count(setting: int) -> int:
    return setting or os.cpu_count() or 1


def _freeze_heap() -> None:
    """Move every live object (modules, tables, gazetteer: ~175 000 of them) out of the cyclic
    collector's reach. Each full collection would otherwise walk them all again, ~90 ms every
    few hundred pages in this process and in every worker, and the walk would copy the
    workers' shared pages. Only live objects are frozen, after a collection; those that die
    later are still freed by their reference counts."""
    gc.collect()
    gc.freeze()


def _ready() -> bool:
    return True


class ExtractionPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        if workers > 1:
            self._pool()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            prepare_tables()  # built once here, inherited by every forked worker
            shipped_model()
            prepare_tags()
            prepare_terms()
            _freeze_heap()
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
            self._executor.submit(_ready).result()  # fork every worker now, while we are alone
        return self._executor

    def submit(self, page: Page, hints: ExtractHints, done: Done) -> None:
        """Extract `page` and call `done(article, error)` from whichever thread finishes it."""
        if self.workers <= 1:
            _deliver(extract_safely(page, hints), done)
            return
        try:
            future = self._pool().submit(extract_safely, page, hints)
        except BrokenProcessPool:
            self._executor = None
            future = self._pool().submit(extract_safely, page, hints)

        def finished(fut: Future[Article | BriefingsError]) -> None:
            if fut.cancelled():  # the pool was closed under it: the job is being abandoned
                return
            try:
                result = fut.result()
            except BrokenProcessPool as exc:
                result = ExtractError(f"extraction process died: {exc}", url=page.url)
            _deliver(result, done)

        future.add_done_callback(finished)

    def parse_feed(self, content: bytes, **options: str) -> Poll:
        """`poll.parse_feed` in a worker; the calling thread waits for the result."""
        if self.workers <= 1:
            return parse_feed(content, **options)  # type: ignore[arg-type]
        try:
            return self._pool().submit(parse_feed, content, **options).result()
        except BrokenProcessPool as exc:
            self._executor = None
            raise FeedError(f"feed parsing process died: {exc}", url=options.get("url")) from exc

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _deliver(result: Article | BriefingsError, done: Done) -> None:
    if isinstance(result, BriefingsError):
        done(None, result)
    else:
        done(result, None)
