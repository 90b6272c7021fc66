"""Values prepared once per page for the rows of a table, so a template does no per-row work.

A list page shows tens of rows; reversing a URL or formatting a date in the template costs tens of
microseconds each time and adds up to milliseconds a page. These helpers do the costly part once
and hand back a cheap function for each row.
"""

import datetime
from collections.abc import Callable

from django.utils.dates import MONTHS

from ccg_involvement.reversing import reverse

# An id no row has: stands in for the row's id while the URL is reversed once.
_MARKER = 9_071_953_113_577_421


def url_maker(name: str, key: str = "pk", **kwargs) -> Callable[[object], str]:
    """``url_maker("activity-detail", org_code="qrv")(42) == reverse("activity-detail", kwargs={…, "pk": 42})``.

    Reverses the URL once with a marker in place of ``key`` (an ``<int:…>`` or ``<str:…>`` part)
    and then only fills it in. The value is written as ``str`` would write it, as ``reverse`` does.
    """
    head, tail = reverse(name, kwargs={**kwargs, key: _MARKER}).split(str(_MARKER))
    return lambda value: f"{head}{value}{tail}"


def date_formatter() -> Callable[[datetime.date | None], str]:
    """A function writing a date as the ``date:"j F Y"`` filter does (``1 April 2026``) in the active
    language, with the month names looked up once; ``None`` gives ``""`` (as the filter does)."""
    months = {number: str(name) for number, name in MONTHS.items()}

    def long_date(day: datetime.date | None) -> str:
        return f"{day.day} {months[day.month]} {day.year}" if day else ""

    return long_date
