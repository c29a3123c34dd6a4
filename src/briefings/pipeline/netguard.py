"""Address policy for the fetcher: which IP addresses a request may connect to.

Feeds are hostile input: an entry URL, or a redirect from a real newspaper, can point at
`http://127.0.0.1:8000/admin/`, at a cloud metadata service (169.254.169.254) or at a machine on
the operator's network. So, unless a fetch passes `allow_private=True`, we refuse every address
that is not globally routable: private, loopback, link-local, shared (100.64/10), reserved,
multicast and unspecified, IPv4 and IPv6 alike, and IPv6 forms that embed one of those IPv4
addresses (IPv4-mapped, IPv4-compatible, 6to4, NAT64).

Where the check happens: at connect time, inside an httpcore network backend. The backend
resolves the host itself, checks every address it got, and connects to a checked address, so a
DNS answer that changes between a check and the connection (DNS rebinding) cannot slip through,
and every redirect hop is checked simply because every hop opens, or reuses, a connection made
under the same policy. IP literals are checked the same way as resolved names.

Exemptions: `allow_private=True` on a fetch lifts the policy for that fetch (a source configured
with `allow_private`, such as the demo newspapers on localhost). Finer grained, an operator may
name hosts in `FetchConfig.private_hosts` (an intranet wire service, say): exactly those host
names may resolve to private addresses, while any other name, and every IP literal, reached
directly or by a redirect from them, is still checked. The exemption is never inferred from the
URL being fetched, since entry URLs come from feeds, i.e. from strangers. (This is also what
keeps the loopback tests honest: the source host `news.test` is exempt and resolves to
127.0.0.1, and its redirect to `http://127.0.0.1:<port>/` is refused before any connection.)

Requests go through one of two connection pools, strict or open, chosen per request by the
`ALLOW_PRIVATE` request extension, so a connection opened for a permissive fetch is never reused
by a strict one.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import httpcore
import httpx

from briefings.errors import PrivateAddressError

Resolver = Callable[[str], Sequence[str]]
"""Maps a host name to its IP addresses (strings); tests pass their own to name hosts."""

ALLOW_PRIVATE = "briefings.allow_private"
"""Request extension key: truthy sends the request through the open (unchecked) pool."""

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT, not global in 3.11 either


def system_resolver(host: str) -> list[str]:
    """The system's getaddrinfo, reduced to distinct address strings in the order given."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for *_, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


def address_problem(ip: str) -> str | None:
    """Why `ip` is not a public address ("loopback", "private", ...), or None when it is."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            problem = address_problem(str(embedded))
            return None if problem is None else f"{problem} (embedded in {address})"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared", isinstance(address, ipaddress.IPv4Address) and address in _SHARED),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not global", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it is one of the translation forms."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    packed = address.packed
    if address in _NAT64 or (packed[:12] == bytes(12) and int(address) > 1):
        return ipaddress.IPv4Address(packed[12:])  # NAT64, or deprecated IPv4-compatible ::a.b.c.d
    return None


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Decides whether `host`, resolved to `ips`, may be connected to."""

    allow_private: bool = False
    private_hosts: frozenset[str] = frozenset()  # lower-case names exempt from the check

    def check(self, host: str, ips: Sequence[str]) -> None:
        """Raise PrivateAddressError unless every address of `host` is acceptable."""
        name = host.lower().rstrip(".")
        if self.allow_private or (name in self.private_hosts and not _is_ip_literal(name)):
            return
        for ip in ips:
            problem = address_problem(ip)
            if problem is not None:
                shown = host if host == ip else f"{host} ({ip})"
                raise PrivateAddressError(
                    f"refusing to connect to {shown}: {problem} address "
                    "(private addresses are not allowed for this source)"
                )


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks with the policy, then connects to a checked address."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if _is_ip_literal(host):
            ips: Sequence[str] = [host]
        else:
            try:
                ips = self._resolver(host)
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
            if not ips:
                raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        self._policy.check(host, ips)
        failure: Exception | None = None
        for ip in ips:
            try:
                return self._inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None  # ips is not empty, so the loop ran
        raise failure

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PoolTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool that uses our backend.

    httpx 0.28 has no public way to hand a network backend to its transport, so we swap the pool
    it built for one of ours; everything else (request conversion, exception mapping) stays its.
    """

    def __init__(self, backend: GuardedBackend, limits: httpx.Limits,
                 ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


class GuardedTransport(httpx.BaseTransport):
    """Sends each request through the strict or the open pool (see the module docstring)."""

    def __init__(
        self,
        resolver: Resolver = system_resolver,
        private_hosts: Iterable[str] = (),
        limits: httpx.Limits | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=50)
        exempt = frozenset(h.lower().rstrip(".") for h in private_hosts)
        context = httpx.create_ssl_context(trust_env=False)  # loading CAs is slow: do it once
        self._strict = _PoolTransport(
            GuardedBackend(AddressPolicy(False, exempt), resolver), limits, context
        )
        self._open = _PoolTransport(GuardedBackend(AddressPolicy(True), resolver), limits, context)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        pool = self._open if request.extensions.get(ALLOW_PRIVATE) else self._strict
        return pool.handle_request(request)

    def close(self) -> None:
        self._strict.close()
        self._open.close()
