"""Withdrawing activities, outcomes and proposals with a reason: kept, shown as withdrawn, left out of
every figure and document; a hand-logged duplicate warns before saving; destructive and
year-starting buttons ask first."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.errors import ActionError
from ccg_involvement.permissions import Permission, has_permission
from ccg_involvement.years import ReportingYear
from duties.evidence import evidence_counts
from engagements import actions
from engagements.models import Activity
from engagements.proposals import actions as proposal_actions
from engagements.proposals.selectors import service_changes_for
from reports import statement
from reports.dashboard import cache, figures
from tests.engagements.test_views import _form
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for
from tests.factories.proposals import proposal_for

YEAR = ReportingYear(2025)


@pytest.fixture
def logged(editor):
    kept = activity_for(
        editor, title="Kept", start=datetime.date(2025, 6, 1), total_participants=40, duties=[wppc(2)]
    )
    gone = activity_for(
        editor,
        title="Logged twice",
        start=datetime.date(2025, 6, 2),
        total_participants=300,
        duties=[wppc(2)],
    )
    actions.add_outcome(
        activity=gone,
        by=editor.user,
        what_we_heard="Heard twice",
        what_we_did="Did",
        status="done",
        reported_back_on=datetime.date(2025, 7, 1),
    )
    return kept, gone


def test_a_withdrawn_activity_is_kept_and_counted_nowhere(logged, editor, django_capture_on_commit_callbacks):
    kept, gone = logged
    organisation = editor.organisation
    before = figures.year_totals(organisation, YEAR)
    assert before.activities == 2
    cache.dashboard_body(organisation, YEAR)  # cached before the change
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = actions.withdraw_activity(activity=gone, reason="Logged twice by mistake", by=editor.user)
    assert withdrawn.is_withdrawn and withdrawn.withdrawn_by == editor.user
    assert Activity.objects.filter(pk=gone.pk).exists()
    after = figures.year_totals(organisation, YEAR)
    assert after.activities == 1 and after.participants.value == 40
    body = cache.dashboard_body(organisation, YEAR)  # the cache moved on (verified against the data)
    assert "1 in 2025/26" in body
    assert figures.loop_closure(organisation, YEAR).completed == 1
    assert evidence_counts(organisation, YEAR, [wppc(2).pk]) == {wppc(2).pk: 1}
    assert [a.title for a in statement.year_activities(organisation, YEAR)] == ["Kept"]
    assert "Withdrawn: Logged twice by mistake" in [r.history_change_reason for r in gone.history.all()]
    assert not has_permission(editor, Permission.EDIT, withdrawn)
    with pytest.raises(ActionError, match="already been withdrawn"):
        actions.withdraw_activity(activity=gone, reason="again", by=editor.user)


def test_the_withdraw_page_asks_for_a_reason_then_shows_the_activity_as_withdrawn(
    logged, editor, viewer, login
):
    _, gone = logged
    url = f"/qrv/activities/{gone.pk}/withdraw/"
    page = login(editor).get(url)
    assert page.status_code == 200 and "Withdraw this activity?" in page.content.decode()
    assert login(viewer).post(url, {"reason": "x"}).status_code == 403
    refused = login(editor).post(url, {"reason": ""})
    assert refused.status_code == 400 and "Enter why you are withdrawing it" in refused.content.decode()
    assert "<title>Error:" in refused.content.decode()
    assert login(editor).post(url, {"reason": "Logged twice"}).status_code == 302
    detail = login(viewer).get(gone.get_absolute_url()).content.decode()
    assert "Withdrawn" in detail and "Logged twice" in detail
    assert "Edit activity" not in login(editor).get(gone.get_absolute_url()).content.decode()
    listing = login(viewer).get("/qrv/activities/?year=2025-26").content.decode()
    assert "Logged twice" in listing and "Withdrawn</strong>" in listing


def test_a_withdrawn_outcome_leaves_loop_closure_and_documents(logged, editor, login):
    _, gone = logged
    outcome = gone.outcomes.get()
    url = f"/qrv/activities/{gone.pk}/outcomes/{outcome.pk}/withdraw/"
    assert login(editor).post(url, {"reason": "Recorded against the wrong activity"}).status_code == 302
    outcome.refresh_from_db()
    assert outcome.is_withdrawn
    assert figures.loop_closure(editor.organisation, YEAR).reported_back == 0
    activity = next(a for a in statement.year_activities(editor.organisation, YEAR) if a.pk == gone.pk)
    assert list(activity.outcomes.all()) == []
    assert (
        "Recorded against the wrong activity" in login(editor).get(gone.get_absolute_url()).content.decode()
    )


def test_a_withdrawn_proposal_leaves_the_annual_report(editor, login):
    proposal = proposal_for(
        editor, title="Close the walk-in centre", expected_decision_date=datetime.date(2025, 9, 1)
    )
    assert [p["title"] for p in service_changes_for(editor.organisation, YEAR)] == [
        "Close the walk-in centre"
    ]
    url = f"/qrv/proposals/{proposal.pk}/withdraw/"
    assert login(editor).post(url, {"reason": "Dropped by the board"}).status_code == 302
    assert service_changes_for(editor.organisation, YEAR) == []
    proposal.refresh_from_db()
    assert proposal.is_withdrawn
    with pytest.raises(ActionError, match="withdrawn"):
        proposal_actions.save_step(
            proposal=proposal,
            step=1,
            by=editor.user,
            values={"title": "New"},
            expected_version=proposal.version,
        )
    page = login(editor).get(proposal.get_absolute_url()).content.decode()
    assert "Dropped by the board" in page and "Withdraw this proposal" not in page
    assert "Withdrawn</strong>" in login(editor).get("/qrv/proposals/").content.decode()


def test_a_hand_logged_activity_like_an_existing_one_warns_before_saving(editor, login):
    activity_for(editor, title="Maternity listening event", start=datetime.date(2025, 10, 14))
    client = login(editor)
    response = client.post("/qrv/activities/new/", _form(title="maternity listening event "))
    page = response.content.decode()
    assert response.status_code == 200 and "This looks like an activity already logged" in page
    assert 'name="confirm_duplicate"' in page and "Save it anyway" in page
    assert Activity.objects.count() == 1
    assert client.post("/qrv/activities/new/", _form(confirm_duplicate="1")).status_code == 302
    assert Activity.objects.count() == 2
    # another date: no warning
    assert client.post("/qrv/activities/new/", _form(start_date_0="15")).status_code == 302


def test_removing_a_document_asks_first(editor, login):
    activity = activity_for(editor)
    document = actions.attach_activity_document(
        activity=activity,
        uploaded_file=SimpleUploadedFile("notes.pdf", b"%PDF-1.4\nnotes"),
        title="Notes",
        by=editor.user,
    )
    url = f"/qrv/activities/{activity.pk}/documents/{document.pk}/remove/"
    client = login(editor)
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200 and "Remove “Notes”?" in page.content.decode()
    document.refresh_from_db()
    assert not document.is_removed
    assert client.post(url).status_code == 302
    document.refresh_from_db()
    assert document.is_removed


def test_starting_the_next_year_asks_first(editor, login):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    url = checklist.get_absolute_url() + "next-year/"
    client = login(editor)
    assert f'href="{url}"' in client.get(checklist.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Start 2026/27 from this checklist?" in page.content.decode()
    assert checklist.organisation.checklists.count() == 1
    assert client.post(url).status_code == 302
    assert checklist.organisation.checklists.count() == 2
