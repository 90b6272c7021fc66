"""Changes to the core's own records: evidence files (``Document``).

Keyword-only, atomic, with the acting user (``by``), like every app's actions. A document records
its own history (who uploaded it and when, who removed it and when); the action that attaches one
to an activity, item or proposal records the change in that object's history too.
"""

import hashlib

from django.db import transaction
from django.utils import timezone

from ccg_involvement.documents import validate_upload
from ccg_involvement.models import Document


@transaction.atomic
def store_document(*, organisation, uploaded_file, title: str, evidence_date=None, by) -> Document:
    """Validate and store an uploaded evidence file for ``organisation``.

    Raises ``django.core.exceptions.ValidationError`` (nothing stored) when the file is refused.
    """
    name, content_type = validate_upload(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    document = Document(
        organisation=organisation,
        title=title.strip() or name,
        original_name=name,
        size=uploaded_file.size,
        content_type=content_type,
        sha256=digest.hexdigest(),
        evidence_date=evidence_date,
        uploaded_by=by,
    )
    document.file.save(name, uploaded_file, save=False)
    document.save()
    return document


@transaction.atomic
def remove_document(*, document: Document, by) -> Document:
    """Take a document out of use; the row and the file stay for the history. Removing twice keeps the first."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.removed_at is None:
        current.removed_at = timezone.now()
        current.removed_by = by
        current.save(update_fields=["removed_at", "removed_by"])
    document.removed_at, document.removed_by_id = current.removed_at, current.removed_by_id
    return document
