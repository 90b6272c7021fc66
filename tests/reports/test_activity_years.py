"""A year beside the one before, in one query per figure: the same figures as each year alone."""

import datetime
import statistics
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.models import OutcomeStatus
from reports.dashboard import figures
from reports.dashboard.activity_years import activity_years, median_of_counts
from tests.factories.engagements import activity_for

YEAR = ReportingYear(2025)


def _log(editor):
    for year, people in ((YEAR, 40), (YEAR.previous(), 7)):
        done = activity_for(
            editor,
            title=f"Done {year}",
            start=year.start + datetime.timedelta(days=100),
            total_participants=people,
        )
        actions.add_outcome(
            activity=done,
            by=editor.user,
            what_we_heard="a",
            what_we_did="b",
            status=OutcomeStatus.DONE,
            reported_back_on=done.start_date + datetime.timedelta(days=9),
        )
        actions.add_outcome(
            activity=done,
            by=editor.user,
            what_we_heard="c",
            what_we_did="",
            status=OutcomeStatus.NOT_POSSIBLE,
            reason_not_possible="Outside our powers",
        )
        activity_for(editor, title=f"Unrecorded {year}", start=year.start, total_participants=None)
        activity_for(
            editor, title=f"Planned {year}", start=year.start, status="planned", total_participants=500
        )


def test_two_years_at_once_equal_each_year_alone(editor):
    _log(editor)
    organisation = editor.organisation
    both = activity_years(organisation, [YEAR, YEAR.previous()])
    for year in (YEAR, YEAR.previous()):
        assert both[year].totals == figures.year_totals(organisation, year)
        assert both[year].quarters == figures.activity_by_quarter(organisation, year)
        assert both[year].loop == figures.loop_closure(organisation, year)
    assert both[YEAR].totals.activities == 2 and both[YEAR].totals.not_recorded == 1  # never the planned one
    assert both[YEAR].loop.reported_back == 1 and both[YEAR].loop.not_possible == 1
    assert both[YEAR.previous()].totals.participants.display == "7"


def test_the_dashboard_figures_take_11_queries_with_no_checklist(editor):
    _log(editor)
    with CaptureQueriesContext(connection) as queries:
        figures.dashboard_figures(editor.organisation, YEAR)
    # 11: no checklist, so no evidence per duty to count (12 with one: tests/reports/test_selectors.py)
    assert len(queries.captured_queries) == 11, [q["sql"][:80] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "values",
    [[], [4], [4, 9], [9, 4, 4], [1, 2, 3, 4], [0, 0, 0, 7, 7, 30], [5, -2, 5, 5, 11, 3, 3], list(range(50))],
)
def test_the_median_read_off_counts_is_the_median_of_the_values_written_out(values):
    counts = list(Counter(values).items())
    expected = statistics.median(values) if values else None
    found = median_of_counts(counts)
    assert found == expected
    assert type(found) is type(expected)  # a whole number stays one; the mean of two is a float
