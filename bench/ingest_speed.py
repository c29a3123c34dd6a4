"""Ingest throughput on the sample newspapers, next to plain trafilatura on the same pages.

The sample newspapers run in a process of their own, as a remote site would, so their serving
costs neither CPU nor the interpreter lock of the process measured.

Prints, from one run:
- pages per second through poll, fetch, extract and store, wall time per page, and how many cores
  the job kept busy (CPU seconds of this process and the extraction pool over wall seconds);
- plain `trafilatura.extract` time per page on the same pages, in one process, and the ratio;
- the cost of polling a feed answered 304 next to one fetched and parsed, and the ratio;
- the same throughput and ratio on real newspaper pages (the extraction benchmark's dev pages and
  the asian-news pages, served from 127.0.0.1 with a feed listing them), whose size is typical
  of the web, where the sample papers' pages are small.
"""

from __future__ import annotations

# isort: off
import throwaway_store  # first, before any model: a fresh store, Django set up
# isort: on

import gzip
import multiprocessing
import multiprocessing.connection
import os
import resource
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import trafilatura
from django.core.management import call_command

from briefings.demo.server import DemoNewspapers
from briefings.newsroom.extracting import ExtractionPool
from briefings.newsroom.ingest import Ingest
from briefings.newsroom.models import Article, Entry
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.poll import parse_feed
from briefings.pipeline.types import SourceSpec
from briefings.sources.catalog import sync_sources
from briefings.sources.models import Feed, Source

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


SHARED = throwaway_store.ROOT.parent / "shared" / "data"


def real_pages() -> dict[str, bytes]:
    pages = {}
    for path in sorted((SHARED / "extraction-dev" / "html").glob("*.html.gz")):
        pages[path.name.split(".")[0][:16]] = gzip.decompress(path.read_bytes())
    for path in sorted((SHARED / "asian-news" / "pages").glob("*.html.gz")):
        pages[path.name.split(".")[0]] = gzip.decompress(path.read_bytes())
    return pages


def serve_real(conn: multiprocessing.connection.Connection) -> None:
    """A newspaper of real pages: /feed.xml lists every page, /p/NAME serves it."""
    pages = real_pages()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                now = format_datetime(datetime.now(UTC))
                items = "".join(f"<item><title>{name}</title><link>{base}/p/{name}</link>"
                                f"<pubDate>{now}</pubDate></item>" for name in pages)
                body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Real</title>'
                        f"<link>{base}/</link>{items}</channel></rss>").encode()
                kind = "application/rss+xml"
            elif self.path.startswith("/p/") and self.path[3:] in pages:
                body, kind = pages[self.path[3:]], "text/html"
            else:
                body, kind = b"", "text/plain"
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn.send(SourceSpec(slug="real", name="Real pages", homepage=base + "/",
                         feeds=(base + "/feed.xml",), delay=0.0, allow_private=True))
    conn.recv()
    server.shutdown()


def run_in_child(target: object) -> tuple[object, multiprocessing.connection.Connection,
                                           multiprocessing.Process]:
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=target, args=(theirs,))
    child.start()
    return ours.recv(), ours, child


def measure(label: str) -> None:
    """Ingest every source from an empty store INGEST_ROUNDS times; print the median next to
    trafilatura alone on the same pages."""
    rounds = []
    for _ in range(INGEST_ROUNDS):
        Entry.objects.all().delete()
        Article.objects.all().delete()
        Feed.objects.update(etag="", last_modified="")
        rounds.append(ingest_once(os.cpu_count() or 1))
    pages, wall, cpu = sorted(rounds, key=lambda r: r[1])[len(rounds) // 2]
    urls = list(Entry.objects.filter(state=Entry.STORED).values_list("article__url", flat=True))
    ref, ref_pages = trafilatura_per_page(urls)
    per_page = wall / pages
    print(f"[{label}] ingest rounds (s): " + ", ".join(f"{r[1]:.2f}" for r in rounds))
    print(f"[{label}] ingest: {pages} pages in {wall:.2f} s = {pages / wall:.1f} pages/s, "
          f"{per_page * 1000:.1f} ms/page wall, {cpu / wall:.2f} cores busy "
          f"({cpu:.2f} CPU s, {cpu / pages * 1000:.1f} CPU ms/page)")
    print(f"[{label}] trafilatura.extract alone: {ref * 1000:.1f} ms/page over {ref_pages} "
          "pages (1 process)")
    print(f"[{label}] ratio pipeline wall per page / trafilatura per page: "
          f"{per_page / ref:.2f} (goal <= 1.5)")


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    sources, conn, child = run_in_child(serve_papers)
    try:
        sync_sources(sources)  # type: ignore[arg-type]
        measure("sample papers")
        per_parsed, per_304, cpu_parsed, cpu_304 = poll_costs()
    finally:
        conn.send("stop")
        child.join(timeout=10)
    Source.objects.all().delete()
    real, conn, child = run_in_child(serve_real)
    try:
        sync_sources([real])  # type: ignore[list-item]
        measure("real pages")
    finally:
        conn.send("stop")
        child.join(timeout=10)
    print(f"feed poll wall: parsed {per_parsed * 1000:.2f} ms, 304 {per_304 * 1000:.2f} ms, "
          f"ratio {per_parsed / per_304:.1f}x")
    print(f"feed poll CPU: parsed {cpu_parsed * 1000:.2f} ms, 304 {cpu_304 * 1000:.2f} ms, "
          f"ratio {cpu_parsed / cpu_304:.1f}x (goal >= 10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
