"""`briefings ingest [--source SLUG]`: sync sources.toml, then poll, fetch, extract and store."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", action="append", default=[], metavar="SLUG",
                        help="only this source (repeatable)")
    parser.add_argument("--no-sync", action="store_true",
                        help="use the sources already in the database; do not read sources.toml")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from briefings.cli import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from briefings import config
    from briefings.newsroom.runner import print_report, run_ingest
    from briefings.sources.catalog import load_sources, sync_sources

    call_command("migrate", verbosity=0, interactive=False)
    if not args.no_sync:
        path = config.sources_file(config.load())
        sync_sources(load_sources(path, default_delay=float(settings.BRIEFINGS["default_delay"])))
    report = run_ingest(args.source, progress=False if args.no_progress else None)
    print_report(report)
    return 0
