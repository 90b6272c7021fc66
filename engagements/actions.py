"""Every change to the engagement log goes through these functions (views, imports, the demo, tests).

Each takes keyword arguments and the acting user (``by``), runs in one transaction, and records
who changed what in the activity's history. An activity's values arrive as an ``ActivityInput``;
a refused input raises ``InvalidInput`` naming the fields, which forms show on those fields.
"""

from django.db import transaction

from ccg_involvement.actions import remove_document, store_document, withdraw
from ccg_involvement.errors import ActionError, InvalidInput
from ccg_involvement.history import lock_and_check
from ccg_involvement.models import Membership
from engagements.inputs import (
    DUTIES_DO_NOT_APPLY,
    LEAD_NOT_A_MEMBER,
    SCALAR_FIELDS,
    ActivityInput,
    outcome_problems,
)
from engagements.models import (
    Activity,
    ActivityDuty,
    Outcome,
    OutcomeStatus,
    Reach,
)
from engagements.selectors import allowed_duties


def _check_activity(organisation, data: ActivityInput):
    """Every rule on an activity: its own (``ActivityInput.problems``) and the organisation's."""
    problems = data.problems()
    if (
        data.lead is not None
        and not Membership.objects.for_organisation(organisation).filter(user=data.lead).exists()
    ):
        problems.append(LEAD_NOT_A_MEMBER)
    duty_ids = {d.pk for d in data.duties}
    if duty_ids:
        ok = set(allowed_duties(organisation).filter(pk__in=duty_ids).values_list("pk", flat=True))
        if ok != duty_ids:
            problems.append(DUTIES_DO_NOT_APPLY)
    if problems:
        raise InvalidInput(problems)


def _reach_names(reach) -> dict[str, str]:
    """Reach as the history says it: "Age: 65 to 74" → "12" (or "reached, number not recorded")."""
    return {
        (target.label() if hasattr(target, "label") else target.name): str(value)
        for target, value in reach.items()
    }


def _names(objects) -> set[str]:
    return {str(o) for o in objects}


def _describe_set_change(label, before: set, after: set) -> str | None:
    added, removed = sorted(after - before), sorted(before - after)
    if not added and not removed:
        return None
    parts = [f"+{a}" for a in added] + [f"−{r}" for r in removed]
    return f"{label}: {', '.join(parts)}"


@transaction.atomic
def save_activity(
    *,
    organisation,
    by,
    data: ActivityInput,
    activity: Activity | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Create (``activity=None``) or update an activity with its lookups, duties and reach counts.

    An update replaces every value with ``data``'s (``ActivityInput.from_activity`` gives the
    activity as it is, to change a few fields with ``dataclasses.replace``).
    """
    _check_activity(organisation, data)
    if activity is None:
        activity = Activity(organisation=organisation, created_by=by)
        before = {"methods": set(), "partners": set(), "adjustments": set(), "duties": set(), "reach": {}}
        reason = "Activity logged"
    else:
        activity = lock_and_check(
            Activity.objects.for_organisation(organisation),
            pk=activity.pk,
            expected_version=expected_version,
            fields=SCALAR_FIELDS,
            noun="activity",
        )
        before = {
            "methods": _names(activity.methods.all()),
            "partners": _names(activity.partners.all()),
            "adjustments": _names(activity.adjustments.all()),
            "duties": {d.code for d in activity.duties.all()},
            "reach": _reach_names(
                {
                    (r.category or r.group): r.value
                    for r in activity.reach.select_related("group", "category__group")
                }
            ),
        }
        activity.version += 1
        reason = ""
    for name, value in data.scalars().items():
        setattr(activity, name, value)
    notes = [
        _describe_set_change("Methods", before["methods"], _names(data.methods)),
        _describe_set_change("Partners", before["partners"], _names(data.partners)),
        _describe_set_change("Adjustments", before["adjustments"], _names(data.adjustments)),
        _describe_set_change("Duties evidenced", before["duties"], {d.code for d in data.duties}),
    ]
    after_reach = _reach_names(data.reach)
    if after_reach != before["reach"]:
        changed = sorted(set(after_reach.items()) ^ set(before["reach"].items()))
        names = sorted({name for name, _ in changed})
        notes.append(
            "Reach: "
            + ", ".join(f"{n} {before['reach'].get(n, '—')} → {after_reach.get(n, '—')}" for n in names)
        )
    notes = [n for n in notes if n]
    if notes and reason != "Activity logged":
        reason = "; ".join(notes)
    activity._history_user = by
    activity._change_reason = reason or None
    activity.save()
    activity.methods.set(data.methods)
    activity.partners.set(data.partners)
    activity.adjustments.set(data.adjustments)
    keep = {d.pk for d in data.duties}
    activity.duty_links.exclude(duty_id__in=keep).delete()
    existing = set(activity.duty_links.values_list("duty_id", flat=True))
    ActivityDuty.objects.bulk_create(
        [ActivityDuty(activity=activity, duty=d) for d in data.duties if d.pk not in existing]
    )
    if after_reach != before["reach"]:
        activity.reach.all().delete()
        Reach.objects.bulk_create(
            [Reach.row(activity, target, value) for target, value in data.reach.items()]
        )
    return activity


@transaction.atomic
def set_duty_rationale(*, activity: Activity, duty_link_id: int, rationale: str, by):
    link = ActivityDuty.objects.select_related("duty").get(pk=duty_link_id, activity=activity)
    link.rationale = rationale.strip()[:200]
    link.save(update_fields=["rationale"])
    _touch(activity, by, f"Rationale for {link.duty.code}: {link.rationale or '—'}")


def _touch(activity: Activity, by, reason: str):
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    activity.version += 1
    activity._history_user = by
    activity._change_reason = reason
    activity.save(update_fields=["version", "updated_at"])


def _check_outcome(values):
    problems = outcome_problems(
        status=values.get("status"), reason_not_possible=values.get("reason_not_possible")
    )
    if problems:
        raise InvalidInput(problems)


OUTCOME_FIELDS = [
    "what_we_heard",
    "what_we_did",
    "status",
    "reason_not_possible",
    "decision_influenced",
    "reported_back_on",
    "published_where",
]


@transaction.atomic
def add_outcome(*, activity: Activity, by, **values) -> Outcome:
    _check_outcome(values)
    outcome = Outcome(activity=activity, **{k: v for k, v in values.items() if k in OUTCOME_FIELDS})
    outcome._history_user = by
    outcome.save()
    _touch(activity, by, f"Outcome added: {outcome.what_we_heard[:60]}")
    return outcome


@transaction.atomic
def update_outcome(*, outcome: Outcome, by, **values) -> Outcome:
    _check_outcome(values)
    for name in OUTCOME_FIELDS:
        if name in values:
            setattr(outcome, name, values[name])
    if outcome.status != OutcomeStatus.NOT_POSSIBLE:
        outcome.reason_not_possible = ""
    outcome._history_user = by
    outcome.save()
    _touch(outcome.activity, by, f"Outcome updated: {outcome.what_we_heard[:60]}")
    return outcome


@transaction.atomic
def attach_activity_document(*, activity: Activity, uploaded_file, title: str, evidence_date=None, by):
    document = store_document(
        organisation=activity.organisation,
        uploaded_file=uploaded_file,
        title=title,
        evidence_date=evidence_date,
        by=by,
    )
    activity.documents.add(document)
    _touch(activity, by, f"Document attached: {document.title} ({document.original_name})")
    return document


@transaction.atomic
def remove_activity_document(*, activity: Activity, document, by):
    if not activity.documents.filter(pk=document.pk).exists():
        raise ActionError("That document is not attached to this activity.")
    activity.documents.remove(document)
    if not document.activities.exists() and not document.checklist_items.exists():
        remove_document(document=document, by=by)
    _touch(activity, by, f"Document removed: {document.title} ({document.original_name})")


# ------------------------------------------------------------------------------ spreadsheet import


def withdraw_activity(*, activity: Activity, reason: str, by) -> Activity:
    """Withdraw an activity: kept and shown as withdrawn, left out of figures, evidence and documents."""
    return withdraw(obj=activity, reason=reason, by=by)


def withdraw_outcome(*, outcome: Outcome, reason: str, by) -> Outcome:
    """Withdraw one "you said, we did" outcome (kept, shown as withdrawn, counted nowhere)."""
    return withdraw(obj=outcome, reason=reason, by=by)
