"""Plain INSERT and UPDATE statements for the rows the ingest writes by the hundred.

Django's insert and update compilers rebuild their SQL for every call and every row; on the
small pages of a busy newsroom that cost more than extracting the page. These helpers build each
statement once per model and field list and bind the values through each field's own
`get_db_prep_save`, so stored values are exactly what the ORM would have written. The one
shortcut: on SQLite an aware datetime is written as Django writes it (naive UTC, `str()`),
without the dozen calls the field makes to get there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateTimeField, Field, Model

Binder = Callable[[Model, bool, BaseDatabaseWrapper], object]


def _connection() -> BaseDatabaseWrapper:
    # The wrapper itself: `django.db.connection` is a proxy that looks the thread's connection
    # up again on every attribute, and binding a row reads it a dozen times.
    return connections[DEFAULT_DB_ALIAS]


def _binder(field: Field, utc_sqlite: bool) -> Binder:
    def bind(obj: Model, add: bool, connection: BaseDatabaseWrapper) -> object:
        # pre_save fills auto_now_add and auto_now fields, as Model.save would.
        return field.get_db_prep_save(field.pre_save(obj, add), connection)

    if not (utc_sqlite and isinstance(field, DateTimeField)):
        return bind
    attname = field.attname

    def bind_datetime(obj: Model, add: bool, connection: BaseDatabaseWrapper) -> object:
        if field.auto_now or (add and field.auto_now_add):
            return bind(obj, add, connection)
        value = getattr(obj, attname)
        if value is None:
            return None
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return str(value.astimezone(UTC).replace(tzinfo=None))
        return bind(obj, add, connection)

    return bind_datetime


@cache
def _binders(model: type[Model], names: tuple[str, ...] | None,
             connection_key: tuple[str, str]) -> tuple[tuple[Field, ...], tuple[Binder, ...]]:
    vendor, zone = connection_key
    if names is None:
        fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    else:
        fields = tuple(model._meta.get_field(name) for name in names)
    utc_sqlite = vendor == "sqlite" and zone == "UTC"
    return fields, tuple(_binder(f, utc_sqlite) for f in fields)


def _plan(model: type[Model], names: tuple[str, ...] | None,
          connection: BaseDatabaseWrapper) -> tuple[tuple[Field, ...], tuple[Binder, ...]]:
    return _binders(model, names, (connection.vendor, connection.timezone_name))


def _params(obj: Model, binders: Sequence[Binder], add: bool,
            connection: BaseDatabaseWrapper) -> list[object]:
    return [bind(obj, add, connection) for bind in binders]


def _insert_sql(model: type[Model], fields: Sequence[Field],
                connection: BaseDatabaseWrapper, rows: int = 1) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {marks}"


ROWS_PER_INSERT = 200  # well under SQLite's 32 766 bound parameters for the widest model


def insert(obj: Model) -> None:
    """INSERT one row and set its primary key."""
    insert_all([obj])


def insert_all(objs: Sequence[Model]) -> None:
    """INSERT rows of one model and set their primary keys: one multi-row INSERT ... RETURNING
    per ROWS_PER_INSERT rows, not a statement per row. The keys come back in the rows' order
    on SQLite and PostgreSQL, as Django's own bulk_create relies on."""
    if not objs:
        return
    connection = _connection()
    model = type(objs[0])
    fields, binders = _plan(model, None, connection)
    pk = connection.ops.quote_name(model._meta.pk.column)
    for start in range(0, len(objs), ROWS_PER_INSERT):
        chunk = objs[start:start + ROWS_PER_INSERT]
        sql = f"{_insert_sql(model, fields, connection, len(chunk))} RETURNING {pk}"
        params = [value for obj in chunk for value in _params(obj, binders, True, connection)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            keys = [row[0] for row in cursor.fetchall()]
        for obj, key in zip(chunk, keys, strict=True):
            obj.pk = key
            obj._state.adding = False
            obj._state.db = connection.alias


def insert_many(objs: Iterable[Model]) -> None:
    """INSERT rows of one model in one executemany; their primary keys are not read back."""
    objs = list(objs)
    if not objs:
        return
    connection = _connection()
    model = type(objs[0])
    fields, binders = _plan(model, None, connection)
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, fields, connection),
                           [_params(obj, binders, True, connection) for obj in objs])


def insert_values(model: type[Model], names: Sequence[str], rows: Iterable[Sequence[object]], *,
                  skip_conflicts: bool = False) -> None:
    """INSERT rows given as tuples of values for the fields `names`, in one executemany.

    For link and key rows (ids, counts, short text, flags), whose values the database takes as
    they are: building a model object and binding each field costs more than their insert.
    With `skip_conflicts` a row that would break a unique constraint is left out (ON CONFLICT
    DO NOTHING: SQLite and PostgreSQL alike).
    """
    rows = list(rows)
    if not rows:
        return
    connection = _connection()
    fields = tuple(model._meta.get_field(name) for name in names)
    sql = _insert_sql(model, fields, connection)
    if skip_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def update_many(objs: Iterable[Model], names: Sequence[str]) -> None:
    """UPDATE the fields `names` of many rows of one model in one executemany."""
    objs = list(objs)
    if not objs:
        return
    connection = _connection()
    model = type(objs[0])
    fields, binders = _plan(model, tuple(names), connection)
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET "
           + ", ".join(f"{quote(f.column)} = %s" for f in fields)
           + f" WHERE {quote(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*_params(obj, binders, False, connection), obj.pk]
                                 for obj in objs])
