"""Every change to a proposal and its screening goes through these functions.

Keyword-only, the acting user as ``by``, one transaction each, the change recorded in the history
(who, when, and a reason naming linked-list changes). Saves carry the version the user loaded; a
save over someone else's newer one raises ``VersionConflict`` (ccg_involvement.history) instead of overwriting it.
"""

from django.db import transaction

from ccg_involvement.actions import remove_document, store_document, withdraw
from ccg_involvement.errors import ActionError
from ccg_involvement.history import check_version
from ccg_involvement.models import Membership
from engagements.models import Activity
from engagements.proposals.models import (
    Answer,
    EhiaAnswer,
    InvolvementLevel,
    Proposal,
    Reconfiguration,
    SubstantialAnswer,
    TestResult,
)
from engagements.proposals.selectors import HISTORY_SHOWN
from engagements.proposals.steps import STEPS, Step
from engagements.proposals.wording import LIMBS, RECONFIGURATION_START_NOTE, reconfiguration_applies

TEXT_FIELDS = {
    "title",
    "description",
    "service_area",
    "applies_planning_reason",
    "applies_proposal_reason",
    "applies_operational_reason",
    "insight_summary",
    "other_affected",
    "timing",
    "substantial_reason",
    "decided_by",
    "decision",
    "involvement_influence",
    "ehia_reference",
    "ehia_impacts",
    "ehia_mitigations",
    "osc_response",
    "urgent_reason",
    "reconfiguration_reason",
    "board_paper_ref",
    "minute_ref",
    "decision_reasons",
    "alternatives",
    "consultation_themes",
    "due_regard_by",
    "due_regard_statement",
    "feedback_how",
}


def _label(name: str) -> str:
    label = str(Proposal._meta.get_field(name).verbose_name)
    return label[0].upper() + label[1:]


def _lock(proposal: Proposal) -> Proposal:
    current = (
        Proposal.objects.select_for_update()
        .select_related("organisation")
        .get(pk=proposal.pk, organisation_id=proposal.organisation_id)
    )
    if current.is_withdrawn:
        raise ActionError("This proposal has been withdrawn, so it can no longer change.")
    return current


def _save(proposal: Proposal, *, by, reason: str = ""):
    proposal._history_user = by
    proposal._change_reason = reason or None
    proposal.save()


def _touch(proposal: Proposal, *, by, reason: str) -> Proposal:
    proposal.version += 1
    _save(proposal, by=by, reason=reason)
    return proposal


def _check(proposal: Proposal, values: dict, lists: dict) -> list[str]:
    """Rules that hold whoever saves (forms, imports, commands); returns messages.

    Each rule reads the fields it is about, so it applies to whichever step saves them (``values``
    holds only the saving step's fields). One rule completes the values: a date only belongs with a
    done impact assessment. The reconfiguration question is for ICB decisions on or after the regime's
    start only (never a CCG's; wording.reconfiguration_applies).
    """
    problems = []
    if "title" in values and not (values["title"] or "").strip():
        problems.append("Enter a title for the proposal.")
    owner = values.get("owner")
    if (
        owner is not None
        and not Membership.objects.for_organisation(proposal.organisation).filter(user=owner).exists()
    ):
        problems.append("The owner must be a member of this organisation.")
    if any(
        values.get(f"applies_{limb}") and values[f"applies_{limb}"] not in Answer.values for limb in LIMBS
    ):
        problems.append("Answer each question yes, no or not sure.")
    if values.get("ehia_done") and values["ehia_done"] not in EhiaAnswer.values:
        problems.append("Say whether the impact assessment was done.")
    if "ehia_done" in values and values["ehia_done"] != EhiaAnswer.YES:
        values["ehia_date"] = None
    if values.get("level") and values["level"] not in InvolvementLevel.values:
        problems.append("Choose a level of involvement.")
    if values.get("budget") is not None and values["budget"] < 0:
        problems.append("The budget cannot be negative.")
    if values.get("substantial") and values["substantial"] not in SubstantialAnswer.values:
        problems.append("Say whether the change is a substantial development or variation.")
    if values.get("reconfiguration"):
        if values["reconfiguration"] not in Reconfiguration.values:
            problems.append("Say whether the reconfiguration is notifiable or exempt.")
        elif not reconfiguration_applies(proposal):
            problems.append(
                "The reconfiguration regime applies to ICB decisions on or after "
                f"{RECONFIGURATION_START_NOTE} only."
            )
    if values.get("consultation_responses") is not None and values["consultation_responses"] < 0:
        problems.append("The number of responses cannot be negative.")
    for code, entry in (values.get("service_change_tests") or {}).items():
        if entry.get("result") not in TestResult.values:
            problems.append(f"Give a result for {code}.")
    opens, closes = values.get("consultation_opens"), values.get("consultation_closes")
    if opens and closes and closes <= opens:
        problems.append("The consultation must close after it opens.")
    if "outcomes" in lists:
        linked = set(proposal.activities.values_list("pk", flat=True))
        if any(outcome.activity_id not in linked for outcome in lists["outcomes"]):
            problems.append("Choose outcomes of the activities linked to this proposal.")
    return problems


def _describe_set_change(label, before: set, after: set) -> str | None:
    added, removed = sorted(after - before), sorted(before - after)
    if not added and not removed:
        return None
    return f"{label}: " + ", ".join([f"+{a}" for a in added] + [f"−{r}" for r in removed])


@transaction.atomic
def create_proposal(*, organisation, by, values: dict) -> Proposal:
    """A new proposal from the step 1 answers; its owner is the creator unless another is given."""
    values = {name: values.get(name) for name in STEPS[1].fields if name in values}
    for name in TEXT_FIELDS & set(values):
        values[name] = (values[name] or "").strip()
    values.setdefault("owner", by)
    proposal = Proposal(organisation=organisation, created_by=by)
    problems = _check(proposal, values, {})
    if not values.get("title"):
        problems.insert(0, "Enter a title for the proposal.")
    if problems:
        raise ActionError(" ".join(dict.fromkeys(problems)))
    for name, value in values.items():
        setattr(proposal, name, value)
    _save(proposal, by=by, reason="Proposal created")
    return proposal


@transaction.atomic
def save_step(
    *,
    proposal: Proposal,
    step: int,
    by,
    values: dict,
    expected_version: int | None = None,
    upload=None,
    upload_title: str = "",
) -> Proposal:
    """Save one screening step's answers (``values`` holds its fields and linked lists).

    ``upload`` is an optional file stored as the step's document: the impact assessment for step 4,
    a consultation document for step 7.
    """
    if step not in STEPS:
        raise ActionError("There is no such step.")
    described: Step = STEPS[step]
    current = _lock(proposal)
    check_version(current, expected_version, described.fields, noun="proposal", **HISTORY_SHOWN)
    scalars = {name: values[name] for name in described.fields if name in values}
    for name in TEXT_FIELDS & set(scalars):
        scalars[name] = (scalars[name] or "").strip()
    lists = {name: list(values[name]) for name in described.lists if name in values}
    problems = _check(current, scalars, lists)
    if problems:
        raise ActionError(" ".join(dict.fromkeys(problems)))
    if upload is not None and described.upload is None:
        raise ActionError(
            "Documents are attached at "
            + " or ".join(f"step {s.number} ({s.upload.label})" for s in STEPS.values() if s.upload)
            + "."
        )

    notes = []
    for name, chosen in lists.items():
        relation = getattr(current, name)
        before = {str(o) for o in relation.all()}
        note = _describe_set_change(described.list_labels[name], before, {str(o) for o in chosen})
        if note:
            notes.append(note)
    document = None
    attaches_to_list = False
    if upload is not None:
        document = store_document(
            organisation=current.organisation, uploaded_file=upload, title=upload_title, by=by
        )
        attaches_to_list = Proposal._meta.get_field(described.upload.field).many_to_many
        if not attaches_to_list:
            setattr(current, described.upload.field, document)
        notes.append(f"{described.upload.note}: {document.title} ({document.original_name})")

    changed = [name for name, value in scalars.items() if getattr(current, name) != value]
    if not changed and not notes:
        return current
    for name in changed:
        setattr(current, name, scalars[name])
    reason = f"Step {step}: {described.title}"
    if notes:
        reason += " — " + "; ".join(notes)
    _touch(current, by=by, reason=reason)
    for name, chosen in lists.items():
        getattr(current, name).set(chosen)
    if attaches_to_list:
        getattr(current, described.upload.field).add(document)
    return current


@transaction.atomic
def link_activity(*, proposal: Proposal, activity: Activity, by) -> Proposal:
    current = _lock(proposal)
    if activity.organisation_id != current.organisation_id:
        raise ActionError("Link activities of this organisation only.")
    if current.activities.filter(pk=activity.pk).exists():
        raise ActionError(f"“{activity.title}” is already linked to this proposal.")
    current.activities.add(activity)
    return _touch(current, by=by, reason=f"Activity linked: {activity.title}")


@transaction.atomic
def unlink_activity(*, proposal: Proposal, activity: Activity, by) -> Proposal:
    """Take an activity off the proposal, with the outcomes of it that step 8 cited."""
    current = _lock(proposal)
    if not current.activities.filter(pk=activity.pk).exists():
        raise ActionError("That activity is not linked to this proposal.")
    current.activities.remove(activity)
    cited = list(current.outcomes.filter(activity=activity))
    current.outcomes.remove(*cited)
    reason = f"Activity unlinked: {activity.title}"
    if cited:
        reason += f" (and {len(cited)} of its outcomes)"
    return _touch(current, by=by, reason=reason)


def _still_used(document, proposal) -> bool:
    return (
        document.activities.exists()
        or document.checklist_items.exists()
        or document.proposals.exclude(pk=proposal.pk).exists()
        or Proposal.objects.filter(ehia_document=document).exclude(pk=proposal.pk).exists()
    )


@transaction.atomic
def remove_proposal_document(*, proposal: Proposal, document, by) -> Proposal:
    current = _lock(proposal)
    is_ehia = current.ehia_document_id == document.pk
    if not is_ehia and not current.documents.filter(pk=document.pk).exists():
        raise ActionError("That document is not attached to this proposal.")
    if is_ehia:
        current.ehia_document = None
    current.documents.remove(document)
    _touch(current, by=by, reason=f"Document removed: {document.title} ({document.original_name})")
    if not _still_used(document, current):
        remove_document(document=document, by=by)
    return current


def withdraw_proposal(*, proposal: Proposal, reason: str, by) -> Proposal:
    """Withdraw a proposal: kept and shown as withdrawn, left out of the annual report's service changes."""
    return withdraw(obj=proposal, reason=reason, by=by)
