"""Serve the sample papers over real HTTP on 127.0.0.1, one port per paper.

One port each, so per-host politeness lets a crawler fetch papers in parallel. Everything is
rendered when the server starts (a few hundred small responses), so requests only look up bytes;
responses carry ETag and Last-Modified, answer conditional requests with 304, and are gzipped
for clients that accept it, like a real paper behind a CDN.

    python -m briefings.demo.server [--port 8101] [--articles DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self

from briefings.demo.content import ARTICLES_DIR, PAPERS_TOML, Paper, load_content, normalise_path
from briefings.demo.feeds import build_feed
from briefings.demo.render import Served, Site, build_pages, not_found, place_site
from briefings.pipeline.types import SourceSpec

COMPRESSIBLE = ("text/", "application/")


@dataclass(frozen=True, slots=True)
class _Response:
    """A rendered response with its validators and its gzip form, computed once."""

    served: Served
    etag: str
    last_modified: str
    gzipped: bytes

    @classmethod
    def of(cls, served: Served) -> _Response:
        digest = hashlib.sha1(served.body).hexdigest()[:20]
        compressible = served.content_type.startswith(COMPRESSIBLE) or "svg" in served.content_type
        return cls(
            served=served, etag=f'"{digest}"',
            last_modified=format_datetime(served.modified.astimezone(UTC), usegmt=True),
            gzipped=gzip.compress(served.body, 6, mtime=0) if compressible else b"",
        )

    def fresh_for(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        """True when the client's copy is current, so a 304 is the answer."""
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or self.etag in tags or self.etag[:-1] + '-gz"' in tags
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return self.served.modified.replace(microsecond=0) <= since
        return False


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _handler(responses: Mapping[str, _Response],
             missing: _Response) -> type[BaseHTTPRequestHandler]:
    class PaperHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "DemoPaper/1"
        disable_nagle_algorithm = True  # headers and body leave in separate writes

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the demo serves hundreds of requests per ingest."""

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            path = normalise_path(self.path)
            response = responses.get(path)
            if response is None and not path.endswith("/") and path + "/" in responses:
                self._send(301, [("Location", path + "/"), ("Content-Length", "0")], b"", False)
                return
            response = response or missing
            served = response.served
            headers = [("Content-Type", served.content_type), ("ETag", response.etag),
                       ("Last-Modified", response.last_modified),
                       ("Cache-Control", "public, max-age=60"), ("Vary", "Accept-Encoding")]
            body, status = served.body, served.status
            if response.gzipped and _accepts_gzip(self.headers.get("Accept-Encoding")):
                body = response.gzipped
                headers[1] = ("ETag", response.etag[:-1] + '-gz"')
                headers.append(("Content-Encoding", "gzip"))
            if status == 200 and response.fresh_for(self.headers.get("If-None-Match"),
                                                    self.headers.get("If-Modified-Since")):
                status, body = 304, b""
            else:
                headers.append(("Content-Length", str(len(body))))
            self._send(status, headers, body, send_body)

        def _send(self, status: int, headers: list[tuple[str, str]], body: bytes,
                  send_body: bool) -> None:
            try:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                if send_body and body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return PaperHandler


class DemoNewspapers:
    """The sample papers, live: started on construction, stopped by `stop()` or the `with`.

    `papers` maps slug → base URL; article times are `now` − `hours_ago` in each paper's zone.
    `base_port` fixes the ports (paper i on base_port + i); by default the OS picks free ones.
    """

    def __init__(self, articles_dir: Path = ARTICLES_DIR, now: datetime | None = None, *,
                 papers_path: Path = PAPERS_TOML, host: str = "127.0.0.1",
                 base_port: int | None = None) -> None:
        if now is not None and now.tzinfo is None:
            raise ValueError("`now` must be timezone-aware")
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.content = load_content(Path(articles_dir), Path(papers_path))
        self.papers: dict[str, str] = {}
        self.sites: dict[str, Site] = {}
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []
        try:
            for index, paper in enumerate(self.content.papers):
                port = base_port + index if base_port else 0
                self._serve(paper, host, port)
        except BaseException:
            self.stop()
            raise

    def _serve(self, paper: Paper, host: str, port: int) -> None:
        httpd = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler, bind_and_activate=True)
        httpd.daemon_threads = True
        base = f"http://{host}:{httpd.server_address[1]}"
        site = place_site(paper, self.content.of_paper(paper.slug), base, self.now)
        rendered = build_pages(site) | build_feed(site)
        responses = {path: _Response.of(served) for path, served in rendered.items()}
        httpd.RequestHandlerClass = _handler(responses, _Response.of(not_found(site)))
        thread = threading.Thread(target=httpd.serve_forever, name=f"demo-{paper.slug}",
                                  daemon=True)
        thread.start()
        self._servers.append((httpd, thread))
        self.papers[paper.slug] = base
        self.sites[paper.slug] = site

    def sources(self) -> list[SourceSpec]:
        """The papers as the pipeline configures sources, pointing at the live ports."""
        specs = []
        for paper in self.content.papers:
            site = self.sites[paper.slug]
            feed = site.url(paper.feed_path)
            specs.append(SourceSpec(
                slug=paper.slug, name=paper.name, homepage=site.url("/"),
                country=paper.country, region=paper.region, language=paper.language,
                timezone=paper.timezone,
                feeds=() if paper.uses_sitemap else (feed,),
                sitemaps=(feed,) if paper.uses_sitemap else (),
                full_text=paper.full_text,
                # no table: the papers' section names map through the common synonyms, and
                # the articles of geographic ones ("Asia", "Pakistan") are classified
                delay=0.0, allow_private=True,
            ))
        return specs

    def url_of(self, key: str) -> str:
        """The canonical URL an article is served at."""
        paper, _, _slug = key.partition("/")
        for placed in self.sites[paper].articles:
            if placed.article.key == key:
                return placed.url
        raise KeyError(key)

    def stop(self) -> None:
        """Stop every paper at once: each shutdown waits out a poll interval, so not in turn."""
        stoppers = [threading.Thread(target=httpd.shutdown) for httpd, _ in self._servers]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for httpd, thread in self._servers:
            httpd.server_close()
            thread.join(timeout=5)
        self._servers.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """Serve the sample papers until interrupted, printing where each one lives."""
    parser = argparse.ArgumentParser(prog="python -m briefings.demo.server",
                                     description="Serve the Briefings sample newspapers.")
    parser.add_argument("--port", type=int, default=0,
                        help="first port (one per paper, consecutive); 0 picks free ports")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR)
    args = parser.parse_args(argv)
    with DemoNewspapers(args.articles, host=args.host, base_port=args.port or None) as demo:
        for paper in demo.content.papers:
            count = len(demo.content.of_paper(paper.slug))
            print(f"{paper.slug:20} {demo.papers[paper.slug]}/  ({count} articles)", flush=True)
        print("Serving sample content; press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")


if __name__ == "__main__":
    main()
