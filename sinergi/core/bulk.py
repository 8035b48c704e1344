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
from typing import Any, cast

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


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The model's field of that name (a concrete one: these helpers write columns)."""
    return cast(models.Field, model._meta.get_field(name))


def column(model: type[models.Model], name: str) -> str:
    """The database column of the model's field, quoted; "pk" names the primary key."""
    field = model._meta.pk if name == "pk" else concrete_field(model, name)
    return connection.ops.quote_name(cast(str, cast(models.Field, field).column))


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


class _Prepared(dict):
    """value -> the value prepared for the database by `prepare`, computed on first lookup."""

    def __init__(self, prepare):
        super().__init__()
        self.prepare = prepare

    def __missing__(self, value):
        self[value] = prepared = self.prepare(value)
        return prepared


def preparer(model: type[models.Model], name: str):
    """The function that turns a value of the field into what the database takes; each distinct
    value is prepared once (for columns that repeat a few values: dates, JSON constants). It is
    called once per row of a large insert: the lookup of a value seen before is a dictionary's
    own, with no Python function around it."""
    field = concrete_field(model, name)
    prepared = _Prepared(lambda value: field.get_db_prep_save(value, connection))
    if not isinstance(field, models.JSONField):
        return prepared.__getitem__
    texts: dict[str, Any] = {}  # lists and dicts cannot be keys: their text is

    def prepare_json(value):
        if not isinstance(value, list | dict):
            return prepared[value]
        key = repr(value)
        if key not in texts:
            texts[key] = field.get_db_prep_save(value, connection)
        return texts[key]

    return prepare_json


def reserve_ids(model: type[models.Model], count: int) -> Sequence[int]:
    """Primary keys for `count` new rows of the model, taken now, so that rows pointing at each
    other can be inserted with their keys and nothing has to be read back. Call it inside the
    transaction that inserts them: on SQLite that transaction holds the write lock (from BEGIN
    IMMEDIATE), so nobody else can take the same keys; on PostgreSQL they come from the table's
    sequence. On SQLite the keys are consecutive and come as a `range`, which holds no list of
    them however many there are."""
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, cast(str, cast(models.Field, model._meta.pk).column)
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
        return range(start, start + count)


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
    columns = ", ".join(column(model, n) for n in names)
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
    chunk: list[Sequence[Any]]
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
    sets = ", ".join(f"{column(model, n)} = %s" for n in names)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {column(model, 'pk')} = %s"
    preparers = _preparers(model, names)
    prepared = [(*_prepare_row(preparers, raw), pk) for pk, *raw in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


# Fewer new rows than this, or than the table already holds: its indexes are kept (see below).
INDEX_REBUILD_FROM = 10_000


@contextlib.contextmanager
def indexes_rebuilt(adding: dict[type[models.Model], int]):
    """Inside a transaction on SQLite, for a block that inserts many rows: each table that
    receives at least as many new rows as it holds (and at least INDEX_REBUILD_FROM) has its
    secondary indexes dropped for the block and built again from the whole table at its end.
    `adding` maps each model the block writes to the number of rows it will insert. Building an
    index from all the rows at once is several times faster than growing it one random key at a
    time: an import of 100,000 enterprises otherwise spends half of its writing in the indexes.

    Kept are the primary keys, UNIQUE columns (not separate indexes in SQLite), and every index
    led by a foreign key between these tables: SQLite uses those to check deferred foreign keys
    as the rows go in. A unique index is rebuilt as unique, so a duplicate still fails the
    transaction. The DDL is part of the caller's transaction: if the block raises, nothing is
    rebuilt here and the rollback brings the indexes back as they were. Readers are not blocked
    (they read the last committed state). On PostgreSQL nothing is done: its COPY is fast with
    the indexes, and dropping one there would block every reader of the table until the commit."""
    if connection.vendor != "sqlite" or max(adding.values(), default=0) < INDEX_REBUILD_FROM:
        yield
        return
    tables = {model._meta.db_table: count for model, count in adding.items()}
    quote = connection.ops.quote_name
    dropped: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for table, count in tables.items():
            if count < INDEX_REBUILD_FROM:
                continue
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            if count >= cursor.fetchone()[0]:
                dropped += _droppable_indexes(cursor, table, set(tables))
        for name, _sql in dropped:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in dropped:
            cursor.execute(sql)


def _droppable_indexes(cursor, table: str, tables: set[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes not led by a foreign key to `tables`."""
    cursor.execute("SELECT * FROM pragma_foreign_key_list(%s)", [table])
    described = [c[0] for c in cursor.description]
    linked = {
        row[described.index("from")]
        for row in cursor.fetchall()
        if row[described.index("table")] in tables
    }
    cursor.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
        [table],
    )
    dropped = []
    for name, sql in cursor.fetchall():
        cursor.execute("SELECT name FROM pragma_index_info(%s) ORDER BY seqno LIMIT 1", [name])
        first = cursor.fetchone()
        if first is None or first[0] not in linked:
            dropped.append((name, sql))
    return dropped


def analyze(schema_editor, *tables: str) -> None:
    """Fresh planner statistics for `tables` (a migration that adds an index runs it). SQLite
    plans by the statistics ANALYZE stored (sqlite_stat1): without a row for a new index it
    takes it for a poor one and keeps reading the rows a filter passes. PostgreSQL keeps its
    statistics per column; refreshed as well, at little cost."""
    for table in tables:
        schema_editor.execute(f"ANALYZE {schema_editor.connection.ops.quote_name(table)}")


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
