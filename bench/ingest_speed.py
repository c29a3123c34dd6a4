"""Ingest throughput on the sample newspapers, next to plain trafilatura on the same pages.

The sample newspapers run in a process of their own, as a remote site would, so their serving
costs neither CPU nor the interpreter lock of the process measured.

Prints, from one run:
- pages per second through poll, fetch, extract and store, wall time per page, and how many cores
  the job kept busy (CPU seconds of this process and the extraction pool over wall seconds);
- plain `trafilatura.extract` time per page on the same pages, in one process, and the ratio;
- the cost of polling a feed answered 304 next to one fetched and parsed, and the ratio.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
HOME = tempfile.mkdtemp(prefix="briefings-bench-")
os.environ.update({
    "BRIEFINGS_HOME": HOME,
    "BRIEFINGS_DATABASE_URL": f"sqlite:///{HOME}/bench.sqlite3",
    "BRIEFINGS_SECRET_KEY": "bench-only",
    "DJANGO_SETTINGS_MODULE": "briefings.settings",
})

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import trafilatura  # noqa: E402
from django.core.management import call_command  # noqa: E402

from briefings.demo.server import DemoNewspapers  # noqa: E402
from briefings.newsroom.extracting import ExtractionPool  # noqa: E402
from briefings.newsroom.ingest import Ingest  # noqa: E402
from briefings.newsroom.models import Article, Entry  # noqa: E402
from briefings.pipeline.fetch import FetchConfig, Fetcher  # noqa: E402
from briefings.pipeline.poll import parse_feed  # noqa: E402
from briefings.pipeline.types import SourceSpec  # noqa: E402
from briefings.sources.catalog import sync_sources  # noqa: E402
from briefings.sources.models import Feed, Source  # noqa: E402

POLL_ROUNDS = 20
INGEST_ROUNDS = 5  # each from an empty store; the median is reported


def cpu_seconds_of(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def ingest_once(workers: int) -> tuple[int, float, float]:
    """(pages, wall seconds, CPU seconds) of one ingest over every sample paper."""
    with Fetcher(FetchConfig()) as fetcher, ExtractionPool(workers) as pool:
        cpu_before = own_cpu()
        started = time.perf_counter()
        report = Ingest(list(Source.objects.all()), fetcher=fetcher, pool=pool).run()
        wall = time.perf_counter() - started
        pids = list(pool._executor._processes) if pool._executor else []
        cpu = own_cpu() - cpu_before + cpu_seconds_of(pids)
    pages = sum(t.new + t.updated + t.duplicate + t.failed for t in report.sources.values())
    failed = report.total("failed")
    if failed:
        print(f"warning: {failed} pages failed", file=sys.stderr)
    return pages, wall, cpu


def trafilatura_per_page(urls: list[str], rounds: int = 3) -> tuple[float, int]:
    """Seconds per page of plain trafilatura.extract on the same pages, one process (median of
    `rounds` passes)."""
    with httpx.Client() as client:
        pages = [client.get(url).content for url in urls]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        for html in pages:
            trafilatura.extract(html)
        times.append((time.perf_counter() - started) / len(pages))
    return statistics.median(times), len(pages)


def poll_costs() -> tuple[float, float, float, float]:
    """Mean seconds to poll one feed, fetched and parsed (and planned) vs answered 304: wall
    time, then CPU time of this process (what the poll costs us, whatever the server's speed)."""
    parsed: list[float] = []
    conditional: list[float] = []
    parsed_cpu: list[float] = []
    conditional_cpu: list[float] = []
    feeds = list(Feed.objects.select_related("source").filter(enabled=True))
    with Fetcher(FetchConfig()) as fetcher, ExtractionPool(1) as pool:
        job = Ingest(list(Source.objects.all()), fetcher=fetcher, pool=pool)
        for _ in range(POLL_ROUNDS):
            for feed in feeds:
                spec = feed.source.spec()
                started, cpu = time.perf_counter(), time.thread_time()
                page = fetcher.fetch(feed.url, delay=0, allow_private=True)
                poll = parse_feed(page.content, url=page.final_url,
                                  content_type=page.content_type, timezone=spec.timezone)
                job.plan(feed.source, feed, poll.entries)
                parsed.append(time.perf_counter() - started)
                parsed_cpu.append(time.thread_time() - cpu)
                started, cpu = time.perf_counter(), time.thread_time()
                page = fetcher.fetch(feed.url, delay=0, allow_private=True, etag=page.etag,
                                     last_modified=page.last_modified)
                assert page.not_modified, feed.url
                conditional.append(time.perf_counter() - started)
                conditional_cpu.append(time.thread_time() - cpu)
    return (statistics.mean(parsed), statistics.mean(conditional),
            statistics.mean(parsed_cpu), statistics.mean(conditional_cpu))


def serve_papers(conn: multiprocessing.connection.Connection) -> None:
    with DemoNewspapers() as papers:
        conn.send(papers.sources())
        conn.recv()  # until the benchmark is done


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    papers = multiprocessing.get_context("spawn").Process(target=serve_papers, args=(theirs,))
    papers.start()
    try:
        sources: list[SourceSpec] = ours.recv()
        sync_sources(sources)
        rounds = []
        for _ in range(INGEST_ROUNDS):
            Entry.objects.all().delete()
            Article.objects.all().delete()
            Feed.objects.update(etag="", last_modified="")
            rounds.append(ingest_once(os.cpu_count() or 1))
        pages, wall, cpu = sorted(rounds, key=lambda r: r[1])[len(rounds) // 2]
        walls = ", ".join(f"{r[1]:.2f}" for r in rounds)
        urls = list(Entry.objects.filter(state=Entry.STORED).values_list("article__url", flat=True))
        ref, ref_pages = trafilatura_per_page(urls)
        per_parsed, per_304, cpu_parsed, cpu_304 = poll_costs()
    finally:
        ours.send("stop")
        papers.join(timeout=10)
    per_page = wall / pages
    print(f"ingest rounds (s): {walls}; median round:")
    print(f"ingest: {pages} pages in {wall:.2f} s = {pages / wall:.1f} pages/s, "
          f"{per_page * 1000:.1f} ms/page wall, {cpu / wall:.2f} cores busy "
          f"({cpu:.2f} CPU s, {cpu / pages * 1000:.1f} CPU ms/page)")
    print(f"trafilatura.extract alone: {ref * 1000:.1f} ms/page over {ref_pages} pages (1 process)")
    print(f"ratio pipeline wall per page / trafilatura per page: {per_page / ref:.2f} "
          f"(goal <= 1.5)")
    print(f"feed poll wall: parsed {per_parsed * 1000:.2f} ms, 304 {per_304 * 1000:.2f} ms, "
          f"ratio {per_parsed / per_304:.1f}x")
    print(f"feed poll CPU: parsed {cpu_parsed * 1000:.2f} ms, 304 {cpu_304 * 1000:.2f} ms, "
          f"ratio {cpu_parsed / cpu_304:.1f}x (goal >= 10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
