"""Site furniture learned from a site's own pages: the blocks that recur across its articles.

The general rules (furniture.py) know what furniture looks like on any site; they cannot know a
paper's promo line in its own words, its author-bio box or its "More from" list. Those come back
word for word, at the same place of the page, on many of one site's articles, which an article's
own paragraphs never do. So each page gives the keys of its candidate blocks (the path of block
tags from the root, without classes or positions, and the levelled text: nothing here reads a
class name, so hashed CSS classes change nothing), a `SiteMemory` counts on how many of a site's
distinct articles each key was seen, and a key seen on a good share of them is that site's
furniture: the extractor lifts those blocks out of the tree while trafilatura reads it.

Pure: no clock, no network, no Django.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import blake2b
from urllib.parse import urlsplit

from lxml.etree import XPath, iterwalk
from lxml.html import HtmlElement

from briefings.pipeline.bylines import credit_of_line
from briefings.pipeline.types import SiteBlock

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
})
SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "svg", "iframe"})
MAX_TEXT = 600  # characters; a longer block is prose, or holds some, and is never furniture
SAMPLE = 160  # characters of a block's text kept to show editors what was learned
DIGITS = b"0123456789"
STRING = XPath("string()")  # an element's text, as text_content() reads it, without its wrapper

MIN_PAGES = 5  # a site with fewer learned articles has no furniture: the general rules alone
MIN_SEEN = 3  # a block is furniture once seen on this many articles of its site ...
SHARE = 0.25  # ... and on at least this share of them
WINDOW = 200  # articles: then every count is halved, so old blocks fade and one-offs go
KNOWN = 2 * WINDOW  # identities of recent articles remembered, so none is learned twice


def site_host(url: str) -> str:
    """The host a page was served from, port included: one template family per host."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def block_key(path: str, text: str) -> int:
    """The key of a block: its tag path and its text with case, spacing and digits levelled,
    so "© 2025" and "© 2026" in one footer are one block."""
    return _key((path + "\0").encode(), " ".join(text.split()))


def _key(prefix: bytes, shown: str) -> int:
    level = shown.casefold().encode().translate(None, DIGITS)
    return int.from_bytes(blake2b(prefix + level, digest_size=8).digest(), "big")


def identity(value: str) -> int:
    return int.from_bytes(blake2b(value.encode(), digest_size=8).digest(), "big")


def identities(url: str, title: str) -> tuple[str, ...]:
    """What makes two pages of one site one article: the URL, or the headline. Not the body,
    whose hash changes with the furniture lifted out of it; two articles of a site under one
    headline ("Letters") are rare, and counting them once only slows learning down."""
    return (url, "title:" + " ".join(title.split()).casefold()) if title.strip() else (url,)


def page_blocks(
    tree: HtmlElement, furniture: Collection[int] = frozenset()
) -> tuple[tuple[SiteBlock, ...], list[HtmlElement]]:
    """The page's candidate blocks (each key once), and its outermost blocks whose key is in
    `furniture`, in document order, to lift out while the body is found.

    One walk over the block elements in C (lxml's iterwalk), a parent's text read only when
    none of its blocks was already too long: a few per cent of trafilatura's time. A block
    that reads as a credit line ("By China Daily") is never lifted: a site that runs much wire
    copy repeats it on many pages, and only the body carries it.
    """
    found: dict[int, SiteBlock] = {}
    lifted: list[HtmlElement] = []
    prefixes: dict[str, bytes] = {}
    root = tree.tag if isinstance(tree.tag, str) and tree.tag not in BLOCK_TAGS else ""
    paths = [root]  # iterwalk reports the root itself when it is a block
    long = [False]  # per open block: whether one of its blocks was too long
    for event, element in iterwalk(tree, events=("start", "end"), tag=BLOCK_TAGS):
        if event == "start":
            paths.append(f"{paths[-1]}/{element.tag}" if paths[-1] else element.tag)
            long.append(False)
            continue
        path = paths.pop()
        if long.pop():
            long[-1] = True
            continue
        text = STRING(element)
        if len(text) > MAX_TEXT:
            long[-1] = True
            continue
        shown = " ".join(text.split())
        if not shown:
            continue
        prefix = prefixes.get(path)
        if prefix is None:
            prefix = prefixes[path] = (path + "\0").encode()
        key = _key(prefix, shown)
        if key not in found:
            found[key] = SiteBlock(key, path, shown[:SAMPLE])
        if key in furniture and not credit_of_line(shown):
            lifted.append(element)
    return tuple(found.values()), _outermost(lifted)


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """`elements` without those inside another."""
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


@contextmanager
def lifted_out(elements: Iterable[HtmlElement]) -> Iterator[None]:
    """The tree without `elements` (none inside another, in any order) for the time of the
    block, then exactly as it was: cheaper than a copy of the page, which trafilatura makes
    anyway. Each removal is undone in the reverse order, so every index stays right.

    The text that follows a lifted element (its tail) stays in the tree where it was.
    """
    undo: list[tuple[HtmlElement, HtmlElement, int, HtmlElement | None, str | None]] = []
    try:
        for element in elements:
            parent = element.getparent()
            if parent is None:
                continue
            index = parent.index(element)
            before = element.getprevious()
            holder_text = before.tail if before is not None else parent.text
            if element.tail and element.tail.strip():
                if before is not None:
                    before.tail = (before.tail or "") + element.tail
                else:
                    parent.text = (parent.text or "") + element.tail
            parent.remove(element)
            undo.append((parent, element, index, before, holder_text))
        yield
    finally:
        for parent, element, index, before, holder_text in reversed(undo):
            if before is not None:
                before.tail = holder_text
            else:
                parent.text = holder_text
            parent.insert(index, element)


@dataclass
class SiteMemory:
    """What one site's articles taught: on how many of them each block was seen.

    Only distinct articles count (`learn` skips an identity it has seen), so a refetch or a
    second copy of one article cannot make its paragraphs look like furniture. Every `WINDOW`
    articles the counts are halved: a block the site dropped fades, and blocks seen once long
    ago are forgotten, which keeps the memory bounded.
    """

    pages: int = 0
    seen: dict[int, int] = field(default_factory=dict)
    samples: dict[int, tuple[str, str]] = field(default_factory=dict)  # blocks seen twice+
    known: dict[int, None] = field(default_factory=dict)  # recent articles, oldest first
    frequent: set[int] = field(default_factory=set)  # keys seen at least MIN_SEEN times

    def __post_init__(self) -> None:
        self.frequent = {k for k, n in self.seen.items() if n >= MIN_SEEN}

    def learn(self, identities: Iterable[str], blocks: Iterable[SiteBlock]) -> bool:
        """Count one article's blocks, unless one of its identities (canonical URL, body
        hash) was learned already; whether it was counted."""
        ids = [identity(i) for i in identities if i]
        if any(i in self.known for i in ids):
            return False
        for i in ids:
            self.known[i] = None
        while len(self.known) > KNOWN:
            del self.known[next(iter(self.known))]
        seen, samples = self.seen, self.samples
        for block in blocks:
            count = seen.get(block.key, 0) + 1
            seen[block.key] = count
            if count == 2:
                samples[block.key] = (block.path, block.text)
            elif count == MIN_SEEN:
                self.frequent.add(block.key)
        self.pages += 1
        if self.pages >= WINDOW:
            self._halve()
        return True

    def _halve(self) -> None:
        self.pages //= 2
        self.seen = {k: n // 2 for k, n in self.seen.items() if n >= 2}
        self.samples = {k: s for k, s in self.samples.items() if self.seen.get(k, 0) >= 2}
        self.frequent = {k for k, n in self.seen.items() if n >= MIN_SEEN}

    def threshold(self) -> float:
        """How many articles a block must be seen on to be furniture (infinite while the
        site has too few articles to tell)."""
        return max(MIN_SEEN, SHARE * self.pages) if self.pages >= MIN_PAGES else sys.float_info.max

    def furniture(self) -> frozenset[int]:
        least = self.threshold()
        return frozenset(k for k in self.frequent if self.seen[k] >= least)
