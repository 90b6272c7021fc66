"""The activity figures of several reporting years at once: one query per figure, whatever the years.

The dashboard sets each year beside the one before; asking each year separately doubled its
queries. Every figure here counts only what happened (``engagements.models.happened_in``), and a
year's figures are the same as asking for that year alone (the tests compare them).
"""

import datetime
import functools
import operator
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth

from ccg_involvement.years import ReportingYear
from engagements.models import Activity, Outcome, OutcomeStatus, happened_in, started_in
from reports.small_numbers import PeopleCount, people


@dataclass
class YearTotals:
    activities: int
    participants: PeopleCount
    not_recorded: int


@dataclass
class QuarterFigures:
    quarter: int
    activities: int
    participants: PeopleCount
    not_recorded: int


@dataclass
class LoopClosure:
    completed: int
    reported_back: int
    median_days: float | None
    not_possible: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.reported_back / self.completed) if self.completed else None


@dataclass
class YearActivity:
    totals: YearTotals
    quarters: list[QuarterFigures]
    loop: LoopClosure


def _any_of(years, path: str = "") -> Q:
    return functools.reduce(operator.or_, (happened_in(year, activity=path) for year in years))


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def activity_years(organisation, years: list[ReportingYear]) -> dict[ReportingYear, YearActivity]:
    """Totals, quarters and loop closure for each of ``years``: three queries in all.

    A year's totals are the sums of its months (every month falls in one reporting year), so the
    monthly counts give both the quarters and the totals.
    """
    activities = Activity.objects.for_organisation(organisation).filter(_any_of(years))
    months = (
        activities.annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(
            n=Count("id"),
            people_sum=Sum("total_participants"),
            unrecorded=Count("id", filter=Q(total_participants__isnull=True)),
        )
    )
    quarters = defaultdict(lambda: {"n": 0, "people": None, "unrecorded": 0})
    totals = defaultdict(lambda: {"n": 0, "people": None, "unrecorded": 0})
    for row in months:
        month = _as_date(row["month"])
        year = ReportingYear.containing(month)
        for sums in (quarters[(year, year.quarter_of(month))], totals[year]):
            sums["n"] += row["n"]
            sums["unrecorded"] += row["unrecorded"]
            if row["people_sum"] is not None:
                sums["people"] = (sums["people"] or 0) + row["people_sum"]
    # a withdrawn outcome counts nowhere (one filter call: the same join as the annotation below)
    reported = activities.filter(
        outcomes__reported_back_on__isnull=False, outcomes__withdrawn_at__isnull=True
    ).annotate(first_report=Min("outcomes__reported_back_on"))
    days = {year: [] for year in years}  # one row per activity reported back: compare, do not build years
    bounds = [(year.start, year.end, days[year]) for year in years]
    for start, end, first in reported.values_list("start_date", "end_date", "first_report"):
        for first_day, last_day, found in bounds:
            if first_day <= start <= last_day:
                found.append((first - (end or start)).days)
                break
    not_possible = (
        Outcome.objects.for_organisation(organisation)
        .filter(_any_of(years, "activity__"), status=OutcomeStatus.NOT_POSSIBLE, withdrawn_at__isnull=True)
        .aggregate(
            **{f"n_{n}": Count("id", filter=started_in(year, "activity__")) for n, year in enumerate(years)}
        )
    )
    result = {}
    for n, year in enumerate(years):
        count = totals[year]["n"]
        result[year] = YearActivity(
            totals=YearTotals(
                count, people(totals[year]["people"] if count else 0), totals[year]["unrecorded"]
            ),
            quarters=[
                QuarterFigures(
                    q,
                    quarters[(year, q)]["n"],
                    # with no activities at all, the number of participants is known: none
                    people(quarters[(year, q)]["people"] if quarters[(year, q)]["n"] else 0),
                    quarters[(year, q)]["unrecorded"],
                )
                for q in (1, 2, 3, 4)
            ],
            loop=LoopClosure(
                completed=count,
                reported_back=len(days[year]),
                median_days=statistics.median(days[year]) if days[year] else None,
                not_possible=not_possible[f"n_{n}"],
            ),
        )
    return result
