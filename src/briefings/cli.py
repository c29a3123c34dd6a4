"""The `briefings` command: our subcommands, and Django's management commands for the rest."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

COMMANDS = {
    "config": "print the effective settings and where each came from",
    "sources": "list sources with their health; discover feeds; import or export OPML",
    "ingest": "poll, fetch, extract and store the sources' new articles",
    "extract": "extract articles from files or URLs and print them as JSON lines",
    "stories": "list the latest stories; replay a labelled file through the clustering",
    "entities": "print the people, organisations, places, countries and regions of files",
    "serve": "serve the site with a production server and ingest on a schedule",
    "demo": "start the sample newspapers, ingest them and serve the site",
}


def setup_django() -> None:
    """Configure Django once; commands that touch the store call this before importing models."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefings.settings")
    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefings",
        description="Briefings: a self-hosted news desk. Django's management commands "
        "(migrate, createsuperuser, ...) work too.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"briefings.commands.{name}")
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and not args_list[0].startswith("-") and args_list[0] not in COMMANDS:
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["briefings", *args_list])
        return 0
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(f"briefings.commands.{args.command}")
    from briefings.errors import ConfigError

    try:
        return int(module.run(args))
    except ConfigError as exc:
        print(f"briefings: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
