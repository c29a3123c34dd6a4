"""Every error Briefings raises on purpose, in one tree.

    BriefingsError
    ├── ConfigError               a setting or sources.toml entry is invalid
    ├── FetchError                a URL could not be fetched; `reason` is a short code
    │   ├── RobotsDisallowed      robots.txt forbids the URL for our User-Agent
    │   ├── PrivateAddressError   the host resolves to a private/loopback/link-local address
    │   ├── TooLargeError         the body (or its decompressed form) passed the size cap
    │   ├── TooManyRedirects      the redirect chain passed the limit
    │   ├── FetchTimeout          connect/read timed out after the retries
    │   ├── HTTPStatusError       a final 4xx/5xx answer after the retries
    │   └── TransportError        DNS, TLS, connection reset and other transport failures
    ├── FeedError                 a feed or sitemap could not be parsed into entries
    └── ExtractError              a page held no article we could extract

Orchestrators catch `BriefingsError`, record `reason` and the message on the row the failure
belongs to (source, feed, page), and go on with the rest of the job.
"""

from __future__ import annotations


class BriefingsError(Exception):
    """Base of all deliberate errors; `reason` is a stable short code for storage and reports."""

    reason = "error"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class ConfigError(BriefingsError):
    reason = "config"


class FetchError(BriefingsError):
    reason = "fetch"


class RobotsDisallowed(FetchError):
    reason = "robots"


class PrivateAddressError(FetchError):
    reason = "private-address"


class TooLargeError(FetchError):
    reason = "too-large"


class TooManyRedirects(FetchError):
    reason = "redirects"


class FetchTimeout(FetchError):
    reason = "timeout"


class HTTPStatusError(FetchError):
    reason = "http-status"

    def __init__(self, message: str, *, url: str | None = None, status: int = 0) -> None:
        super().__init__(message, url=url)
        self.status = status


class TransportError(FetchError):
    reason = "transport"


class FeedError(BriefingsError):
    reason = "feed"


class ExtractError(BriefingsError):
    reason = "extract"
