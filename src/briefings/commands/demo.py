"""`briefings demo [--once]`: the sample newspapers, ingested into a fresh demo database, served.

The demo keeps its own database (HOME/demo/) so it never mixes with a real newsroom's, and starts
it afresh each time because the sample papers get new ports on every run.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true",
                        help="ingest the sample papers, print the summary and exit")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _fresh_demo_database() -> None:
    if os.environ.get("BRIEFINGS_DATABASE_URL"):
        return
    from briefings import config

    folder = config.home(config.load()) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "briefings.sqlite3"
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    os.environ["BRIEFINGS_DATABASE_URL"] = f"sqlite:///{database}"


def run(args: argparse.Namespace) -> int:
    _fresh_demo_database()
    from briefings.cli import setup_django

    setup_django()
    from django.conf import settings

    from briefings.commands.serve import prepare
    from briefings.demo.server import DemoNewspapers
    from briefings.newsroom.runner import print_report, run_ingest
    from briefings.server import Scheduler, ingest_command, serve
    from briefings.sources.catalog import sync_sources

    prepare()
    with DemoNewspapers() as papers:
        print(f"Sample newspapers: {len(papers.papers)} papers on 127.0.0.1", flush=True)
        sync_sources(papers.sources())
        report = run_ingest(progress=False if args.no_progress else None)
        print_report(report)
        if args.once:
            return 0
        minutes = int(settings.BRIEFINGS["ingest_interval"])
        scheduler = Scheduler(ingest_command("--no-sync"), minutes) if minutes else None
        serve(args.host, args.port, threads=int(settings.BRIEFINGS["server_threads"]),
              scheduler=scheduler)
    return 0
