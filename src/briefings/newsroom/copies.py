"""Syndicated copies in the store: find a stored article's near-copies and name the original.

An article's 32 LSH band keys are rows of `ArticleBand`, so its candidates are one indexed query
(`WHERE key IN (...)`) however large the store grows; nothing is held in memory between pages or
runs. Each candidate is confirmed with `is_copy` on the two stored sketches. The article then
joins the groups of the candidates it copies (or that copy it), `group_copies` names the group's
original, and every member points at it through `duplicate_of` (the original at nothing). A group
is kept as a star around its original, so one query finds all of it.

Called only from the ingest's main thread, inside its transaction, after `store_article`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q

from briefings.newsroom.models import Article as ArticleRow
from briefings.newsroom.models import ArticleBand
from briefings.newsroom.store import StoreOutcome
from briefings.pipeline.bands import bands
from briefings.pipeline.dedupe import Candidate, group_copies, is_copy
from briefings.pipeline.minhash import Sketch

Member = tuple[int, str, str, datetime | None, int | None, int]  # id, paper, credit, ..., source


def _sketch(minhash: bytes | memoryview | None, size: int) -> Sketch | None:
    return Sketch.from_bytes(bytes(minhash), size) if minhash else None


def _connection() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


def _tables(connection: BaseDatabaseWrapper) -> tuple[str, str, str]:
    """The band table, the article table and the band's key column, quoted."""
    quote = connection.ops.quote_name
    return (quote(ArticleBand._meta.db_table), quote(ArticleRow._meta.db_table),
            quote("key"))


def _confirmed(article_id: int, mine: Sketch, keys: Sequence[int]) -> list[tuple[int, int | None]]:
    """(id, duplicate_of) of the stored articles sharing a band key with `mine` that are copies
    of it. CROSS JOIN keeps SQLite's planner on the band index (it may otherwise scan it)."""
    if not keys:
        return []
    connection = _connection()
    band, article, column = _tables(connection)
    marks = ", ".join(["%s"] * len(keys))
    sql = (f"SELECT DISTINCT a.id, a.minhash, a.shingles, a.duplicate_of_id "
           f"FROM {band} b CROSS JOIN {article} a "
           f"WHERE b.{column} IN ({marks}) AND a.id = b.article_id AND b.article_id <> %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, article_id])
        rows = cursor.fetchall()
    return [(other, original) for other, minhash, size, original in rows
            if (theirs := _sketch(minhash, size)) is not None and is_copy(mine, theirs)]


def _insert_bands(article_id: int, keys: Sequence[int]) -> None:
    if not keys:
        return
    connection = _connection()
    band, _, column = _tables(connection)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {band} ({column}, article_id) VALUES (%s, %s)",
                           [(key, article_id) for key in keys])


def _regroup(row: ArticleRow, confirmed: Sequence[tuple[int, int | None]],
             before: dict[int, int | None], after: dict[int, tuple[int | None, int]]) -> None:
    """Join `row`'s group with the groups of its confirmed copies and point every member at the
    group's original. Records each member's first seen and latest `duplicate_of` (and source)."""
    roots = {original or other for other, original in confirmed}
    roots.add(row.duplicate_of_id or row.id)
    members: list[Member] = list(
        ArticleRow.objects.filter(Q(id__in=roots) | Q(duplicate_of_id__in=roots))
        .values_list("id", "source__name", "credit", "published", "duplicate_of_id",
                     "source_id"))
    if len(members) < 2:
        return
    pairs = [(row.id, other) for other, _ in confirmed]
    pairs += [(m[0], m[4]) for m in members if m[4] is not None]
    mapping = group_copies(pairs, [Candidate(m[0], m[1], m[2], m[3]) for m in members])
    changed = [(mapping.get(m[0]), m[0]) for m in members if mapping.get(m[0]) != m[4]]
    if changed:
        connection = _connection()
        _, article, _ = _tables(connection)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {article} SET duplicate_of_id = %s WHERE id = %s",
                               changed)
    for member_id, _, _, _, original, source_id in members:
        before.setdefault(member_id, original)
        after[member_id] = (mapping.get(member_id), source_id)
    row.duplicate_of_id = mapping.get(row.id)


def _place(row: ArticleRow, before: dict[int, int | None],
           after: dict[int, tuple[int | None, int]], *, new_keys: bool) -> None:
    """Find `row`'s copies among the stored articles, regroup, and store its band keys if they
    are new. A row with new keys has no group yet, so without a copy there is nothing to do;
    one that keeps its keys may be in a group, which is chosen again."""
    mine = _sketch(row.minhash, row.shingles)
    keys = bands(mine) if mine is not None else []
    confirmed = _confirmed(row.id, mine, keys) if mine is not None else []
    if confirmed or not new_keys:
        _regroup(row, confirmed, before, after)
    if new_keys:
        _insert_bands(row.id, keys)


def _detach(row: ArticleRow) -> list[int]:
    """Take an article whose text changed out of its group: its band keys go, and neither it nor
    its copies point anywhere. Returns those copies, to be placed again."""
    connection = _connection()
    band, _, _ = _tables(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {band} WHERE article_id = %s", [row.id])
    orphans = list(ArticleRow.objects.filter(duplicate_of_id=row.id).values_list("id", flat=True))
    ArticleRow.objects.filter(Q(id=row.id) | Q(duplicate_of_id=row.id)).update(duplicate_of=None)
    row.duplicate_of_id = None
    return orphans


def link_copies(row: ArticleRow, kind: str) -> list[int]:
    """Place an article `store_article` has just written (`kind` NEW, UPDATED or REPLACED) among
    its near-copies; returns the source ids of the articles this found to be copies.

    A new article brings its band keys. A replaced one (the original took its identical copy's
    row) keeps its text and keys, but its paper and credit changed, so its group may name another
    original. An updated one may have left its group: it is detached and placed again, and so
    are the copies that pointed at it; what was a copy before does not count as found again.
    """
    before: dict[int, int | None] = {}
    after: dict[int, tuple[int | None, int]] = {}
    was_copy: set[int] = set()
    if kind != StoreOutcome.NEW:  # the batch may have regrouped it since its row was read
        row.refresh_from_db(fields=["duplicate_of"])
    if kind == StoreOutcome.UPDATED:
        if row.duplicate_of_id is not None:
            was_copy.add(row.id)
        orphans = _detach(row)
        was_copy.update(orphans)
        _place(row, before, after, new_keys=True)
        for orphan in ArticleRow.objects.filter(id__in=orphans).only(
                "id", "minhash", "shingles", "duplicate_of_id"):
            _place(orphan, before, after, new_keys=False)
    else:
        _place(row, before, after, new_keys=kind == StoreOutcome.NEW)
    return [source_id for member, (original, source_id) in after.items()
            if original is not None and before[member] is None and member not in was_copy]
