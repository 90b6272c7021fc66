"""Importing activities from a spreadsheet: an upload becomes an ImportBatch, a commit becomes activities.

The batch holds every row's checked values, so the preview and the commit read the same thing the
person saw. Committing goes through ``engagements.actions.save_activity`` for every row, in one
transaction: a row the rules refuse leaves nothing saved.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ccg_involvement.documents import sanitise_filename
from ccg_involvement.errors import ActionError
from duties.models import Duty
from engagements import spreadsheets
from engagements.actions import save_activity
from engagements.models import Adjustment, AudienceGroup, ImportBatch, Method, Partner
from engagements.spreadsheets import SpreadsheetError

__all__ = ["SpreadsheetError", "commit_batch", "create_batch", "max_rows", "max_upload_bytes"]


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 2000)


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_SIZE_MB * 1024 * 1024


def create_batch(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """Read and check a spreadsheet and keep the result for the preview.

    Raises ``SpreadsheetError`` (nothing stored) when the file cannot be imported at all; rows with
    problems are stored with their errors.
    """
    if len(data) > max_upload_bytes():
        raise SpreadsheetError(f"The selected file must be smaller than {settings.MAX_UPLOAD_SIZE_MB} MB.")
    context = spreadsheets.ImportContext.for_organisation(organisation)
    rows = spreadsheets.parse_spreadsheet(name=file_name, data=data, context=context, max_rows=max_rows())
    spreadsheets.mark_duplicates(rows, spreadsheets.existing_duplicate_keys(organisation, rows))
    return ImportBatch.objects.create(
        organisation=organisation,
        uploaded_by=by,
        file_name=sanitise_filename(file_name)[:200],
        rows=rows,
        error_count=sum(1 for r in rows if r["errors"]),
    )


def _objects(model, ids) -> dict:
    return model.objects.in_bulk(set(ids)) if ids else {}


@transaction.atomic
def commit_batch(*, batch: ImportBatch, by) -> int:
    """Create an activity for every row of ``batch``; returns how many. All or nothing.

    Raises ``ActionError`` when the batch has errors, was already committed, or a row is refused.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, organisation=batch.organisation)
    if batch.committed_at is not None:
        raise ActionError(
            f"“{batch.file_name}” was already imported on "
            f"{timezone.localtime(batch.committed_at):%d/%m/%Y at %H:%M} "
            f"({batch.committed_count} activit{'y' if batch.committed_count == 1 else 'ies'}). "
            "Nothing was imported again."
        )
    if batch.error_count or any(r["errors"] for r in batch.rows):
        raise ActionError("Fix the rows with errors in the spreadsheet and upload it again.")
    if not batch.rows:
        raise ActionError("The file has no activities to import.")
    rows = batch.rows
    every = lambda key: [pk for r in rows for pk in r["clean"].get(key) or []]  # noqa: E731
    lookups = {
        "methods": _objects(Method, every("methods")),
        "partners": _objects(Partner, every("partners")),
        "adjustments": _objects(Adjustment, every("adjustments")),
        "duties": _objects(Duty, every("duties")),
    }
    groups = _objects(AudienceGroup, [int(g) for r in rows for g in r["clean"].get("reach", {})])
    leads = _objects(get_user_model(), [r["clean"]["lead"] for r in rows if r["clean"].get("lead")])
    for row in rows:
        clean = row["clean"]
        try:
            related = {key: [found[pk] for pk in clean.get(key) or []] for key, found in lookups.items()}
            reach = {groups[int(g)]: count for g, count in clean.get("reach", {}).items()}
            lead = leads[clean["lead"]] if clean.get("lead") else None
        except KeyError:
            raise ActionError(
                f"Row {row['number']}: a list entry, duty or member it names has been removed since the file "
                "was uploaded. Upload the file again to check it."
            ) from None
        values = {
            "title": clean["title"],
            "summary": clean.get("summary", ""),
            "start_date": datetime.date.fromisoformat(clean["start_date"]),
            "end_date": datetime.date.fromisoformat(clean["end_date"]) if clean.get("end_date") else None,
            "status": clean["status"],
            "cycle_stage": clean.get("cycle_stage", ""),
            "duty_limb": clean.get("duty_limb", ""),
            "service_area": clean.get("service_area", ""),
            "lead": lead,
            "total_participants": clean.get("total_participants"),
            "is_highlight": bool(clean.get("is_highlight")),
        }
        try:
            save_activity(organisation=batch.organisation, by=by, values=values, reach=reach, **related)
        except ActionError as exc:
            raise ActionError(f"Row {row['number']}: {exc} Nothing was imported.") from None
    batch.committed_at = timezone.now()
    batch.committed_count = len(rows)
    batch.save(update_fields=["committed_at", "committed_count"])
    return len(rows)
