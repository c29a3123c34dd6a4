"""`briefings sources`: list with health, discover feeds for a homepage, OPML in and out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(action="list")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    sub.add_parser("list", help="every source with its feeds and health (the default)")
    discover = sub.add_parser("discover", help="find the feeds and sitemaps of a homepage")
    discover.add_argument("url")
    discover.add_argument("--allow-private", action="store_true",
                          help="allow private and loopback addresses (local test servers)")
    discover.add_argument("--delay", type=float, default=1.0,
                          help="seconds between two requests to the site (default 1)")
    imp = sub.add_parser("import-opml", help="add the sources and feeds of an OPML file")
    imp.add_argument("file", type=Path)
    exp = sub.add_parser("export-opml", help="write every source's feeds as OPML")
    exp.add_argument("file", type=Path, nargs="?", help="default: standard output")


def run(args: argparse.Namespace) -> int:
    if args.action == "discover":
        return discover(args.url, allow_private=args.allow_private, delay=args.delay)
    from briefings.cli import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from briefings import config
    from briefings.sources.catalog import load_sources, sync_sources

    call_command("migrate", verbosity=0, interactive=False)
    if args.action == "import-opml":
        return import_opml(args.file)
    path = config.sources_file(config.load())
    sync_sources(load_sources(path, default_delay=float(settings.BRIEFINGS["default_delay"])))
    if args.action == "export-opml":
        return export_opml(args.file)
    return list_sources()


def list_sources() -> int:
    from briefings.sources.models import Source

    sources = list(Source.objects.prefetch_related("feeds").all())
    from briefings.textwidth import columns, pad

    width = max([len("source"), *(columns(s.name) for s in sources)])
    print(f"{pad('source', width)}  {'slug':<22} {'country':<7} {'health':<8} "
          f"{'feeds':>5}  last ingest       error")
    for s in sources:
        feeds = sum(1 for f in s.feeds.all() if f.enabled)
        last = s.last_ingest_at.strftime("%Y-%m-%d %H:%M") if s.last_ingest_at else "never"
        print(f"{pad(s.name, width)}  {s.slug:<22} {s.country:<7} {s.health:<8} {feeds:>5}  "
              f"{last:<17} {s.last_error[:60]}")
    print(f"{len(sources)} sources")
    return 0


def discover(url: str, *, allow_private: bool, delay: float) -> int:
    """Print a sources.toml fragment with every feed and sitemap that really parses."""
    from briefings.errors import BriefingsError
    from briefings.sources.discovery import discover_feeds

    try:
        found = discover_feeds(url, allow_private=allow_private, delay=delay)
    except BriefingsError as exc:
        print(f"briefings: {url}: {exc}", file=sys.stderr)
        return 1
    for note in found.notes:
        print(f"# {note}", file=sys.stderr)
    print(found.as_toml())
    return 0 if (found.feeds or found.sitemaps) else 1


def import_opml(path: Path) -> int:
    from briefings.sources.catalog import sync_sources
    from briefings.sources.opml import import_opml as parse

    specs = parse(path.read_text(encoding="utf-8"))
    for source in sync_sources(specs):
        print(f"{source.slug}: {source.name} ({source.feeds.count()} feeds)")
    print(f"{len(specs)} sources imported")
    return 0


def export_opml(path: Path | None) -> int:
    from django.conf import settings

    from briefings.sources.models import Source
    from briefings.sources.opml import export_opml as render

    specs = [s.spec() for s in Source.objects.prefetch_related("feeds")]
    text = render(specs, title=f"{settings.BRIEFINGS['site_name']} sources")
    if path is None:
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")
        print(f"{len(specs)} sources written to {path}")
    return 0
