"""`briefings serve [--host H] [--port P]`: the site, and a scheduled ingest every N minutes."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-ingest", action="store_true",
                        help="serve only; no scheduled ingest")


def prepare() -> None:
    """Create or upgrade the database and gather static files (compressed for whitenoise)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def run(args: argparse.Namespace) -> int:
    from briefings.cli import setup_django

    setup_django()
    from django.conf import settings

    from briefings.server import Scheduler, ingest_command, serve

    prepare()
    minutes = 0 if args.no_ingest else int(settings.BRIEFINGS["ingest_interval"])
    scheduler = Scheduler(ingest_command(), minutes) if minutes else None
    serve(args.host, args.port, threads=int(settings.BRIEFINGS["server_threads"]),
          scheduler=scheduler)
    return 0
