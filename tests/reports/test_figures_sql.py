"""The dashboard's figures are written in SQL (ADR 0009): they count what the ORM's rules count.

``happened_sql`` must select exactly the activities ``happened_in`` selects, over every edge of the
rule; and each figure must equal the same figure read from the data through the ORM, in Python,
on a log with every kind of row the figures treat apart (withdrawn, planned, still running, no
number, 0, categories, outcomes withdrawn or not possible). Both run on SQLite and PostgreSQL in CI.
"""

import datetime
import itertools
import statistics
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.models import (
    NUMBER_NOT_RECORDED,
    Activity,
    ActivityDuty,
    ActivityStatus,
    Method,
    Outcome,
    OutcomeStatus,
    Partner,
    Reach,
    happened_sql,
)
from reports.dashboard import figures
from reports.dashboard.activity_years import activity_years
from reports.dashboard.sql import fetch
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, category, group

TODAY = timezone.localdate()
YEAR = ReportingYear.containing(TODAY)
PREVIOUS = YEAR.previous()


def _edge_cases(editor):
    """One activity per combination of the rule's edges: start date, status, end date, withdrawn."""
    template = activity_for(editor, title="Template", start=YEAR.start)
    starts = [PREVIOUS.start, PREVIOUS.end, YEAR.start, TODAY, YEAR.start - datetime.timedelta(days=400)]
    ends = [None, 0, 1, "today", "tomorrow"]
    rows = []
    for start, status, end, withdrawn in itertools.product(
        starts, ActivityStatus.values, ends, (None, timezone.now())
    ):
        if end == "today":
            end = max(TODAY, start)
        elif end == "tomorrow":
            end = max(TODAY, start) + datetime.timedelta(days=1)
        elif end is not None:
            end = start + datetime.timedelta(days=end)
        template.pk = None
        rows.append(
            Activity(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Activity._meta.concrete_fields
                    if not f.primary_key
                },
            )
        )
        rows[-1].start_date, rows[-1].end_date, rows[-1].status = start, end, status
        rows[-1].withdrawn_at = withdrawn
    Activity.objects.bulk_create(rows)


@pytest.mark.parametrize("years", [[YEAR], [YEAR, PREVIOUS], [PREVIOUS]])
def test_the_rule_in_sql_selects_what_the_orm_rule_selects(editor, years):
    _edge_cases(editor)
    expected = set()
    for year in years:
        expected |= set(Activity.objects.happened(year).values_list("pk", flat=True))
    condition, params = happened_sql(years, table="a")
    selected = {pk for (pk,) in fetch(f"SELECT a.id FROM engagements_activity a WHERE {condition}", params)}
    assert selected == expected
    assert 0 < len(selected) < Activity.objects.count()  # the cases fall on both sides of the rule


@pytest.fixture
def varied_log(editor):
    """Activities of this year and last with every kind of row the figures count apart."""
    checklist_for(editor, "WPPC22", YEAR)
    checklist_for(editor, "WPPC22", PREVIOUS)
    methods = list(Method.objects.order_by("pk")[:3])
    partners = list(Partner.objects.order_by("pk")[:3])
    made = []
    for n, (year, status) in enumerate(
        itertools.product((YEAR, PREVIOUS), ("completed", "completed", "completed", "planned"))
    ):
        start = min(year.start + datetime.timedelta(days=40 * n), TODAY)
        made.append(
            activity_for(
                editor,
                title=f"Activity {n}",
                start=start,
                status=status,
                total_participants=[None, 40, 30, 50][n % 4],
                methods=methods[: 1 + n % 3],
                partners=partners[n % 3 :],
                duties=[wppc(1 + n % 4), wppc(5)],
                reach={
                    group("INC-CARERS"): [0, 5, NUMBER_NOT_RECORDED, 12][n % 4],
                    group("INC-HOMELESS"): 3,
                    category("AGE-65-74"): [NUMBER_NOT_RECORDED, 4, 0, 9][n % 4],
                },
            )
        )
        if status == "completed":
            actions.add_outcome(
                activity=made[-1],
                by=editor.user,
                what_we_heard="heard",
                what_we_did="did" if n % 2 else "",
                status=OutcomeStatus.DONE if n % 2 else OutcomeStatus.NOT_POSSIBLE,
                reason_not_possible="" if n % 2 else "Outside our powers",
                reported_back_on=start + datetime.timedelta(days=3 + n) if n % 2 else None,
            )
    actions.withdraw_activity(activity=made[2], by=editor.user, reason="Logged twice")
    return editor.organisation


def test_each_figure_equals_the_orm_reading_of_the_data(varied_log):
    organisation = varied_log
    for year in (YEAR, PREVIOUS):
        happened = list(
            Activity.objects.for_organisation(organisation)
            .happened(year)
            .prefetch_related("methods", "partners")
        )
        assert happened
        # methods and kinds of partner: the activities using each
        methods = Counter(m.name for a in happened for m in a.methods.all())
        assert dict(figures.activity_by_method(organisation, year)) == methods
        kinds = Counter(kind for a in happened for kind in {p.get_kind_display() for p in a.partners.all()})
        assert dict(figures.activity_by_partner_kind(organisation, year)) == kinds
        # evidence per duty: the activities that happened, and the latest one's start date
        per_duty, latest = defaultdict(set), {}
        for link in (
            ActivityDuty.objects.for_organisation(organisation).happened(year).select_related("activity")
        ):
            per_duty[link.duty_id].add(link.activity_id)
            latest[link.duty_id] = max(
                latest.get(link.duty_id, link.activity.start_date), link.activity.start_date
            )
        cells = {c.duty_id: c for row in figures.coverage(organisation, year) for c in row.cells}
        assert {d: c.activities for d, c in cells.items() if c.activities} == {
            d: len(ids) for d, ids in per_duty.items()
        }
        assert figures.duty_evidence(organisation, year, list(cells)) == {
            d: (len(ids), latest[d]) for d, ids in per_duty.items()
        }
        # totals: activities, participants, activities with no number
        totals = figures.year_totals(organisation, year)
        assert totals.activities == len(happened)
        assert totals.not_recorded == sum(a.total_participants is None for a in happened)
        assert totals.participants.value == sum(a.total_participants or 0 for a in happened)
        # reach per group and per category: people, activities reaching it, activities with no number
        rows = list(
            Reach.objects.for_organisation(organisation).happened(year).select_related("group", "category")
        )
        reach = {g.code: g for groups in figures.equality_reach(organisation, year).values() for g in groups}
        parts = {**reach, **{c.code: c for g in reach.values() for c in g.categories}}
        for code in {r.group.code for r in rows} | {r.category.code for r in rows if r.category}:
            mine = [r for r in rows if code in (r.group.code, r.category and r.category.code)]
            counted = [r.count for r in mine if r.count is not None]
            assert parts[code].people.value == (sum(counted) if counted else None), code
            assert parts[code].activities == len(
                {r.activity_id for r in mine if r.count is None or r.count > 0}
            )
            assert parts[code].uncounted == len({r.activity_id for r in mine if r.count is None})
            assert parts[code].recorded
        # loop closure: reported back and not possible (a withdrawn activity counts nowhere)
        loop = activity_years(organisation, [year])[year].loop
        outcomes = Outcome.objects.filter(activity__in=happened, withdrawn_at__isnull=True)
        assert loop.reported_back == len({o.activity_id for o in outcomes if o.reported_back_on})
        first_back = defaultdict(list)  # each activity's first report back, days after it ended
        for o in outcomes:
            if o.reported_back_on:
                first_back[o.activity_id].append(o.reported_back_on)
        ended = {a.pk: a.end_date or a.start_date for a in happened}
        gaps = [(min(days) - ended[pk]).days for pk, days in first_back.items()]
        assert loop.median_days == (statistics.median(gaps) if gaps else None)
        assert loop.not_possible == sum(o.status == OutcomeStatus.NOT_POSSIBLE for o in outcomes)
        assert loop.completed == len(happened)


def test_the_figures_run_through_one_cursor_and_read_the_same_rows(db, monkeypatch):
    from django.db import connection

    from reports.dashboard import sql

    opened = []
    cursor = connection.cursor
    monkeypatch.setattr(connection, "cursor", lambda: opened.append(1) or cursor())
    assert sql.fetch("SELECT 1 + %s", [1]) == [(2,)]
    assert len(opened) == 1
    with sql.one_cursor():
        with sql.one_cursor():  # an inner block keeps the outer cursor
            assert sql.fetch("SELECT 2 + %s", [1]) == [(3,)]
        assert sql.fetch("SELECT 3 + %s", [1]) == [(4,)]
    assert len(opened) == 2
    assert sql.fetch("SELECT 4") == [(4,)]  # after the block, a cursor of its own again
    assert len(opened) == 3
