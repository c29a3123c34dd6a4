"""`briefings config`: the effective value of every setting and where it came from."""

from __future__ import annotations

import argparse
import json

from briefings import config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")


def run(args: argparse.Namespace) -> int:
    values = config.load()
    rows = config.describe(values)
    if args.json:
        shown = {env: {"value": value, "origin": origin} for env, value, origin, _ in rows}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    width = max(len(env) for env, *_ in rows)
    for env, value, origin, help_text in rows:
        print(f"{env:<{width}}  {value}  [{origin}]")
        print(f"{'':<{width}}  {help_text}")
    print(f"{'(database)':<{width}}  {config.database_url(values)}")
    print(f"{'(sources)':<{width}}  {config.sources_file(values)}")
    return 0
