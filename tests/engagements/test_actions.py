"""The engagement log's actions called directly: activities, outcomes, documents, the import."""

import dataclasses
import datetime
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ccg_involvement.errors import ActionError, InvalidInput
from ccg_involvement.history import VersionConflict
from duties.models import Duty
from engagements import actions, import_actions, spreadsheets
from engagements.inputs import (
    DUTIES_DO_NOT_APPLY,
    END_BEFORE_START,
    LEAD_NOT_A_MEMBER,
    ActivityInput,
)
from engagements.models import (
    Activity,
    ActivityDuty,
    ActivityStatus,
    ImportBatch,
    Method,
    Outcome,
    OutcomeStatus,
)
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for, group

START = datetime.date(2025, 6, 1)


def _save(membership, data, **kwargs):
    return actions.save_activity(
        organisation=membership.organisation, by=membership.user, data=data, **kwargs
    )


# ------------------------------------------------------------------ save_activity
def test_save_activity_creates_with_everything_and_history(editor):
    carers = group("INC-CARERS")
    data = ActivityInput(
        title="Drop-in",
        start_date=START,
        methods=[Method.objects.get(code="METHOD-FOCUS")],
        duties=[wppc(1)],
        lead=editor.user,
        reach={carers: 4},
    )
    activity = _save(editor, data)
    assert ActivityInput.from_activity(activity) == data
    record = activity.history.get()
    assert record.history_user == editor.user and record.history_change_reason == "Activity logged"


def test_save_activity_refuses_every_broken_rule_at_once_and_saves_nothing(editor, outsider):
    data = ActivityInput(
        title="Drop-in",
        start_date=START,
        end_date=START - datetime.timedelta(days=1),
        lead=outsider.user,
        duties=[Duty.objects.get(framework__code="PPP17", number=1)],
    )
    with pytest.raises(InvalidInput) as refused:
        _save(editor, data)
    assert refused.value.problems == (END_BEFORE_START, LEAD_NOT_A_MEMBER, DUTIES_DO_NOT_APPLY)
    assert not Activity.objects.exists()


def test_an_update_replaces_the_values_and_notes_what_changed(editor, reviewer):
    activity = activity_for(editor, reach={group("INC-CARERS"): 2})
    data = dataclasses.replace(
        ActivityInput.from_activity(activity), title="Renamed", partners=[], reach={group("INC-CARERS"): 5}
    )
    _save(reviewer, data, activity=activity, expected_version=activity.version)
    activity.refresh_from_db()
    assert activity.title == "Renamed" and activity.version == 2
    assert not activity.partners.exists()
    latest = activity.history.latest("history_date")
    assert latest.history_user == reviewer.user
    assert "Partners: −Local Healthwatch" in latest.history_change_reason
    assert "Reach: Carers 2 → 5" in latest.history_change_reason


def test_a_stale_update_is_a_conflict(editor):
    activity = activity_for(editor)
    data = ActivityInput.from_activity(activity)
    _save(editor, dataclasses.replace(data, title="First"), activity=activity, expected_version=1)
    with pytest.raises(VersionConflict) as refused:
        _save(editor, dataclasses.replace(data, title="Second"), activity=activity, expected_version=1)
    assert ("Title", activity.title, "First") in refused.value.changes


# ------------------------------------------------------------------ outcomes
def test_outcome_not_possible_needs_a_reason_keyed_by_field(editor):
    activity = activity_for(editor)
    with pytest.raises(InvalidInput) as refused:
        actions.add_outcome(
            activity=activity, by=editor.user, what_we_heard="a", what_we_did="b", status="not_possible"
        )
    assert [p.field for p in refused.value.problems] == ["reason_not_possible"]
    assert str(refused.value) == "Give the reason it was not possible."
    outcome = actions.add_outcome(
        activity=activity, by=editor.user, what_we_heard="a", what_we_did="b", status="done"
    )
    with pytest.raises(InvalidInput):
        actions.update_outcome(outcome=outcome, by=editor.user, status="not_possible", reason_not_possible="")
    assert Outcome.objects.get().status == "done"


# ------------------------------------------------------------------ documents
def test_attach_and_remove_a_document_record_the_history(editor):
    activity = activity_for(editor)
    document = actions.attach_activity_document(
        activity=activity, uploaded_file=SimpleUploadedFile("plan.txt", b"plan"), title="Plan", by=editor.user
    )
    assert document.uploaded_by == editor.user and not document.is_removed
    actions.remove_activity_document(activity=activity, document=document, by=editor.user)
    document.refresh_from_db()
    assert document.is_removed and document.removed_by == editor.user
    reasons = list(activity.history.values_list("history_change_reason", flat=True))
    assert "Document attached: Plan (plan.txt)" in reasons and "Document removed: Plan (plan.txt)" in reasons
    with pytest.raises(ActionError, match="not attached"):
        actions.remove_activity_document(activity=activity, document=document, by=editor.user)


def test_a_refused_file_attaches_nothing(editor):
    activity = activity_for(editor)
    with pytest.raises(ValidationError):
        actions.attach_activity_document(
            activity=activity,
            uploaded_file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00"),
            title="x",
            by=editor.user,
        )
    assert not activity.documents.exists()
    assert activity.history.count() == 1


# ------------------------------------------------------------------ import
CSV = (
    "Title,Start date,End date,Methods,Duties evidenced,Lead,Reached: Carers\r\n"
    "Listening event,01/07/2025,02/07/2025,Focus group,WPPC-P01,{lead},3\r\n"
    "Survey,02/07/2025,,,,,\r\n"
)


def test_create_import_batch_keeps_checked_rows(editor):
    data = CSV.format(lead=editor.user.username).encode()
    batch = import_actions.create_import_batch(
        organisation=editor.organisation, by=editor.user, file_name="a/b.csv", data=data
    )
    assert batch.file_name == "b.csv" and batch.error_count == 0 and batch.committed_at is None
    first = batch.rows[0]["clean"]
    assert first["start_date"] == "2025-07-01" and first["lead"] == editor.user.pk
    assert first["duties"] == [wppc(1).pk] and first["reach"] == {f"g{group('INC-CARERS').pk}": 3}


def test_create_import_batch_refuses_an_unreadable_file_and_stores_nothing(editor, settings):
    with pytest.raises(spreadsheets.SpreadsheetError, match="CSV or Excel"):
        import_actions.create_import_batch(
            organisation=editor.organisation, by=editor.user, file_name="a.docx", data=b"x"
        )
    settings.MAX_UPLOAD_SIZE_MB = 0
    with pytest.raises(spreadsheets.SpreadsheetError, match="smaller than 0 MB"):
        import_actions.create_import_batch(
            organisation=editor.organisation, by=editor.user, file_name="a.csv", data=b"x"
        )
    assert not ImportBatch.objects.exists()


def test_commit_import_batch_saves_every_row_through_save_activity(editor):
    data = CSV.format(lead=editor.user.username).encode()
    batch = import_actions.create_import_batch(
        organisation=editor.organisation, by=editor.user, file_name="a.csv", data=data
    )
    assert import_actions.commit_import_batch(batch=batch, by=editor.user) == 2
    imported = Activity.objects.get(title="Listening event")
    assert ActivityInput.from_activity(imported) == ActivityInput(
        title="Listening event",
        start_date=datetime.date(2025, 7, 1),
        end_date=datetime.date(2025, 7, 2),
        status=ActivityStatus.COMPLETED,  # no status in the file: it ended, so it happened
        methods=[Method.objects.get(code="METHOD-FOCUS")],
        duties=[wppc(1)],
        lead=editor.user,
        reach={group("INC-CARERS"): 3},
    )
    assert imported.history.get().history_user == editor.user
    batch.refresh_from_db()
    assert batch.committed_count == 2 and batch.committed_at is not None
    with pytest.raises(ActionError, match="already imported"):
        import_actions.commit_import_batch(batch=batch, by=editor.user)
    assert Activity.objects.count() == 2


def test_commit_refuses_a_batch_with_errors_or_no_rows(editor):
    batch = import_actions.create_import_batch(
        organisation=editor.organisation,
        by=editor.user,
        file_name="a.csv",
        data=b"Title,Start date\r\nX,31/02/2025\r\n",
    )
    with pytest.raises(ActionError, match="Fix the rows with errors"):
        import_actions.commit_import_batch(batch=batch, by=editor.user)
    empty = ImportBatch.objects.create(
        organisation=editor.organisation, uploaded_by=editor.user, file_name="e.csv"
    )
    with pytest.raises(ActionError, match="no activities"):
        import_actions.commit_import_batch(batch=empty, by=editor.user)
    assert not Activity.objects.exists()


def test_commit_refuses_a_row_naming_something_removed_since(editor):
    batch = import_actions.create_import_batch(
        organisation=editor.organisation,
        by=editor.user,
        file_name="a.csv",
        data=b"Title,Start date,Reached: Carers\r\nX,01/07/2025,3\r\n",
    )
    batch.rows[0]["clean"]["reach"] = {"999999": 3}
    batch.save()
    with pytest.raises(ActionError, match="Row 2: a list entry, duty or member it names has been removed"):
        import_actions.commit_import_batch(batch=batch, by=editor.user)
    assert not Activity.objects.exists()


def test_duties_of_frameworks_for_another_kind_are_refused(editor):
    ppp = Duty.objects.get(framework__code="PPP17", number=1)
    with pytest.raises(ActionError, match="frameworks that apply"):
        activity_for(editor, duties=[ppp])


def test_lead_must_be_a_member(editor, outsider):
    with pytest.raises(ActionError, match="lead must be a member"):
        activity_for(editor, lead=outsider.user)


def test_concurrent_activity_edits_are_detected(editor, login):
    activity = activity_for(editor)
    stale = activity.version
    actions.save_activity(
        organisation=activity.organisation,
        by=editor.user,
        activity=activity,
        data=replace(ActivityInput.from_activity(activity), title="First"),
    )
    with pytest.raises(VersionConflict):
        actions.save_activity(
            organisation=activity.organisation,
            by=editor.user,
            activity=activity,
            expected_version=stale,
            data=replace(ActivityInput.from_activity(activity), title="Second"),
        )
    assert Activity.objects.get().title == "First"


def test_update_outcome_keeps_a_reason_only_when_not_possible(editor):
    activity = activity_for(editor)
    outcome = actions.add_outcome(
        activity=activity,
        by=editor.user,
        what_we_heard="Parking",
        what_we_did="",
        status=OutcomeStatus.NOT_POSSIBLE,
        reason_not_possible="Not ours to change",
    )
    with pytest.raises(InvalidInput):
        actions.update_outcome(
            outcome=outcome, by=editor.user, status=OutcomeStatus.NOT_POSSIBLE, reason_not_possible=" "
        )
    outcome = actions.update_outcome(
        outcome=outcome, by=editor.user, status="done", what_we_did="Asked the council"
    )
    outcome.refresh_from_db()
    assert (outcome.status, outcome.reason_not_possible, outcome.what_we_did) == (
        "done",
        "",
        "Asked the council",
    )
    activity.refresh_from_db()
    assert activity.history.first().history_change_reason == "Outcome updated: Parking"


def test_set_duty_rationale_is_trimmed_and_noted_in_the_history(editor, outsider):
    activity = activity_for(editor, duties=[wppc(1)])
    link = activity.duty_links.get()
    version = activity.version
    actions.set_duty_rationale(
        activity=activity, duty_link_id=link.pk, rationale="  Board papers  ", by=editor.user
    )
    link.refresh_from_db()
    activity.refresh_from_db()
    assert link.rationale == "Board papers" and activity.version == version + 1
    assert activity.history.first().history_change_reason == f"Rationale for {wppc(1).code}: Board papers"
    theirs = activity_for(outsider, duties=[wppc(1)])
    with pytest.raises(ActivityDuty.DoesNotExist):  # a link of another activity is not found
        actions.set_duty_rationale(
            activity=activity, duty_link_id=theirs.duty_links.get().pk, rationale="x", by=editor.user
        )


def test_save_activity_refuses_completed_not_ended_and_reach_above_total_and_saves_nothing(editor):
    future = timezone.localdate() + datetime.timedelta(days=40)
    with pytest.raises(InvalidInput) as refused:
        actions.save_activity(
            organisation=editor.organisation,
            by=editor.user,
            data=ActivityInput(
                title="Future",
                start_date=future,
                status="completed",
                total_participants=300,
                reach={group("INC-CARERS"): 301},
            ),
        )
    assert {p.field for p in refused.value.problems} == {"status", "reach"}
    assert not Activity.objects.exists()
