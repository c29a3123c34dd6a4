"""`briefings entities`: the tags of saved pages or text files, one JSON line per input.

    briefings entities --json FILE [FILE ...]

An HTML file (optionally `.gz`) goes through the extractor first and is tagged from its title and
body; any other file is read as plain text, its first line the title. A file that cannot be read
prints its error and the command goes on, exiting 1 at the end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

from briefings.errors import BriefingsError
from briefings.pipeline.charset import decode
from briefings.pipeline.extract import extract
from briefings.pipeline.tag import tag
from briefings.pipeline.types import Page, Tags

_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|article|p)\b", re.IGNORECASE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="saved pages (.html, .html.gz) or text files")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per input (default: a readable summary)")


def _read(path: Path) -> tuple[str, str, str]:
    """Title, text and language of a file: extracted if it is HTML, else its lines."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if _HTML.search(raw[:4096]):
        text, charset = decode(raw, "")
        page = Page(url=path.resolve().as_uri(), final_url=path.resolve().as_uri(), status=200,
                    text=text, content=raw, charset=charset, content_type="text/html")
        article = extract(page)
        return article.title, article.text, article.language
    text = raw.decode("utf-8", errors="replace").strip()
    title, _, body = text.partition("\n")
    return title.strip(), body.strip() or title.strip(), ""


def as_json(tags: Tags) -> dict[str, object]:
    return {
        "entities": [{"name": e.name, "kind": e.kind, "slug": e.slug,
                      "variants": list(e.variants)} for e in tags.entities],
        "countries": list(tags.countries),
        "regions": list(tags.regions),
        "country": tags.country,
        "region": tags.region,
    }


def run(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            title, text, language = _read(path)
        except (OSError, BriefingsError) as error:
            failed += 1
            print(json.dumps({"path": name, "error": str(error)}) if args.json
                  else f"{name}: {error}")
            continue
        tags = tag(title, text, language)
        if args.json:
            print(json.dumps({"path": name, **as_json(tags)}, ensure_ascii=False))
            continue
        print(f"{name}: {tags.country or '-'} ({tags.region or '-'}); "
              f"countries {', '.join(tags.countries) or '-'}")
        for entity in tags.entities:
            print(f"  {entity.kind:12} {entity.name}  [{', '.join(entity.variants)}]")
    return 1 if failed else 0
