"""Running the dashboard's figures written in SQL (issue 18, ADR 0009).

The figures are a dozen aggregate queries whose shape never changes, only the organisation, the
years and today. Built through the ORM, each query cost about 1 ms of Python (filters resolved,
joins set up, SQL compiled, rows turned into objects) on top of 0.1–0.6 ms in the database, three
times the database's own work. Written in SQL they run through one cursor and come back as tuples.

The SQL is plain and portable (PostgreSQL and SQLite: ``COUNT(CASE …)`` rather than ``FILTER``,
month truncation from ``connection.ops``); the rule of what counts is ``engagements.models.happened_sql``,
written beside ``happened_in``. Values that SQLite returns as text (dates from aggregates) or naive
(date-times) are made what the ORM would have made them here, so the figures are the same objects
whichever database holds the data; tests compare them with the ORM's reading of the same data.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from ccg_involvement.statements import as_date
from ccg_involvement.years import ReportingYear
from engagements.models import happened_sql

__all__ = [
    "as_date",
    "as_datetime",
    "days_between",
    "fetch",
    "happened",
    "month_of",
    "one_cursor",
    "user_table",
]


_cursor: ContextVar = ContextVar("figures_cursor", default=None)


@contextmanager
def one_cursor():
    """Within the block, every ``fetch`` runs through one cursor: a dozen statements in a row each
    opened their own (some 25 microseconds apiece, nearly the cost of running one)."""
    if _cursor.get() is not None:  # already in one: keep it
        yield
        return
    with connection.cursor() as cursor:
        token = _cursor.set(cursor)
        try:
            yield
        finally:
            _cursor.reset(token)


def fetch(sql: str, params: list | tuple = ()) -> list[tuple]:
    """The rows of ``sql`` run with ``params``, as tuples (through ``one_cursor``'s, when in one)."""
    cursor = _cursor.get()
    if cursor is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    cursor.execute(sql, params)
    return cursor.fetchall()


def happened(
    years: list[ReportingYear], table: str = "a", as_of: datetime.date | None = None
) -> tuple[str, list]:
    """The activities that count in any of ``years`` by ``as_of`` (default today: ``happened_sql``),
    the activity table aliased ``table``."""
    return happened_sql(years, as_of=as_of, table=table)


def as_datetime(value) -> datetime.datetime | None:
    """A date-time as the ORM gives it: aware (SQLite stores UTC without the offset)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def month_of(column: str) -> tuple[str, tuple]:
    """SQL for the first day of ``column``'s month, in this database's dialect (read with ``as_date``)."""
    return connection.ops.date_trunc_sql("month", column, ())


def days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from the date ``earlier`` to the date ``later`` (both SQL expressions),
    as an integer, in this database's dialect: PostgreSQL subtracts dates; SQLite, which keeps dates
    as text, subtracts their Julian day numbers."""
    if connection.vendor == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"


def user_table() -> str:
    return connection.ops.quote_name(get_user_model()._meta.db_table)
