"""Reading a date typed into separate day, month and year boxes (the NHS.UK date input)."""

import calendar
import datetime
import re
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

__all__ = ["PARTS", "DateParts", "Problem", "parse"]

PARTS = ("day", "month", "year")


class DateParts(NamedTuple):
    """What the user typed into the day, month and year boxes (``""`` for a blank box)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def from_value(cls, value) -> "DateParts":
        """Build from a date, an ISO ``"YYYY-MM-DD"`` string, a 3-item sequence or a dict."""
        if isinstance(value, cls):
            return value
        if isinstance(value, datetime.date):
            return cls(str(value.day), str(value.month), str(value.year))
        if isinstance(value, dict):
            return cls(*(_text(value.get(part)) for part in PARTS))
        if isinstance(value, list | tuple):
            return cls(*(_text(item) for item in value[:3]))
        if isinstance(value, str) and value.strip():
            try:
                return cls.from_value(datetime.date.fromisoformat(value.strip()))
            except ValueError:
                pass
        return cls()


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class Problem(NamedTuple):
    code: str  # a key of NHSDateField.default_error_messages
    parts: tuple[str, ...]  # the boxes to highlight
    missing: tuple[str, ...] = ()


PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}

_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}


def _parse_day(text: str) -> int | None:
    match = re.fullmatch(r"([0-9]{1,2})(?:st|nd|rd|th)?", text, re.IGNORECASE)
    return int(match[1]) if match and 1 <= int(match[1]) <= 31 else None


def _parse_month(text: str) -> int | None:
    if re.fullmatch(r"[0-9]{1,2}", text):
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTH_NAMES.get(text.lower().rstrip("."))


def _parse_year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{4}", text) and int(text) >= 1 else None


def parse(parts: DateParts) -> tuple[datetime.date | None, Problem | None]:
    """Turn typed parts into a date, or say what is wrong and which boxes to highlight.

    Follows the design system: missing information is reported before information that
    cannot be correct; if more than one box is at fault the whole date is highlighted.
    All boxes blank gives ``(None, None)``: whether that is allowed is the field's call.
    """
    blank = tuple(part for part, text in zip(PARTS, parts, strict=True) if not text)
    if len(blank) == len(PARTS):
        return None, None
    if blank:
        return None, Problem("incomplete", blank if len(blank) == 1 else PARTS, missing=blank)

    day, month, year = _parse_day(parts.day), _parse_month(parts.month), _parse_year(parts.year)
    wrong = tuple(part for part, number in zip(PARTS, (day, month, year), strict=True) if number is None)
    if wrong == ("year",) and re.fullmatch(r"[0-9]+", parts.year) and len(parts.year) != 4:
        return None, Problem("year_length", ("year",))
    if wrong:
        return None, Problem("invalid", wrong if len(wrong) == 1 else PARTS)
    try:
        return datetime.date(year, month, day), None
    except ValueError:  # a day this month does not have, such as 30 February
        return None, Problem("invalid", ("day",))
