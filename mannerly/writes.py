"""Staged writes: collect a group's new and changed rows, write them with a few statements.

Work that handles many rows at once (mail intake takes a hundred messages per transaction)
would otherwise pay one INSERT or UPDATE per row, and the ORM's per-row cost is most of the
time. Rows are collected here and flushed at the end of the group, one statement per kind of
row, inside the caller's transaction.

New rows can get their primary keys when they are collected (:meth:`StagedWrites.new_id`), so
that rows collected later in the same group can point at them. The ids come from the database
while the caller holds its write transaction: on SQLite from ``sqlite_sequence`` (every table
is ``AUTOINCREMENT``; transactions begin ``IMMEDIATE``, so no other writer runs until the
commit), on PostgreSQL from the table's sequence (ids taken and unused are only gaps).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import connection, models

ID_BLOCK = 64  # PostgreSQL ids drawn from a sequence at a time


class NotAllWritten(Exception):
    """A conditional UPDATE changed fewer rows than expected (someone else changed them)."""


class StagedWrites:
    """New rows (model instances or plain column tuples) and changed fields, per model."""

    def __init__(self) -> None:
        self._instances: dict[type[models.Model], list[models.Model | dict]] = defaultdict(list)
        self._inserted: set[int] = set()
        self._rows: dict[tuple, list[tuple]] = defaultdict(list)
        self._changed: dict[int, tuple[models.Model, set[str]]] = {}
        self._statements: list[tuple[str, list[tuple], int | None]] = []
        self._next_ids: dict[type[models.Model], list[int]] = {}
        self._sqlite_seq: dict[str, int] | None = None

    # --- ids ---------------------------------------------------------------------------------

    def new_id(self, model: type[models.Model]) -> int:
        """A primary key for a row of ``model`` that will be added to this unit."""
        pool = self._next_ids.get(model)
        if connection.vendor == "sqlite":
            if pool is None:
                pool = self._next_ids[model] = [self._sqlite_max_id(model._meta.db_table)]
            pool[0] += 1
            return pool[0]
        if not pool:
            pool = self._next_ids[model] = self._sequence_ids(model, ID_BLOCK)
        return pool.pop(0)

    def _sqlite_max_id(self, table: str) -> int:
        """The highest id a table ever had: one read of ``sqlite_sequence`` for all tables."""
        if self._sqlite_seq is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                self._sqlite_seq = dict(cursor.fetchall())
        return self._sqlite_seq.get(table, 0)

    def _sequence_ids(self, model: type[models.Model], count: int) -> list[int]:
        pk = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]

    # --- collecting --------------------------------------------------------------------------

    def add(self, instance: models.Model) -> models.Model:
        """A new row; its fields are read when the unit is flushed (later changes count)."""
        if id(instance) in self._inserted:
            return instance
        self._instances[type(instance)].append(instance)
        self._inserted.add(id(instance))
        return instance

    def add_values(self, model: type[models.Model], **values) -> None:
        """A new row given by field values (attnames, e.g. ``ticket_id``), defaults for the
        rest: no model instance to build, for rows nothing else in the group refers to."""
        self._instances[model].append(values)

    def add_rows(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: list[tuple],
        *,
        ignore_conflicts: bool = False,
    ) -> None:
        """New rows given as ready database values, in ``columns`` order."""
        if rows:
            self._rows[(model, tuple(columns), ignore_conflicts)].extend(rows)

    def changed(self, instance: models.Model, fields: Sequence[str]) -> None:
        """Fields of an existing row (or of a row added here: then nothing more to do)."""
        if id(instance) in self._inserted:
            return
        _, names = self._changed.setdefault(id(instance), (instance, set()))
        names.update(fields)

    def execute_many(self, sql: str, params: list[tuple], *, expect: int | None = None) -> None:
        """A statement of one's own, run once per parameter tuple at the flush, in order.

        ``expect``: how many rows it must change in all, else :class:`NotAllWritten`.
        """
        if params:
            self._statements.append((sql, params, expect))

    # --- flushing ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write everything collected, in the order kinds were first collected; empty the unit."""
        with connection.cursor() as cursor:
            for model, instances in self._instances.items():
                _insert_instances(cursor, model, instances)
            for (model, columns, ignore), rows in self._rows.items():
                _insert_rows(cursor, model, columns, rows, ignore)
            for (model, fields), instances in _by_fields(self._changed.values()).items():
                _update_instances(cursor, model, fields, instances)
            for sql, params, expect in self._statements:
                cursor.executemany(sql, params)
                if expect is not None and cursor.rowcount != expect:
                    raise NotAllWritten(f"{cursor.rowcount} of {expect} rows changed: {sql[:60]}")
        self.__init__()


def _insert_instances(cursor, model: type[models.Model], rows: list[models.Model | dict]) -> None:
    """Rows of one model, each a model instance or a dict of values (the order kept)."""
    first = rows[0]
    with_pk = (first.pk if isinstance(first, models.Model) else first.get("id")) is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    convert = [_converter(f) for f in fields]
    values = []
    for row in rows:
        if isinstance(row, models.Model):
            row._state.adding = False
            raw = [getattr(row, f.attname) for f in fields]
        else:
            raw = [row[f.attname] if f.attname in row else f.get_default() for f in fields]
        values.append(tuple(c(v) if c else v for c, v in zip(convert, raw, strict=True)))
    _insert_rows(cursor, model, [f.column for f in fields], values, False)


def _converter(field: models.Field):
    """How a field's Python value becomes a database value; None when it goes as it is (text,
    numbers, booleans and keys: the values staged here are already of the field's type)."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.ForeignKey):
        return _converter(field.target_field)
    if isinstance(field, models.CharField | models.TextField | models.IntegerField):
        return None
    if isinstance(field, models.BooleanField | models.AutoField | models.BigAutoField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _insert_rows(cursor, model, columns: Sequence[str], rows: list[tuple], ignore: bool) -> None:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if ignore else "")
    )
    cursor.executemany(sql, rows)


def _by_fields(changed) -> dict[tuple, list[models.Model]]:
    groups: dict[tuple, list[models.Model]] = defaultdict(list)
    for instance, names in changed:
        groups[(type(instance), tuple(sorted(names)))].append(instance)
    return groups


def _update_instances(cursor, model, names: tuple[str, ...], instances: list) -> None:
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    convert = [_converter(f) for f in fields]
    params = []
    for obj in instances:
        raw = [getattr(obj, f.attname) for f in fields]
        params.append((*(c(v) if c else v for c, v in zip(convert, raw, strict=True)), obj.pk))
    cursor.executemany(sql, params)
