"""Four eyes: whoever last changed an item's assessment (verdict, score, narrative) does not review it,
and a checklist is signed off only when every item was reviewed by someone else, unless the
organisation recorded a reason to relax the rule. One rule: ``ChecklistItem.permits`` through
``has_permission``, asked by the action, the page and the sign-off."""

import pytest

from ccg_involvement import actions as core_actions
from ccg_involvement.errors import ActionError
from ccg_involvement.permissions import Permission, Role, has_permission
from duties import actions
from duties.models import ItemStatus, Verdict
from tests.factories.duties import checklist_for

SIGN_OFF = {"approving_body": "Board", "meeting_date_0": "1", "meeting_date_1": "4", "meeting_date_2": "2026"}


@pytest.fixture
def checklist(editor):
    return checklist_for(editor)


def _assess(item, who, **values):
    values = values or {"verdict": Verdict.MET, "narrative": "Done."}
    return actions.update_item(item=item, expected_version=item.version, by=who.user, **values)


def test_the_last_assessor_cannot_review_their_own_item(checklist, reviewer, make_member):
    colleague = make_member(Role.REVIEWER, checklist.organisation)
    item = _assess(checklist.items.first(), reviewer)
    assert item.assessed_by == reviewer.user
    assert not has_permission(reviewer, Permission.REVIEW, item)
    assert has_permission(colleague, Permission.REVIEW, item)
    assert has_permission(reviewer, Permission.EDIT, item)  # they may still change it
    with pytest.raises(ActionError, match="someone else must review it"):
        actions.review_item(item=item, comment="", by=reviewer.user)
    item.refresh_from_db()
    assert item.status != ItemStatus.REVIEWED
    assert actions.review_item(item=item, comment="", by=colleague.user).status == ItemStatus.REVIEWED


@pytest.mark.parametrize("field", ["verdict", "narrative"])
def test_changing_the_verdict_or_narrative_makes_you_the_assessor(checklist, editor, reviewer, field):
    item = _assess(checklist.items.first(), editor)
    values = (
        {"verdict": Verdict.PARTIALLY_MET}
        if field == "verdict"
        else {"narrative": "Rewritten by the reviewer."}
    )
    item = _assess(item, reviewer, **values)
    assert item.assessed_by == reviewer.user
    with pytest.raises(ActionError, match="four eyes"):
        actions.review_item(item=item, comment="", by=reviewer.user)


def test_changing_only_the_owner_or_due_date_does_not(checklist, editor, reviewer):
    item = _assess(checklist.items.first(), editor)
    item = _assess(item, reviewer, owner=editor.user, planned_actions="Chase the minutes.")
    assert item.assessed_by == editor.user
    assert actions.review_item(item=item, comment="", by=reviewer.user).status == ItemStatus.REVIEWED


def test_the_item_page_explains_instead_of_offering_the_review(checklist, reviewer, make_member, login):
    item = _assess(checklist.items.first(), reviewer)
    page = login(reviewer).get(item.get_absolute_url()).content.decode()
    assert "Mark as reviewed" not in page
    assert "You last changed this item" in page and "someone else must review it" in page
    colleague = make_member(Role.REVIEWER, checklist.organisation)
    page = login(colleague).get(item.get_absolute_url()).content.decode()
    assert "Mark as reviewed" in page and "You last changed this item" not in page
    # the POST is refused with the same rule
    response = login(reviewer).post(item.get_absolute_url() + "review/", {"comment": ""})
    assert response.status_code == 400 and "four eyes" in response.content.decode()


def test_sign_off_needs_items_reviewed_by_someone_else(checklist, reviewer, org_admin, make_member, login):
    colleague = make_member(Role.REVIEWER, checklist.organisation)
    core_actions.set_four_eyes_relaxation(
        organisation=checklist.organisation, reason="Temporary", by=org_admin.user
    )
    for item in checklist.items.all():  # one person assesses and reviews, while it is relaxed
        actions.review_item(item=_assess(item, reviewer), comment="", by=reviewer.user)
    core_actions.set_four_eyes_relaxation(organisation=checklist.organisation, reason="", by=org_admin.user)
    checklist.organisation.refresh_from_db()
    page = login(colleague).get(checklist.get_absolute_url() + "sign-off/").content.decode()
    assert "Not ready to sign off: four eyes" in page and checklist.items.first().get_absolute_url() in page
    assert 'name="approving_body"' not in page  # what blocks it comes before any form
    response = login(colleague).post(checklist.get_absolute_url() + "sign-off/", SIGN_OFF)
    assert response.status_code == 400 and "Reviewed by their own assessor" in response.content.decode()
    checklist.refresh_from_db()
    assert not checklist.is_signed_off
    for item in checklist.items.all():  # a second reviewer reviews each again
        actions.review_item(item=item, comment="Checked again", by=colleague.user)
    assert login(colleague).post(checklist.get_absolute_url() + "sign-off/", SIGN_OFF).status_code == 302


def test_an_organisation_relaxes_four_eyes_only_with_a_recorded_reason(checklist, reviewer, org_admin, login):
    item = _assess(checklist.items.first(), reviewer)
    client = login(org_admin)
    assert client.get("/qrv/members/four-eyes/").status_code == 200
    assert login(reviewer).post("/qrv/members/four-eyes/", {"reason": "Small team"}).status_code == 403
    assert (
        client.post("/qrv/members/four-eyes/", {"reason": "  One governance lead until March  "}).status_code
        == 302
    )
    organisation = checklist.organisation
    organisation.refresh_from_db()
    assert organisation.four_eyes_relaxed and organisation.four_eyes_relaxed_by == org_admin.user
    assert organisation.four_eyes_relaxed_reason == "One governance lead until March"
    assert "Four eyes is relaxed" in client.get("/qrv/members/").content.decode()
    item.refresh_from_db()
    assert has_permission(reviewer, Permission.REVIEW, item)
    assert actions.review_item(item=item, comment="", by=reviewer.user).status == ItemStatus.REVIEWED
    # an empty reason restores the rule
    assert client.post("/qrv/members/four-eyes/", {"reason": ""}).status_code == 302
    organisation.refresh_from_db()
    assert not organisation.four_eyes_relaxed and organisation.four_eyes_relaxed_at is None
