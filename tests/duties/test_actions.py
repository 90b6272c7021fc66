"""Checklist actions called directly: starting, editing, review, sign-off, reopen, next year and the state rules they share with the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.errors import ActionError
from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import ItemStatus, Verdict
from tests.factories.duties import checklist_for, framework

YEAR = ReportingYear(2025)


def _reviewed(item, editor, reviewer):
    item = actions.update_item(
        item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
    )
    return actions.review_item(item=item, comment="", by=reviewer.user)


@pytest.mark.parametrize("status", [ItemStatus.TODO, ItemStatus.IN_PROGRESS, ItemStatus.READY_FOR_REVIEW])
def test_set_status_refuses_a_reviewed_item(editor, reviewer, status):
    item = _reviewed(checklist_for(editor).items.first(), editor, reviewer)
    with pytest.raises(ActionError, match="has been reviewed, so its status can no longer be changed"):
        actions.set_status(item=item, status=status, by=editor.user)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED


def test_set_status_refuses_an_item_of_a_signed_off_checklist(editor, reviewer):
    checklist = checklist_for(editor)
    for item in checklist.items.all():
        _reviewed(item, editor, reviewer)
    actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )
    with pytest.raises(ActionError, match="signed off"):
        actions.set_status(item=checklist.items.first(), status=ItemStatus.IN_PROGRESS, by=editor.user)


def test_a_reviewed_item_moves_on_through_an_edit_not_the_status_control(editor, reviewer):
    item = _reviewed(checklist_for(editor).items.first(), editor, reviewer)
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="More.")
    assert item.status == ItemStatus.READY_FOR_REVIEW and item.status_can_change()
    item = actions.set_status(item=item, status=ItemStatus.IN_PROGRESS, by=editor.user)
    assert item.status == ItemStatus.IN_PROGRESS


def _complete(item, by, verdict=Verdict.MET):
    return actions.update_item(
        item=item, expected_version=item.version, by=by, verdict=verdict, narrative="Done."
    )


# ------------------------------------------------------------------ starting
def test_start_checklist_creates_one_item_per_duty(checklist):
    assert checklist.items.count() == 10
    assert set(checklist.items.values_list("status", flat=True)) == {ItemStatus.TODO}


def test_a_framework_for_another_kind_of_organisation_is_refused(editor):
    with pytest.raises(ActionError, match="does not apply"):
        actions.start_checklist(
            organisation=editor.organisation, framework=framework("PPP17"), year=YEAR, by=editor.user
        )


def test_the_same_checklist_cannot_be_started_twice(checklist, editor):
    with pytest.raises(ActionError, match="already been started"):
        actions.start_checklist(
            organisation=editor.organisation, framework=framework("WPPC22"), year=YEAR, by=editor.user
        )


def test_owner_must_be_a_member(checklist, editor, outsider):
    item = checklist.items.first()
    with pytest.raises(ActionError, match="member of this organisation"):
        actions.update_item(item=item, expected_version=item.version, by=editor.user, owner=outsider.user)


def test_an_item_without_a_verdict_cannot_be_reviewed(checklist, reviewer):
    with pytest.raises(ActionError, match="no verdict"):
        actions.review_item(item=checklist.items.first(), comment="", by=reviewer.user)


# ------------------------------------------------------------------ review invalidation
def test_editing_a_reviewed_item_sends_it_back_for_review(checklist, editor, reviewer):
    item = _complete(checklist.items.first(), editor.user)
    item = actions.review_item(item=item, comment="fine", by=reviewer.user)
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="Changed.")
    assert item.status == ItemStatus.READY_FOR_REVIEW


def test_attaching_a_document_to_a_reviewed_item_sends_it_back(checklist, editor, reviewer):
    item = actions.review_item(
        item=_complete(checklist.items.first(), editor.user), comment="", by=reviewer.user
    )
    actions.attach_document(
        item=item,
        uploaded_file=SimpleUploadedFile("terms.pdf", b"%PDF-1.7\nterms"),
        title="Terms of reference",
        by=editor.user,
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.READY_FOR_REVIEW
    assert item.documents.get().sha256


def test_sign_off_needs_every_item_reviewed(checklist, editor, reviewer):
    item = checklist.items.first()
    actions.review_item(item=_complete(item, editor.user), comment="", by=reviewer.user)
    with pytest.raises(ActionError, match="Not yet reviewed: 2, 3, 4"):
        actions.sign_off(
            checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
        )


def test_not_applicable_needs_a_reason_and_a_reason_only_goes_with_it(checklist, editor):
    item = checklist.items.first()
    with pytest.raises(ActionError, match="reason this duty does not apply"):
        actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict="not_applicable"
        )
    item = actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        verdict=Verdict.NOT_APPLICABLE,
        not_applicable_reason="No such services",
    )
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET)
    assert item.not_applicable_reason == "" and item.status == ItemStatus.IN_PROGRESS


def test_set_status_is_the_owners_step_and_needs_a_verdict_to_go_for_review(checklist, editor):
    item = checklist.items.first()
    item = actions.set_status(item=item, status=ItemStatus.IN_PROGRESS, by=editor.user)
    assert item.status == ItemStatus.IN_PROGRESS
    with pytest.raises(ActionError, match="Record a verdict"):
        actions.set_status(item=item, status=ItemStatus.READY_FOR_REVIEW, by=editor.user)
    with pytest.raises(ActionError, match="Reviewers mark items reviewed"):
        actions.set_status(item=item, status=ItemStatus.REVIEWED, by=editor.user)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS


def test_sign_off_locks_the_checklist_until_reopened_with_a_reason(checklist, editor, reviewer):
    for item in checklist.items.all():
        _reviewed(item, editor, reviewer)
    with pytest.raises(ActionError, match="body that approved"):
        actions.sign_off(
            checklist=checklist, by=reviewer.user, note="", approving_body=" ", meeting_date=None
        )
    with pytest.raises(ActionError, match="not signed off"):
        actions.reopen(checklist=checklist, by=reviewer.user, reason="early")
    checklist = actions.sign_off(
        checklist=checklist, by=reviewer.user, note=" Approved. ", approving_body="Board", meeting_date=None
    )
    assert checklist.is_signed_off and checklist.sign_off_note == "Approved."
    item = checklist.items.first()
    with pytest.raises(ActionError, match="signed off"):
        actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="late")
    with pytest.raises(ActionError, match="reason for reopening"):
        actions.reopen(checklist=checklist, by=reviewer.user, reason=" ")
    checklist = actions.reopen(checklist=checklist, by=reviewer.user, reason=" New evidence ")
    assert not checklist.is_signed_off and checklist.reopen_reason == "New evidence"
    item.refresh_from_db()
    actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="late")


def test_start_next_year_carries_narrative_owners_and_actions_and_resets_the_rest(
    checklist, editor, reviewer
):
    item = checklist.items.get(duty__number=3)
    _reviewed(item, editor, reviewer)
    item.refresh_from_db()
    actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        narrative="Insight library in place.",
        planned_actions="Add lived experience.",
        owner=reviewer.user,
    )
    new = actions.start_next_year(checklist=checklist, by=editor.user)
    assert new.year == 2026 and new.items.count() == 10
    carried = new.items.get(duty__number=3)
    assert (carried.narrative, carried.planned_actions, carried.owner) == (
        "Insight library in place.",
        "Add lived experience.",
        reviewer.user,
    )
    assert (carried.status, carried.verdict, carried.review_comment) == (ItemStatus.TODO, "", "")
    with pytest.raises(ActionError, match="already been started"):
        actions.start_next_year(checklist=checklist, by=editor.user)
