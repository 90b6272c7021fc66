"""Checklist pages: who sees which control, and sibling pages that answer alike."""

import pytest

from ccg_involvement.permissions import Role
from duties import actions
from duties.models import ItemStatus, Verdict
from tests.factories.duties import checklist_for

SIGN_OFF = {"approving_body": "Board", "meeting_date_0": "1", "meeting_date_1": "4", "meeting_date_2": "2026"}


@pytest.fixture
def checklist(editor):
    return checklist_for(editor)


def _review_all(checklist, editor, reviewer):
    for item in checklist.items.all():
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
        )
        actions.review_item(item=item, comment="", by=reviewer.user)


def _signed_off(checklist, editor, reviewer):
    _review_all(checklist, editor, reviewer)
    return actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )


# ------------------------------------------------------------------ sign-off and reopen answer alike
@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_sign_off_and_reopen_explain_to_non_reviewers_and_refuse_their_post(
    make_member, organisation, checklist, editor, reviewer, login, role
):
    client = login(make_member(role, organisation))
    _review_all(checklist, editor, reviewer)
    sign_off = client.get(checklist.get_absolute_url() + "sign-off/")
    assert sign_off.status_code == 200
    assert "Only a reviewer can sign off a checklist." in sign_off.content.decode()
    assert 'type="submit">Sign off' not in sign_off.content.decode()
    assert client.post(checklist.get_absolute_url() + "sign-off/", SIGN_OFF).status_code == 403

    actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )
    reopen = client.get(checklist.get_absolute_url() + "reopen/")
    assert reopen.status_code == 200
    assert "Only a reviewer can reopen a signed-off checklist." in reopen.content.decode()
    assert 'type="submit">Reopen' not in reopen.content.decode()
    assert client.post(checklist.get_absolute_url() + "reopen/", {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_sign_off_and_reopen_show_reviewers_their_form(
    make_member, organisation, checklist, editor, reviewer, login, role
):
    client = login(make_member(role, organisation))
    assert 'type="submit">Sign off' in client.get(checklist.get_absolute_url() + "sign-off/").content.decode()
    _signed_off(checklist, editor, reviewer)
    assert 'type="submit">Reopen' in client.get(checklist.get_absolute_url() + "reopen/").content.decode()


def test_sign_off_and_reopen_say_when_there_is_nothing_to_do(checklist, editor, reviewer, login):
    client = login(reviewer)
    reopen = client.get(checklist.get_absolute_url() + "reopen/").content.decode()
    assert "already open" in reopen and 'type="submit">Reopen' not in reopen
    _signed_off(checklist, editor, reviewer)
    sign_off = client.get(checklist.get_absolute_url() + "sign-off/").content.decode()
    assert "already signed off" in sign_off and 'type="submit">Sign off' not in sign_off


# ------------------------------------------------------------------ the status control follows the state rule
def test_no_status_control_on_a_reviewed_item_and_a_forced_change_is_refused(
    checklist, editor, reviewer, login
):
    item = checklist.items.get(duty__number=1)
    item = actions.update_item(
        item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
    )
    actions.review_item(item=item, comment="", by=reviewer.user)
    client = login(editor)
    status_url = item.get_absolute_url() + "status/"
    assert f'action="{status_url}"' not in client.get(item.get_absolute_url()).content.decode()
    assert f'action="{status_url}"' not in client.get(checklist.get_absolute_url()).content.decode()
    other = checklist.items.get(duty__number=2)
    assert (
        f'action="{other.get_absolute_url()}status/"'
        in client.get(checklist.get_absolute_url()).content.decode()
    )

    response = client.post(status_url, {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "its status can no longer be changed" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED


def test_no_status_control_for_viewers(checklist, viewer, login):
    item = checklist.items.get(duty__number=1)
    page = login(viewer).get(checklist.get_absolute_url()).content.decode()
    assert f'action="{item.get_absolute_url()}status/"' not in page
