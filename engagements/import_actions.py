"""The activity import, as actions: a spreadsheet checked into an ``ImportBatch`` (nothing saved),
then committed all or nothing, new activities in bulk and rows with IDs updated through
``save_activity`` (lost-update protection as the form). Keyword-only, atomic, with history.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ccg_involvement.errors import ActionError
from ccg_involvement.models import Membership
from engagements import reach, spreadsheets
from engagements.actions import add_outcome, save_activity, set_duty_rationale, update_outcome
from engagements.import_mapping import import_max_bytes, start_batch
from engagements.import_merge import keep_missing_columns
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
    AudienceCategory,
    AudienceGroup,
    CommitState,
    ImportBatch,
    ImportStage,
    Outcome,
    Reach,
)
from engagements.selectors import allowed_duties


@transaction.atomic
def create_import_batch(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """Read and check a spreadsheet and keep every row's checked values for the preview.

    Raises ``SpreadsheetError`` (nothing stored) when the file cannot be imported at all; rows with
    problems are stored with their errors. The batch holds what the person saw, so the commit saves
    exactly that. A file whose headings are not the template's, nor fit a saved mapping, goes to the
    mapping step first (``ImportBatch.stage``: ``engagements.import_mapping``).
    """
    check_size(data)
    return start_batch(organisation=organisation, by=by, file_name=file_name, data=data)


def check_size(data: bytes) -> None:
    """SpreadsheetError when an upload is over the size limit."""
    if len(data) > import_max_bytes():
        raise spreadsheets.SpreadsheetError(
            f"The selected file must be smaller than {settings.MAX_UPLOAD_SIZE_MB} MB."
        )


IMPORT_BATCH_SIZE = 500


def create_activities(
    *,
    organisation,
    by,
    inputs: list[tuple[int, ActivityInput]],
    reason: str,
    rationales: dict[int, dict[str, str]] | None = None,
    outcomes: dict[int, list[dict]] | None = None,
) -> list[Activity]:
    """Create many activities at once, with their history, lookups, duties and reach: a few queries per
    ``IMPORT_BATCH_SIZE`` activities rather than a dozen per activity.

    ``inputs`` pairs each ``ActivityInput`` with the row number its refusal names; ``rationales``
    gives, per row number, each duty's rationale (duty id as text → reason), and ``outcomes`` its
    “you said, we did” outcomes (``spreadsheets.read_outcomes``' clean values). The same rules as
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
            Reach.row(activity, target, value)
            for activity, (_, data) in zip(activities, inputs, strict=True)
            for target, value in data.reach.items()
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    outcomes = outcomes or {}
    made = [
        Outcome(activity=activity, created_at=now, **spreadsheets.outcome_values(clean))
        for activity, (number, _) in zip(activities, inputs, strict=True)
        for clean in outcomes.get(number, [])
    ]
    for outcome in made:
        if problems := outcome_problems(
            status=outcome.status, reason_not_possible=outcome.reason_not_possible
        ):
            raise ActionError(
                f"An outcome of “{outcome.activity.title}”: {problems[0].sentence} Nothing was imported."
            )
    bulk_create_with_history(
        made, Outcome, batch_size=IMPORT_BATCH_SIZE, default_user=by, default_change_reason=reason
    )
    record_change(organisation.pk)
    return activities


def update_outcomes(*, activity: Activity, by, outcomes: list[dict]) -> None:
    """An updated row's outcomes: one with the ID of an outcome of its activity changes it (when it
    differs), any other is added. Outcomes not in the file are left as they are."""
    existing = {o.pk: o for o in activity.outcomes.all()}
    for clean in outcomes:
        values = spreadsheets.outcome_values(clean)
        outcome = existing.get(clean.get("id"))
        if outcome is None:
            add_outcome(activity=activity, by=by, **values)
        elif any(getattr(outcome, name) != value for name, value in values.items()):
            if outcome.is_withdrawn:
                raise ActionError(
                    f"The outcome “{outcome.what_we_heard[:60]}” of “{activity.title}” was withdrawn, so it "
                    "cannot be changed. Remove its Outcome ID to add it again."
                )
            update_outcome(outcome=outcome, by=by, **values)


def _found(rows) -> dict[str, dict]:
    """The objects the rows' clean values name by id, fetched once per kind for the whole batch."""
    ids = {name: {pk for r in rows for pk in r["clean"].get(name) or []} for name in RELATED_FIELDS}
    found = {
        name: Activity._meta.get_field(name).related_model.objects.in_bulk(pks) if pks else {}
        for name, pks in ids.items()
    }
    targets = [reach.parse_json_key(key) for r in rows for key in r["clean"].get("reach", {})]
    groups = {pk for kind, pk in targets if kind == "group"}
    categories = {pk for kind, pk in targets if kind == "category"}
    found["reach"] = {
        "group": AudienceGroup.objects.in_bulk(groups) if groups else {},
        "category": AudienceCategory.objects.select_related("group").in_bulk(categories)
        if categories
        else {},
    }
    leads = {r["clean"]["lead"] for r in rows if r["clean"].get("lead")}
    found["lead"] = get_user_model().objects.in_bulk(leads) if leads else {}
    return found


def _row_input(row: dict, found: dict[str, dict]) -> ActivityInput:
    """An imported row's clean values (ids, ISO dates) as an ``ActivityInput``."""
    clean = row["clean"]
    try:
        related = {name: [found[name][pk] for pk in clean.get(name) or []] for name in RELATED_FIELDS}
        reach_found = {}
        for key, value in clean.get("reach", {}).items():
            kind, pk = reach.parse_json_key(key)
            reach_found[found["reach"][kind][pk]] = reach.from_json_value(value)
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
    values.update(
        lead=lead,
        is_highlight=bool(clean.get("is_highlight")),
        is_case_study=bool(clean.get("is_case_study")),
    )
    return ActivityInput(**values, **related, reach=reach_found)


def check_committable(batch: ImportBatch) -> None:
    """ActionError unless the batch can be imported (not imported yet, no errors, some rows)."""
    if batch.committed_at is not None:
        raise ActionError(
            f"“{batch.file_name}” was already imported on "
            f"{date_format(timezone.localtime(batch.committed_at), 'j F Y \\a\\t H:i')} "
            f"({batch.committed_count} activit{'y' if batch.committed_count == 1 else 'ies'}). "
            "Nothing was imported again."
        )
    if batch.error_count or batch.row_set.filter(has_errors=True).exists():
        raise ActionError("Fix the rows with errors in the spreadsheet and upload it again.")
    if not batch.row_set.exists():
        raise ActionError("The file has no activities to import.")
    if batch.stage != ImportStage.READY:
        raise ActionError("Match the file's columns and values first.")


@transaction.atomic
def commit_import_batch(*, batch: ImportBatch, by, skip_duplicates: bool = False) -> int:
    """Create an activity for every row of ``batch`` (in bulk: ``create_activities``); returns how many.

    The rows that repeat an activity already in the log, or an earlier row of the file, are left out
    when chosen in the preview (``ImportRow.skip``: ``engagements.import_skips``), or all of them with
    ``skip_duplicates``. All or nothing: raises ``ActionError`` when the batch has errors,
    was already committed, or a row is refused, and then nothing is saved.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, organisation=batch.organisation)
    check_committable(batch)
    stored = batch.row_set.order_by("number").values_list(  # only what the commit reads: bounded memory
        "number", "data__clean", "data__outcomes", "data__duplicate", "skip"
    )
    rows = [
        {"number": number, "clean": clean, "outcomes": outcomes or []}
        for number, clean, outcomes, duplicate, skip in stored
        if not ((skip_duplicates or skip) and duplicate)
    ]
    found = _found(rows)
    inputs = [(row["number"], _row_input(row, found)) for row in rows if not row["clean"].get("id")]
    updates = [(row, _row_input(row, found)) for row in rows if row["clean"].get("id")]
    scoped = Activity.objects.for_organisation(batch.organisation)
    existing = scoped.in_bulk([row["clean"]["id"] for row, _ in updates])
    # Every row has the same columns: an update keeps the fields the file has no column for.
    present = set(batch.row_set.order_by("number").values_list("data__values", flat=True).first() or {})
    for row, data in updates:
        activity = existing.get(row["clean"]["id"])
        if activity is None:
            raise ActionError(
                f"Row {row['number']}: the activity with ID {row['clean']['id']} has been deleted since the "
                "file was uploaded. Nothing was imported."
            )
        data = keep_missing_columns(data, ActivityInput.from_activity(activity), present)
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
        update_outcomes(activity=activity, by=by, outcomes=row.get("outcomes", []))
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
        outcomes={row["number"]: row["outcomes"] for row in rows if row.get("outcomes")},
    )
    batch.committed_at = timezone.now()
    batch.committed_count = len(rows)
    batch.data = b""  # the file was kept for the mapping step only
    batch.commit_state, batch.commit_error = CommitState.NONE, ""
    batch.save(update_fields=["committed_at", "committed_count", "data", "commit_state", "commit_error"])
    return len(rows)


def start_background_commit(*, batch_id: int) -> ImportBatch | None:
    """The batch, marked running (and committed at once, for its progress page), if it is queued."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.committed_at is not None or batch.commit_state != CommitState.QUEUED:
            return None
        batch.commit_state, batch.commit_started_at = CommitState.RUNNING, timezone.now()
        batch.save(update_fields=["commit_state", "commit_started_at"])
    return batch


def fail_background_commit(*, batch_id: int, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id, committed_at__isnull=True).update(
        commit_state=CommitState.FAILED, commit_error=error
    )
