"""Roles and permissions: the single source of truth for who may do what.

A membership gives a user one role in one organisation. Each role lists the permissions it
grants (``ROLE_PERMISSIONS``). ``has_permission`` is the one question every layer asks — the
tenancy middleware, ``@requires``, views and (through ``permission_flags``) templates.

This module is a leaf: it imports no models. A membership is anything with ``role`` and
``organisation_id``; an object may say which organisation owns it (``organisation_id``) and what
its state allows for this member (``permits(permission, membership)``, e.g. nothing changes on a
signed-off checklist; nobody reviews their own assessment).
"""

import enum

from django.db import models


class Permission(enum.StrEnum):
    VIEW = "view"
    """Read everything the organisation holds."""
    EDIT = "edit"
    """Log activities, upload evidence, edit checklist items and proposals."""
    REVIEW = "review"
    """Review checklist items, sign off and reopen checklists, generate final reports."""
    MANAGE_MEMBERS = "manage_members"
    """Add and remove members of the organisation."""


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    """Reads everything; changes nothing."""
    EDITOR = "editor", "Editor"
    """Commissioning staff: keeps the log and the checklist items up to date."""
    REVIEWER = "reviewer", "Reviewer"
    """Governance lead: also reviews, signs off and generates final documents."""
    ADMIN = "admin", "Administrator"
    """Everything a reviewer can do, and manages the organisation's members."""


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.EDITOR: frozenset({Permission.VIEW, Permission.EDIT}),
    Role.REVIEWER: frozenset({Permission.VIEW, Permission.EDIT, Permission.REVIEW}),
    Role.ADMIN: frozenset({Permission.VIEW, Permission.EDIT, Permission.REVIEW, Permission.MANAGE_MEMBERS}),
}


def role_has(role: str, permission: Permission | str) -> bool:
    return Permission(permission) in ROLE_PERMISSIONS.get(role, frozenset())


def has_permission(membership, permission: Permission | str, obj=None) -> bool:
    """May the holder of ``membership`` do ``permission`` (to ``obj``, if given)?

    * no membership → no;
    * the role must grant the permission (``ROLE_PERMISSIONS``);
    * an object of another organisation → no (its ``organisation_id``, when it has one);
    * the object's state must allow it for this member (its ``permits(permission, membership)``,
      when it has one): e.g. a signed-off checklist is not edited, and the person who last changed
      an item's assessment does not review it (four eyes).
    """
    if membership is None or not role_has(membership.role, permission):
        return False
    if obj is None:
        return True
    owner = getattr(obj, "organisation_id", None)
    if owner is not None and owner != membership.organisation_id:
        return False
    permits = getattr(obj, "permits", None)
    return permits is None or bool(permits(Permission(permission), membership))


def permission_flags(membership, obj=None) -> dict[str, bool]:
    """``can_view``, ``can_edit``, ``can_review``, ``can_manage_members`` for a template."""
    return {
        f"can_{permission.value}": has_permission(membership, permission, obj) for permission in Permission
    }
