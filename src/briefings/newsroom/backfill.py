"""Articles stored before a stage existed get it: their sketch and copies, their tags, their
story.

A store that was filled by an older Briefings holds articles with no MinHash sketch, no profile
and no tags, so they would never be found as copies, never be tagged and never join a story (and
so never reach the home page). Each ingest starts by giving them what they lack, oldest first, as
if they had just arrived, in batches of their own transactions; a store with nothing to do costs
one indexed query.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce

from briefings.newsroom.copies import link_copies
from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.rows import update_many
from briefings.newsroom.store import StoreOutcome
from briefings.newsroom.stories import StoryDesk
from briefings.newsroom.tagging import TagWriter
from briefings.pipeline.cluster import profile
from briefings.pipeline.minhash import sketch
from briefings.pipeline.tag import tag

BATCH = 500


def backfill(desk: StoryDesk) -> int:
    """Bring every article without a profile up to date; returns how many there were."""
    pending = list(ArticleRow.objects.filter(profile__isnull=True)
                   .order_by(Coalesce("published", "first_seen_at"), "id")
                   .values_list("id", flat=True))
    tags = TagWriter()
    for start in range(0, len(pending), BATCH):
        with transaction.atomic():
            rows = list(ArticleRow.objects.filter(pk__in=pending[start:start + BATCH])
                        .select_related("source")
                        .order_by(Coalesce("published", "first_seen_at"), "id"))
            for row in rows:
                _bring_up_to_date(row, desk, tags)
            tags.flush()
            desk.flush()
    return len(pending)


def _bring_up_to_date(row: ArticleRow, desk: StoryDesk, tags: TagWriter) -> None:
    fields = ["profile"]
    row.profile = profile(row.title, row.text, row.language).to_bytes()
    sketched = row.minhash is None
    if sketched:
        found = sketch(row.text)
        row.minhash, row.shingles = found.to_bytes(), found.size
        fields += ["minhash", "shingles"]
    update_many([row], fields)
    if sketched:
        link_copies(row, StoreOutcome.NEW)
        row.duplicate_of_id = (ArticleRow.objects.filter(pk=row.pk)
                               .values_list(F("duplicate_of_id"), flat=True)[0])
    tags.add(row, tag(row.title, row.text, row.language))
    desk.place(row, StoreOutcome.NEW)
