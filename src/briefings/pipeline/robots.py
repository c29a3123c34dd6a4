"""robots.txt rules per origin (scheme, host, port), fetched once and cached, read per RFC 9309.

The cache does not fetch by itself: the fetcher hands it a loader that requests robots.txt through
the same guarded client as any page (address policy, size cap, timeouts, redirects, politeness).
How an answer is read (RFC 9309 section 2.3.1):

- 2xx: the file's rules; its `Crawl-delay` for our product token raises the host's delay.
- 4xx other than 429: "unavailable", so everything is allowed.
- 429, 5xx, or no answer at all: "unreachable", so everything is disallowed for `error_ttl`
  seconds, then we ask again. The fetch that finds the site unreachable fails with that
  transport error or timeout (the truth about the host); fetches during the wait fail with
  RobotsDisallowed, naming the cause, without touching the host.
- more redirects than we follow: unavailable, so allowed (the RFC lets crawlers choose).

A private-address refusal is never cached: it depends on the fetch's `allow_private`, not on
the site.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from briefings.errors import (
    FetchError,
    HTTPStatusError,
    PrivateAddressError,
    RobotsDisallowed,
    TooManyRedirects,
)

RobotsLoader = Callable[[str], tuple[int, bytes]]
"""Fetches a robots.txt URL: returns (status, body) or raises a FetchError."""


def origin_of(url: str) -> str:
    """scheme://host:port with the default port spelled out, the key robots.txt applies to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def product_token(user_agent: str) -> str:
    """`Briefings` from `Briefings/0.1 (+https://...)`: what robots.txt groups are matched on."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt says, or why we treat the origin as closed."""

    origin: str
    expires: float  # time.monotonic() after which the rules are fetched again
    parser: Protego | None = None  # None: no rules, everything allowed (unless `closed`)
    closed: str = ""  # non-empty: the site was unreachable; this says why

    def check(self, url: str, token: str) -> None:
        """Raise RobotsDisallowed unless `url` may be fetched by `token`."""
        if self.closed:
            raise RobotsDisallowed(
                f"robots.txt of {self.origin} was unreachable ({self.closed}); per RFC 9309 the "
                "site counts as disallowed until we ask again",
                url=url,
            )
        if self.parser is not None and not self.parser.can_fetch(url, token):
            raise RobotsDisallowed(f"robots.txt of {self.origin} disallows {url} for {token}",
                                   url=url)

    def crawl_delay(self, token: str) -> float:
        if self.parser is None:
            return 0.0
        return float(self.parser.crawl_delay(token) or 0.0)


class RobotsCache:
    """Thread-safe: one load per origin at a time; other threads wait for its result."""

    def __init__(self, user_agent: str, ttl: float = 86400.0, error_ttl: float = 600.0) -> None:
        self.token = product_token(user_agent)
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._rules: dict[str, RobotsRules] = {}
        self._loading: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def rules_for(self, url: str, load: RobotsLoader) -> RobotsRules:
        """The cached rules for the origin of `url`, loading robots.txt when missing or stale."""
        origin = origin_of(url)
        with self._lock:
            rules = self._rules.get(origin)
            if rules is not None and rules.expires > time.monotonic():
                return rules
            loading = self._loading.setdefault(origin, threading.Lock())
        with loading:
            with self._lock:
                rules = self._rules.get(origin)
            if rules is not None and rules.expires > time.monotonic():
                return rules  # another thread loaded it while we waited
            try:
                rules = self._load(origin, load)
            except PrivateAddressError:
                raise
            except FetchError as exc:  # no answer at all: closed for a while, and say why now
                closed = RobotsRules(origin, time.monotonic() + self._error_ttl, closed=str(exc))
                with self._lock:
                    self._rules[origin] = closed
                raise
            with self._lock:
                self._rules[origin] = rules
            return rules

    def _load(self, origin: str, load: RobotsLoader) -> RobotsRules:
        try:
            status, body = load(origin + "/robots.txt")
        except TooManyRedirects:
            status, body = 404, b""
        except HTTPStatusError as exc:
            status, body = exc.status, b""
        now = time.monotonic()
        if 200 <= status < 300:
            parser = Protego.parse(body.decode("utf-8", errors="replace"))
            return RobotsRules(origin, now + self._ttl, parser=parser)
        if status == 429 or status >= 500:
            return RobotsRules(origin, now + self._error_ttl, closed=f"HTTP {status}")
        return RobotsRules(origin, now + self._ttl)
