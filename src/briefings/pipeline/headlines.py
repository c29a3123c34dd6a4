"""The headline and the standfirst, and keeping them out of the body's first lines.

Titles come with the site glued on ("… | India Post", "NEWS WEB EASY|…", "…：日本経済新聞");
an affix is cut only when it is one of the site's names, so a colon inside a headline stays.
A page's description is a standfirst only when it is not an excerpt of the body (many papers
copy their lede into the description): then the body keeps its lede, and the standfirst is the
subheading that opens the body, if there is one (Korean and Japanese papers print their deks
that way). A standfirst never appears twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from briefings.pipeline.bodyhtml import Block
from briefings.pipeline.bylines import is_site
from briefings.pipeline.metadata import PageMeta

SEPARATOR = re.compile(
    r"\s+[|\-–—:·•»/]\s+|\s*[|｜│¦]\s*|\s*：\s*|\s*[-–—]\s*(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s*[-–—]\s*"
)
NON_WORD = re.compile(r"[\W_]+")
# ASCII bytes that are not letters or digits: deleting them from the encoded text is many
# times faster than NON_WORD, which is left only the non-ASCII rest to judge
ASCII_NON_WORD = bytes(c for c in range(128) if not chr(c).isalnum())
LINKS = re.compile(r"<a\b[^>]*>.*?</a>|<[^>]+>", re.DOTALL)
HEADLINE_DEPTH = 8  # blocks of page top above a headline that trafilatura let through
MENU_LINE = 160  # a line above the headline this short is a menu, a notice or a breadcrumb
ELLIPSIS = re.compile(r"\s*(?:\.{3}|…|\[\.\.\.\])\s*$")


def text_key(text: str) -> str:
    """Letters and digits only, NFKC and case-folded: compares texts across spacing and quotes."""
    folded = unicodedata.normalize("NFKC", text).casefold().encode("utf-8", "surrogatepass")
    key = folded.translate(None, ASCII_NON_WORD).decode("utf-8", "surrogatepass")
    return key if key.isascii() else NON_WORD.sub("", key)


def strip_site(title: str, site_names: Sequence[str]) -> str:
    """Cut leading and trailing site names ("Title | Site", "Site|Title"), repeatedly."""
    title = title.strip()
    while True:
        cuts = list(SEPARATOR.finditer(title))
        if not cuts:
            return title
        last, first = cuts[-1], cuts[0]
        if is_site(title[last.end() :], site_names) and last.start() > 0:
            title = title[: last.start()].strip()
        elif is_site(title[: first.start()], site_names) and first.end() < len(title):
            title = title[first.end() :].strip()
        else:
            return title


def choose_title(meta: PageMeta, site_names: Sequence[str]) -> tuple[str, bool]:
    """The headline and whether it came from declared metadata (not `<title>` or `<h1>`).

    A declared headline cut short with an ellipsis (JSON-LD headlines often are) gives way to
    the next declared one.
    """
    for index, candidate in enumerate(meta.headlines):
        if ELLIPSIS.search(candidate) and index < len(meta.headlines) - 1:
            continue
        title = strip_site(candidate, site_names)
        if title and not is_site(title, site_names):
            return title, True
    page_title = strip_site(meta.html_title, site_names)
    for heading in meta.h1:
        if _overlaps(heading, meta.html_title):
            return heading, False
    return page_title or (meta.h1[0] if meta.h1 else ""), False


def _overlaps(heading: str, page_title: str) -> bool:
    """Whether most of a heading's words (or CJK characters) are in the page title."""
    key = text_key(page_title)
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", heading).casefold())
    if not words or not key:
        return False
    if text_key(heading) in key:
        return True
    hits = sum(len(w) for w in words if w in key)
    return hits >= 0.6 * sum(len(w) for w in words)


def drop_title(blocks: list[Block], titles: Iterable[str]) -> list[Block]:
    """Drop the headline when the body repeats it in its first two blocks; further down, with
    only short lines above it (a masthead, menus, a breadcrumb), drop those lines too, as a
    block of nothing but links right above it."""
    keys = {k for t in titles if (k := text_key(t))}
    for index, block in enumerate(blocks[:HEADLINE_DEPTH]):
        if text_key(block.text) not in keys:
            continue
        if index == 1 and not text_key(LINKS.sub("", blocks[0].html)):
            return blocks[2:]
        if index < 2:
            return blocks[:index] + blocks[index + 1 :]
        above = (line for b in blocks[:index] for line in b.text.split("\n"))
        if all(len(line) <= MENU_LINE for line in above):
            return blocks[index + 1 :]
    return blocks


def choose_standfirst(
    descriptions: Sequence[str], marked: Sequence[str], blocks: list[Block], title: str
) -> tuple[str, list[Block]]:
    """The standfirst, and the blocks without it when the body opens with it."""
    body = text_key(" ".join(block.text for block in blocks))
    first = text_key(blocks[0].text) if blocks else ""
    for text in marked:
        key = text_key(text)
        if key and key == first and len(blocks) > 1:
            return text, blocks[1:]
    description = ELLIPSIS.sub("", descriptions[0]) if descriptions else ""
    if title and text_key(description).startswith(text_key(title)):
        description = _after(description, title)
    key = text_key(description)
    core = key[: min(max(12, int(len(key) * 0.8)), 60)]
    if len(key) < 2:  # no description: a standfirst printed under the headline, not in the body
        unseen = [text for text in marked if text_key(text) not in body]
        return (unseen[0], blocks) if unseen else _dek(blocks)
    if core in body:
        return _dek(blocks)
    for text in marked:
        if text_key(text).startswith(core):
            return text, blocks
    return description, blocks


def _dek(blocks: list[Block]) -> tuple[str, list[Block]]:
    """A subheading opening the body, before any paragraph, is the standfirst (a dek)."""
    if len(blocks) > 2 and blocks[0].kind in ("h2", "h3", "h4") and len(blocks[0].text) >= 20:
        return blocks[0].text, blocks[1:]
    return "", blocks


def _after(text: str, prefix: str) -> str:
    """`text` without its leading `prefix` and the punctuation that joins them."""
    wanted, seen = len(text_key(prefix)), 0
    for index, char in enumerate(text):
        if seen >= wanted:
            return text[index:].lstrip(" -–—:：|.,、\n")
        seen += len(text_key(char))
    return ""
