"""Second witnesses of the article's extent, checked against trafilatura's body.

A page often says where its article is: one element marked `itemprop="articleBody"` (or the
one schema.org Article/BlogPosting element), the JSON-LD `articleBody`, and the feed's
`content:encoded`. trafilatura errs by keeping too much (other posts on a blog page, a box
after the story), rarely by missing text, so a witness is used to take blocks away, never to
add them: when a witness is whole and agrees with trafilatura's core, the body keeps only the
blocks that the witness also holds.

A witness is whole when it holds the body's longest block (the core both agree on), is not a
teaser (it is long, and not cut off with an ellipsis), and most of it is in the body. The
first whole witness in the order above decides; pages without one keep trafilatura's body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import unescape

from lxml.etree import XPath
from lxml.html import HtmlElement

from briefings.pipeline.bodyhtml import Block
from briefings.pipeline.headlines import text_key

MARKED_BODY = XPath("//body//*[@itemprop='articleBody']")
MARKED_ARTICLE = XPath(
    "//body//*[@itemscope][re:test(@itemtype, '(?:Article|Posting)/?$')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
TAGS = re.compile(r"<[^>]+>")
CUT_OFF = re.compile(r"(?:\.{3}|…|\[\.\.\.\])\W*$")
WHOLE = 400  # characters of key: a witness shorter than this is a teaser
COVERED = 0.7  # share of a text witness that the body must hold


def witnesses(tree: HtmlElement, article_body: str, feed_html: str) -> Iterator[tuple[str, bool]]:
    """Each witness as (letters-and-digits key, whether it is an element of the page), in
    order of trust; the page's element is found lazily, only when it is asked for."""
    for find in (MARKED_BODY, MARKED_ARTICLE):
        found = find(tree)
        if len(found) == 1:
            yield text_key(found[0].text_content()), True
            break
    for text in (article_body, feed_html):
        text = unescape(TAGS.sub(" ", text))  # either may be HTML, entities and all
        if text.strip() and not CUT_OFF.search(text):
            yield text_key(text), False


def agreed_blocks(blocks: list[Block], candidates: Iterator[tuple[str, bool]]) -> list[Block]:
    """The blocks the first whole witness also holds; all of them when none is whole."""
    keys = [text_key(block.text) for block in blocks]
    if not any(keys):
        return blocks
    core = max(keys, key=len)
    for witness, element in candidates:
        if len(witness) < WHOLE or core not in witness:
            continue
        inside = [key in witness for key in keys]
        if not element and _held(keys, inside) < COVERED * len(witness):
            continue
        return [b for b, k, held in zip(blocks, keys, inside, strict=True) if held or not k]
    return blocks


def _held(keys: Sequence[str], inside: Sequence[bool]) -> int:
    return sum(len(key) for key, held in zip(keys, inside, strict=True) if held)
