"""The fetcher against a real HTTP server on 127.0.0.1: limits, retries, redirects, politeness."""

from __future__ import annotations

import gzip
import itertools
import json
import math
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any

import feedparser
import pytest

from briefings import __version__
from briefings.errors import (
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    PrivateAddressError,
    RobotsDisallowed,
    TooLargeError,
    TooManyRedirects,
    TransportError,
)
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.netguard import address_problem
from briefings.pipeline.types import Page
from tests.servers import Hit, Response, RouteServer

FAST = FetchConfig(backoff=0.02, connect_timeout=1.0, read_timeout=0.3, robots_error_ttl=0.3)
FEED = "asian-news/feeds/news-qq-com-china-index__rss-parser-gb2312.xml"


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as fetcher:
        yield fetcher


def local(fetcher: Fetcher, server: RouteServer, path: str, **kwargs: object) -> Page:
    """Fetch from the test server, which lives on loopback, hence allow_private."""
    options: dict[str, Any] = {"delay": 0.0, "allow_private": True, **kwargs}
    return fetcher.fetch(server.url(path), **options)


def sequence(*answers: Response) -> Callable[[Hit], Response]:
    """A route that gives `answers` in turn, then repeats the last one."""
    served: list[int] = []

    def route(hit: Hit) -> Response:
        served.append(1)
        return answers[min(len(served), len(answers)) - 1]

    return route


def hosts_resolver(names: dict[str, list[str]]) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        if host not in names:
            raise socket.gaierror(f"unknown test host {host}")
        return names[host]

    return resolve


# --- the basics ---------------------------------------------------------------------------------


def test_page_fields_and_user_agent(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/story"] = Response(200, b"<p>hello</p>", {"Content-Type": "text/html"})
    before = datetime.now(UTC)
    page = local(fetcher, server, "/story")
    assert (page.url, page.final_url, page.status) == (server.url("/story"),) * 2 + (200,)
    assert (page.text, page.content, page.charset) == ("<p>hello</p>", b"<p>hello</p>", "utf-8")
    assert page.content_type == "text/html" and ("content-type", "text/html") in page.headers
    assert page.fetched_at is not None and page.fetched_at.tzinfo is UTC
    assert before <= page.fetched_at <= datetime.now(UTC)
    agent = f"Briefings/{__version__} (+https://github.com/briefings-news/briefings)"
    assert [h.headers["user-agent"] for h in server.hits] == [agent, agent]  # robots.txt, page


def test_conditional_get(fetcher: Fetcher, server: RouteServer) -> None:
    stamp = "Wed, 18 Sep 2024 06:38:10 GMT"

    def feed(hit: Hit) -> Response:
        if hit.headers.get("if-none-match") == '"v1"':
            return Response(304, headers={"ETag": '"v1"'})
        return Response(200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": stamp})

    server.routes["/feed"] = feed
    first = local(fetcher, server, "/feed")
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', stamp)
    again = local(fetcher, server, "/feed", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.text == "" and again.content == b""
    sent = server.requests_to("/feed")[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == stamp
    assert "if-none-match" not in server.requests_to("/feed")[0].headers


def test_only_http_urls(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.fetch("ftp://example.org/file", delay=0)


# --- timeouts, retries, status codes ------------------------------------------------------------


def test_timeouts_are_retried_then_fail(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/slow"] = Response(200, b"late", delay=1.0)
    with pytest.raises(FetchTimeout, match="after 4 attempt"):
        local(fetcher, server, "/slow")
    assert len(server.requests_to("/slow")) == 4


def test_timeout_then_success(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/flaky"] = sequence(Response(200, b"late", delay=1.0), Response(200, b"ok"))
    assert local(fetcher, server, "/flaky").text == "ok"


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retryable_statuses_back_off_then_fail(server: RouteServer, status: int) -> None:
    server.routes["/down"] = Response(status, b"busy")
    with Fetcher(replace(FAST, backoff=0.05)) as fetcher, pytest.raises(HTTPStatusError) as err:
        local(fetcher, server, "/down")
    assert err.value.status == status and err.value.reason == "http-status"
    hits = [h.at for h in server.requests_to("/down")]
    assert len(hits) == 4
    gaps = [b - a for a, b in itertools.pairwise(hits)]
    assert all(gap >= wait for gap, wait in zip(gaps, [0.05, 0.1, 0.2], strict=True))


def test_retry_then_success(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/x"] = sequence(Response(503), Response(502), Response(200, b"fine"))
    assert local(fetcher, server, "/x").text == "fine"
    assert len(server.requests_to("/x")) == 3


def test_retry_after_seconds(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/x"] = sequence(Response(429, headers={"Retry-After": "1"}), Response(200))
    assert local(fetcher, server, "/x").status == 200
    first, second = (h.at for h in server.requests_to("/x"))
    assert second - first >= 1.0


def test_retry_after_http_date(fetcher: Fetcher, server: RouteServer) -> None:
    when = formatdate(math.ceil(time.time()) + 2, usegmt=True)
    server.routes["/x"] = sequence(Response(503, headers={"Retry-After": when}), Response(200))
    assert local(fetcher, server, "/x").status == 200
    first, second = (h.at for h in server.requests_to("/x"))
    assert second - first >= 1.0


@pytest.mark.parametrize("value", ["3600", formatdate(time.time() + 7200, usegmt=True)])
def test_long_retry_after_fails_at_once(fetcher: Fetcher, server: RouteServer, value: str) -> None:
    server.routes["/x"] = Response(503, headers={"Retry-After": value})
    with pytest.raises(HTTPStatusError, match="longer than max_retry_after") as err:
        local(fetcher, server, "/x")
    assert err.value.status == 503 and len(server.requests_to("/x")) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_client_errors_fail_at_once(fetcher: Fetcher, server: RouteServer, status: int) -> None:
    server.routes["/gone"] = Response(status, b"no")
    with pytest.raises(HTTPStatusError, match=f"HTTP {status}") as err:
        local(fetcher, server, "/gone")
    assert err.value.status == status and err.value.url == server.url("/gone")
    assert len(server.requests_to("/gone")) == 1


def test_connection_refused_is_a_transport_error(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nobody listens there
    with pytest.raises(TransportError, match="ConnectError"):
        fetcher.fetch(f"http://127.0.0.1:{port}/", delay=0, allow_private=True)


# --- size caps and compression ------------------------------------------------------------------


def test_content_length_over_the_cap(server: RouteServer) -> None:
    server.routes["/big"] = Response(200, b"x" * 5000)
    with Fetcher(replace(FAST, max_bytes=1000)) as fetcher:
        with pytest.raises(TooLargeError, match="Content-Length 5000 is over the 1000-byte"):
            local(fetcher, server, "/big")
        server.routes["/small"] = Response(200, b"x" * 1000)
        assert len(local(fetcher, server, "/small").content) == 1000


def test_streamed_body_over_the_cap(server: RouteServer) -> None:
    # servers.py also sends a Content-Length; with Transfer-Encoding present it does not count.
    chunks = b"".join(b"%x\r\n%s\r\n" % (500, b"y" * 500) for _ in range(10)) + b"0\r\n\r\n"
    server.routes["/stream"] = Response(200, chunks, {"Transfer-Encoding": "chunked"})
    with (Fetcher(replace(FAST, max_bytes=2000)) as fetcher,
          pytest.raises(TooLargeError, match="body passed the 2000-byte cap")):
        local(fetcher, server, "/stream")


def test_gzip_bomb_is_refused_without_inflating_it(fetcher: Fetcher, server: RouteServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    server.routes["/bomb"] = Response(200, bomb, {"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match="decompression bomb"):
            local(fetcher, server, "/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < 100_000 and peak < 8_000_000


def test_gzip_inflating_past_the_cap(server: RouteServer) -> None:
    text = " ".join(f"word{n % 977}x{n % 13}" for n in range(300_000)).encode()  # ~4 MB
    packed = gzip.compress(text)
    server.routes["/long"] = Response(200, packed, {"Content-Encoding": "gzip"})
    with Fetcher(replace(FAST, max_bytes=1_000_000)) as fetcher:
        assert len(packed) < 1_000_000
        with pytest.raises(TooLargeError, match="decompressed body passed"):
            local(fetcher, server, "/long")


@pytest.mark.parametrize("encoding,pack", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
])
def test_compressed_bodies(fetcher: Fetcher, server: RouteServer, encoding: str,
                           pack: Callable[[bytes], bytes]) -> None:
    body = "<p>Tokyo — 東京 — ".encode() * 200
    server.routes["/z"] = Response(200, pack(body), {"Content-Encoding": encoding,
                                                     "Content-Type": "text/html; charset=utf-8"})
    page = local(fetcher, server, "/z")
    assert page.content == body and page.text == body.decode()
    assert server.requests_to("/z")[0].headers["accept-encoding"] == "gzip, deflate"


def test_unknown_content_encoding(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/br"] = Response(200, b"\x1b\x00", {"Content-Encoding": "br"})
    with pytest.raises(TransportError, match="unsupported Content-Encoding 'br'"):
        local(fetcher, server, "/br")


# --- redirects ----------------------------------------------------------------------------------


def test_relative_redirects(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/a/old"] = Response(301, headers={"Location": "new?x=1"})
    server.routes["/a/new"] = Response(302, headers={"Location": "/final"})
    server.routes["/final"] = Response(200, b"here")
    page = local(fetcher, server, "/a/old")
    assert (page.url, page.final_url, page.text) == (server.url("/a/old"), server.url("/final"),
                                                     "here")
    assert server.requests_to("/a/new?x=1")


def test_redirect_limit(fetcher: Fetcher, server: RouteServer) -> None:
    for n in range(7):
        server.routes[f"/r{n}"] = Response(302, headers={"Location": f"/r{n + 1}"})
    server.routes["/r7"] = Response(200, b"end")
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        local(fetcher, server, "/r0")
    assert not server.requests_to("/r6") and not server.requests_to("/r7")
    assert local(fetcher, server, "/r2").text == "end"  # exactly five hops is fine


def test_redirect_hops_obey_robots(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = Response(200, b"User-agent: *\nDisallow: /private/\n")
    server.routes["/start"] = Response(302, headers={"Location": "/private/page"})
    with pytest.raises(RobotsDisallowed):
        local(fetcher, server, "/start")
    assert not server.requests_to("/private/page")


# --- the address policy -------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["127.0.0.1", "other.test", "mapped.test", "[::1]"])
def test_redirect_to_loopback_from_a_non_private_source(server: RouteServer, target: str) -> None:
    """news.test is the source's own host, exempted by the operator; where it redirects is not."""
    resolver = hosts_resolver({"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"],
                               "mapped.test": ["::ffff:127.0.0.1"]})
    config = replace(FAST, private_hosts=frozenset({"news.test"}))
    server.routes["/start"] = Response(302, headers={
        "Location": f"http://{target}:{server.port}/secret"})
    server.routes["/secret"] = Response(200, b"internal")
    with Fetcher(config, resolver=resolver) as fetcher, pytest.raises(PrivateAddressError) as err:
        fetcher.fetch(f"http://news.test:{server.port}/start", delay=0)
    assert "loopback" in str(err.value) and "/secret" in str(err.value)
    assert server.requests_to("/start")  # the first hop was allowed
    assert not server.requests_to("/secret")
    assert {h.headers["host"] for h in server.hits} == {f"news.test:{server.port}"}


def test_private_addresses_need_allow_private(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/"] = Response(200, b"hi")
    with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.1"):
        fetcher.fetch(server.url("/"), delay=0)
    assert server.hits == []
    assert local(fetcher, server, "/").text == "hi"  # allow_private lifts the policy
    with pytest.raises(PrivateAddressError):  # and the open pool's connection is not reused
        fetcher.fetch(server.url("/"), delay=0)


def test_names_resolving_privately_are_refused() -> None:
    resolver = hosts_resolver({"intranet.test": ["93.184.216.34", "10.0.0.7"]})
    with (Fetcher(FAST, resolver=resolver) as fetcher,
          pytest.raises(PrivateAddressError, match=r"intranet\.test \(10\.0\.0\.7\): private")):
        fetcher.fetch("http://intranet.test/", delay=0)


@pytest.mark.parametrize("ip,problem", [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.16.5.4", "private"),
    ("192.168.0.1", "private"), ("169.254.169.254", "link-local"), ("100.64.0.1", "shared"),
    ("0.0.0.0", "unspecified"), ("224.0.0.251", "multicast"), ("240.0.0.1", "private"),
    ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"), ("fd00::1", "private"),
    ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:192.168.1.1", "private"),
    ("64:ff9b::a00:1", "private"), ("2002:c0a8:101::1", "private"),
    ("8.8.8.8", None), ("93.184.216.34", None), ("2606:4700:4700::1111", None),
    ("::ffff:8.8.8.8", None),
])
def test_address_classes(ip: str, problem: str | None) -> None:
    found = address_problem(ip)
    assert (found.split()[0] if found else None) == problem


# --- politeness and threads ---------------------------------------------------------------------


def test_one_request_at_a_time_per_host(fetcher: Fetcher, server: RouteServer) -> None:
    in_flight: list[int] = []
    peak: list[int] = [0]
    lock = threading.Lock()

    def busy(hit: Hit) -> Response:
        with lock:
            in_flight.append(1)
            peak[0] = max(peak[0], len(in_flight))
        time.sleep(0.03)
        with lock:
            in_flight.pop()
        return Response(200, hit.path.encode())

    for n in range(8):
        server.routes[f"/p{n}"] = busy
    threads = [threading.Thread(target=local, args=(fetcher, server, f"/p{n}")) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1 and len(server.hits) == 9  # robots.txt once, eight pages


def test_delay_between_requests_to_one_host(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/p"] = Response(200, b"x", delay=0.02)
    workers = [threading.Thread(target=local, args=(fetcher, server, "/p"),
                                kwargs={"delay": 0.2}) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    arrivals = [h.at for h in server.hits]  # robots.txt, then three pages
    assert len(arrivals) == 4
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert gaps[0] >= 0.2 and all(gap >= 0.2 + 0.02 for gap in gaps[1:])  # pages take 0.02 s


def test_hosts_proceed_in_parallel(server: RouteServer) -> None:
    resolver = hosts_resolver({"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]})
    server.routes["/p"] = Response(200, b"x")
    errors: list[BaseException] = []

    def crawl(host: str) -> None:
        try:
            for _ in range(3):
                fetcher.fetch(f"http://{host}:{server.port}/p", delay=0.25, allow_private=True)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    with Fetcher(FAST, resolver=resolver) as fetcher:
        started = time.monotonic()
        workers = [threading.Thread(target=crawl, args=(h,)) for h in ("a.test", "b.test")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        took = time.monotonic() - started
    assert errors == []
    by_host = {h: [x.at for x in server.hits if x.headers["host"].startswith(h)]
               for h in ("a.test", "b.test")}
    for arrivals in by_host.values():
        assert len(arrivals) == 4
        assert all(b - a >= 0.25 for a, b in itertools.pairwise(arrivals))
    assert took < 1.5  # each host needs 0.75 s of gaps; one after the other would need 1.5 s
    assert abs(by_host["a.test"][1] - by_host["b.test"][1]) < 0.2


def test_many_threads_share_one_fetcher(fetcher: Fetcher, server: RouteServer) -> None:
    for n in range(48):
        server.routes[f"/story/{n}"] = Response(200, f"<p>story {n}</p>".encode(),
                                                {"Content-Type": "text/html"})
    pages: dict[int, str] = {}

    def work(numbers: range) -> None:
        for n in numbers:
            pages[n] = local(fetcher, server, f"/story/{n}").text

    workers = [threading.Thread(target=work, args=(range(k, 48, 6),)) for k in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert pages == {n: f"<p>story {n}</p>" for n in range(48)}
    assert len(server.requests_to("/robots.txt")) == 1


# --- charsets end to end ------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["application/rss+xml; charset=gb2312",
                                          "application/rss+xml"])
def test_gb2312_feed(fetcher: Fetcher, server: RouteServer, shared_data: Path,
                     content_type: str) -> None:
    raw = (shared_data / FEED).read_bytes()
    record = next(r for r in json.loads((shared_data / "asian-news/index.json").read_text())
                  if r["file"] == FEED.removeprefix("asian-news/"))
    server.routes["/china_index.shtml"] = Response(200, raw, {"Content-Type": content_type})
    page = local(fetcher, server, "/china_index.shtml")
    assert page.charset == "gb18030" and page.content == raw
    parsed = feedparser.parse(page.text)
    assert parsed.feed.title == record["expected"]["channel_title"] == "新闻国内"
    titles = [entry.title for entry in parsed.entries]
    expected = [item["title"] for item in record["expected"]["items"]]
    assert len(titles) == record["expected"]["item_count"] == 20
    assert titles[: len(expected)] == expected


@pytest.mark.parametrize("codec,sentence,content_type", [
    ("shift_jis", "気象庁は調査終了を受けた記者会見で、日頃からの備えを呼びかけた。",
     "text/html; charset=Shift_JIS"),
    ("euc-kr", "이틀간의 영남 공략을 마친 후보는 15일 텃밭 호남을 찾아 통합을 강조했다.",
     "text/html"),
    ("gb2312", "记者17日从国家卫生健康委获悉，相关部门全力保障人民群众临床用药需求。",
     "text/html; charset=utf-8"),  # a header that lies; the page's own meta tells the truth
])
def test_cjk_pages(fetcher: Fetcher, server: RouteServer, codec: str, sentence: str,
                   content_type: str) -> None:
    html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={codec}">'
            f"<title>t</title></head><body><p>{sentence}</p><p>{sentence}</p></body></html>")
    server.routes["/article"] = Response(200, html.encode(codec), {"Content-Type": content_type})
    page = local(fetcher, server, "/article")
    assert page.text == html
