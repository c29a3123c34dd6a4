"""trafilatura's body tree as a list of blocks, each with its HTML and its plain text.

trafilatura returns its own XML (`p`, `head`, `list`/`item`, `quote`, `hi`, `ref`, `graphic`,
`table`/`row`/`cell`, `lb`), or plain HTML when a fallback extractor won. Both become the same
blocks here, so the extractor can drop a repeated headline, find a credit line and build the
reader's HTML and the search text from one walk. Loose text between blocks becomes a paragraph;
whitespace collapses, except that a line break between two CJK characters vanishes instead of
turning into a space.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from lxml.etree import _Element

from briefings.pipeline.bylines import clean_text
from briefings.pipeline.urls import absolute_url

CONTAINERS = frozenset({"div", "section", "article", "main", "body", "doc", "header", "footer",
                        "aside", "center", "details", "form", "html"})
PARAGRAPHS = frozenset({"p", "code", "pre", "summary", "address", "dd", "dt"})
HEADINGS = frozenset({"head", "h1", "h2", "h3", "h4", "h5", "h6"})
LISTS = frozenset({"list", "ul", "ol", "dl"})
QUOTES = frozenset({"quote", "blockquote"})
IMAGES = frozenset({"graphic", "img"})
BREAKS = frozenset({"lb", "br", "hr"})
EMPHASIS = {"em": "em", "i": "i", "strong": "strong", "b": "b", "#i": "em", "#b": "strong"}
BLOCKISH = CONTAINERS | PARAGRAPHS | HEADINGS | LISTS | QUOTES | {"item", "li", "table", "figure"}
LAYOUT_TEXT = 1500  # characters of one table cell: more is a page's column, not a datum
PROSE_LINE = 200  # a line this long between `<br>`s is a paragraph, not an address line
NEWLINE = "\ue000"  # stands for a hard line break while whitespace is being collapsed


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the body: `kind` is its HTML tag, `text` its plain text."""

    kind: str
    html: str
    text: str


def body_blocks(body: _Element, base_url: str) -> list[Block]:
    """Walk trafilatura's body (XML or HTML) into blocks with absolute link and image URLs."""
    builder = _Builder(base_url)
    builder.container(body)
    builder.flush()
    return builder.blocks


def blocks_html(blocks: list[Block]) -> str:
    return "\n".join(block.html for block in blocks)


def blocks_text(blocks: list[Block]) -> str:
    """Paragraphs separated by a blank line; list items and table rows one per line."""
    return "\n\n".join(block.text for block in blocks if block.text)


def _layout(table: _Element) -> bool:
    """Whether a table lays out a page rather than holding data: a cell holds a heading,
    several paragraphs or a long run of text."""
    for cell in table.iter("cell", "td", "th"):
        if any(_tag(child) in HEADINGS for child in cell):
            return True
        if sum(_tag(child) == "p" for child in cell) >= 2:
            return True
        if len("".join(cell.itertext())) > LAYOUT_TEXT:
            return True
    return False


def _lines(block: Block) -> list[Block]:
    """A paragraph of `<br>`-separated lines, one of them prose-long, as one block per line."""
    lines = block.text.split("\n")
    if block.kind != "p" or len(lines) < 2 or max(map(len, lines)) < PROSE_LINE:
        return [block]
    parts = [part for part in block.html[3:-4].split("<br>") if part.strip()]
    if len(parts) != len(lines):
        return [block]
    pairs = zip(parts, lines, strict=True)
    return [Block("p", f"<p>{part.strip()}</p>", line) for part, line in pairs]


def _tag(element: _Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _heading(element: _Element) -> str:
    """h2 to h4: the page's h1 is our headline, and deeper levels read as h4."""
    level = (element.get("rend") or _tag(element))[-1:]
    return f"h{min(max(int(level), 2), 4)}" if level.isdigit() else "h3"


def _html_text(text: str | None) -> str:
    return escape(text, quote=False) if text else ""


def _html(markup: str) -> str:
    """A block's markup with its whitespace collapsed once (tags hold no spaces that matter)."""
    return clean_text(markup)


def _plain(text: str) -> str:
    """Collapse a block's raw text, keeping its hard line breaks."""
    lines = (clean_text(line) for line in text.split(NEWLINE))
    return "\n".join(line for line in lines if line)


class _Builder:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.pending_html: list[str] = []
        self.pending_text: list[str] = []

    def add(self, kind: str, html: str, text: str) -> None:
        text = _plain(text)
        if text:
            self.blocks.append(Block(kind, f"<{kind}>{_html(html)}</{kind}>", text))

    def flush(self) -> None:
        if self.pending_html:
            self.add("p", "".join(self.pending_html), "".join(self.pending_text))
            self.pending_html, self.pending_text = [], []

    def loose(self, text: str | None) -> None:
        if text:
            self.pending_html.append(_html_text(text))
            self.pending_text.append(text)

    def container(self, element: _Element) -> None:
        self.loose(element.text)
        for child in element:
            tag = _tag(child)
            if tag in CONTAINERS:
                self.flush()
                self.container(child)
            elif tag in PARAGRAPHS:
                self.flush()
                self.add("p", *self.inline_content(child))
            elif tag in HEADINGS:
                self.flush()
                self.add(_heading(child), *self.inline_content(child))
            elif tag in LISTS:
                self.flush()
                self.listing(child, tag)
            elif tag in QUOTES:
                self.flush()
                self.add("blockquote", *self.inline_content(child))
            elif tag == "table":
                self.flush()
                if _layout(child):
                    self.layout(child)
                else:
                    self.table(child)
            elif tag in IMAGES or tag == "figure":
                self.flush()
                self.figure(child)
            elif tag in ("item", "li"):
                self.flush()
                self.add("p", *self.inline_content(child))
            elif tag:
                html, text = self.inline(child)
                self.pending_html.append(html)
                self.pending_text.append(text)
            self.loose(child.tail)

    def inline_content(self, element: _Element) -> tuple[str, str]:
        """An element's children rendered inline (block children end with a line break)."""
        html, text = [_html_text(element.text)], [element.text or ""]
        children = list(element)
        for index, child in enumerate(children):
            child_html, child_text = self.inline(child)
            html.append(child_html)
            text.append(child_text)
            if _tag(child) in BLOCKISH and index < len(children) - 1:
                html.append("<br>")
                text.append(NEWLINE)
            html.append(_html_text(child.tail))
            text.append(child.tail or "")
        return "".join(html), "".join(text)

    def inline(self, element: _Element) -> tuple[str, str]:
        tag = _tag(element)
        if tag in BREAKS:
            return "<br>", NEWLINE
        if tag in IMAGES:
            return self.image(element), ""
        html, text = self.inline_content(element)
        if tag in ("ref", "a"):
            href = absolute_url(element.get("target") or element.get("href") or "", self.base_url)
            if href and html.strip():
                return f'<a href="{escape(href)}">{html}</a>', text
            return html, text
        wrapper = EMPHASIS.get(element.get("rend", "") if tag == "hi" else tag)
        if wrapper and html.strip():
            return f"<{wrapper}>{html}</{wrapper}>", text
        return html, text

    def image(self, element: _Element) -> str:
        src = element.get("src") or element.get("data-src") or element.get("data-original") or ""
        src = absolute_url(src, self.base_url)
        if not src:
            return ""
        alt = clean_text(element.get("alt") or "")
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'

    def figure(self, element: _Element) -> None:
        images = [element] if _tag(element) in IMAGES else list(element.iter("graphic", "img"))
        markup = "".join(self.image(image) for image in images[:1])
        if not markup:
            return
        caption = ""
        for tag in ("figcaption", "caption"):
            found = element.find(f".//{tag}")
            if found is not None:
                caption = clean_text(found.text_content())
                break
        if caption:
            markup += f"<figcaption>{escape(caption, quote=False)}</figcaption>"
        self.blocks.append(Block("figure", f"<figure>{markup}</figure>", ""))

    def listing(self, element: _Element, tag: str) -> None:
        kind = "ol" if (element.get("rend") or tag) == "ol" else "ul"
        items_html, items_text = [], []
        for item in element:
            if _tag(item) not in ("item", "li", "dt", "dd"):
                continue
            html, text = self.inline_content(item)
            text = _plain(text)
            if text:
                items_html.append(f"<li>{_html(html)}</li>")
                items_text.append(text.replace("\n", " "))
        if items_html:
            self.blocks.append(Block(kind, f"<{kind}>{''.join(items_html)}</{kind}>",
                                     "\n".join(items_text)))

    def layout(self, element: _Element) -> None:
        """A layout table's cells read as containers; a cell of `<br>`-separated prose (old
        table-built pages) gives one paragraph per line."""
        for cell in element.iter("cell", "td", "th"):
            start = len(self.blocks)
            self.container(cell)
            self.flush()
            self.blocks[start:] = [line for block in self.blocks[start:] for line in _lines(block)]

    def table(self, element: _Element) -> None:
        rows_html, rows_text = [], []
        for row in element.iter("row", "tr"):
            cells_html, cells_text = [], []
            for cell in row:
                tag = _tag(cell)
                if tag not in ("cell", "td", "th"):
                    continue
                kind = "th" if tag == "th" or cell.get("role") == "head" else "td"
                html, text = self.inline_content(cell)
                cells_html.append(f"<{kind}>{_html(html)}</{kind}>")
                cells_text.append(_plain(text).replace("\n", " "))
            if any(cells_text):
                rows_html.append(f"<tr>{''.join(cells_html)}</tr>")
                rows_text.append(" | ".join(t for t in cells_text if t))
        if rows_html:
            self.blocks.append(Block("table", f"<table>{''.join(rows_html)}</table>",
                                     "\n".join(rows_text)))
