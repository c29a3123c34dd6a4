"""Learning a batch of pages' sites before extracting any of them.

The ingest learns as pages arrive; a batch (`briefings extract --manifest`, the benchmarks)
has every page at hand, so it first reads the candidate blocks of all of them (a parse and one
walk each, far cheaper than an extraction), learns each site's furniture from all its pages in
the batch, and only then extracts: a batch of one site's pages comes out clean from its first
page on. Pure: no clock, no network, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from briefings.errors import ExtractError
from briefings.pipeline.extract import parse_page
from briefings.pipeline.sitefurniture import SiteMemory, identities, page_blocks, site_host
from briefings.pipeline.types import ExtractHints, Page, SiteBlock
from briefings.pipeline.urls import canonical_url


@dataclass(frozen=True, slots=True)
class Lesson:
    """What one page can teach its site: its identities (so it is learned once) and blocks."""

    host: str
    identities: tuple[str, ...]
    blocks: tuple[SiteBlock, ...]


def lesson(page: Page) -> Lesson | None:
    """The page's lesson, or None for a page with no host (a file) or no HTML."""
    url = page.final_url or page.url
    host = site_host(url)
    if not host:
        return None
    try:
        tree = parse_page(page)
    except ExtractError:
        return None
    title = tree.findtext(".//title") or ""
    return Lesson(host, identities(canonical_url(url), title), page_blocks(tree)[0])


def learn(lessons: Iterable[Lesson | None],
          memories: dict[str, SiteMemory] | None = None) -> dict[str, SiteMemory]:
    """Each site's memory after all `lessons` (on top of `memories`, which it updates)."""
    memories = {} if memories is None else memories
    for item in lessons:
        if item is not None:
            memories.setdefault(item.host, SiteMemory()).learn(item.identities, item.blocks)
    return memories


class SiteHints:
    """The extraction hints of a page with its site's learned furniture (each site's set
    computed once)."""

    def __init__(self, memories: Mapping[str, SiteMemory]) -> None:
        self.memories = memories
        self.furniture: dict[str, frozenset[int]] = {}

    def __call__(self, hints: ExtractHints, page: Page) -> ExtractHints:
        host = site_host(page.final_url or page.url)
        memory = self.memories.get(host)
        if memory is None:
            return hints
        if host not in self.furniture:
            self.furniture[host] = memory.furniture()
        return replace(hints, furniture=self.furniture[host])
