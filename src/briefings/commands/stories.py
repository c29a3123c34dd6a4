"""`briefings stories`: the day's stories, or a replay of a labelled file through the clustering.

    briefings stories [--since 24h] [--json]
    briefings stories eval FILE.jsonl[.gz] [--score]

The list shows each story updated in the period, broadest first, with its papers. `eval` replays
a file of articles (`id, title, text, date, source, lang`) through dedupe and clustering with the
ingest's settings in a throwaway store and prints `{"id": ..., "story": ...}` per article;
`--score` also prints BCubed precision, recall and F1 against the file's `cluster` labels.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from briefings.errors import ConfigError

_PERIOD = re.compile(r"(\d+)\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def period(text: str) -> timedelta:
    found = _PERIOD.fullmatch(text.strip().lower())
    if found is None:
        raise ConfigError(f"--since {text!r}: give a number and a unit, like 24h, 90m, 3d or 1w")
    return timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["eval"],
                        help="eval: replay FILE through dedupe and clustering")
    parser.add_argument("file", nargs="?", type=Path, help="articles, one JSON object per line")
    parser.add_argument("--since", default="24h", help="stories updated this recently (24h)")
    parser.add_argument("--json", action="store_true", help="one JSON object per story")
    parser.add_argument("--score", action="store_true",
                        help="eval: print BCubed against the file's `cluster` labels to stderr")


def run(args: argparse.Namespace) -> int:
    if args.action == "eval":
        if args.file is None:
            raise ConfigError("stories eval needs a FILE.jsonl[.gz]")
        return _eval(args.file, args.score)
    if args.file is not None:
        raise ConfigError(f"unexpected argument {args.file}; did you mean `stories eval`?")
    return _list(args.since, args.json)


def _list(since: str, as_json: bool) -> int:
    from briefings.cli import setup_django

    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from briefings.newsroom.models import Story

    span = period(since)
    call_command("migrate", verbosity=0, interactive=False)
    stories = Story.objects.filter(last_updated__gte=timezone.now() - span).order_by(
        "-breadth", "-last_updated", "-id")
    for story in stories:
        if as_json:
            print(json.dumps({"id": story.pk, "headline": story.headline,
                              "papers": story.papers, "breadth": story.breadth,
                              "articles": story.size, "summary": story.summary,
                              "first_seen": story.first_seen.isoformat(),
                              "last_updated": story.last_updated.isoformat()},
                             ensure_ascii=False))
        else:
            print(f"[{story.breadth}] {story.headline}")
            print(f"    {', '.join(story.papers)}")
    if not as_json:
        print(f"{len(stories)} stories updated in the last {since.strip()}")
    return 0


def _eval(path: Path, score: bool) -> int:
    from briefings.cli import setup_django

    home = tempfile.mkdtemp(prefix="briefings-eval-")
    os.environ["BRIEFINGS_HOME"] = home
    os.environ["BRIEFINGS_DATABASE_URL"] = f"sqlite:///{home}/eval.sqlite3"
    setup_django()
    from django.core.management import call_command

    from briefings.newsroom.replay import read_items, replay

    items, problems = read_items(path)
    for problem in problems:
        print(f"briefings: skipped {problem}", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    placed = dict(replay(items))
    for item in items:
        print(json.dumps({"id": item.id, "story": placed[item.id]}, ensure_ascii=False))
    if score:
        _score(path, placed)
    return 1 if problems else 0


def _score(path: Path, placed: dict[str, int]) -> None:
    import gzip

    from briefings.bcubed import bcubed

    opener = gzip.open if path.suffix == ".gz" else open
    gold = {}
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            try:
                row = json.loads(line)
            except ValueError:
                continue  # already reported by the replay
            if isinstance(row, dict) and "cluster" in row and str(row.get("id")) in placed:
                    gold[str(row["id"])] = row["cluster"]
    ids = sorted(gold)
    result = bcubed([placed[i] for i in ids], [gold[i] for i in ids])
    print(json.dumps({"articles": len(ids), "precision": round(result.precision, 4),
                      "recall": round(result.recall, 4), "f1": round(result.f1, 4)}),
          file=sys.stderr)
