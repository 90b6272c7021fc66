"""NHS reporting (financial) years: 1 April to 31 March, written ``2025/26``."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True, order=True)
class ReportingYear:
    start_year: int

    def __post_init__(self):
        if not 2000 <= self.start_year <= 2100:
            raise ValueError(f"{self.start_year} is not a plausible reporting year.")

    @classmethod
    def containing(cls, day: datetime.date) -> "ReportingYear":
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls) -> "ReportingYear":
        return cls.containing(timezone.localdate())

    @classmethod
    def from_slug(cls, slug: str) -> "ReportingYear":
        """Parse ``2025-26`` (URL form) or ``2025/26`` (display form)."""
        text = slug.replace("/", "-").strip()
        try:
            first, second = text.split("-")
            start = int(first)
            end = int(second)
        except ValueError:
            raise ValueError(f"“{slug}” is not a reporting year such as 2025/26.") from None
        if len(first) != 4 or len(second) != 2 or (start + 1) % 100 != end:
            raise ValueError(f"“{slug}” is not a reporting year such as 2025/26.")
        return cls(start)

    @classmethod
    def chosen(cls, value: str | None) -> tuple["ReportingYear", str]:
        """The year a page was asked for (``?year=2025-26``): the current year when none was given,
        and the current year with a message when the value is not a year."""
        if not value:
            return cls.current(), ""
        try:
            return cls.from_slug(value), ""
        except ValueError as exc:
            return cls.current(), str(exc)

    @classmethod
    def choices(cls, back: int = 12) -> list["ReportingYear"]:
        """The years a year picker offers: next year, this year and ``back`` years before it."""
        current = cls.current()
        return [current.next(), current, *(cls(current.start_year - n) for n in range(1, back + 1))]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the year (31 March)."""
        return datetime.date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def next(self) -> "ReportingYear":
        return ReportingYear(self.start_year + 1)

    def previous(self) -> "ReportingYear":
        return ReportingYear(self.start_year - 1)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def quarter_of(self, day: datetime.date) -> int:
        """1 for April–June … 4 for January–March."""
        months = (day.year - self.start_year) * 12 + day.month - 4
        return months // 3 + 1

    def __str__(self) -> str:
        return self.label


CCG_LAST_DAY = datetime.date(2022, 6, 30)
"""Clinical commissioning groups were abolished on 1 July 2022 (Health and Care Act 2022)."""
ICB_FIRST_DAY = datetime.date(2022, 7, 1)
"""Integrated care boards took over their functions from 1 July 2022."""


@dataclass(frozen=True)
class Period:
    """The part of a reporting year an organisation existed in (the whole year for most)."""

    year: ReportingYear
    start: datetime.date
    end: datetime.date

    @property
    def is_whole_year(self) -> bool:
        return (self.start, self.end) == (self.year.start, self.year.end)

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def organisation_period(organisation, year: ReportingYear) -> Period | None:
    """The days of ``year`` the organisation existed in, or None when it did not exist at all.

    A CCG has no days after 30 June 2022 and an ICB none before 1 July 2022, whatever their own
    dates say; an organisation's ``established_on`` and ``closed_on`` narrow the period further. So
    2022/23 is 1 April–30 June for a CCG and 1 July–31 March for an ICB.
    """
    start, end = year.start, year.end
    if organisation.kind == "CCG":
        end = min(end, CCG_LAST_DAY)
    elif organisation.kind == "ICB":
        start = max(start, ICB_FIRST_DAY)
    if organisation.established_on:
        start = max(start, organisation.established_on)
    if organisation.closed_on:
        end = min(end, organisation.closed_on)
    return Period(year, start, end) if start <= end else None


def organisation_years(
    organisation, *, until: ReportingYear | None = None, back: int = 12
) -> list[ReportingYear]:
    """The years (newest first) the organisation existed in, up to ``until`` (next year by default)."""
    last = until or ReportingYear.current().next()
    years = [ReportingYear(last.start_year - n) for n in range(back + 2)]
    return [y for y in years if organisation_period(organisation, y) is not None]
