"""Ground truth from the sample papers: which reports share an event, which are syndicated copies,
which spellings name one person, and which article a served URL is.

Scores for deduplication, clustering and name merging are computed against this, so it is built
only from the article files and names.toml, never from anything the pipeline produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from briefings.demo.content import (
    ARTICLES_DIR,
    NAMES_TOML,
    PAPERS_TOML,
    DemoArticle,
    DemoContent,
    load_content,
    parse_article_path,
    read_toml,
)
from briefings.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Truth:
    """The answers: `events` id → article keys (copies included), `copies` copy → original key,
    `people` the groups of spellings of one person (names.toml plus everyone else on their own)."""

    content: DemoContent
    events: Mapping[str, frozenset[str]]
    copies: Mapping[str, str]
    people: tuple[frozenset[str], ...]

    def article(self, key: str) -> DemoArticle:
        return self.content.article(key)

    def event_of(self, key: str) -> str:
        """The event of an article, a copy inheriting its original's; "" for a lone story."""
        for event, keys in self.events.items():
            if key in keys:
                return event
        return ""

    def original_of(self, key: str) -> str:
        return self.copies.get(key, key)

    def stories(self) -> tuple[frozenset[str], ...]:
        """The true partition of all articles into stories: each event, then every other
        original with its copies."""
        groups = list(self.events.values())
        grouped = set().union(*groups) if groups else set()
        rest: dict[str, set[str]] = {}
        for article in self.content.articles:
            if article.key not in grouped:
                rest.setdefault(self.original_of(article.key), set()).add(article.key)
        return tuple(groups) + tuple(frozenset(keys) for keys in rest.values())

    def person(self, spelling: str) -> frozenset[str]:
        """Every spelling of the person `spelling` names (just itself if nobody else)."""
        for group in self.people:
            if spelling in group:
                return group
        return frozenset({spelling})

    def same_person(self, first: str, second: str) -> bool:
        return second in self.person(first)

    def key_for_url(self, url: str, papers: Mapping[str, str]) -> str | None:
        """The article key of a served URL (canonical, AMP or with tracking parameters).

        `papers` maps paper slug → base URL as `DemoNewspapers.papers` gives it; the host and
        port pick the paper, the template's URL style the article.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        slug = next((s for s, base in papers.items() if base.rstrip("/") == origin), None)
        if slug is None:
            return None
        paper = self.content.paper(slug)
        found = parse_article_path(paper, parts.path + ("?" + parts.query if parts.query else ""))
        if found is None:
            return None
        field, value = found
        for article in self.content.of_paper(slug):
            if (article.slug if field == "slug" else str(article.number)) == value:
                return article.key
        return None


def load_names(path: Path = NAMES_TOML) -> tuple[frozenset[str], ...]:
    """The `[[person]] spellings = [...]` groups; a missing file means no variants are known."""
    if not path.exists():
        return ()
    groups: list[frozenset[str]] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(read_toml(path).get("person", []), start=1):
        spellings = entry.get("spellings") if isinstance(entry, dict) else None
        if (not isinstance(spellings, list) or not spellings
                or not all(isinstance(s, str) and s.strip() for s in spellings)):
            raise ConfigError(f"{path}: person #{index} needs a non-empty `spellings` list")
        for spelling in spellings:
            if spelling in seen and seen[spelling] != index:
                raise ConfigError(f"{path}: {spelling!r} is in person #{seen[spelling]} "
                                  f"and person #{index}")
            seen[spelling] = index
        groups.append(frozenset(s.strip() for s in spellings))
    return tuple(groups)


def build_truth(content: DemoContent, names: tuple[frozenset[str], ...] = ()) -> Truth:
    """Truth over already loaded content; copies join their original's event."""
    copies = {a.key: a.copy_of for a in content.articles if a.copy_of}
    by_key = {a.key: a for a in content.articles}
    events: dict[str, set[str]] = {}
    for article in content.articles:
        event = article.event or by_key[copies.get(article.key, article.key)].event
        if event:
            events.setdefault(event, set()).add(article.key)
    known = set().union(*names) if names else set()
    loners = sorted({p for a in content.articles for p in a.people} - known)
    people = names + tuple(frozenset({p}) for p in loners)
    return Truth(content=content, events={e: frozenset(k) for e, k in sorted(events.items())},
                 copies=copies, people=people)


def load_truth(articles_dir: Path = ARTICLES_DIR, names_path: Path = NAMES_TOML,
               papers_path: Path = PAPERS_TOML) -> Truth:
    """Load the papers, articles and names and derive the ground truth from them."""
    return build_truth(load_content(articles_dir, papers_path), load_names(names_path))
