"""sources.toml → SourceSpec, and SourceSpec → the Source and Feed rows.

The file is the operator's truth: syncing adds and updates sources and configured feeds, and
disables configured feeds that left the file. Feeds found by discovery are kept.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction

from briefings.errors import ConfigError
from briefings.pipeline.types import SourceSpec
from briefings.sources.models import Feed, Source

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEYS = {
    "slug", "name", "homepage", "country", "region", "language", "timezone", "feeds", "sitemaps",
    "full_text", "sections", "delay", "allow_private", "enabled",
}


def load_sources(path: Path, *, default_delay: float = 1.0) -> list[SourceSpec]:
    """Read and validate a sources.toml; every problem is reported with the source it belongs to."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    defaults = data.get("defaults", {})
    specs = [
        _spec({**defaults, **entry}, f"{path}: source #{i + 1}", default_delay)
        for i, entry in enumerate(data.get("source", []))
    ]
    seen: set[str] = set()
    for spec in specs:
        if spec.slug in seen:
            raise ConfigError(f"{path}: slug {spec.slug!r} is used twice")
        seen.add(spec.slug)
    return specs


def _spec(entry: dict[str, Any], where: str, default_delay: float) -> SourceSpec:
    unknown = set(entry) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("slug", "name", "homepage"):
        if not entry.get(key):
            raise ConfigError(f"{where}: {key} is required")
    where = f"{where} ({entry['slug']})"
    if not _SLUG.match(entry["slug"]):
        raise ConfigError(f"{where}: slug must be lower-case letters, digits and hyphens")
    urls = [entry["homepage"], *entry.get("feeds", []), *entry.get("sitemaps", [])]
    for url in urls:
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).hostname:
            raise ConfigError(f"{where}: not an http(s) URL: {url!r}")
    zone = entry.get("timezone", "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{where}: unknown time zone {zone!r}") from exc
    sections = entry.get("sections", {})
    if not isinstance(sections, dict):
        raise ConfigError(f"{where}: sections must be a table of the paper's name = ours")
    delay = float(entry.get("delay", default_delay))
    if delay < 0:
        raise ConfigError(f"{where}: delay must be zero or more")
    return SourceSpec(
        slug=entry["slug"], name=entry["name"], homepage=entry["homepage"],
        country=entry.get("country", "").upper(), region=entry.get("region", ""),
        language=entry.get("language", "en"), timezone=zone,
        feeds=tuple(entry.get("feeds", [])), sitemaps=tuple(entry.get("sitemaps", [])),
        full_text=bool(entry.get("full_text", True)),
        sections=tuple((str(k), str(v)) for k, v in sections.items()),
        delay=delay, allow_private=bool(entry.get("allow_private", False)),
        enabled=bool(entry.get("enabled", True)),
    )


@transaction.atomic
def sync_sources(specs: Iterable[SourceSpec]) -> list[Source]:
    """Upsert each spec's Source and configured feeds; idempotent."""
    rows = []
    for spec in specs:
        source, _ = Source.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name, "homepage": spec.homepage, "country": spec.country,
                "region": spec.region, "language": spec.language, "timezone": spec.timezone,
                "full_text": spec.full_text, "sections": [list(p) for p in spec.sections],
                "delay": spec.delay, "allow_private": spec.allow_private, "enabled": spec.enabled,
            },
        )
        wanted = {url: Feed.FEED for url in spec.feeds}
        wanted |= {url: Feed.SITEMAP for url in spec.sitemaps}
        for url, kind in wanted.items():
            Feed.objects.update_or_create(
                source=source, url=url,
                defaults={"kind": kind, "enabled": True, "discovered": False},
            )
        source.feeds.filter(discovered=False).exclude(url__in=wanted).update(enabled=False)
        rows.append(source)
    return rows
