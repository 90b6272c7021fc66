"""Changes to the core's own records: evidence files (``Document``), members (``Membership``) and
the organisation's four-eyes setting.

Keyword-only, atomic, with the acting user (``by``), like every app's actions. A document records
its own history (who uploaded it and when, who removed it and when); the action that attaches one
to an activity, item or proposal records the change in that object's history too.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ccg_involvement import history
from ccg_involvement.documents import validate_upload
from ccg_involvement.errors import ActionError
from ccg_involvement.models import Document, Membership, Organisation
from ccg_involvement.permissions import Role


@transaction.atomic
def store_document(*, organisation, uploaded_file, title: str, evidence_date=None, by) -> Document:
    """Validate and store an uploaded evidence file for ``organisation``.

    Raises ``django.core.exceptions.ValidationError`` (nothing stored) when the file is refused.
    """
    name, content_type = validate_upload(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    document = Document(
        organisation=organisation,
        title=title.strip() or name,
        original_name=name,
        size=uploaded_file.size,
        content_type=content_type,
        sha256=digest.hexdigest(),
        evidence_date=evidence_date,
        uploaded_by=by,
    )
    document.file.save(name, uploaded_file, save=False)
    document.save()
    return document


@transaction.atomic
def remove_document(*, document: Document, by) -> Document:
    """Take a document out of use; the row and the file stay for the history. Removing twice keeps the first."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.removed_at is None:
        current.removed_at = timezone.now()
        current.removed_by = by
        current.save(update_fields=["removed_at", "removed_by"])
    document.removed_at, document.removed_by_id = current.removed_at, current.removed_by_id
    return document


# ---------------------------------------------------------------- members (organisation administrators)
class MemberRefused(ActionError):
    pass


def _save_membership(membership: Membership, *, by, reason: str):
    membership._history_user = by
    membership._change_reason = reason
    membership.save()


def _ensure_manageable(membership: Membership):
    if membership.is_last_admin():
        raise MemberRefused(
            f"{membership.display_name} is the only administrator of {membership.organisation.name}. "
            "Make someone else an administrator first."
        )


@transaction.atomic
def add_member(*, organisation: Organisation, email: str, first_name: str, last_name: str, role: str, by):
    """Add the person with this email address; invite them (a new account) if nobody has it.

    Returns ``(membership, invited)``. An existing account is added as it is; a new one has no
    password until the person sets one through the invitation link.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    if role not in Role.values:
        raise MemberRefused("Choose a role.")
    users = list(User.objects.filter(email__iexact=email))
    if len(users) > 1:
        raise MemberRefused(
            f"More than one account uses {email}. Ask the platform administrator to add the right one."
        )
    invited = not users
    if invited:
        username = email.lower()
        if User.objects.filter(username__iexact=username).exists():
            raise MemberRefused(f"An account called {username} already exists with another email address.")
        user = User(
            username=username, email=email, first_name=first_name.strip(), last_name=last_name.strip()
        )
        user.set_unusable_password()
        user.save()
    else:
        user = users[0]
        if not user.is_active:
            raise MemberRefused(
                f"The account for {email} has been deactivated. Ask the platform administrator to reactivate it."
            )
        if Membership.objects.filter(organisation=organisation, user=user).exists():
            raise MemberRefused(f"{history.display_name(user)} is already a member of {organisation.name}.")
    membership = Membership(organisation=organisation, user=user, role=role)
    _save_membership(
        membership, by=by, reason=f"{'Invited' if invited else 'Added'} as {Role(role).label.lower()}"
    )
    return membership, invited


@transaction.atomic
def change_role(*, membership: Membership, role: str, by) -> Membership:
    current = (
        Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    )
    if role not in Role.values:
        raise MemberRefused("Choose a role.")
    if current.role == role:
        return current
    if role != Role.ADMIN:
        _ensure_manageable(current)
    old = current.get_role_display().lower()
    current.role = role
    _save_membership(
        current, by=by, reason=f"Role changed from {old} to {current.get_role_display().lower()}"
    )
    return current


@transaction.atomic
def deactivate_member(*, membership: Membership, by) -> None:
    """End a person's membership: they lose access; the history keeps who they were and who removed them."""
    current = (
        Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    )
    _ensure_manageable(current)
    current._history_user = by
    current._change_reason = "Deactivated: no longer a member"
    current.delete()


@transaction.atomic
def set_four_eyes_relaxation(*, organisation: Organisation, reason: str, by) -> Organisation:
    """Relax (a reason given) or restore (no reason) the rule that nobody reviews their own assessment."""
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    reason = reason.strip()
    current.four_eyes_relaxed_reason = reason
    current.four_eyes_relaxed_at = timezone.now() if reason else None
    current.four_eyes_relaxed_by = by if reason else None
    current.save(update_fields=["four_eyes_relaxed_reason", "four_eyes_relaxed_at", "four_eyes_relaxed_by"])
    return current


# ---------------------------------------------------------------- withdrawing (activities, outcomes, proposals)
@transaction.atomic
def withdraw(*, obj, reason: str, by):
    """Withdraw a ``Withdrawable`` record with a reason: kept, shown as withdrawn, counted nowhere.

    The apps' actions call this for their own models; the history records who, when and why.
    """
    reason = reason.strip()
    if not reason:
        raise ActionError("Enter why it is being withdrawn.")
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if current.is_withdrawn:
        raise ActionError("This has already been withdrawn.")
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.withdrawn_reason = reason
    if hasattr(current, "version"):
        current.version += 1
    current._history_user = by
    current._change_reason = f"Withdrawn: {reason}"
    current.save()
    return current
