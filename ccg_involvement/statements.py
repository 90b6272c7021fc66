"""Reads written out as SQL statements, their rows read back into model instances as a queryset would.

A few reads run on every page: the session, the signed-in user, the membership with its organisation,
the checklist item an item page names. Building them through the ORM costs several times their
execution (a select_related of five tables took 2.3 ms of processor time to compile and 0.2 ms to
run), so they are written out once and only their parameters change. ``columns`` names every concrete
column of each model in the statement's ``SELECT`` and reads a row back through the same converters a
queryset applies (``from_db``), so an instance read here is the instance the ORM would give.
"""

import datetime
import functools

from django.db import connections


class Columns:
    """The concrete columns of ``(model, alias)`` parts of one SELECT, in order, and their reading."""

    def __init__(self, alias: str, parts: tuple):
        connection = connections[alias]
        qn = connection.ops.quote_name
        self.parts = []  # (model, its attribute names, where its primary key is among them)
        for model, _ in parts:
            attnames = [f.attname for f in model._meta.concrete_fields]
            self.parts.append((model, attnames, attnames.index(model._meta.pk.attname)))
        selected = [(f, table) for model, table in parts for f in model._meta.concrete_fields]
        self.sql = ", ".join(f"{table}.{qn(f.column)}" for f, table in selected)
        self.count = len(selected)
        self.converters = []
        for n, (field, table) in enumerate(selected):
            col = field.get_col(table)
            functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if functions:
                self.converters.append((n, col, functions))

    def read(self, row, connection) -> tuple[list, list]:
        """``(instances, rest)``: one instance per part (None for a LEFT JOIN that matched no row: its
        primary key is NULL), then the row's values after the columns (annotations)."""
        values = list(row)
        for n, col, functions in self.converters:
            for convert in functions:
                values[n] = convert(values[n], col, connection)
        instances, start = [], 0
        for model, attnames, pk in self.parts:
            part = values[start : start + len(attnames)]
            instances.append(None if part[pk] is None else model.from_db(connection.alias, attnames, part))
            start += len(attnames)
        return instances, values[self.count :]


@functools.cache
def columns(alias: str, *parts: tuple) -> Columns:
    """``Columns`` for ``(model, table alias)`` parts on the database ``alias``, made once per process."""
    return Columns(alias, parts)


def quoted(alias: str):
    """``(qn, column)``: the database's quoting, and ``column(model, table, field name)`` → ``t."col"``."""
    qn = connections[alias].ops.quote_name

    def column(model, table, name):
        return f"{table}.{qn(model._meta.get_field(name).column)}"

    return qn, column


def as_date(value) -> datetime.date | None:
    """A date read in a written-out statement as the ORM gives it: SQLite returns dates as text (and
    aggregated ones too), PostgreSQL's month truncation a date-time."""
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    return datetime.date.fromisoformat(value[:10])
