"""The ingest's plain INSERT/UPDATE helpers store exactly what the ORM would have stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from briefings.newsroom.models import Article, ArticleEntity, Entity, EntityKey, Entry
from briefings.newsroom.rows import (
    ROWS_PER_INSERT,
    insert,
    insert_all,
    insert_many,
    insert_values,
    update_many,
)
from briefings.sources.models import FetchLog, Source

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")


def raw_row(model: type, pk: int) -> dict[str, object]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def article_values(source: Source, url: str) -> dict[str, object]:
    return {
        "source": source, "url": url, "canonical_url": url, "title": "Ferry talks resume",
        "standfirst": "", "authors": ["Kim Min-ji", "Lee Su-bin"],
        "published": datetime(2026, 3, 6, 9, 30, tzinfo=SEOUL),  # another zone: stored as UTC
        "updated": None, "section": "Diplomacy", "language": "ko", "credit": "",
        "paywalled": True, "html": "<p>Body</p>", "text": "Body", "body_hash": "ab" * 32,
        "extractor": "test", "fetched_at": datetime(2026, 3, 6, 1, 0, 0, 123456, tzinfo=UTC),
    }


def test_insert_writes_the_same_columns_as_the_orm() -> None:
    source = Source.objects.create(slug="s", name="S", homepage="https://s.example/")
    by_orm = Article.objects.create(**article_values(source, "https://s.example/a"))
    ours = Article(**article_values(source, "https://s.example/b"))
    insert(ours)
    assert ours.pk and ours.pk != by_orm.pk and not ours._state.adding
    mine, theirs = raw_row(Article, ours.pk), raw_row(Article, by_orm.pk)
    for name in ("id", "url", "canonical_url", "first_seen_at"):
        mine.pop(name), theirs.pop(name)
    assert mine == theirs
    stored = Article.objects.get(pk=ours.pk)
    assert stored.published == datetime(2026, 3, 6, 0, 30, tzinfo=UTC)
    assert stored.authors == ["Kim Min-ji", "Lee Su-bin"] and stored.paywalled is True
    # auto_now_add is filled as save() fills it
    assert abs(stored.first_seen_at - by_orm.first_seen_at) < timedelta(seconds=5)


def test_insert_many_and_update_many() -> None:
    source = Source.objects.create(slug="s", name="S", homepage="https://s.example/")
    when = datetime(2026, 3, 6, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    insert_many([FetchLog(source=source, url=f"https://s.example/{n}", kind=FetchLog.PAGE,
                          status=200, fetched_at=when) for n in range(3)])
    assert FetchLog.objects.filter(source=source, fetched_at=when).count() == 3
    insert_many([])

    rows = [Entry(source=source, url=f"https://s.example/{n}", title=f"t{n}") for n in range(2)]
    for row in rows:
        insert(row)
    rows[0].state, rows[0].attempts, rows[0].last_attempt_at = Entry.FAILED, 2, when
    rows[1].error, rows[1].title = "HTTP 500", "not written"
    update_many(rows, ("state", "attempts", "last_attempt_at", "error"))
    first, second = Entry.objects.order_by("id")
    assert (first.state, first.attempts, first.last_attempt_at) == (Entry.FAILED, 2, when)
    assert second.error == "HTTP 500" and second.title == "t1"  # only the named fields change


def test_insert_all_sets_each_rows_key_in_order_across_statements() -> None:
    source = Source.objects.create(slug="s", name="S", homepage="https://s.example/")
    rows = [Entry(source=source, url=f"https://s.example/{n}", title=f"t{n}")
            for n in range(ROWS_PER_INSERT + 3)]
    insert_all(rows)
    stored = dict(Entry.objects.values_list("id", "title"))
    assert [stored[row.pk] for row in rows] == [row.title for row in rows]
    assert not any(row._state.adding for row in rows)
    insert_all([])


def test_insert_values_can_skip_rows_that_break_a_unique_key() -> None:
    source = Source.objects.create(slug="s", name="S", homepage="https://s.example/")
    article = Article.objects.create(**article_values(source, "https://s.example/a"))
    entity = Entity.objects.create(name="Kim Jong Un", kind=Entity.PERSON, slug="kim-jong-un")
    insert_values(ArticleEntity, ("article", "entity", "count"), [(article.pk, entity.pk, 3)])
    assert ArticleEntity.objects.get().count == 3
    insert_values(EntityKey, ("key", "entity", "loose"), [("kim jong un", entity.pk, False)])
    insert_values(EntityKey, ("key", "entity", "loose"),
                  [("kim jong un", entity.pk, True), ("kim", entity.pk, True)],
                  skip_conflicts=True)
    assert dict(EntityKey.objects.values_list("key", "loose")) == {"kim jong un": False,
                                                                   "kim": True}
