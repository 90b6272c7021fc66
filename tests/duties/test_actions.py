"""Checklist actions called directly: the state rules they share with the pages."""

import pytest

from ccg_involvement.errors import ActionError
from duties import actions
from duties.models import ItemStatus, Verdict
from tests.factories.duties import checklist_for


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
