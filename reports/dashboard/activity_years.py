"""The activity figures of several reporting years at once: one query per figure, whatever the years.

The dashboard sets each year beside the one before; asking each year separately doubled its
queries. Every figure here counts only what happened (``engagements.models.happened_sql``), and a
year's figures are the same as asking for that year alone (the tests compare them). The queries
are written in SQL (``reports.dashboard.sql``, ADR 0009).
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from ccg_involvement.years import ReportingYear
from engagements.models import OutcomeStatus
from reports.dashboard.sql import as_date, fetch, happened, month_of
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


_MONTHS = """
SELECT {month} AS month, COUNT(*), SUM(a.total_participants),
       COUNT(CASE WHEN a.total_participants IS NULL THEN 1 END)
FROM engagements_activity a
WHERE a.organisation_id = %s AND {happened}
GROUP BY 1
"""

# a withdrawn outcome counts nowhere
_REPORTED_BACK = """
SELECT a.start_date, a.end_date, MIN(o.reported_back_on)
FROM engagements_activity a
JOIN engagements_outcome o ON o.activity_id = a.id
WHERE a.organisation_id = %s AND {happened}
  AND o.reported_back_on IS NOT NULL AND o.withdrawn_at IS NULL
GROUP BY a.id, a.start_date, a.end_date
"""

_NOT_POSSIBLE = """
SELECT {counts}
FROM engagements_outcome o
JOIN engagements_activity a ON a.id = o.activity_id
WHERE a.organisation_id = %s AND {happened} AND o.status = %s AND o.withdrawn_at IS NULL
"""


def activity_years(organisation, years: list[ReportingYear]) -> dict[ReportingYear, YearActivity]:
    """Totals, quarters and loop closure for each of ``years``: three queries in all.

    A year's totals are the sums of its months (every month falls in one reporting year), so the
    monthly counts give both the quarters and the totals.
    """
    condition, params = happened(years)
    month, month_params = month_of("a.start_date")
    months = fetch(_MONTHS.format(month=month, happened=condition), [*month_params, organisation.pk, *params])
    quarters = defaultdict(lambda: {"n": 0, "people": None, "unrecorded": 0})
    totals = defaultdict(lambda: {"n": 0, "people": None, "unrecorded": 0})
    for first_day, n, people_sum, unrecorded in months:
        month = as_date(first_day)
        year = ReportingYear.containing(month)
        for sums in (quarters[(year, year.quarter_of(month))], totals[year]):
            sums["n"] += n
            sums["unrecorded"] += unrecorded
            if people_sum is not None:
                sums["people"] = (sums["people"] or 0) + people_sum
    days = {year: [] for year in years}  # one row per activity reported back: compare, do not build years
    bounds = [(year.start, year.end, days[year]) for year in years]
    for start, end, first in fetch(_REPORTED_BACK.format(happened=condition), [organisation.pk, *params]):
        start, end, first = as_date(start), as_date(end), as_date(first)
        for first_day, last_day, found in bounds:
            if first_day <= start <= last_day:
                found.append((first - (end or start)).days)
                break
    counts = ", ".join("COUNT(CASE WHEN a.start_date >= %s AND a.start_date <= %s THEN 1 END)" for _ in years)
    (not_possible,) = fetch(
        _NOT_POSSIBLE.format(counts=counts, happened=condition),
        [
            *(day for year in years for day in (year.start, year.end)),
            organisation.pk,
            *params,
            OutcomeStatus.NOT_POSSIBLE.value,
        ],
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
                not_possible=not_possible[n],
            ),
        )
    return result
