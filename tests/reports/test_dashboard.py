"""The assurance dashboard and overview: exact figures on hand-made data, constant queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import Verdict
from engagements import actions
from engagements.models import Method, OutcomeStatus, Partner
from reports.dashboard import figures, overview
from reports.small_numbers import people
from tests.factories.core import MembershipFactory
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group

YEAR = ReportingYear(2025)


@pytest.fixture
def world(editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    items = {i.duty.number: i for i in checklist.items.select_related("duty")}

    def update(n, **values):
        item = items[n]
        items[n] = duty_actions.update_item(
            item=item, expected_version=item.version, by=editor.user, **values
        )

    update(1, verdict=Verdict.MET, owner=editor.user, due_date=datetime.date(2025, 6, 1))
    items[1] = duty_actions.review_item(item=items[1], comment="", by=reviewer.user)
    update(2, verdict=Verdict.PARTIALLY_MET)
    update(3, verdict=Verdict.NOT_MET, due_date=datetime.date(2025, 6, 1))
    update(4, verdict=Verdict.NOT_APPLICABLE, not_applicable_reason="No such services here")
    duty_actions.attach_document(
        item=items[5],
        uploaded_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x"),
        title="Minutes",
        by=editor.user,
    )
    survey, focus = Method.objects.get(code="METHOD-SURVEY"), Method.objects.get(code="METHOD-FOCUS")
    hw, vcse = Partner.objects.get(code="PARTNER-HW"), Partner.objects.get(code="PARTNER-VCSE")
    a1 = activity_for(
        editor,
        title="A1",
        start=datetime.date(2025, 5, 10),
        end_date=datetime.date(2025, 5, 20),
        total_participants=40,
        methods=[survey],
        partners=[hw],
        duties=[wppc(1)],
        reach={group("INC-CARERS"): 12, group("INC-HOMELESS"): 3},
    )
    actions.add_outcome(
        activity=a1,
        by=editor.user,
        what_we_heard="x",
        what_we_did="y",
        status="done",
        reported_back_on=datetime.date(2025, 6, 19),
    )
    a2 = activity_for(
        editor,
        title="A2",
        start=datetime.date(2025, 11, 1),
        total_participants=None,
        methods=[focus],
        partners=[vcse],
        duties=[wppc(2)],
        reach={group("INC-CARERS"): 0},
    )
    actions.add_outcome(
        activity=a2,
        by=editor.user,
        what_we_heard="x",
        what_we_did="y",
        status=OutcomeStatus.NOT_POSSIBLE,
        reason_not_possible="Out of scope",
        reported_back_on=datetime.date(2025, 11, 11),
    )
    activity_for(editor, title="A3", start=datetime.date(2026, 2, 1), total_participants=4)
    # Only what happened counts: a planned activity is in no figure.
    activity_for(
        editor, title="Planned", start=datetime.date(2026, 3, 1), status="planned", total_participants=9
    )
    activity_for(editor, title="Last year", start=datetime.date(2024, 7, 1), total_participants=100)
    return checklist


def test_checklist_position(world, organisation):
    (position,) = figures.checklist_positions(organisation, YEAR)
    assert position.by_verdict == {"met": 1, "partially_met": 1, "not_met": 1, "not_applicable": 1}
    assert position.undecided == 6
    assert position.reviewed == 1
    assert position.percent_met == 11  # 1 of 9 assessable
    assert position.signed_off_at is None


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
    assert figures.frameworks_without_checklist(organisation, YEAR) == []


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


def test_dashboard_page_shows_every_figure(world, editor, login):
    page = login(editor).get("/qrv/?year=2025-26").content.decode()
    assert page.count("<h1") == 1
    for text in [
        "Checklist position 2025/26",
        "11%",
        "Coverage of the duties",
        "No evidence this year (7)",
        "Overdue (1)",
        "No owner (9)",
        "3 in 2025/26 (1 in 2024/25)",
        "44 in 2025/26 (100 in 2024/25)",
        "fewer than 5",
        "Not reached at all",
        "Gypsy, Roma and Traveller communities",
        "67% of completed activities (2 of 3)",
        "20 days after the activity ended",
    ]:
        assert text in page, text
    assert "<svg" in page and "<title id=" in page and "<desc id=" in page


def test_dashboard_year_switch_is_a_partial_for_htmx(world, editor, login):
    response = login(editor).get("/qrv/?year=2024-25", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="dashboard-body"' in body and "<html" not in body
    assert "1 in 2024/25" in body
    bad = login(editor).get("/qrv/?year=nonsense").content.decode()
    assert "is not a reporting year" in bad


def test_dashboard_query_count_is_constant(
    world, editor, login, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(editor)
    client.get("/qrv/")  # the first request after logging in refreshes the session; later ones do not
    with CaptureQueriesContext(connection) as first:
        client.get("/qrv/?year=2025-26")
    baseline = len(first.captured_queries)
    assert baseline <= 30
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            a = activity_for(
                editor,
                title=f"More {n}",
                start=datetime.date(2025, 4, 1) + datetime.timedelta(days=n * 9),
                total_participants=n,
                duties=[wppc(n % 10 + 1)],
                reach={group("PC-AGE"): n},
            )
            actions.add_outcome(
                activity=a,
                by=editor.user,
                what_we_heard="a",
                what_we_did="b",
                status="done",
                reported_back_on=a.start_date + datetime.timedelta(days=5),
            )
    with django_assert_num_queries(baseline):
        client.get("/qrv/?year=2025-26")


def test_assurance_overview_one_row_per_membership(world, editor, other_organisation, login):
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    rows = {
        r.organisation.ods_code: r for r in overview.rows([editor.organisation, other_organisation], YEAR)
    }
    assert rows["QRV"].percent_met == {"Partnership with people (s14Z45)": 11}
    assert (rows["QRV"].gaps, rows["QRV"].overdue, rows["QRV"].loop_percent) == (7, 1, 67)
    assert (rows["QHT"].gaps, rows["QHT"].percent_met, rows["QHT"].loop_percent) == (0, {}, None)
    page = login(editor).get("/assurance/?year=2025-26&sort=gaps").content.decode()
    assert page.index("NHS Riverside") < page.index("NHS Hilltop")
    assert page.count("<h1") == 1


def test_overview_shows_only_the_users_organisations(world, outsider, login):
    page = login(outsider).get("/assurance/?year=2025-26").content.decode()
    assert "NHS Riverside" not in page
