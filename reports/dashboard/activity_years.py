"""The activity figures of several reporting years at once: one query per figure, whatever the years.

The dashboard sets each year beside the one before; asking each year separately doubled its
queries. Every figure here counts only what happened (``engagements.models.happened_sql``), and a
year's figures are the same as asking for that year alone (the tests compare them). The queries
are written in SQL (``reports.dashboard.sql``, ADR 0009).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from ccg_involvement.years import ReportingYear
from engagements.models import OutcomeStatus, started_sql
from reports.dashboard.sql import as_date, days_between, fetch, happened, month_of
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

# a withdrawn outcome counts nowhere. Per year (its index in the list asked for) and per number of
# days from the activity's end (its start, if it has no end) to its first report back: how many
# activities. A year's median is read off these counts, not off a row per activity.
_REPORTED_BACK = """
SELECT y, days, COUNT(*)
FROM (
    SELECT {year} AS y, {days} AS days
    FROM engagements_activity a
    JOIN engagements_outcome o ON o.activity_id = a.id
    WHERE a.organisation_id = %s AND {happened}
      AND o.reported_back_on IS NOT NULL AND o.withdrawn_at IS NULL
    GROUP BY a.id, a.start_date, a.end_date
) reported
GROUP BY y, days
"""

_NOT_POSSIBLE = """
SELECT {counts}
FROM engagements_outcome o
JOIN engagements_activity a ON a.id = o.activity_id
WHERE a.organisation_id = %s AND {happened} AND o.status = %s AND o.withdrawn_at IS NULL
"""


def median_of_counts(counts: list[tuple[int, int]]) -> float | int | None:
    """The median of values given as ``(value, how many times)``, as ``statistics.median`` gives it
    for the values written out (the middle one, or the mean of the middle two); none: ``None``."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}  # the middle position(s), counted from 0
    found, seen = [], 0
    for value, n in sorted(counts):
        found.extend(value for position in wanted if seen <= position < seen + n)
        seen += n
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2


def activity_years(
    organisation, years: list[ReportingYear], as_of: datetime.date | None = None
) -> dict[ReportingYear, YearActivity]:
    """Totals, quarters and loop closure for each of ``years``, counting what had happened by
    ``as_of`` (default today): three queries in all.

    A year's totals are the sums of its months (every month falls in one reporting year), so the
    monthly counts give both the quarters and the totals.
    """
    condition, params = happened(years, as_of=as_of)
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
    spans = [started_sql([year], table="a") for year in years]  # "started in the year", per year
    span_params = [day for _, days in spans for day in days]
    which_year = "CASE " + " ".join(f"WHEN {sql} THEN {n}" for n, (sql, _) in enumerate(spans)) + " END"
    days = {n: [] for n in range(len(years))}  # per year: (days, activities)
    for n, gap, count in fetch(
        _REPORTED_BACK.format(
            year=which_year,
            days=days_between("MIN(o.reported_back_on)", "COALESCE(a.end_date, a.start_date)"),
            happened=condition,
        ),
        [*span_params, organisation.pk, *params],
    ):
        days[n].append((gap, count))
    counts = ", ".join(f"COUNT(CASE WHEN {sql} THEN 1 END)" for sql, _ in spans)
    (not_possible,) = fetch(
        _NOT_POSSIBLE.format(counts=counts, happened=condition),
        [*span_params, organisation.pk, *params, OutcomeStatus.NOT_POSSIBLE.value],
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
                reported_back=sum(activities for _, activities in days[n]),
                median_days=median_of_counts(days[n]),
                not_possible=not_possible[n],
            ),
        )
    return result
