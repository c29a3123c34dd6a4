"""Canonical URLs: one spelling per article, so the same story fetched twice is one row.

`canonical_url` rewrites what never changes the page served: scheme and host case, default
ports, fragments, tracking parameters, the order of query parameters, and the AMP and mobile
variants of an article page.

Host rule: a mobile host (`m.`, `mobile.`) or an AMP host (`amp.`) maps to the `www.` host of
the same site, since papers run their desktop site there and it is the form that resolves; a
bare host (`example.com`) and a `www.` host are kept as they are, because either may be the only
one that answers. `/index.html` is not stripped: a server may answer differently for a directory
and its index file, and a page's own `<link rel=canonical>` settles the rare case it matters.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "ttclid", "wbraid",
        "gbraid", "mc_cid", "mc_eid", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp",
        "ocid", "ncid", "ito", "igshid", "igsh", "_ga", "_gl", "_hsenc", "_hsmi", "__hstc",
        "__hssc", "__hsfp", "hsctatracking", "mkt_tok", "vero_id", "vero_conv", "wt.mc_id",
        "wt_mc", "sr_share", "smid", "smtyp", "s_kwcid", "xtor", "guccounter", "guce_referrer",
        "guce_referrer_sig", "at_medium", "at_campaign", "ns_mchannel", "ns_source",
        "ns_campaign", "ns_linkname", "ns_fee", "soc_src", "soc_trk", "trk", "spm", "share_id",
    }
)
TRACKING_PREFIXES = ("utm_", "at_custom", "pk_", "mtm_")
AMP_PARAMS = {"amp": {"", "1", "true", "yes"}, "outputtype": {"amp"}}
DEFAULT_PORTS = {"http": 80, "https": 443}
ALTERNATE_HOST = re.compile(r"^(?:m|mobile|amp)\.(?=[^.]+\.[^.]+)")
AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$)|\.amp$", re.IGNORECASE)
PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
# second-level labels under which a country code registers names (news.example.co.jp)
SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "ne", "or", "go", "gov", "edu", "gob"})


def canonical_url(url: str) -> str:
    """The canonical spelling of an http(s) URL; other URLs come back stripped but unchanged."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.rstrip(".")
    host = ALTERNATE_HOST.sub("www.", host)
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _canonical_path(parts.path)
    query = _canonical_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _canonical_path(path: str) -> str:
    """Drop AMP path markers (`/amp/`, a last `/amp`, `amp_x`, `.amp.html`); upper-case escapes."""
    if not path:
        return "/"
    segments = path.split("/")
    if len(segments) > 2 and segments[-1].lower() == "amp":
        segments.pop()
    kept = [s for s in segments[:-1] if s.lower() != "amp"] + segments[-1:]
    kept = [s[4:] if s.lower().startswith("amp_") and len(s) > 4 else s for s in kept]
    path = AMP_SUFFIX.sub("", "/".join(kept)) or "/"
    return PERCENT_ESCAPE.sub(lambda m: m.group(0).upper(), path)


def _canonical_query(query: str) -> str:
    """Drop tracking and AMP parameters; sort the rest by name, keeping each one's spelling."""
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        name_low, value_low = unquote_plus(name).lower(), unquote_plus(value).lower()
        if name_low in TRACKING_PARAMS or name_low.startswith(TRACKING_PREFIXES):
            continue
        if value_low in AMP_PARAMS.get(name_low, ()):
            continue
        kept.append((unquote_plus(name), piece))
    kept.sort(key=lambda pair: pair[0])
    return "&".join(piece for _, piece in kept)


def absolute_url(href: str, base: str) -> str:
    """`href` resolved against `base`, or "" unless the result is an http(s) URL."""
    href = href.strip()
    if not href:
        return ""
    try:
        resolved = urljoin(base, href)
        parts = urlsplit(resolved)
    except ValueError:
        return ""
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return ""
    return resolved


def site_of(url: str) -> str:
    """The registrable part of a URL's host: news.example.co.jp -> example.co.jp."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(a: str, b: str) -> bool:
    """Whether two URLs belong to one site (any subdomains of the same registrable domain)."""
    site = site_of(a)
    return bool(site) and site == site_of(b)
