"""Writing an extracted article: once per canonical URL, once per body.

Called only from the ingest's main thread, so SQLite sees one writer. The stored articles a batch
of pages may collide with are looked up in one query (`ArticleIndex`), not one per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.models import Entry
from briefings.newsroom.rows import insert, update_many
from briefings.pipeline.dedupe import Candidate, choose_original
from briefings.pipeline.types import Article, Page
from briefings.sources.models import Source

_FIELDS = ("title", "standfirst", "section", "section_inferred", "language", "image", "credit",
           "paywalled", "html", "text", "body_hash", "extractor")


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    REPLACED = "replaced"  # the original arrived after its identical copy and took its row

    kind: str
    article: ArticleRow


def _values(article: Article, page: Page) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(article, name) for name in _FIELDS}
    values["title"] = article.title[:500]
    values["section"] = article.section[:100]
    values["credit"] = article.credit[:200]
    values["image"] = article.image[:1000]
    values["authors"] = list(article.authors)
    values["published"] = article.published
    values["updated"] = article.updated
    values["url"] = article.url[:1000]
    values["etag"] = page.etag[:300]
    values["last_modified"] = page.last_modified[:100]
    values["fetched_at"] = page.fetched_at or timezone.now()
    values["minhash"] = article.minhash or None
    values["shingles"] = article.shingles
    values["profile"] = article.profile or None
    return values


class ArticleIndex:
    """Stored articles by canonical URL and by body hash, for the articles about to be stored."""

    def __init__(self, articles: Iterable[Article]) -> None:
        articles = list(articles)
        urls = {a.canonical_url for a in articles}
        hashes = {a.body_hash for a in articles}
        self.by_url: dict[str, ArticleRow] = {}
        self.by_hash: dict[str, ArticleRow] = {}
        if articles:
            rows = ArticleRow.objects.filter(
                Q(canonical_url__in=urls) | Q(body_hash__in=hashes)).order_by("id")
            for row in rows:
                self.add(row)

    def add(self, row: ArticleRow) -> None:
        self.by_url[row.canonical_url] = row
        self.by_hash.setdefault(row.body_hash, row)


def _more_original(source: Source, new: Article, held: ArticleRow) -> bool:
    """Of two identical bodies, whether the new one is the original.

    The same rule as for a group of near-copies (`dedupe.choose_original`: the paper the other
    credits, else the one without a credit line, else the earlier published), so an identical
    copy and an edited one of a story name the same original, whichever arrives first. The new
    article has no id yet; on a full tie it ranks after the held one, as the later arrival.
    """
    held_as = Candidate(held.id, held.source.name, held.credit, held.published)
    new_as = Candidate(held.id + 1, source.name, new.credit, new.published)
    return choose_original([held_as, new_as]) is new_as


def store_article(source: Source, article: Article, page: Page,
                  index: ArticleIndex | None = None) -> StoreOutcome:
    """Insert, update or recognise `article`; re-storing the same article changes nothing.

    Call it inside a transaction: the ingest wraps each batch of pages in one. `index` must
    have been built with this article among those it was made for.
    """
    index = index or ArticleIndex([article])
    existing = index.by_url.get(article.canonical_url)
    if existing is not None:
        if existing.body_hash == article.body_hash and existing.title == article.title[:500]:
            return StoreOutcome(StoreOutcome.UNCHANGED, existing)
        values = _values(article, page)
        now = timezone.now()
        # A changed article keeps a truthful `updated`: the page's own, else when we saw the change.
        stamp = values["updated"]
        if stamp is None or (existing.updated and stamp <= existing.updated):  # type: ignore[operator]
            values["updated"] = now
        values["published"] = values["published"] or existing.published
        for name, value in values.items():
            setattr(existing, name, value)
        existing.changed_at = now
        existing.versions += 1
        # named fields only: `duplicate_of` is the dedupe's, and this row may be stale there
        existing.save(update_fields=[*values, "changed_at", "versions"])
        index.by_hash.setdefault(existing.body_hash, existing)
        return StoreOutcome(StoreOutcome.UPDATED, existing)
    twin = index.by_hash.get(article.body_hash)
    if twin is not None:
        if not _more_original(source, article, twin):
            return StoreOutcome(StoreOutcome.DUPLICATE, twin)
        # Keep the original, whatever order the papers were fetched in; the caller marks the
        # entries that pointed at the copy as duplicates.
        values = _values(article, page)
        for name, value in values.items():
            setattr(twin, name, value)
        twin.source, twin.canonical_url = source, article.canonical_url[:1000]
        twin.save(update_fields=[*values, "source", "canonical_url"])
        index.add(twin)
        return StoreOutcome(StoreOutcome.REPLACED, twin)
    row = ArticleRow(source=source, canonical_url=article.canonical_url[:1000],
                     **_values(article, page))
    insert(row)
    index.add(row)
    return StoreOutcome(StoreOutcome.NEW, row)


ENTRY_FIELDS = ("attempts", "last_attempt_at", "state", "article", "entry_updated", "error",
                "error_reason")


def save_entries(entries: Iterable[Entry]) -> None:
    """Write the ingest's fields of many entries at once (bulk_update's CASE per field and row
    costs more than a small page's extraction)."""
    update_many(entries, ENTRY_FIELDS)
