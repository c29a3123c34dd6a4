"""Writing an extracted article: once per canonical URL, once per body.

Called only from the ingest's main thread, so SQLite sees one writer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.models import Entry
from briefings.pipeline.types import Article, Page
from briefings.sources.models import Source

_FIELDS = ("title", "standfirst", "section", "language", "image", "credit", "paywalled", "html",
           "text", "body_hash", "extractor")


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
    return values


def _more_original(new: Article, held: ArticleRow) -> bool:
    """Of two identical bodies, the one without a credit line, else the earlier, is the original."""
    if bool(new.credit) != bool(held.credit):
        return not new.credit
    if new.published and held.published:
        return new.published < held.published
    return False


@transaction.atomic
def store_article(source: Source, article: Article, page: Page) -> StoreOutcome:
    """Insert, update or recognise `article`; re-storing the same article changes nothing."""
    existing = ArticleRow.objects.filter(canonical_url=article.canonical_url).first()
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
        existing.save()
        return StoreOutcome(StoreOutcome.UPDATED, existing)
    twin = ArticleRow.objects.filter(body_hash=article.body_hash).order_by("id").first()
    if twin is not None:
        if not _more_original(article, twin):
            return StoreOutcome(StoreOutcome.DUPLICATE, twin)
        # Keep the original, whatever order the papers were fetched in.
        Entry.objects.filter(article=twin).update(state=Entry.DUPLICATE)
        for name, value in _values(article, page).items():
            setattr(twin, name, value)
        twin.source, twin.canonical_url = source, article.canonical_url[:1000]
        twin.save()
        return StoreOutcome(StoreOutcome.REPLACED, twin)
    row = ArticleRow.objects.create(
        source=source, canonical_url=article.canonical_url[:1000], **_values(article, page)
    )
    return StoreOutcome(StoreOutcome.NEW, row)
