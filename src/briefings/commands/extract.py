"""`briefings extract`: run the extractor on saved pages or live URLs, one result per input.

    briefings extract --json [--url URL] [--manifest FILE.jsonl] [--timezone ZONE] [FILE_OR_URL ...]

A FILE (optionally `.gz`) is decoded the way fetched pages are; `--url` gives a single file its
page URL, so relative links resolve and the canonical URL is right. A manifest line is
`{"path": "...", "url": "..."}` (url optional; a relative path is read from the manifest's
folder). A URL is fetched politely (robots.txt, retries, size caps). Every input prints one
JSON line; a failed input prints its error and the command goes on, exiting 1 at the end.

Before extracting anything, the command learns each site's furniture from all the inputs of
that site (pipeline/sitebatch.py), on top of what the store learned when a database is set up;
it writes nothing to the store. A file read twice costs less than keeping every page in memory;
fetched pages are kept, so a URL is fetched once.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefings import config
from briefings.errors import BriefingsError, ConfigError
from briefings.pipeline.charset import decode
from briefings.pipeline.extract import extract
from briefings.pipeline.fetch import Fetcher
from briefings.pipeline.sitebatch import SiteHints, learn, lesson
from briefings.pipeline.sitefurniture import SiteMemory
from briefings.pipeline.types import Article, ExtractHints, Page

FIELDS = ("title", "standfirst", "authors", "published", "updated", "section", "language",
          "credit", "paywalled", "text", "html")


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file (with the page URL it was saved from, if known) or a URL to fetch."""

    path: str = ""
    url: str = ""
    problem: str = ""  # a manifest line that could not be read

    def label(self) -> dict[str, str]:
        label = {"path": self.path} if self.path else {}
        return {**label, "url": self.url} if self.url else label


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="*", metavar="FILE_OR_URL",
                        help="saved pages (.html or .html.gz) or http(s) URLs")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per input (default: a readable summary)")
    parser.add_argument("--url", default="",
                        help="the page URL a single FILE was saved from")
    parser.add_argument("--manifest", action="append", default=[], metavar="FILE.jsonl",
                        help='inputs as JSON lines {"path": ..., "url": ...} (repeatable)')
    parser.add_argument("--timezone", default="UTC", metavar="ZONE",
                        help="IANA zone for times the pages give without one (default UTC)")
    parser.add_argument("--allow-private", action="store_true",
                        help="let URLs resolve to private or loopback addresses (local servers)")


def run(args: argparse.Namespace) -> int:
    try:
        ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"unknown time zone {args.timezone!r}") from error
    sources = list(_sources(args))
    hints = ExtractHints(timezone=args.timezone)
    failed = 0
    fetch = _LazyFetch(args.allow_private)
    try:
        lessons = [lesson(page) for s in sources if isinstance(page := _page(s, fetch), Page)]
        memories = _stored_memories({item.host for item in lessons if item is not None})
        site_hints = SiteHints(learn(lessons, memories))
        for source in sources:
            result = _one(source, hints, fetch, site_hints)
            failed += "error" in result
            _print(result, args.json)
    finally:
        fetch.close()
    return 1 if failed else 0


def _stored_memories(hosts: set[str]) -> dict[str, SiteMemory]:
    """What the store learned about these sites, when a database is set up and migrated (or
    Django already runs in this process, with its store)."""
    from django.apps import apps

    if not hosts:
        return {}
    if not apps.ready:
        values = config.load()
        database = config.home(values) / "briefings.sqlite3"
        if values["database_url"].origin == "default" and not database.is_file():
            return {}
        from briefings.cli import setup_django

        setup_django()
    from django.db import connection

    from briefings.sources.learned import load_memories
    from briefings.sources.models import LearnedSite

    if LearnedSite._meta.db_table not in connection.introspection.table_names():
        return {}
    return load_memories(hosts)


class _LazyFetch:
    """Opens one Fetcher the first time a URL needs it, so file-only runs make no client; each
    URL is fetched once, its page or error kept for the second pass."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.fetcher: Fetcher | None = None
        self.fetched: dict[str, Page | BriefingsError] = {}

    def __call__(self, url: str) -> Page:
        if url not in self.fetched:
            if self.fetcher is None:
                self.fetcher = Fetcher()
            try:
                self.fetched[url] = self.fetcher.fetch(url, allow_private=self.allow_private)
            except BriefingsError as error:
                self.fetched[url] = error
        result = self.fetched[url]
        if isinstance(result, BriefingsError):
            raise result
        return result

    def close(self) -> None:
        if self.fetcher is not None:
            self.fetcher.close()


def _sources(args: argparse.Namespace) -> Iterator[Source]:
    files = [i for i in args.inputs if not _is_url(i)]
    if args.url and len(files) != 1:
        raise ConfigError("--url names the page URL of exactly one FILE")
    for item in args.inputs:
        yield Source(url=item) if _is_url(item) else Source(path=item, url=args.url)
    for manifest in args.manifest:
        yield from _manifest(Path(manifest))


def _manifest(path: Path) -> Iterator[Source]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        yield Source(path=str(path), problem=f"cannot read the manifest: {error}")
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            name, url = item.get("path") or "", item.get("url") or ""
        except (ValueError, AttributeError):
            yield Source(path=f"{path}:{number}", problem="not a JSON object")
            continue
        if not isinstance(name, str) or not isinstance(url, str) or not (name or url):
            yield Source(path=f"{path}:{number}", problem='needs a "path" or a "url" string')
            continue
        yield Source(path=str(path.parent / name) if name else "", url=url)


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def _page(source: Source, fetch: Callable[[str], Page]) -> Page | None:
    """The input's page for learning, or None when it cannot be read (`_one` says why)."""
    if source.problem:
        return None
    try:
        return _read(Path(source.path), source.url) if source.path else fetch(source.url)
    except (BriefingsError, OSError):
        return None


def _one(source: Source, hints: ExtractHints, fetch: Callable[[str], Page],
         site_hints: SiteHints) -> dict:
    """Extract one input into its output object, or an object naming why it failed."""
    label = source.label()
    if source.problem:
        return {**label, "error": "manifest", "message": source.problem}
    try:
        page = _read(Path(source.path), source.url) if source.path else fetch(source.url)
        return {**label, **_fields(extract(page, site_hints(hints, page)))}
    except BriefingsError as error:
        return {**label, "error": error.reason, "message": str(error)}
    except OSError as error:
        return {**label, "error": "read", "message": str(error)}


def _read(path: Path, url: str) -> Page:
    content = path.read_bytes()
    if path.suffix == ".gz":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as error:
            raise OSError(f"{path}: not a gzip file ({error})") from error
    text, charset = decode(content, "")
    page_url = url or path.resolve().as_uri()
    return Page(url=page_url, final_url=page_url, status=200, text=text, content=content,
                charset=charset, content_type="text/html")


def _fields(article: Article) -> dict:
    values = {name: getattr(article, name) for name in FIELDS}
    values["authors"] = list(article.authors)
    values["published"] = _iso(article.published)
    values["updated"] = _iso(article.updated)
    return values


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _print(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return
    where = result.get("path") or result.get("url")
    if "error" in result:
        print(f"{where}: {result['error']}: {result['message']}\n", flush=True)
        return
    byline = " · ".join(filter(None, [", ".join(result["authors"]), result["credit"],
                                      result["published"] or ""]))
    print(f"{where}\n{result['title']}\n{byline}\n\n{result['text']}\n", flush=True)
