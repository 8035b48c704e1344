"""Inserting and updating many rows with one prepared statement.

Django's `bulk_create` and `bulk_update` build model instances and per-row expressions; for an
import of a hundred thousand rows that costs many times the database work itself. These helpers
prepare each value with the field's own `get_db_prep_save` and hand the rows to the driver's
`executemany` (on PostgreSQL, to COPY), inside the caller's transaction. The caller validates
first: nothing here does.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _preparers(model: type[models.Model], names: Sequence[str]):
    """(column index, function) for the fields whose values the driver cannot take as they are."""
    preparers = []
    for index, name in enumerate(names):
        field = model._meta.get_field(name)
        if isinstance(field, PLAIN) and not isinstance(field, models.JSONField):
            continue
        if isinstance(field, models.DateField | models.DateTimeField):
            # Dates repeat across rows (the import's time, reporting dates): prepare each once.
            prepare = preparer(model, name)
        elif isinstance(field, models.JSONField):
            # What get_db_prep_save ends in, without its per-value checks for expressions.
            prepare = functools.partial(connection.ops.adapt_json_value, encoder=field.encoder)
        else:
            prepare = lambda value, f=field: f.get_db_prep_save(value, connection)  # noqa: E731
        preparers.append((index, prepare))
    return preparers


def _prepare_row(preparers, row: Sequence[Any]) -> tuple:
    """The row with each value that needs it prepared; plain values pass untouched."""
    prepared = list(row)
    for index, prepare in preparers:
        value = prepared[index]
        if value is not None:
            prepared[index] = prepare(value)
    return tuple(prepared)


def preparer(model: type[models.Model], name: str):
    """The function that turns a value of the field into what the database takes; each distinct
    value is prepared once (for columns that repeat a few values: dates, JSON constants)."""
    field = model._meta.get_field(name)
    cache: dict[Any, Any] = {}

    def prepare(value):
        if value is None:
            return None
        key = (type(value), value) if not isinstance(value, list | dict) else repr(value)
        try:
            return cache[key]
        except KeyError:
            cache[key] = prepared = field.get_db_prep_save(value, connection)
            return prepared

    return prepare


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows of the model, taken now, so that rows pointing at each
    other can be inserted with their keys and nothing has to be read back. Call it inside the
    transaction that inserts them: on SQLite that transaction holds the write lock (from BEGIN
    IMMEDIATE), so nobody else can take the same keys; on PostgreSQL they come from the table's
    sequence."""
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk, count],
            )
            return [key for (key,) in cursor.fetchall()]
        cursor.execute(f"SELECT max({quote(pk)}) FROM {quote(table)}")
        top = cursor.fetchone()[0] or 0
        # AUTOINCREMENT never gives a key again, even one whose row was deleted.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
        start = max(top, used[0] if used else 0) + 1
        return list(range(start, start + count))


def insert_many(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    batch: int = 5000,
    prepared: bool = False,
) -> None:
    """INSERT the rows (values in the order of `names`, foreign keys by id) into the model's
    table. With `prepared`, the caller has already turned every value into what the database
    takes (see `preparer`), and the rows go to the driver as they are."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
    preparers = [] if prepared else _preparers(model, names)
    rows = iter(rows)
    if connection.vendor == "postgresql":
        # COPY: many times faster than INSERT statements, even pipelined ones.
        with connection.cursor() as cursor:
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(_prepare_row(preparers, row) if preparers else row)
        return
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        while True:
            if preparers:
                chunk = [_prepare_row(preparers, row) for row in itertools.islice(rows, batch)]
            else:
                chunk = list(itertools.islice(rows, batch))
            if not chunk:
                break
            cursor.executemany(sql, chunk)


def update_many(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """UPDATE the named fields by primary key; each row is (pk, value, value, …)."""
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(model._meta.get_field(n).column)} = %s" for n in names)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    )
    preparers = _preparers(model, names)
    prepared = [(*_prepare_row(preparers, raw), pk) for pk, *raw in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector switched off for a block (or a function, as a
    decorator) of bulk work. Reading and checking a large file makes millions of objects
    (cells, rows, plans) that all live until the work ends; each time allocations pass its
    threshold the collector walks them again, for nothing: it cost an import of 100,000 rows
    about a third of its time. Reference counting still frees everything as usual; the collector
    runs again after the block. The switch is process-wide: other threads of a server skip cycle
    collection meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
