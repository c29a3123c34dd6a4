"""Stories in the store: place each stored article in a story, keep each story's facts current,
and the editors' merge and split.

The ingest's writer holds one `StoryDesk` for a run. It loads the stories still open (last
updated within two windows of now) with their members' stored profiles into the clustering
(pipeline/cluster.py), so a new article joins an existing story without recomputing anything
else; the document frequencies are one row, read at the start and saved at the end of the run.
A syndicated copy joins its original's story without being compared at all. Stories touched in a
batch are refreshed once at the end of the batch: headline and summary from the best member,
first seen, last updated, the papers in order of appearance and the breadth.

A pinned article (an editor merged or split its story) is never moved by the clustering; an
updated article that is not pinned is placed again, since its text changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.models import Story, TermFrequencies
from briefings.newsroom.rows import insert, update_many
from briefings.newsroom.store import StoreOutcome
from briefings.pipeline.cluster import Clusterer, Frequencies, Profile, Settings
from briefings.pipeline.summarize import Candidate, best_article, summary

PLACED = (StoreOutcome.NEW, StoreOutcome.UPDATED, StoreOutcome.REPLACED)


def configured() -> Settings:
    values = django_settings.BRIEFINGS
    return Settings(window=timedelta(hours=int(values["story_window"])),
                    same_language=float(values["story_same_language"]),
                    across_languages=float(values["story_across_languages"]))


def load_frequencies() -> Frequencies:
    row = TermFrequencies.objects.order_by("pk").first()
    if row is None:
        return Frequencies()
    return Frequencies.from_bytes(row.documents, bytes(row.counts))


def save_frequencies(frequencies: Frequencies) -> None:
    row = TermFrequencies.objects.order_by("pk").first() or TermFrequencies()
    row.documents, row.counts = frequencies.documents, frequencies.to_bytes()
    row.save()


def _when(row: ArticleRow) -> datetime:
    return row.published or row.first_seen_at or timezone.now()


class StoryDesk:
    """The clustering state of one ingest run, and the stories it touched."""

    def __init__(self, settings: Settings | None = None, *, now: datetime | None = None) -> None:
        self.settings = settings or configured()
        self.clusterer = Clusterer(self.settings, load_frequencies())
        self.dirty: set[int] = set()
        self.moved: dict[int, ArticleRow] = {}  # articles whose story changed, saved at flush
        self.started = 0  # stories this desk began
        self.swept: datetime | None = None  # the article time of the last sweep
        self._load(now or timezone.now())

    def _load(self, now: datetime) -> None:
        held = (ArticleRow.objects
                .filter(story__last_updated__gte=now - 2 * self.settings.window,
                        profile__isnull=False)
                .order_by("id")
                .values_list("id", "story_id", "published", "first_seen_at", "profile"))
        for article, story, published, first_seen, found in held.iterator(2000):
            self.clusterer.remember(article, story, published or first_seen,
                                    Profile.from_bytes(bytes(found)))

    def place(self, row: ArticleRow, kind: str) -> int | None:
        """Put a just-stored article in its story; returns the story's id."""
        if kind not in PLACED or not row.profile:
            return row.story_id
        if row.story_id is not None:
            self.dirty.add(row.story_id)
            if row.story_pinned or kind == StoreOutcome.REPLACED:
                return row.story_id
            self.clusterer.forget(row.id)
        found = Profile.from_bytes(bytes(row.profile))
        when = _when(row)
        if row.story_id is None:
            self.clusterer.count(found)
        story = self._story_of_original(row) or self.clusterer.place(when, found)
        if story is None:
            fresh = Story(headline=row.title[:500], first_seen=when, last_updated=when,
                          papers=[row.source.name])
            insert(fresh)
            story = fresh.pk
            self.started += 1
        if story != row.story_id:
            row.story_id = story
            self.moved[row.pk] = row
        self.clusterer.remember(row.id, story, when, found)
        self.dirty.add(story)
        self._sweep(when)
        return story

    def _sweep(self, when: datetime) -> None:
        """Let go of the stories closed long before this article, now and then as time moves
        on; measured from the article, not the newest held, so a backfill of old articles keeps
        its own open stories."""
        if self.swept is None or abs(when - self.swept) > self.settings.window / 4:
            self.clusterer.forget_before(when - 3 * self.settings.window)
            self.swept = when

    def _story_of_original(self, row: ArticleRow) -> int | None:
        original = row.duplicate_of_id
        if original is None:
            return None
        member = self.clusterer.members.get(original)
        if member is not None:
            return member.story
        return (ArticleRow.objects.filter(pk=original).values_list("story_id", flat=True)
                .first())

    def flush(self) -> None:
        """Refresh the stories touched since the last flush (call inside the batch's
        transaction)."""
        if self.moved:
            update_many(self.moved.values(), ["story"])
            self.moved.clear()
        if self.dirty:
            refresh(self.dirty)
            self.dirty.clear()

    def close(self) -> None:
        self.flush()
        save_frequencies(self.clusterer.frequencies)


def refresh(stories: Iterable[int]) -> None:
    """Recompute each story's facts from its members; delete the stories left empty."""
    wanted = set(stories)
    members: dict[int, list[dict]] = {s: [] for s in wanted}
    rows = (ArticleRow.objects.filter(story_id__in=wanted)
            .annotate(length=Length("text"))
            .values("id", "story_id", "title", "standfirst", "published", "first_seen_at",
                    "duplicate_of_id", "paywalled", "length", "source__name",
                    "source__full_text"))
    for row in rows:
        row["when"] = row["published"] or row["first_seen_at"]
        members[row["story_id"]].append(row)
    empty = [s for s, held in members.items() if not held]
    if empty:
        Story.objects.filter(pk__in=empty).delete()
    changed = []
    bests: dict[int, dict] = {}
    for story in Story.objects.filter(pk__in=[s for s, held in members.items() if held]):
        held = sorted(members[story.pk], key=lambda r: (r["when"], r["id"]))
        best = held[best_article(
            Candidate(r["length"] or 0, r["standfirst"], r["paywalled"], r["source__full_text"],
                      r["duplicate_of_id"] is not None) for r in held)]
        bests[story.pk] = best
        papers = list(dict.fromkeys(r["source__name"] for r in held))
        story.headline = best["title"][:500]
        story.first_seen, story.last_updated = held[0]["when"], held[-1]["when"]
        story.papers, story.breadth, story.size = papers, len(papers), len(held)
        changed.append(story)
    retold = [s for s in changed if s.best_id != bests[s.pk]["id"] or not s.summary]
    texts = {pk: (text, credit) for pk, text, credit in ArticleRow.objects.filter(
        pk__in=[bests[s.pk]["id"] for s in retold]).values_list("pk", "text", "credit")}
    for story in retold:
        text, credit = texts[bests[story.pk]["id"]]
        story.summary = summary(story.headline, text, skip=(credit,) if credit else ())
    for story in changed:
        story.best_id = bests[story.pk]["id"]
    update_many(changed, ["headline", "summary", "best", "first_seen", "last_updated", "papers",
                          "breadth", "size"])


def merge(target: Story, others: Sequence[Story]) -> Story:
    """One story out of several: every member is pinned to `target`."""
    with transaction.atomic():
        ids = [o.pk for o in others if o.pk != target.pk]
        ArticleRow.objects.filter(story_id__in=[target.pk, *ids]).update(
            story=target, story_pinned=True)
        Story.objects.filter(pk__in=ids).delete()
        refresh([target.pk])
    target.refresh_from_db()
    return target


def split(story: Story, articles: Iterable[ArticleRow | int]) -> Story:
    """Move `articles` of `story` into a new story, pinned there."""
    ids = [a.pk if isinstance(a, ArticleRow) else int(a) for a in articles]
    with transaction.atomic():
        moving = ArticleRow.objects.filter(story=story, pk__in=ids)
        if not moving.exists():
            raise ValueError("none of those articles is in this story")
        now = timezone.now()
        fresh = Story.objects.create(headline=story.headline, first_seen=now, last_updated=now)
        moving.update(story=fresh, story_pinned=True)
        refresh([story.pk, fresh.pk])
    fresh.refresh_from_db()
    return fresh
