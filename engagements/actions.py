"""Every change to the engagement log goes through these functions."""

from dataclasses import dataclass, field

from django.db import transaction

from ccg_involvement.documents import remove_document, store_document
from ccg_involvement.errors import ActionError
from ccg_involvement.models import Membership
from duties.models import Duty
from engagements.models import Activity, ActivityDuty, Outcome, OutcomeStatus, Reach

SCALAR_FIELDS = [
    "title",
    "summary",
    "start_date",
    "end_date",
    "status",
    "cycle_stage",
    "duty_limb",
    "service_area",
    "lead",
    "total_participants",
    "is_highlight",
]


@dataclass
class ActivityConflict(ActionError):
    current: Activity
    changes: list = field(default_factory=list)

    def __str__(self):
        return (
            "Someone else changed this activity while you were editing it. Your changes have not been saved "
            "yet: check the activity as it is now, then save again."
        )


def allowed_duties(organisation):
    """Duties of the frameworks that apply to the organisation (any revision still in use)."""
    return Duty.objects.filter(
        framework__applies_to__icontains=f"|{organisation.kind}|", retired_in__isnull=True
    )


def check_activity_values(organisation, values: dict, duties=(), reach=None) -> list[str]:
    """Business rules for an activity; returns the problems as messages (empty when fine)."""
    problems = []
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        problems.append("The end date must be the same as or after the start date.")
    lead = values.get("lead")
    if lead is not None and not Membership.objects.filter(user=lead, organisation=organisation).exists():
        problems.append("The lead must be a member of this organisation.")
    duty_ids = {d.pk for d in duties}
    if duty_ids:
        ok = set(allowed_duties(organisation).filter(pk__in=duty_ids).values_list("pk", flat=True))
        if ok != duty_ids:
            problems.append("Choose duties from the frameworks that apply to this organisation.")
    for count in (reach or {}).values():
        if count is not None and count < 0:
            problems.append("Counts of people cannot be negative.")
            break
    total = values.get("total_participants")
    if total is not None and total < 0:
        problems.append("Counts of people cannot be negative.")
    return problems


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
    values: dict,
    methods=(),
    partners=(),
    adjustments=(),
    duties=(),
    reach: dict | None = None,
    activity: Activity | None = None,
    expected_version: int | None = None,
) -> Activity:
    """Create (``activity=None``) or update an activity with its lookups, duties and reach counts.

    ``reach`` maps AudienceGroup → count or None (None = not recorded).
    """
    problems = check_activity_values(
        organisation, values, duties, {g.pk: c for g, c in (reach or {}).items()}
    )
    if problems:
        raise ActionError(" ".join(problems))
    if activity is None:
        activity = Activity(organisation=organisation, created_by=by)
        before = {"methods": set(), "partners": set(), "adjustments": set(), "duties": set(), "reach": {}}
        reason = "Activity logged"
    else:
        activity = Activity.objects.select_for_update().get(pk=activity.pk, organisation=organisation)
        if expected_version is not None and activity.version != expected_version:
            raise ActivityConflict(current=activity)
        before = {
            "methods": _names(activity.methods.all()),
            "partners": _names(activity.partners.all()),
            "adjustments": _names(activity.adjustments.all()),
            "duties": {d.code for d in activity.duties.all()},
            "reach": {r.group.name: r.count for r in activity.reach.select_related("group")},
        }
        activity.version += 1
        reason = ""
    for name in SCALAR_FIELDS:
        if name in values:
            setattr(activity, name, values[name])
    notes = [
        _describe_set_change("Methods", before["methods"], _names(methods)),
        _describe_set_change("Partners", before["partners"], _names(partners)),
        _describe_set_change("Adjustments", before["adjustments"], _names(adjustments)),
        _describe_set_change("Duties evidenced", before["duties"], {d.code for d in duties}),
    ]
    after_reach = {g.name: c for g, c in (reach or {}).items() if c is not None}
    if reach is not None and after_reach != before["reach"]:
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
    activity.methods.set(methods)
    activity.partners.set(partners)
    activity.adjustments.set(adjustments)
    keep = {d.pk for d in duties}
    activity.duty_links.exclude(duty_id__in=keep).delete()
    existing = set(activity.duty_links.values_list("duty_id", flat=True))
    ActivityDuty.objects.bulk_create(
        [ActivityDuty(activity=activity, duty=d) for d in duties if d.pk not in existing]
    )
    if reach is not None:
        activity.reach.all().delete()
        Reach.objects.bulk_create(
            [
                Reach(activity=activity, group=group, count=count)
                for group, count in reach.items()
                if count is not None
            ]
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
    if (
        values.get("status") == OutcomeStatus.NOT_POSSIBLE
        and not (values.get("reason_not_possible") or "").strip()
    ):
        raise ActionError("Give the reason it was not possible.")


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
