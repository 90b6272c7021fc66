"""Every change to checklists goes through these functions (views, commands and tests call them).

Each takes keyword arguments and the acting user (``by``), runs in one transaction, and records
who changed what in the history.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_create_with_history

from ccg_involvement.actions import remove_document, store_document
from ccg_involvement.errors import ActionError
from ccg_involvement.history import check_version
from ccg_involvement.models import Membership, OrganisationKind
from ccg_involvement.years import ReportingYear, organisation_period
from duties.models import Checklist, ChecklistItem, Framework, FrameworkChoice, ItemStatus, Verdict

# Fields an editor changes on an item; a change to any of them sends a reviewed item back.
EDITABLE_FIELDS = [
    "verdict",
    "not_applicable_reason",
    "score",
    "narrative",
    "planned_actions",
    "owner",
    "due_date",
]
# The assessment: whoever last changes one of these cannot review the item (four eyes).
ASSESSMENT_FIELDS = {"verdict", "not_applicable_reason", "score", "narrative"}


class ChecklistLocked(ActionError):
    pass


def _ensure_open(checklist: Checklist):
    if checklist.is_signed_off:
        raise ChecklistLocked(
            f"This checklist was signed off on {date_format(timezone.localtime(checklist.signed_off_at), 'j F Y')}. "
            "A reviewer must reopen it before anything can change."
        )


def _lock_item(item: ChecklistItem) -> ChecklistItem:
    # FOR UPDATE over the join also locks the checklist row, which sign-off locks too: an edit and a
    # sign-off of the same checklist never interleave.
    return (
        ChecklistItem.objects.select_for_update()
        .select_related("checklist__organisation", "checklist__framework", "duty")
        .get(pk=item.pk)
    )


def _save(instance, *, by, reason: str = "", update_fields=None):
    instance._history_user = by
    instance._change_reason = reason or None
    instance.save(update_fields=update_fields)


@transaction.atomic
def start_checklist(*, organisation, framework: Framework, year: ReportingYear, by) -> Checklist:
    if not framework.applies_to_organisation(organisation):
        if organisation.kind == OrganisationKind.OTHER:
            raise ActionError(
                f"{organisation.name} has not chosen {framework.short_title}. An organisation administrator "
                "chooses the frameworks that apply to it."
            )
        raise ActionError(f"{framework.short_title} does not apply to {organisation.kind_with_article}.")
    if not framework.applies_in(year):
        raise ActionError(f"{framework.short_title} applies to {framework.years_label} only, not {year}.")
    if organisation_period(organisation, year) is None:
        raise ActionError(
            f"{organisation.name} did not exist in {year}, so it has no checklists for that year."
        )
    if (
        Checklist.objects.for_organisation(organisation)
        .for_year(year)
        .filter(framework__code=framework.code)
        .exists()
    ):
        raise ActionError(f"The {framework.short_title} checklist for {year} has already been started.")
    checklist = Checklist(organisation=organisation, framework=framework, year=year.start_year, created_by=by)
    try:
        with transaction.atomic():
            _save(checklist, by=by, reason="Checklist started")
    except IntegrityError:
        raise ActionError(
            f"The {framework.short_title} checklist for {year} has already been started."
        ) from None
    bulk_create_with_history(
        [ChecklistItem(checklist=checklist, duty=duty) for duty in framework.duties.order_by("number")],
        ChecklistItem,
        default_user=by,
        default_change_reason="Item created",
    )
    return checklist


def _check_item_values(item: ChecklistItem, values: dict):
    verdict = values.get("verdict", item.verdict)
    reason = values.get("not_applicable_reason", item.not_applicable_reason)
    if verdict == Verdict.NOT_APPLICABLE and not (reason or "").strip():
        raise ActionError("Give the reason this duty does not apply.")
    score = values.get("score", item.score)
    framework = item.checklist.framework
    if score is not None:
        if not framework.is_scored:
            raise ActionError("This framework is not scored.")
        if not framework.scoring["min"] <= score <= framework.scoring["max"]:
            raise ActionError(
                f"Score must be between {framework.scoring['min']} and {framework.scoring['max']}."
            )
    owner = values.get("owner", item.owner)
    if (
        owner is not None
        and not Membership.objects.for_organisation(item.checklist.organisation).filter(user=owner).exists()
    ):
        raise ActionError("The owner must be a member of this organisation.")


@transaction.atomic
def update_item(*, item: ChecklistItem, expected_version: int, by, **values) -> ChecklistItem:
    """Change the editable fields of an item; refuse (VersionConflict) if someone saved in between."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    current = _lock_item(item)
    _ensure_open(current.checklist)
    check_version(current, expected_version, [*EDITABLE_FIELDS, "status"], noun="item")
    _check_item_values(current, values)
    if "verdict" in values and values["verdict"] != Verdict.NOT_APPLICABLE:
        values["not_applicable_reason"] = ""  # a reason only belongs with "not applicable"
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    if ASSESSMENT_FIELDS.intersection(changed):
        current.assessed_by = by
    reason = ""
    if current.status == ItemStatus.REVIEWED:
        current.status = ItemStatus.READY_FOR_REVIEW
        reason = "Edited after review: back to ready for review"
    elif current.status == ItemStatus.TODO:
        current.status = ItemStatus.IN_PROGRESS
    current.version += 1
    _save(current, by=by, reason=reason)
    return current


@transaction.atomic
def set_status(*, item: ChecklistItem, status: str, by) -> ChecklistItem:
    """The owner's workflow step. Only a review makes an item "reviewed"."""
    if status not in {ItemStatus.TODO, ItemStatus.IN_PROGRESS, ItemStatus.READY_FOR_REVIEW}:
        raise ActionError("Choose to do, in progress or ready for review. Reviewers mark items reviewed.")
    current = _lock_item(item)
    _ensure_open(current.checklist)
    if not current.status_can_change():
        raise ActionError(
            "This item has been reviewed, so its status can no longer be changed. "
            "Change its assessment or evidence to send it back for review."
        )
    if status == ItemStatus.READY_FOR_REVIEW and not current.verdict:
        raise ActionError("Record a verdict before sending the item for review.")
    if current.status == status:
        return current
    current.status = status
    current.version += 1
    _save(current, by=by)
    return current


@transaction.atomic
def review_item(*, item: ChecklistItem, comment: str, by) -> ChecklistItem:
    current = _lock_item(item)
    _ensure_open(current.checklist)
    if not current.verdict:
        raise ActionError("This item has no verdict yet, so there is nothing to review.")
    if current.checklist.framework.is_scored and current.score is None:
        raise ActionError("This item has no score yet, so there is nothing to review.")
    if current.is_own_assessment(by.pk):
        raise ActionError(
            "You last changed this item's assessment, so someone else must review it (four eyes)."
        )
    current.status = ItemStatus.REVIEWED
    current.review_comment = comment.strip()
    current.reviewed_at = timezone.now()
    current.reviewed_by = by
    current.version += 1
    _save(current, by=by, reason="Reviewed")
    return current


@transaction.atomic
def attach_document(*, item: ChecklistItem, uploaded_file, title: str, evidence_date=None, by):
    current = _lock_item(item)
    _ensure_open(current.checklist)
    document = store_document(
        organisation=current.checklist.organisation,
        uploaded_file=uploaded_file,
        title=title,
        evidence_date=evidence_date,
        by=by,
    )
    current.documents.add(document)
    if current.status == ItemStatus.REVIEWED:
        current.status = ItemStatus.READY_FOR_REVIEW
    current.version += 1
    _save(current, by=by, reason=f"Document attached: {document.title} ({document.original_name})")
    return document


@transaction.atomic
def remove_item_document(*, item: ChecklistItem, document, by):
    current = _lock_item(item)
    _ensure_open(current.checklist)
    if not current.documents.filter(pk=document.pk).exists():
        raise ActionError("That document is not attached to this item.")
    current.documents.remove(document)
    if not document.checklist_items.exists():
        remove_document(document=document, by=by)
    if current.status == ItemStatus.REVIEWED:
        current.status = ItemStatus.READY_FOR_REVIEW
    current.version += 1
    _save(current, by=by, reason=f"Document removed: {document.title} ({document.original_name})")


@transaction.atomic
def sign_off(
    *, checklist: Checklist, by, note: str, approving_body: str, meeting_date, minute_reference: str = ""
):
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    _ensure_open(checklist)
    blockers = checklist.sign_off_blockers()
    if blockers:
        raise ActionError(" ".join(blockers))
    if not approving_body.strip():
        raise ActionError("Enter the body that approved the checklist (for example, the board).")
    checklist.signed_off_at = timezone.now()
    checklist.signed_off_by = by
    checklist.sign_off_note = note.strip()
    checklist.approving_body = approving_body.strip()
    checklist.meeting_date = meeting_date
    checklist.minute_reference = minute_reference.strip()
    checklist.reopen_reason = ""
    _save(checklist, by=by, reason=f"Signed off: approved by {checklist.approving_body}")
    return checklist


@transaction.atomic
def reopen(*, checklist: Checklist, by, reason: str):
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if not checklist.is_signed_off:
        raise ActionError("This checklist is not signed off, so it is already open.")
    if not reason.strip():
        raise ActionError("Give the reason for reopening the checklist.")
    checklist.signed_off_at = None
    checklist.signed_off_by = None
    checklist.reopen_reason = reason.strip()
    _save(checklist, by=by, reason=f"Reopened: {reason.strip()}")
    return checklist


@transaction.atomic
def start_next_year(*, checklist: Checklist, by) -> Checklist:
    """Next year's checklist, carrying narrative, owners and planned actions; statuses and verdicts reset."""
    framework = Framework.objects.get(code=checklist.framework.code, is_current=True)
    year = checklist.reporting_year.next()
    new = start_checklist(organisation=checklist.organisation, framework=framework, year=year, by=by)
    previous = {item.duty.code: item for item in checklist.items.select_related("duty")}
    carried = []
    for item in new.items.select_related("duty"):
        old = previous.get(item.duty.code)
        if old is None:
            continue
        item.narrative = old.narrative
        item.planned_actions = old.planned_actions
        item.owner_id = old.owner_id
        item.assessed_by_id = old.assessed_by_id
        item.version += 1
        carried.append(item)
    for item in carried:
        _save(item, by=by, reason=f"Carried forward from {checklist.reporting_year}")
    return new


KEEP = object()
"""``bulk_change(owner=KEEP)``: leave each item's owner as it is."""


@transaction.atomic
def bulk_change(*, checklist: Checklist, item_ids, by, owner=KEEP, status: str = "") -> int:
    """Give several items of one checklist a new owner and/or status, all or nothing.

    Each item goes through the same rules as one at a time (``update_item``, ``set_status``): a
    new owner counts as an edit (a reviewed item goes back for review); a reviewed item's status
    cannot be set. If any item refuses, nothing changes and the error names every refusal.
    """
    if owner is KEEP and not status:
        raise ActionError("Choose a new owner or a new status for the selected items.")
    items = list(checklist.items.filter(pk__in=item_ids).select_related("duty").order_by("duty__number"))
    if not items:
        raise ActionError("Select at least one item.")
    _ensure_open(checklist)
    refused = []
    for item in items:
        try:
            if owner is not KEEP:
                item = update_item(item=item, expected_version=_lock_item(item).version, by=by, owner=owner)
            if status:
                set_status(item=item, status=status, by=by)
        except ActionError as exc:
            refused.append(f"{item.duty.number}. {item.duty.title}: {exc}")
    if refused:
        transaction.set_rollback(True)
        raise ActionError("Nothing was changed. " + " ".join(refused))
    return len(items)


@transaction.atomic
def choose_frameworks(*, organisation, codes: list[str], reason: str, by):
    """An "Other" organisation's administrator chooses the frameworks it is assessed against.

    Only organisations of another kind choose (CCGs and ICBs get the frameworks written for them);
    a choice needs a reason; checklists already started stay. Every change is kept in the history.
    """
    if organisation.kind != OrganisationKind.OTHER:
        raise ActionError(
            f"{organisation.name} is {organisation.kind_with_article}: the frameworks written for it apply, "
            "so there is nothing to choose."
        )
    known = set(Framework.objects.current().values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ActionError(f"There is no current framework {', '.join(unknown)}.")
    reason = (reason or "").strip()
    if codes and not reason:
        raise ActionError("Say why these frameworks apply to your organisation.")
    choice = FrameworkChoice.objects.select_for_update().filter(organisation=organisation).first()
    if choice is None:
        choice = FrameworkChoice(organisation=organisation, changed_by=by)
    choice.codes = sorted(set(codes))
    choice.reason = reason
    choice.changed_by = by
    _save(choice, by=by, reason="Frameworks chosen" if codes else "Frameworks cleared")
    return choice
