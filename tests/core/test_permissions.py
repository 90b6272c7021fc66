"""``has_permission``: the role table × permission × the object's organisation and state."""

import ast
from pathlib import Path

import pytest

from ccg_involvement import permissions
from ccg_involvement.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    Role,
    has_permission,
    permission_flags,
    role_has,
)
from duties import actions
from duties.models import ItemStatus, Verdict
from tests.factories.duties import checklist_for

ROLE_TABLE = {
    Role.VIEWER: {Permission.VIEW},
    Role.EDITOR: {Permission.VIEW, Permission.EDIT},
    Role.REVIEWER: {Permission.VIEW, Permission.EDIT, Permission.REVIEW},
    Role.ADMIN: set(Permission),
}


def test_every_role_is_in_the_table():
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert {role: set(granted) for role, granted in ROLE_PERMISSIONS.items()} == ROLE_TABLE


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_table(make_member, organisation, role, permission):
    membership = make_member(role, organisation)
    expected = permission in ROLE_TABLE[role]
    assert role_has(role, permission) is expected
    assert has_permission(membership, permission) is expected
    assert has_permission(membership, permission.value) is expected  # the string form works too


@pytest.mark.parametrize("permission", list(Permission))
def test_no_membership_means_no_permission(permission):
    assert has_permission(None, permission) is False


def test_an_unknown_role_grants_nothing(make_member, organisation):
    membership = make_member(Role.ADMIN, organisation)
    membership.role = "owner"
    assert not any(has_permission(membership, p) for p in Permission)


@pytest.mark.parametrize("role", list(Role))
def test_nothing_on_an_object_of_another_organisation(make_member, organisation, other_organisation, role):
    membership = make_member(role, organisation)
    theirs = checklist_for(make_member(Role.EDITOR, other_organisation))
    for obj in (theirs, theirs.items.first()):
        assert not any(has_permission(membership, p, obj) for p in Permission)
    ours = checklist_for(make_member(Role.EDITOR, organisation))
    for obj in (ours, ours.items.first()):
        assert {p for p in Permission if has_permission(membership, p, obj)} == ROLE_TABLE[role]


def _signed_off(checklist, editor, reviewer):
    for item in checklist.items.all():
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
        )
        actions.review_item(item=item, comment="", by=reviewer.user)
    return actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )


@pytest.mark.parametrize("role", list(Role))
def test_a_signed_off_checklist_is_locked_for_every_role(make_member, organisation, editor, reviewer, role):
    membership = make_member(role, organisation)
    checklist = _signed_off(checklist_for(editor), editor, reviewer)
    item = checklist.items.select_related("checklist").first()
    granted = ROLE_TABLE[role]
    # the checklist: nothing is edited; viewing and reviewing (reopening) stay as the role allows
    assert {p for p in Permission if has_permission(membership, p, checklist)} == granted - {Permission.EDIT}
    # its items: neither edited nor reviewed
    assert {p for p in Permission if has_permission(membership, p, item)} == granted - {
        Permission.EDIT,
        Permission.REVIEW,
    }


def test_permission_flags_name_every_permission(make_member, organisation, editor):
    flags = permission_flags(make_member(Role.REVIEWER, organisation), checklist_for(editor))
    assert flags == {"can_view": True, "can_edit": True, "can_review": True, "can_manage_members": False}
    assert permission_flags(None) == dict.fromkeys(flags, False)


# ------------------------------------------------------------------ object state: the status control
def test_status_can_change_until_reviewed_or_signed_off(editor, reviewer):
    checklist = checklist_for(editor)
    item = checklist.items.first()
    assert item.status_can_change()
    item = actions.update_item(
        item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
    )
    assert item.status_can_change()
    item = actions.review_item(item=item, comment="", by=reviewer.user)
    assert item.status == ItemStatus.REVIEWED
    assert not item.status_can_change()
    other = checklist.items.exclude(pk=item.pk).first()
    _signed_off(checklist, editor, reviewer)
    other.refresh_from_db()
    other.checklist.refresh_from_db()
    assert not other.status_can_change()


# ------------------------------------------------------------------ a leaf module
def test_permissions_module_imports_no_models():
    """permissions.py is a leaf: enums, the role table and pure functions (no import cycle)."""
    tree = ast.parse(Path(permissions.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported == {"enum", "django.db"}, imported
