"""Evidence files stored and removed through the core's actions."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.actions import remove_document, store_document
from ccg_involvement.models import Document


def test_store_document_keeps_a_hash_and_a_safe_name(editor):
    document = store_document(
        organisation=editor.organisation,
        uploaded_file=SimpleUploadedFile("../../minutes 1.pdf", b"%PDF-1.4 minutes"),
        title="  ",
        by=editor.user,
    )
    assert document.original_name == "minutes 1.pdf" and document.title == "minutes 1.pdf"
    assert document.sha256 == hashlib.sha256(b"%PDF-1.4 minutes").hexdigest()
    assert document.content_type == "application/pdf" and document.uploaded_by == editor.user
    with document.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 minutes"


def test_store_document_refuses_by_content_and_stores_nothing(editor):
    with pytest.raises(ValidationError, match="is a PDF but its name ends in"):
        store_document(
            organisation=editor.organisation,
            uploaded_file=SimpleUploadedFile("minutes.docx", b"%PDF-1.4"),
            title="Minutes",
            by=editor.user,
        )
    assert not Document.objects.exists()


def test_remove_document_keeps_the_row_and_the_first_removal(editor, reviewer):
    document = store_document(
        organisation=editor.organisation,
        uploaded_file=SimpleUploadedFile("plan.txt", b"plan"),
        title="Plan",
        by=editor.user,
    )
    remove_document(document=document, by=editor.user)
    first = document.removed_at
    assert document.is_removed and document.removed_by_id == editor.user.pk
    remove_document(document=Document.objects.get(), by=reviewer.user)
    document.refresh_from_db()
    assert document.removed_at == first and document.removed_by == editor.user
    assert document.file
