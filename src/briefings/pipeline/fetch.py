"""The fetch stage: URL -> Page, politely and defensively.

One `Fetcher` serves every thread of the ingest orchestrator. It owns one httpx client whose
transport checks every connection against the address policy (see `netguard`), follows redirects
itself so each hop passes robots.txt and that policy, and keeps per-host politeness: one request
at a time per host (netloc), and `delay` seconds (or the site's Crawl-delay, if longer) between
the end of one request and the start of the next. Hosts proceed in parallel.

Failures come back as the `FetchError` subclasses of `briefings.errors`, each naming the URL:
5xx, 429, timeouts and connection errors are retried with exponential backoff (or the server's
Retry-After); other 4xx fail at once. Bodies are capped while streaming, and compressed bodies are
inflated step by step, so neither a huge page nor a gzip bomb can fill memory.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from briefings import __version__
from briefings.errors import (
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    PrivateAddressError,
    TooLargeError,
    TooManyRedirects,
    TransportError,
)
from briefings.pipeline.charset import decode
from briefings.pipeline.netguard import ALLOW_PRIVATE, GuardedTransport, Resolver, system_resolver
from briefings.pipeline.robots import RobotsCache
from briefings.pipeline.types import Page

DEFAULT_USER_AGENT = f"Briefings/{__version__} (+https://github.com/briefings-news/briefings)"
DEFAULT_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/feed+json,application/xml;q=0.9,*/*;q=0.8"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB; we cut there
_BOMB_FLOOR = 1024 * 1024  # the ratio guard starts once this much has been inflated
_INFLATE_STEP = 256 * 1024  # bytes inflated per zlib call, so the guards run often


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """Every limit of the fetcher; the defaults suit polling newspapers."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0  # seconds to open a connection
    read_timeout: float = 30.0  # seconds of silence allowed while reading
    max_seconds: float = 120.0  # wall-clock cap on one attempt, against slow-drip servers
    max_bytes: int = 10 * 1024 * 1024  # cap on the body, compressed and decompressed
    max_redirects: int = 5
    retries: int = 3  # further attempts after a retryable failure
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_retry_after: float = 120.0  # a longer Retry-After fails at once instead of waiting
    max_decompression_ratio: float = 100.0  # inflated/compressed size; past it, a bomb
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay is honoured up to this
    robots_ttl: float = 86400.0  # how long a fetched robots.txt is trusted
    robots_error_ttl: float = 600.0  # how long an unreachable site counts as disallowed
    private_hosts: frozenset[str] = field(default_factory=frozenset)  # see netguard


@dataclass(frozen=True, slots=True)
class _Answer:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class _HostSlot:
    """Politeness for one host: a lock held for the whole request, and when it may go next."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_end = float("-inf")
        self._not_before = float("-inf")

    @contextmanager
    def turn(self, delay: float) -> Iterator[None]:
        with self._lock:
            wait = max(self._last_end + delay, self._not_before) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last_end = time.monotonic()

    def hold_off(self, seconds: float) -> None:
        """Nobody (any thread) asks this host again for `seconds`: backoff and Retry-After."""
        self._not_before = max(self._not_before, time.monotonic() + seconds)


class _BodyReader:
    """Collects a body under the size cap, inflating gzip/deflate in bounded steps."""

    def __init__(self, url: str, encoding: str, limit: int, ratio: float, truncate: bool) -> None:
        self.url, self.encoding, self.limit, self.ratio = url, encoding, limit, ratio
        self.truncate = truncate
        self.parts: list[bytes] = []
        self.size = 0
        self.raw = 0
        self._inflater: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding not in ("", "identity", "deflate"):
            raise TransportError(f"{url}: unsupported Content-Encoding {encoding!r}", url=url)

    def feed(self, chunk: bytes) -> bool:
        """Take one raw chunk; False once a truncating read has all it wants."""
        self.raw += len(chunk)
        if self.encoding == "deflate" and self._inflater is None:
            # "deflate" should mean zlib-wrapped, but some servers send raw deflate: look.
            zlib_wrapped = len(chunk) < 2 or (
                chunk[0] & 0x0F == 8 and int.from_bytes(chunk[:2]) % 31 == 0)
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
        if self._inflater is None:
            return self._add(chunk)
        data = chunk
        while data:
            try:
                piece = self._inflater.decompress(data, _INFLATE_STEP)
            except zlib.error as exc:
                raise TransportError(f"{self.url}: corrupt {self.encoding} body: {exc}",
                                     url=self.url) from exc
            data = self._inflater.unconsumed_tail
            if not self._add(piece, consumed=self.raw - len(data)):
                return False
        return True

    def finish(self) -> bytes:
        # After a truncated read, flush() would inflate the unread input in one go: skip it.
        if self._inflater is not None and self.size < self.limit:
            self._add(self._inflater.flush(), consumed=self.raw)
        return b"".join(self.parts)

    def _add(self, piece: bytes, consumed: int = 0) -> bool:
        room = self.limit - self.size
        if len(piece) > room:
            if self.truncate:
                self.parts.append(piece[:room])
                self.size = self.limit
                return False
            what = "decompressed body" if self._inflater is not None else "body"
            raise TooLargeError(f"{self.url}: {what} passed the {self.limit}-byte cap",
                                url=self.url)
        self.size += len(piece)
        self.parts.append(piece)
        bomb = self.size > _BOMB_FLOOR and self.size > self.ratio * max(consumed, 1)
        if self._inflater is not None and bomb:
            raise TooLargeError(
                f"{self.url}: decompression bomb: {consumed} {self.encoding} bytes inflated "
                f"to over {self.size} (ratio over {self.ratio:.0f}); stopped reading",
                url=self.url,
            )
        return True


class Fetcher:
    """Fetches URLs into Pages; thread-safe, meant to be shared by all workers of a process."""

    def __init__(self, config: FetchConfig | None = None, *,
                 resolver: Resolver = system_resolver) -> None:
        self.config = config or FetchConfig()
        cfg = self.config
        self._client = httpx.Client(
            transport=GuardedTransport(resolver, cfg.private_hosts),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(connect=cfg.connect_timeout, read=cfg.read_timeout,
                                  write=cfg.read_timeout, pool=cfg.connect_timeout),
            headers={"User-Agent": cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots = RobotsCache(cfg.user_agent, cfg.robots_ttl, cfg.robots_error_ttl)
        self._slots: dict[str, _HostSlot] = {}
        self._slots_lock = threading.Lock()

    def fetch(self, url: str, *, delay: float = 1.0, allow_private: bool = False,
              etag: str = "", last_modified: str = "", accept: str = DEFAULT_ACCEPT) -> Page:
        """GET `url`: a Page for 2xx or 304 (empty text), else a FetchError subclass."""
        started = time.monotonic()
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            answer = self._follow(url, headers, delay=delay, allow_private=allow_private)
        except FetchError as exc:
            exc.url = exc.url or url
            raise
        status = answer.status
        if status >= 300 and status != 304:
            raise HTTPStatusError(f"{answer.url}: HTTP {status} {_phrase(status)}",
                                  url=url, status=status)
        content_type = answer.headers.get("content-type", "")
        text, charset = decode(answer.body, content_type) if status != 304 else ("", "utf-8")
        return Page(
            url=url,
            final_url=answer.url,
            status=status,
            text=text,
            content=answer.body,
            charset=charset,
            content_type=content_type,
            etag=answer.headers.get("etag", ""),
            last_modified=answer.headers.get("last-modified", ""),
            fetched_at=datetime.now(UTC),
            elapsed=time.monotonic() - started,
            headers=tuple(answer.headers.multi_items()),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _follow(self, url: str, headers: Mapping[str, str], *, delay: float,
                allow_private: bool, robots_txt: bool = False) -> _Answer:
        """Request `url` and follow its redirects, checking robots.txt before every hop.

        With `robots_txt` this is the request for a robots.txt itself: no robots check, and the
        body is cut at ROBOTS_MAX_BYTES instead of failing at the page cap.
        """
        limit = ROBOTS_MAX_BYTES if robots_txt else self.config.max_bytes
        current = _http_url(url)
        for _ in range(self.config.max_redirects + 1):
            hop_delay = delay
            if not robots_txt:
                try:
                    rules = self._robots.rules_for(
                        str(current), lambda robots_url: self._load_robots(
                            robots_url, delay=delay, allow_private=allow_private))
                except PrivateAddressError as exc:
                    raise PrivateAddressError(f"{current}: {exc}", url=str(current)) from None
                rules.check(str(current), self._robots.token)
                crawl_delay = min(rules.crawl_delay(self._robots.token),
                                  self.config.max_crawl_delay)
                hop_delay = max(delay, crawl_delay)
            answer = self._attempts(current, headers, delay=hop_delay,
                                    allow_private=allow_private, limit=limit, truncate=robots_txt)
            location = answer.headers.get("location", "").strip()
            if answer.status not in REDIRECT_STATUSES or not location:
                return answer
            current = _http_url(current.join(location))
        raise TooManyRedirects(
            f"{url}: more than {self.config.max_redirects} redirects (the last to {current})",
            url=url)

    def _load_robots(self, robots_url: str, *, delay: float,
                     allow_private: bool) -> tuple[int, bytes]:
        answer = self._follow(robots_url, {"Accept": "text/plain,*/*;q=0.5"}, delay=delay,
                              allow_private=allow_private, robots_txt=True)
        return answer.status, answer.body

    def _slot(self, url: httpx.URL) -> _HostSlot:
        netloc = url.netloc.decode("ascii").lower()
        with self._slots_lock:
            return self._slots.setdefault(netloc, _HostSlot())

    def _attempts(self, url: httpx.URL, headers: Mapping[str, str], *, delay: float,
                  allow_private: bool, limit: int, truncate: bool) -> _Answer:
        """One hop with retries: any answer that is not retryable, or the last failure raised."""
        cfg = self.config
        slot = self._slot(url)
        attempt = 0
        while True:
            attempt += 1
            with slot.turn(delay):
                try:
                    answer = self._once(url, headers, allow_private, limit, truncate)
                except httpx.TimeoutException as exc:
                    failure: FetchError = FetchTimeout(
                        f"{url}: {_describe(exc)} after {attempt} attempt(s)", url=str(url))
                    wait = cfg.backoff * 2 ** (attempt - 1)
                    cause: BaseException | None = exc
                except httpx.TransportError as exc:
                    failure = TransportError(
                        f"{url}: {_describe(exc)} after {attempt} attempt(s)", url=str(url))
                    wait = cfg.backoff * 2 ** (attempt - 1)
                    cause = exc
                else:
                    if answer.status not in RETRY_STATUSES:
                        return answer
                    status, cause = answer.status, None
                    asked = _retry_after(answer.headers.get("retry-after", ""))
                    if asked is not None and asked > cfg.max_retry_after:
                        raise HTTPStatusError(
                            f"{url}: HTTP {status} {_phrase(status)}, and the server asks us to "
                            f"wait {asked:.0f} s, longer than max_retry_after "
                            f"({cfg.max_retry_after:.0f} s)", url=str(url), status=status)
                    failure = HTTPStatusError(
                        f"{url}: HTTP {status} {_phrase(status)} after {attempt} attempt(s)",
                        url=str(url), status=status)
                    wait = asked if asked is not None else cfg.backoff * 2 ** (attempt - 1)
                if attempt > cfg.retries:
                    raise failure from cause
                slot.hold_off(wait)

    def _once(self, url: httpx.URL, headers: Mapping[str, str], allow_private: bool,
              limit: int, truncate: bool) -> _Answer:
        request = self._client.build_request("GET", url, headers=headers,
                                             extensions={ALLOW_PRIVATE: allow_private})
        try:
            response = self._client.send(request, stream=True)
        except PrivateAddressError as exc:  # raised at connect time, where the URL is unknown
            raise PrivateAddressError(f"{url}: {exc}", url=str(url)) from None
        try:
            body = b""
            if 200 <= response.status_code < 300:
                body = self._read(response, str(url), limit, truncate)
            return _Answer(str(url), response.status_code, response.headers, body)
        finally:
            response.close()

    def _read(self, response: httpx.Response, url: str, limit: int, truncate: bool) -> bytes:
        declared = response.headers.get("content-length", "")
        if "transfer-encoding" in response.headers:
            declared = ""  # RFC 9112: Transfer-Encoding overrides Content-Length
        if not truncate and declared.isdigit() and int(declared) > limit:
            raise TooLargeError(
                f"{url}: Content-Length {declared} is over the {limit}-byte cap", url=url)
        encoding = response.headers.get("content-encoding", "").strip().lower()
        reader = _BodyReader(url, encoding, limit, self.config.max_decompression_ratio, truncate)
        deadline = time.monotonic() + self.config.max_seconds
        for chunk in response.iter_raw():
            if not reader.feed(chunk):
                break
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout(f"body still arriving after {self.config.max_seconds} s")
        return reader.finish()


def _http_url(url: str | httpx.URL) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})", url=str(url)) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(f"{url}: only http and https URLs can be fetched", url=str(url))
    return parsed


def _retry_after(value: str) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or HTTP-date); None if absent."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _phrase(status: int) -> str:
    return httpx.codes.get_reason_phrase(status)


def _describe(exc: httpx.HTTPError) -> str:
    kind = type(exc).__name__
    return f"{kind}: {exc}" if str(exc) else kind
