"""robots.txt through the fetcher, against a real server: rules, caching, RFC 9309 failure modes."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from briefings.errors import FetchTimeout, PrivateAddressError, RobotsDisallowed, TransportError
from briefings.pipeline.fetch import FetchConfig, Fetcher
from briefings.pipeline.robots import origin_of, product_token
from tests.servers import Hit, Response, RouteServer

FAST = FetchConfig(backoff=0.02, connect_timeout=1.0, read_timeout=0.3, robots_error_ttl=0.4,
                   retries=1)


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as fetcher:
        yield fetcher


def get(fetcher: Fetcher, server: RouteServer, path: str, delay: float = 0.0) -> int:
    return fetcher.fetch(server.url(path), delay=delay, allow_private=True).status


def robots(text: str) -> Response:
    return Response(200, text.encode(), {"Content-Type": "text/plain"})


def test_rules_are_obeyed_and_fetched_once(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\nAllow: /private/ok")
    server.routes["/news/1"] = server.routes["/private/ok"] = Response(200, b"ok")
    server.routes["/private/x"] = Response(200, b"secret")
    assert get(fetcher, server, "/news/1") == 200
    with pytest.raises(RobotsDisallowed, match="disallows") as err:
        get(fetcher, server, "/private/x")
    assert err.value.reason == "robots" and err.value.url == server.url("/private/x")
    assert get(fetcher, server, "/private/ok") == 200
    assert not server.requests_to("/private/x")
    assert len(server.requests_to("/robots.txt")) == 1


def test_our_own_group_is_used(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = robots(
        "User-agent: *\nDisallow: /\n\nUser-agent: Briefings\nDisallow: /drafts/\n")
    server.routes["/story"] = Response(200, b"ok")
    assert get(fetcher, server, "/story") == 200
    with pytest.raises(RobotsDisallowed):
        get(fetcher, server, "/drafts/1")


def test_missing_robots_allows_everything(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/anything"] = Response(200, b"ok")  # /robots.txt answers 404
    assert get(fetcher, server, "/anything") == 200
    server.routes["/robots.txt"] = Response(403, b"forbidden")
    with Fetcher(FAST) as other:
        assert get(other, server, "/anything") == 200


def test_server_error_disallows_for_a_while(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = Response(503, b"down")
    server.routes["/page"] = Response(200, b"ok")
    with pytest.raises(RobotsDisallowed, match="HTTP 503"):
        get(fetcher, server, "/page")
    assert len(server.requests_to("/robots.txt")) == 2  # retried once, as configured
    with pytest.raises(RobotsDisallowed):
        get(fetcher, server, "/page")
    assert len(server.requests_to("/robots.txt")) == 2  # cached: the host is left alone
    time.sleep(0.45)  # robots_error_ttl
    server.routes["/robots.txt"] = robots("User-agent: *\nAllow: /\n")
    assert get(fetcher, server, "/page") == 200
    assert len(server.requests_to("/page")) == 1


def test_unreachable_robots_disallows_for_a_while(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = Response(200, b"", delay=1.0)  # longer than read_timeout
    server.routes["/page"] = Response(200, b"ok")
    with pytest.raises(FetchTimeout, match=r"robots\.txt"):  # the first fetch says what happened
        get(fetcher, server, "/page")
    with pytest.raises(RobotsDisallowed, match="unreachable"):  # then the site counts as closed
        get(fetcher, server, "/page")
    assert len(server.requests_to("/robots.txt")) == 2 and not server.requests_to("/page")


def test_connection_refused_for_robots() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Fetcher(FAST) as fetcher:
        with pytest.raises(TransportError, match=r"robots\.txt: ConnectError"):
            fetcher.fetch(f"http://127.0.0.1:{port}/a", delay=0, allow_private=True)
        with pytest.raises(RobotsDisallowed, match="unreachable"):
            fetcher.fetch(f"http://127.0.0.1:{port}/b", delay=0, allow_private=True)


def test_crawl_delay_raises_the_hosts_delay(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nCrawl-delay: 0.3\n")
    server.routes["/p"] = Response(200, b"ok")
    for _ in range(3):
        assert get(fetcher, server, "/p", delay=0.05) == 200
    arrivals = [h.at for h in server.hits]
    assert all(b - a >= 0.3 for a, b in itertools.pairwise(arrivals))


def test_each_origin_has_its_own_robots(server: RouteServer) -> None:
    def per_host(hit: Hit) -> Response:
        if hit.headers["host"].startswith("a.test"):
            return robots("User-agent: *\nDisallow: /p\n")
        return robots("User-agent: *\nAllow: /\n")

    server.routes["/robots.txt"] = per_host
    server.routes["/p"] = Response(200, b"ok")
    names = {"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]}
    with Fetcher(FAST, resolver=lambda host: names[host]) as fetcher:
        with pytest.raises(RobotsDisallowed):
            fetcher.fetch(f"http://a.test:{server.port}/p", delay=0, allow_private=True)
        for _ in range(2):
            page = fetcher.fetch(f"http://b.test:{server.port}/p", delay=0, allow_private=True)
            assert page.text == "ok"
    assert sorted(h.headers["host"].split(":")[0] for h in server.requests_to("/robots.txt")) == [
        "a.test", "b.test"]


def test_robots_is_fetched_again_after_its_ttl(server: RouteServer) -> None:
    server.routes["/robots.txt"] = robots("User-agent: *\nAllow: /\n")
    server.routes["/p"] = Response(200, b"ok")
    with Fetcher(replace(FAST, robots_ttl=0.3)) as fetcher:
        get(fetcher, server, "/p")
        get(fetcher, server, "/p")
        assert len(server.requests_to("/robots.txt")) == 1
        time.sleep(0.35)
        server.routes["/robots.txt"] = robots("User-agent: *\nDisallow: /p\n")
        with pytest.raises(RobotsDisallowed):
            get(fetcher, server, "/p")


def test_robots_redirects_are_followed(fetcher: Fetcher, server: RouteServer) -> None:
    server.routes["/robots.txt"] = Response(301, headers={"Location": "/policy/robots"})
    server.routes["/policy/robots"] = robots("User-agent: *\nDisallow: /hidden\n")
    server.routes["/open"] = Response(200, b"ok")
    assert get(fetcher, server, "/open") == 200
    with pytest.raises(RobotsDisallowed):
        get(fetcher, server, "/hidden")


def test_robots_request_obeys_the_address_policy(server: RouteServer) -> None:
    """A robots.txt that redirects to loopback must not reach it, like any other request."""
    server.routes["/robots.txt"] = Response(302, headers={
        "Location": f"http://127.0.0.1:{server.port}/internal/robots.txt"})
    server.routes["/page"] = Response(200, b"ok")
    config = replace(FAST, private_hosts=frozenset({"news.test"}))
    with (Fetcher(config, resolver=lambda host: ["127.0.0.1"]) as fetcher,
          pytest.raises(PrivateAddressError, match="loopback")):
        fetcher.fetch(f"http://news.test:{server.port}/page", delay=0)
    assert [h.path for h in server.hits] == ["/robots.txt"]


def test_robots_size_is_capped(fetcher: Fetcher, server: RouteServer) -> None:
    """RFC 9309 lets us stop at 500 KiB; rules past the cut are not seen, and nothing fails."""
    filler = "# " + "x" * 78 + "\n"
    text = "User-agent: *\nDisallow: /early\n" + filler * 8000 + "Disallow: /late\n"
    server.routes["/robots.txt"] = robots(text)
    server.routes["/late"] = Response(200, b"ok")
    assert get(fetcher, server, "/late") == 200
    with pytest.raises(RobotsDisallowed):
        get(fetcher, server, "/early")


@pytest.mark.parametrize("url,origin", [
    ("http://Example.com/a/b?c", "http://example.com:80"),
    ("https://example.com./x", "https://example.com:443"),
    ("http://example.com:8080/", "http://example.com:8080"),
    ("http://[::1]:9000/x", "http://[::1]:9000"),
])
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


def test_product_token() -> None:
    assert product_token("Briefings/0.1.0 (+https://github.com/briefings-news/briefings)") == (
        "Briefings")
    assert product_token("NewsDesk") == "NewsDesk"
    assert product_token("") == "*"

