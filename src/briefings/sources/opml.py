"""OPML 2.0 in and out: how feed lists move between Briefings and every feed reader.

Export writes one outline per source holding one outline per feed, so a reader shows each paper
as a folder; the source's own facts ride along as extra attributes (OPML allows any), which other
readers ignore and `import_opml` reads back. Import accepts that shape and the usual reader
exports, where folders are topics ("Asia", "Business") rather than papers: there, feeds are
grouped by the site they belong to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from briefings.errors import ConfigError
from briefings.pipeline.types import SourceSpec

OPML_DOCS = "http://opml.org/spec2.opml"
SITEMAP_TYPE = "sitemap"  # not an OPML type; readers skip it since it carries no xmlUrl
_FACTS = ("language", "country", "region", "timezone")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NAME_TRIM = " -–—:|»·"


def export_opml(sources: Sequence[SourceSpec], title: str) -> str:
    """The sources as an OPML 2.0 document: one folder per source, one outline per feed."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "docs").text = OPML_DOCS
    body = etree.SubElement(root, "body")
    for spec in sources:
        group = etree.SubElement(body, "outline", text=spec.name, title=spec.name,
                                 htmlUrl=spec.homepage, slug=spec.slug)
        for name in _FACTS:
            if getattr(spec, name):
                group.set(name, getattr(spec, name))
        for url in spec.feeds:
            etree.SubElement(group, "outline", type="rss", text=spec.name, title=spec.name,
                             xmlUrl=url, htmlUrl=spec.homepage, language=spec.language)
        for url in spec.sitemaps:
            etree.SubElement(group, "outline", type=SITEMAP_TYPE, text=f"{spec.name} (sitemap)",
                             url=url)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8") + "\n"


def import_opml(text: str) -> list[SourceSpec]:
    """Sources from an OPML document, in document order; raises ConfigError if it is not OPML."""
    root = _parse(text)
    body = next((c for c in root if _local(c) == "body"), None)
    if body is None:
        raise ConfigError("OPML document has no <body>")
    groups: dict[str, _Group] = {}
    _collect(body, None, groups)
    used: set[str] = set()
    return [group.spec(used) for group in groups.values()]


@dataclass
class _Group:
    """The feeds gathered for one source, and the outline attributes that describe it."""

    attrs: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    from_folder: bool = False

    def spec(self, used: set[str]) -> SourceSpec:
        homepage = self.attrs.get("htmlUrl", "")
        urls = self.feeds + self.sitemaps
        label = self.attrs.get("text") or self.attrs.get("title") or ""
        if not (homepage or urls):
            raise ConfigError(f"OPML outline {label!r}: no htmlUrl and no feeds")
        _check_url(homepage or urls[0], label)
        if not self.from_folder or not homepage:
            homepage = _site_root(homepage or urls[0])
        site = _site_key(homepage)
        name = label or _common_name(self.names) or site
        slug = _unique_slug(self.attrs.get("slug", ""), name, site, used)
        zone = self.attrs.get("timezone") or "UTC"
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"OPML source {name!r}: unknown time zone {zone!r}") from exc
        return SourceSpec(
            slug=slug, name=name, homepage=homepage,
            country=self.attrs.get("country", "").upper(), region=self.attrs.get("region", ""),
            language=self.attrs.get("language") or "en", timezone=zone,
            feeds=tuple(dict.fromkeys(self.feeds)), sitemaps=tuple(dict.fromkeys(self.sitemaps)),
        )


def _collect(node: etree._Element, folder: _Group | None, groups: dict[str, _Group]) -> None:
    """Walk the outlines; a folder that names a site (htmlUrl or slug) is one source, even
    without feeds (discovery finds them); other folders are topics."""
    for outline in node:
        if _local(outline) != "outline":
            continue
        attrs = {k: v.strip() for k, v in outline.attrib.items() if isinstance(k, str)}
        kind = attrs.get("type", "").lower()
        url = attrs.get("xmlUrl") or (attrs.get("url", "") if kind == SITEMAP_TYPE else "")
        if not url:
            if attrs.get("htmlUrl") or attrs.get("slug"):
                key = f"folder:{len(groups)}"
                groups[key] = _Group(attrs, from_folder=True)
                _collect(outline, groups[key], groups)
            else:
                _collect(outline, folder, groups)  # a topic folder, not a paper
            continue
        label = attrs.get("text") or attrs.get("title") or ""
        _check_url(url, label)
        group = folder
        if group is None:
            key = _site_key(attrs.get("htmlUrl") or url)
            group = groups.setdefault(key, _Group())
            group.names.append(label)
            for name in (*_FACTS, "htmlUrl"):
                if attrs.get(name) and name not in group.attrs:
                    group.attrs[name] = attrs[name]
        elif "language" not in group.attrs and attrs.get("language"):
            group.attrs["language"] = attrs["language"]
        (group.sitemaps if kind == SITEMAP_TYPE else group.feeds).append(url)


def _parse(text: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"not an OPML document: {exc}") from exc
    if _local(root) != "opml":
        raise ConfigError(f"not an OPML document: the root element is <{_local(root)}>")
    return root


def _check_url(url: str, label: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"OPML outline {label!r}: not an http(s) URL: {url!r}")


def _site_key(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _common_name(names: list[str]) -> str:
    """"The Star - Nation" and "The Star - Business" come from "The Star"."""
    names = [n for n in names if n]
    if len(set(names)) <= 1:
        return names[0] if names else ""
    words = [n.split() for n in names]
    common: list[str] = []
    for column in zip(*words, strict=False):
        if len(set(column)) > 1:
            break
        common.append(column[0])
    return " ".join(common).strip(_NAME_TRIM)


def _unique_slug(wanted: str, name: str, site: str, used: set[str]) -> str:
    base = wanted if _SLUG.match(wanted) else _slugify(name) or _slugify(site) or "source"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""
