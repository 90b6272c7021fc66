"""Possible duplicates left out of an import, chosen in the preview row by row or all at once.

A row that repeats an activity already in the log, or an earlier row of the file, is marked
``duplicate`` when the file is checked (``spreadsheets.mark_duplicates``); the person decides for
each whether it is imported anyway or skipped (``ImportRow.skip``), and the commit, in the request or
in the background, leaves out the skipped ones (``import_actions.commit_import_batch``).
"""

from django.db import transaction

from ccg_involvement.errors import ActionError
from engagements.models import CommitState, ImportBatch


@transaction.atomic
def choose_duplicates(*, batch: ImportBatch, by, skip: bool, numbers: list[int] | None = None) -> int:
    """Skip (``skip``) or import after all the possible duplicates of ``batch`` numbered ``numbers``
    (every one when ``None``); returns how many rows it concerned. Rows that are no duplicate are
    never skipped. Refused once the file is imported or while it is being imported."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, organisation=batch.organisation)
    if batch.committed_at is not None:
        raise ActionError(f"“{batch.file_name}” was already imported: its rows can no longer be skipped.")
    if batch.commit_state in {CommitState.QUEUED, CommitState.RUNNING}:
        raise ActionError(f"“{batch.file_name}” is being imported: its rows can no longer be skipped.")
    rows = batch.row_set.filter(data__duplicate=True)
    if numbers is not None:
        rows = rows.filter(number__in=numbers)
    return rows.update(skip=skip)
