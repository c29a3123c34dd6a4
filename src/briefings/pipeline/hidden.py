"""Elements the page hides from readers, set aside while trafilatura reads the tree.

A `display:none` block or a `hidden` one is not part of what a reader sees: pages keep schema.org
copies of the headline, dates and the whole body there, login forms and newsletter boxes waiting
for a script. trafilatura prunes such elements only when that leaves enough text, so a hidden
copy of the article can double the body. They are swapped for empty comments while trafilatura
copies the tree and put back afterwards, so every later lookup (bylines, dates) sees the page
as parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lxml.etree import XPath
from lxml.html import HtmlComment, HtmlElement

# inline styles are matched without spaces and in lower case ("Display: None")
HIDDEN = XPath(
    "//body//*[@hidden or contains(translate(@style, 'DISPLAYNOE ', 'displaynoe'), 'display:none')]"
)


@contextmanager
def hidden_set_aside(tree: HtmlElement) -> Iterator[int]:
    """Within the block, the tree lacks its hidden elements; yields how many were set aside."""
    found = HIDDEN(tree)
    marked = set(found)
    swaps: list[tuple[HtmlComment, HtmlElement]] = []
    for element in found:
        parent = element.getparent()
        if parent is None or any(a in marked for a in element.iterancestors()):
            continue
        stand_in = HtmlComment("hidden")
        stand_in.tail = element.tail
        parent.replace(element, stand_in)
        swaps.append((stand_in, element))
    try:
        yield len(swaps)
    finally:
        for stand_in, element in reversed(swaps):
            stand_in.getparent().replace(stand_in, element)
