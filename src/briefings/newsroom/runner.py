"""Runs the ingest job with the configured fetcher, pool and progress bar; formats its report."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from tqdm import tqdm

from briefings import config
from briefings.errors import ConfigError
from briefings.newsroom.extracting import ExtractionPool, worker_count
from briefings.newsroom.ingest import Ingest, Report
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.sources.models import Source
from briefings.textwidth import columns, pad


def make_fetcher() -> Fetcher:
    values = settings.BRIEFINGS
    return Fetcher(FetchConfig(
        user_agent=config.user_agent(config.load()),
        connect_timeout=float(values["fetch_timeout"]),
        read_timeout=float(values["fetch_timeout"]),
        max_bytes=int(values["fetch_max_bytes"]),
        retries=int(values["fetch_retries"]),
        max_redirects=int(values["fetch_max_redirects"]),
    ))


def run_ingest(slugs: Sequence[str] = (), *, progress: bool | None = None) -> Report:
    """Ingest the enabled sources (or only `slugs`), with a progress bar on a terminal."""
    sources = Source.objects.filter(enabled=True)
    if slugs:
        sources = sources.filter(slug__in=slugs)
        missing = set(slugs) - {s.slug for s in sources}
        if missing:
            raise ConfigError(f"no such source: {', '.join(sorted(missing))}")
    values = settings.BRIEFINGS
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=0, unit="page", desc="ingest", disable=not show, file=sys.stderr)

    def advance(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    with make_fetcher() as fetcher, ExtractionPool(worker_count(values["extract_workers"])) as pool:
        job = Ingest(
            list(sources), fetcher=fetcher, pool=pool, threads=int(values["fetch_threads"]),
            max_entries=int(values["max_entries_per_feed"]),
            entry_retries=int(values["entry_retries"]), progress=advance,
            max_age=timedelta(days=int(values["max_entry_age"])) or None,
            taxonomy=tuple(values["sections"]),
        )
        report = job.run()
    bar.close()
    return report


COLUMNS = ("new", "updated", "unchanged", "duplicate", "copies", "failed", "feeds_not_modified",
           "feeds_failed")


def format_report(report: Report) -> str:
    """A table: one row per source with its counts and error, then the totals."""
    names = {s.slug: s.name for s in Source.objects.filter(slug__in=list(report.sources))}
    width = max([len("source"), *(columns(n) for n in names.values())])
    heads = ("new", "upd", "same", "dup", "copy", "fail", "304", "feed!")
    lines = [pad("source", width) + "  " + " ".join(f"{h:>5}" for h in heads)]
    for slug, tally in sorted(report.sources.items(), key=lambda kv: names.get(kv[0], kv[0])):
        cells = " ".join(f"{getattr(tally, c):>5}" for c in COLUMNS)
        error = f"  {tally.error[:80]}" if tally.error else ""
        lines.append(f"{pad(names.get(slug, slug), width)}  {cells}{error}")
    totals = " ".join(f"{report.total(c):>5}" for c in COLUMNS)
    lines.append(f"{pad('total', width)}  {totals}  in {report.seconds:.1f} s")
    lines.append("columns: new, updated, unchanged, duplicate (identical body) and failed "
                 "pages; articles found to be near-copies; feeds answered 304; feeds failed")
    return "\n".join(lines)


def summary(report: Report) -> dict[str, Any]:
    """The machine-readable last line of `ingest` and `demo`."""
    from briefings.newsroom.models import Article, Story

    return {
        "sources": len(report.sources),
        "sources_failed": sum(1 for t in report.sources.values() if t.error),
        "articles": Article.objects.count(),
        "stories": Story.objects.count(),
        "new_stories": report.stories,
        "new": report.total("new"),
        "updated": report.total("updated"),
        "unchanged": report.total("unchanged"),
        "duplicate": report.total("duplicate"),
        "copies": report.total("copies"),
        "failed": report.total("failed"),
        "extracted_again": report.total("extracted_again"),
        "seconds": round(report.seconds, 2),
    }


def print_report(report: Report) -> None:
    print(format_report(report))
    print(json.dumps(summary(report)))
