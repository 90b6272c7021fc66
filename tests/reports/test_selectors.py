"""The dashboard's figures, the overview and what the documents say, called directly on hand-made data."""

import datetime

from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from reports import actions, assurance_pack, selectors, statement
from reports.dashboard import figures, overview
from reports.small_numbers import people
from tests.factories.engagements import activity_for

YEAR = ReportingYear(2025)


def test_checklist_position(world, organisation):
    (position,) = figures.checklist_positions(organisation, YEAR)
    assert position.by_verdict == {"met": 1, "partially_met": 1, "not_met": 1, "not_applicable": 1}
    assert position.undecided == 6
    assert position.reviewed == 1
    assert position.percent_met == 11  # 1 of 9 assessable
    assert position.signed_off_at is None


def test_the_dashboard_counts_positions_from_the_items_it_reads_as_the_query_does(
    world, organisation, make_member
):
    from duties import actions as duty_actions
    from duties.models import Framework

    # a second checklist of the year, signed off by a named reviewer, beside the world's
    reviewer = make_member(Role.REVIEWER, organisation)
    other = (
        Framework.objects.applying_to_organisation(organisation)
        .in_year(YEAR)
        .exclude(code__in=[p.framework_code for p in figures.checklist_positions(organisation, YEAR)])[0]
    )
    started = duty_actions.start_checklist(
        organisation=organisation, framework=other, year=YEAR, by=reviewer.user
    )
    started.signed_off_at, started.signed_off_by, started.approving_body = (
        datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC),
        reviewer.user,
        "Board",
    )
    started.save()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        data = figures.dashboard_figures(organisation, YEAR)
    assert len(queries.captured_queries) == 12  # issue 18: at most 15
    assert len(data["positions"]) == 2
    assert data["positions"] == figures.checklist_positions(organisation, YEAR)
    assert data["missing_frameworks"] == figures.frameworks_without_checklist(organisation, YEAR)
    assert data["coverage"] == figures.coverage(organisation, YEAR)
    from duties.models import ChecklistItem

    cells = [cell for row in data["coverage"] for cell in row.cells]
    assert cells and all(
        cell.url == ChecklistItem.objects.get(pk=cell.item_id).get_absolute_url() for cell in cells
    )


def test_coverage_and_gaps(world, organisation, settings):
    rows = figures.coverage(organisation, YEAR)
    cells = {c.number: c for c in rows[0].cells}
    assert (cells[1].activities, cells[1].documents, cells[1].latest_evidence) == (
        1,
        0,
        datetime.date(2025, 5, 10),
    )
    assert (cells[2].activities, cells[5].documents) == (1, 1)
    found = figures.gaps(rows)
    assert sorted(c.number for _, c in found.no_evidence) == [3, 4, 6, 7, 8, 9, 10]
    assert [c.number for _, c in found.overdue] == [3]  # item 1 is also past due but met and reviewed
    assert len(found.no_owner) == 9
    # the ICB's each-patient framework (applied by analogy) has no checklist in this world
    assert figures.frameworks_without_checklist(organisation, YEAR) == [
        "Individual involvement (ICBs, s14Z36, by analogy)"
    ]


def test_activity_and_reach_by_quarter_with_small_numbers(world, organisation):
    quarters = figures.activity_by_quarter(organisation, YEAR)
    assert [q.activities for q in quarters] == [1, 0, 1, 1]
    # Q2 had no activities (so 0 people); Q3 had one that did not record its participants
    assert [q.participants.display for q in quarters] == [
        "40",
        "0",
        "not recorded",
        "fewer than 5",
    ]
    totals = figures.year_totals(organisation, YEAR)
    assert (totals.activities, totals.participants.display, totals.not_recorded) == (3, "44", 1)
    assert figures.year_totals(organisation, YEAR.previous()).participants.display == "100"
    assert figures.activity_by_method(organisation, YEAR) == [
        ("Focus group", 1),
        ("Public meeting or event", 1),  # A3, logged with the factory's default method
        ("Survey or questionnaire", 1),
    ]
    partners = dict(figures.activity_by_partner_kind(organisation, YEAR))
    assert partners == {"Healthwatch": 2, "Voluntary, community and social enterprise": 1}  # A1 and A3


def test_equality_reach_lists_groups_not_reached(world, organisation):
    reach = figures.equality_reach(organisation, YEAR)
    groups = {g.code: g for kind in reach.values() for g in kind}
    assert groups["INC-CARERS"].people.display == "12" and groups["INC-CARERS"].reached
    assert groups["INC-HOMELESS"].people.display == "fewer than 5" and groups["INC-HOMELESS"].reached
    assert not groups["INC-GRT"].reached and not groups["INC-GRT"].people.is_recorded
    assert len(reach["protected_characteristic"]) == 9


def test_loop_closure(world, organisation):
    loop = figures.loop_closure(organisation, YEAR)
    assert (loop.completed, loop.reported_back, loop.percent) == (3, 2, 67)  # A3 never reported back
    assert loop.median_days == 20  # 30 days after A1 ended, 10 days after A2 started (no end date)
    assert loop.not_possible == 1


def test_small_number_threshold_is_configurable(settings):
    settings.SMALL_NUMBER_THRESHOLD = 10
    assert people(7).display == "fewer than 10"
    assert people(0).display == "0"
    assert people(None).display == "not recorded"
    assert people(1234).display == "1,234"


def test_overview_rows_are_one_per_organisation(world, editor, other_organisation):
    rows = {
        r.organisation.ods_code: r for r in overview.rows([editor.organisation, other_organisation], YEAR)
    }
    assert rows["QRV"].percent_met == {"Partnership with people (s14Z45)": 11}
    assert (rows["QRV"].gaps, rows["QRV"].overdue, rows["QRV"].loop_percent) == (7, 1, 67)
    assert (rows["QHT"].gaps, rows["QHT"].percent_met, rows["QHT"].loop_percent) == (0, {}, None)
    by_gaps = overview.sort_rows(list(rows.values()), "gaps")
    assert [r.organisation.ods_code for r in by_gaps] == ["QRV", "QHT"]


def test_recent_reports_are_the_organisations_newest(reviewer, outsider):
    mine = [
        actions.request_report(
            organisation=reviewer.organisation,
            kind="assurance_pack",
            format="pdf",
            year=YEAR,
            by=reviewer.user,
        )
        for _ in range(3)
    ]
    actions.request_report(
        organisation=outsider.organisation, kind="assurance_pack", format="pdf", year=YEAR, by=outsider.user
    )
    newest = selectors.recent_reports(reviewer.organisation, limit=2)
    assert [r.pk for r in newest] == [mine[2].pk, mine[1].pk]
    assert {r.organisation for r in selectors.recent_reports(reviewer.organisation)} == {
        reviewer.organisation
    }


def test_a_documents_activities_are_those_that_happened_in_the_year_in_date_order(
    year_of_evidence, organisation, editor
):
    activity_for(editor, title="Planned", start=datetime.date(2025, 12, 1), status="planned")
    activity_for(editor, title="Next year", start=datetime.date(2026, 4, 1))
    activities = statement.year_activities(organisation, YEAR)
    assert [a.title for a in activities] == [
        "Community conversations on the plan",
        "Small focus group",
        "Survey with no count",
    ]
    assert [o.what_we_heard for o in activities[0].outcomes.all()] == ["Evening sessions please"]


def test_assurance_pack_content_names_who_generated_it(year_of_evidence, organisation, reviewer):
    data = assurance_pack.assurance_pack(organisation, YEAR, generated_by=reviewer.user)
    assert data["generated_by"] == reviewer.user.get_full_name()
    (checklist,) = data["checklists"]
    first = checklist.items.all()[0]
    assert first.duty.number == 1 and first.review_comment == "Minutes checked"


def test_a_framework_outside_its_years_is_not_reported_missing(db):
    """The IAF engagement indicator was assessed 2017/18 to 2019/20: a CCG's 2021/22 lacks nothing there."""
    from ccg_involvement.years import ReportingYear
    from tests.factories.core import CCGFactory

    ccg = CCGFactory()
    assert figures.frameworks_without_checklist(ccg, ReportingYear(2021)) == [
        "Individual involvement (s14U)",
        "Public participation (s14Z2)",
    ]
    assert "IAF engagement indicator" in figures.frameworks_without_checklist(ccg, ReportingYear(2019))


def test_an_other_organisation_misses_only_the_frameworks_it_chose(db):
    """An "Other" organisation is assessed only against what it chose (issue 14): before choosing it
    lacks nothing, after choosing it lacks the chosen frameworks that have no checklist."""
    from ccg_involvement.models import OrganisationKind
    from ccg_involvement.years import ReportingYear
    from duties.models import FrameworkChoice
    from tests.factories.core import OrganisationFactory, UserFactory

    csu = OrganisationFactory(name="Riverside Support Unit", ods_code="0DG", kind=OrganisationKind.OTHER)
    assert figures.frameworks_without_checklist(csu, ReportingYear(2025)) == []
    FrameworkChoice.objects.create(organisation=csu, codes=["WPPC22"], changed_by=UserFactory())
    assert figures.frameworks_without_checklist(csu, ReportingYear(2025)) == [
        "Partnership with people (s14Z45)"
    ]
