"""Large imports are read and checked, and later committed, as Django tasks (the reports' mechanism:
immediate in development and tests, ``db_worker`` in production), so a request never waits for
thousands of rows."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task

from ccg_involvement.errors import ActionError
from engagements import import_actions, import_reading
from engagements.models import CommitState, ImportBatch

logger = logging.getLogger(__name__)


@task()
def commit_import(batch_id: int, user_id: int, skip_duplicates: bool) -> str:
    batch = import_actions.start_background_commit(batch_id=batch_id)
    if batch is None:
        return "not queued"  # already imported, or not waiting (a batch is never committed twice)
    try:
        count = import_actions.commit_import_batch(
            batch=batch, by=get_user_model().objects.get(pk=user_id), skip_duplicates=skip_duplicates
        )
    except ActionError as exc:
        import_actions.fail_background_commit(batch_id=batch_id, error=str(exc))
        return "refused"
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the progress page
        logger.exception("Import %s failed", batch_id)
        import_actions.fail_background_commit(
            batch_id=batch_id, error=f"The import failed ({exc.__class__.__name__}). Nothing was imported."
        )
        return "failed"
    return f"imported {count}"


def background_rows() -> int:
    """Uploads of more rows than this are read, and imports committed, in the background
    (``IMPORT_BACKGROUND_ROWS``)."""
    return getattr(settings, "IMPORT_BACKGROUND_ROWS", 1000)


@task()
def read_import(batch_id: int) -> str:
    return import_reading.read_in_background(batch_id)


@task()
def recheck_import(batch_id: int) -> str:
    """A large upload's rows checked again with the mapping step's choices."""
    return import_reading.read_in_background(batch_id, again=True)


def upload(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """An upload: read now, or, when it looks to have more than ``background_rows`` rows, kept and
    read by ``read_import`` (its ``read_state`` says so; its progress page follows it).

    Raises ``SpreadsheetError`` for a file read now that cannot be imported."""
    if not import_reading.reads_in_background(file_name, data, background_rows()):
        return import_actions.create_import_batch(
            organisation=organisation, by=by, file_name=file_name, data=data
        )
    batch = import_reading.store_upload(organisation=organisation, by=by, file_name=file_name, data=data)
    transaction.on_commit(lambda: read_import.enqueue(batch.pk))
    return batch


@transaction.atomic
def queue_commit(*, batch: ImportBatch, by, skip_duplicates: bool = False) -> ImportBatch:
    """Import a large batch in the background: checked now, committed by ``commit_import``."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, organisation=batch.organisation)
    import_actions.check_committable(batch)
    if batch.commit_state in {CommitState.QUEUED, CommitState.RUNNING}:
        raise ActionError(f"“{batch.file_name}” is already being imported.")
    batch.commit_state, batch.commit_error = CommitState.QUEUED, ""
    batch.commit_started_at = None
    batch.save(update_fields=["commit_state", "commit_error", "commit_started_at"])
    transaction.on_commit(lambda: commit_import.enqueue(batch.pk, by.pk, skip_duplicates))
    return batch
