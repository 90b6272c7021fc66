"""A large upload read and checked in the background, as actions: the file kept at once
(``store_upload``), then read by a task (``engagements.tasks.read_import``) that writes how far it
has got as it goes, for the progress page. Small files are read in the request
(``import_actions.create_import_batch``).

The task runs outside any transaction: each progress write commits on its own, so the progress
page (another connection) sees it, and SQLite's writers are never held up by a long transaction.
The checked rows are kept a thousand at a time; the batch is usable (``read_state`` blank) only once
they are all kept, and a failure removes them and says why on the progress page.
"""

import logging

from django.db import transaction

from engagements import import_actions, import_mapping, spreadsheets
from engagements.models import ImportBatch, ImportRow, ReadState
from engagements.selectors import import_context

logger = logging.getLogger(__name__)


def reads_in_background(name: str, data: bytes, threshold: int) -> bool:
    """Whether an upload looks to have more than ``threshold`` rows (counted cheaply, not read)."""
    return spreadsheets.estimate_rows(name, data) > threshold


@transaction.atomic
def store_upload(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """The upload's batch, kept with its file and waiting to be read (``read_state`` queued)."""
    import_actions.check_size(data)
    batch = import_mapping.new_batch(organisation=organisation, by=by, file_name=file_name, data=data)
    batch.read_state = ReadState.QUEUED
    batch.save()
    return batch


def _progress_writer(batch_id: int, state: str):
    def write(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(
            read_state=state, progress_done=done, progress_total=total
        )

    return write


def start_background_read(*, batch_id: int) -> ImportBatch | None:
    """The batch, marked as being read, if it is waiting to be read (a batch is read once)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.read_state != ReadState.QUEUED:
            return None
        batch.read_state = ReadState.READING
        batch.save(update_fields=["read_state"])
    return batch


def read_stored_upload(*, batch: ImportBatch) -> None:
    """Read and check the batch's file, keep its rows, and make it ready for its next step.

    Raises ``SpreadsheetError`` when the file cannot be imported (``fail_background_read`` says so).
    """
    import_mapping.read_upload(batch, progress=_progress_writer(batch.pk, ReadState.CHECKING))
    _keep_rows(batch)


def _keep_rows(batch: ImportBatch) -> None:
    """The checked rows kept a thousand at a time, saying so; then the batch is ready."""
    total = len(batch.rows)
    batch.read_state, batch.progress_done, batch.progress_total = ReadState.SAVING, 0, total
    batch.save(progress=_progress_writer(batch.pk, ReadState.SAVING))
    batch.read_state, batch.progress_done = ReadState.NONE, total
    batch.save(update_fields=["read_state", "progress_done"])


def fail_background_read(*, batch_id: int, error: str) -> None:
    """Say why the file was not read, and remove any rows kept before it failed."""
    with transaction.atomic():
        ImportRow.objects.filter(batch_id=batch_id).delete()
        ImportBatch.objects.filter(pk=batch_id).update(read_state=ReadState.FAILED, read_error=error)


def recheck_stored_upload(*, batch: ImportBatch) -> None:
    """Check the batch's rows again with the columns and values chosen on the mapping step (which
    left them to this: ``import_mapping.map_columns(later=True)``), and keep them."""
    context = import_context(batch.organisation)
    layout = import_mapping.batch_layout(batch, context)
    progress = _progress_writer(batch.pk, ReadState.CHECKING)
    if batch.column_map:
        import_mapping.check_batch(batch, context, layout, column_map=batch.column_map, progress=progress)
    else:  # another sheet or heading row chosen: read by the headings recognised, until mapped
        import_mapping.check_meanwhile(batch, context, layout, progress)
    _keep_rows(batch)


def read_in_background(batch_id: int, *, again: bool = False) -> str:
    """What the tasks do: read a queued upload (``again``: check its rows again after the mapping
    step); any failure is kept for its progress page."""
    batch = start_background_read(batch_id=batch_id)
    if batch is None:
        return "not queued"
    try:
        (recheck_stored_upload if again else read_stored_upload)(batch=batch)
    except spreadsheets.SpreadsheetError as exc:
        fail_background_read(batch_id=batch_id, error=str(exc))
        return "refused"
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the progress page
        logger.exception("Reading upload %s failed", batch_id)
        fail_background_read(
            batch_id=batch_id,
            error=f"The file could not be read ({exc.__class__.__name__}). Nothing was kept: upload it again.",
        )
        return "failed"
    return f"read {batch.progress_total}"
