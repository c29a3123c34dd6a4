"""The ingest's side of site learning: each site's memory, and the furniture sets that the
source threads put in the hints of the pages they send to the extractor.

Only the main thread learns and publishes; a source thread only reads `furniture` (a dict whose
values are replaced whole, never changed in place). The first pages of a new site are extracted
before anything is learned, so the ingest holds them back (`holds`) until the site's source is
done, then extracts again, with what the site taught, those whose blocks the furniture now
touches (`outdated`).
"""

from __future__ import annotations

from collections.abc import Iterable

from briefings.pipeline.sitefurniture import SiteMemory, identities
from briefings.pipeline.types import Article
from briefings.sources.learned import load_memories, save_memories

NOTHING: frozenset[int] = frozenset()
HOLD = 40  # pages of a source held back while its site is young; and what "young" means
PROBE = 60  # characters of a block's text looked for in a body


class SiteLearning:
    def __init__(self, hosts: Iterable[str]) -> None:
        self.memories = load_memories(hosts)
        self.furniture: dict[str, frozenset[int]] = {
            host: memory.furniture() for host, memory in self.memories.items()}
        self.changed: set[str] = set()

    def memory(self, host: str) -> SiteMemory:
        memory = self.memories.get(host)
        if memory is None:  # a host no source named: a redirect, a CDN, a feed elsewhere
            memory = load_memories([host]).get(host) or SiteMemory()
            self.memories[host] = memory
        return memory

    def learn(self, host: str, article: Article) -> None:
        """Count a newly fetched article of `host` (the memory skips one it has learned
        already, by URL or headline), and publish the host's furniture if that changed it."""
        memory = self.memory(host)
        if memory.learn(identities(article.canonical_url, article.title), article.blocks):
            self.changed.add(host)
            furniture = memory.furniture()
            if furniture != self.furniture.get(host, NOTHING):
                self.furniture[host] = furniture

    def outdated(self, host: str, article: Article) -> bool:
        """Whether extracting the page again with the site's furniture as it is now would give
        another body: it would put back a block once lifted, or lift one the body holds. Most
        newly learned blocks (menus, footers, related lists) were never in the body, and
        extracting a page again for them would only double the work."""
        furniture = self.furniture.get(host, NOTHING)
        lifted = {b.key for b in article.blocks if b.key in furniture}
        if lifted == article.lifted:
            return False
        if article.lifted - lifted:
            return True
        body = " ".join(article.text.split())
        return any(b.text[:PROBE] in body for b in article.blocks
                   if b.key in lifted and b.key not in article.lifted)

    def young(self, host: str) -> bool:
        return self.memory(host).pages <= HOLD

    def save(self) -> None:
        save_memories({host: self.memories[host] for host in self.changed})
        self.changed.clear()
