"""Extraction off the main thread: a pool of processes, one per core, or in-process for one.

Extraction is the CPU-heavy stage; processes let it use every core while the fetch threads wait
on the network. A crash inside the extractor becomes an ExtractError for that page only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from briefings.errors import BriefingsError, ExtractError
from briefings.pipeline.extract import extract
from briefings.pipeline.types import Article, ExtractHints, Page

Done = Callable[[Article | None, BriefingsError | None], None]


def extract_safely(page: Page, hints: ExtractHints) -> Article | BriefingsError:
    """Run the stage; never raise, so one bad page cannot take a worker or the job down."""
    try:
        return extract(page, hints)
    except BriefingsError as exc:
        return exc
    except Exception as exc:
        return ExtractError(f"extractor failed: {type(exc).__name__}: {exc}", url=page.url)


def worker_count(setting: int) -> int:
    return setting or os.cpu_count() or 1


class ExtractionPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["briefings.pipeline.extract"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
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
