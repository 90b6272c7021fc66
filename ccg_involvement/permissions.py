"""Roles and permissions: the single source of truth for who may do what.

A membership gives a user one role in one organisation. Each role lists the permissions it
grants; views ask ``has_permission`` (or ``membership.can``) and templates get ``can_*`` flags.
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


def role_has(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def has_permission(user, permission: Permission, *, organisation) -> bool:
    """True when ``user`` holds ``permission`` in ``organisation`` through an active membership."""
    if not user.is_authenticated or not user.is_active:
        return False
    from ccg_involvement.models import Membership

    role = (
        Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
    )
    return role is not None and role_has(role, permission)
