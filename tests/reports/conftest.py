"""Fixtures shared by the reports tests: a year of evidence, the dashboard's world, report requests."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import Verdict
from engagements import actions
from engagements.models import Method, OutcomeStatus, Partner
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group

YEAR = ReportingYear(2025)


@pytest.fixture
def year_of_evidence(editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    item = checklist.items.get(duty__number=1)
    item = duty_actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        verdict=Verdict.MET,
        narrative="Two public members sit on the board and chair the people and communities committee.",
        owner=editor.user,
    )
    duty_actions.review_item(item=item, comment="Minutes checked", by=reviewer.user)
    big = activity_for(
        editor,
        title="Community conversations on the plan",
        start=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 2),
        total_participants=412,
        duties=[wppc(1)],
        reach={group("INC-CARERS"): 25, group("INC-HOMELESS"): 3},
    )
    actions.add_outcome(
        activity=big,
        by=editor.user,
        what_we_heard="Evening sessions please",
        what_we_did="Added two evening sessions",
        status="done",
        reported_back_on=datetime.date(2025, 6, 1),
    )
    activity_for(
        editor,
        title="Small focus group",
        start=datetime.date(2025, 9, 1),
        total_participants=3,
        duties=[wppc(1)],
    )
    activity_for(
        editor, title="Survey with no count", start=datetime.date(2025, 10, 1), total_participants=None
    )
    return checklist


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """POST a report request and run the build task queued on commit (the immediate backend)."""

    def post(client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/qrv/reports/", {"kind": "annual_report", "year": "2025-26", "format": "pdf", **data}
            )

    return post


@pytest.fixture
def fake_builds(monkeypatch):
    """For page tests that do not read the document: every kind builds a small stand-in at once.

    The tests marked ``slow`` build the real PDF and Word files and read them back.
    """
    from reports import builders

    def stand_in(report, stem):
        return b"%PDF-1.7 stand-in for " + stem.encode(), f"{stem}.pdf", 1

    monkeypatch.setattr(builders, "BUILDERS", dict.fromkeys(builders.BUILDERS, stand_in))


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
