"""Every change to the engagement log goes through these functions (views, imports, the demo, tests).

Each takes keyword arguments and the acting user (``by``), runs in one transaction, and records
who changed what in the activity's history. An activity's values arrive as an ``ActivityInput``;
a refused input raises ``InvalidInput`` naming the fields, which forms show on those fields.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ccg_involvement.actions import remove_document, store_document, withdraw
from ccg_involvement.documents import sanitise_filename
from ccg_involvement.errors import ActionError, InvalidInput
from ccg_involvement.history import lock_and_check
from ccg_involvement.models import Membership
from engagements import spreadsheets
from engagements.inputs import (
    DUTIES_DO_NOT_APPLY,
    LEAD_NOT_A_MEMBER,
    RELATED_FIELDS,
    SCALAR_FIELDS,
    ActivityInput,
    outcome_problems,
)
from engagements.models import (
    Activity,
    ActivityDuty,
    AudienceGroup,
    ImportBatch,
    Outcome,
    OutcomeStatus,
    Reach,
)
from engagements.selectors import allowed_duties, existing_duplicate_keys, import_context


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
            "reach": {r.group.name: r.count for r in activity.reach.select_related("group")},
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
    after_reach = {g.name: c for g, c in data.reach.items()}
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
            [Reach(activity=activity, group=group, count=count) for group, count in data.reach.items()]
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
def import_max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 10_000)


def import_max_bytes() -> int:
    return settings.MAX_UPLOAD_SIZE_MB * 1024 * 1024


@transaction.atomic
def create_import_batch(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """Read and check a spreadsheet and keep every row's checked values for the preview.

    Raises ``SpreadsheetError`` (nothing stored) when the file cannot be imported at all; rows with
    problems are stored with their errors. The batch holds what the person saw, so the commit saves
    exactly that.
    """
    if len(data) > import_max_bytes():
        raise spreadsheets.SpreadsheetError(
            f"The selected file must be smaller than {settings.MAX_UPLOAD_SIZE_MB} MB."
        )
    parsed = spreadsheets.read_spreadsheet(
        name=file_name, data=data, context=import_context(organisation), max_rows=import_max_rows()
    )
    rows = parsed.rows
    spreadsheets.mark_duplicates(rows, existing_duplicate_keys(organisation, rows))
    return ImportBatch.objects.create(
        organisation=organisation,
        uploaded_by=by,
        file_name=sanitise_filename(file_name)[:200],
        rows=rows,
        notices=parsed.notices,
        error_count=sum(1 for r in rows if r["errors"]),
    )


IMPORT_BATCH_SIZE = 500


def create_activities(
    *,
    organisation,
    by,
    inputs: list[tuple[int, ActivityInput]],
    reason: str,
    rationales: dict[int, dict[str, str]] | None = None,
) -> list[Activity]:
    """Create many activities at once, with their history, lookups, duties and reach: a few queries per
    ``IMPORT_BATCH_SIZE`` activities rather than a dozen per activity.

    ``inputs`` pairs each ``ActivityInput`` with the row number its refusal names; ``rationales``
    gives, per row number, each duty's rationale (duty id as text → reason). The same rules as
    ``save_activity``'s are checked, with the organisation's members and duties read once; any
    refusal raises ``ActionError`` naming the row and nothing is saved (the caller's transaction).
    """
    from simple_history.utils import bulk_create_with_history

    from ccg_involvement.freshness import record_change

    member_ids = set(Membership.objects.for_organisation(organisation).values_list("user_id", flat=True))
    allowed = set(allowed_duties(organisation).values_list("pk", flat=True))
    activities = []
    for number, data in inputs:
        problems = data.problems()
        if data.lead is not None and data.lead.pk not in member_ids:
            problems.append(LEAD_NOT_A_MEMBER)
        if any(d.pk not in allowed for d in data.duties):
            problems.append(DUTIES_DO_NOT_APPLY)
        if problems:
            raise ActionError(f"Row {number}: {' '.join(p.sentence for p in problems)} Nothing was imported.")
        activities.append(Activity(organisation=organisation, created_by=by, **data.scalars()))
    now = timezone.now()
    for activity in activities:  # bulk_create sends no signals and sets no auto_now values
        activity.created_at = activity.updated_at = now
    activities = bulk_create_with_history(
        activities, Activity, batch_size=IMPORT_BATCH_SIZE, default_user=by, default_change_reason=reason
    )
    if any(a.pk is None for a in activities):  # pragma: no cover - every supported database returns ids
        raise ActionError("The activities were saved without their ids. Nothing was imported.")
    for name in ("methods", "partners", "adjustments"):
        through = getattr(Activity, name).through
        column = getattr(Activity, name).field.m2m_reverse_field_name() + "_id"
        through.objects.bulk_create(
            [
                through(activity_id=activity.pk, **{column: item.pk})
                for activity, (_, data) in zip(activities, inputs, strict=True)
                for item in getattr(data, name)
            ],
            batch_size=IMPORT_BATCH_SIZE,
        )
    rationales = rationales or {}
    ActivityDuty.objects.bulk_create(
        [
            ActivityDuty(
                activity=activity, duty=duty, rationale=rationales.get(number, {}).get(str(duty.pk), "")
            )
            for activity, (number, data) in zip(activities, inputs, strict=True)
            for duty in data.duties
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    Reach.objects.bulk_create(
        [
            Reach(activity=activity, group=group, count=count)
            for activity, (_, data) in zip(activities, inputs, strict=True)
            for group, count in data.reach.items()
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    record_change(organisation.pk)
    return activities


def _found(rows) -> dict[str, dict]:
    """The objects the rows' clean values name by id, fetched once per kind for the whole batch."""
    ids = {name: {pk for r in rows for pk in r["clean"].get(name) or []} for name in RELATED_FIELDS}
    found = {
        name: Activity._meta.get_field(name).related_model.objects.in_bulk(pks) if pks else {}
        for name, pks in ids.items()
    }
    groups = {int(g) for r in rows for g in r["clean"].get("reach", {})}
    found["reach"] = AudienceGroup.objects.in_bulk(groups) if groups else {}
    leads = {r["clean"]["lead"] for r in rows if r["clean"].get("lead")}
    found["lead"] = get_user_model().objects.in_bulk(leads) if leads else {}
    return found


def _row_input(row: dict, found: dict[str, dict]) -> ActivityInput:
    """An imported row's clean values (ids, ISO dates) as an ``ActivityInput``."""
    clean = row["clean"]
    try:
        related = {name: [found[name][pk] for pk in clean.get(name) or []] for name in RELATED_FIELDS}
        reach = {found["reach"][int(g)]: count for g, count in clean.get("reach", {}).items()}
        lead = found["lead"][clean["lead"]] if clean.get("lead") else None
    except KeyError:
        raise ActionError(
            f"Row {row['number']}: a list entry, duty or member it names has been removed since the file "
            "was uploaded. Upload the file again to check it."
        ) from None
    values = {name: clean[name] for name in SCALAR_FIELDS if clean.get(name) is not None}
    for name in ("start_date", "end_date"):
        if name in values:
            values[name] = datetime.date.fromisoformat(values[name])
    values.update(lead=lead, is_highlight=bool(clean.get("is_highlight")))
    return ActivityInput(**values, **related, reach=reach)


@transaction.atomic
def commit_import_batch(*, batch: ImportBatch, by, skip_duplicates: bool = False) -> int:
    """Create an activity for every row of ``batch`` (in bulk: ``create_activities``); returns how many.

    With ``skip_duplicates`` the rows that repeat an activity already in the log, or an earlier row
    of the file, are left out. All or nothing: raises ``ActionError`` when the batch has errors,
    was already committed, or a row is refused, and then nothing is saved.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, organisation=batch.organisation)
    if batch.committed_at is not None:
        raise ActionError(
            f"“{batch.file_name}” was already imported on "
            f"{date_format(timezone.localtime(batch.committed_at), 'j F Y \\a\\t H:i')} "
            f"({batch.committed_count} activit{'y' if batch.committed_count == 1 else 'ies'}). "
            "Nothing was imported again."
        )
    if batch.error_count or any(r["errors"] for r in batch.rows):
        raise ActionError("Fix the rows with errors in the spreadsheet and upload it again.")
    if not batch.rows:
        raise ActionError("The file has no activities to import.")
    rows = [r for r in batch.rows if not (skip_duplicates and r.get("duplicate"))]
    found = _found(rows)
    inputs = [(row["number"], _row_input(row, found)) for row in rows if not row["clean"].get("id")]
    updates = [(row, _row_input(row, found)) for row in rows if row["clean"].get("id")]
    scoped = Activity.objects.for_organisation(batch.organisation)
    existing = scoped.in_bulk([row["clean"]["id"] for row, _ in updates])
    for row, data in updates:
        activity = existing.get(row["clean"]["id"])
        if activity is None:
            raise ActionError(
                f"Row {row['number']}: the activity with ID {row['clean']['id']} has been deleted since the "
                "file was uploaded. Nothing was imported."
            )
        try:
            activity = save_activity(
                organisation=batch.organisation,
                by=by,
                data=data,
                activity=activity,
                expected_version=row["clean"].get("version"),
            )
        except ActionError as exc:
            raise ActionError(f"Row {row['number']}: {exc} Nothing was imported.") from None
        wanted = row["clean"].get("rationales") or {}
        for link in activity.duty_links.all():
            if str(link.duty_id) in wanted and wanted[str(link.duty_id)] != link.rationale:
                set_duty_rationale(
                    activity=activity, duty_link_id=link.pk, rationale=wanted[str(link.duty_id)], by=by
                )
    create_activities(
        organisation=batch.organisation,
        by=by,
        inputs=inputs,
        reason=f"Activity logged (imported from “{batch.file_name}”)",
        rationales={row["number"]: row["clean"].get("rationales") or {} for row in rows},
    )
    batch.committed_at = timezone.now()
    batch.committed_count = len(rows)
    batch.save(update_fields=["committed_at", "committed_count"])
    return len(rows)


def withdraw_activity(*, activity: Activity, reason: str, by) -> Activity:
    """Withdraw an activity: kept and shown as withdrawn, left out of figures, evidence and documents."""
    return withdraw(obj=activity, reason=reason, by=by)


def withdraw_outcome(*, outcome: Outcome, reason: str, by) -> Outcome:
    """Withdraw one "you said, we did" outcome (kept, shown as withdrawn, counted nowhere)."""
    return withdraw(obj=outcome, reason=reason, by=by)
