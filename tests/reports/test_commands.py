"""``verify_reports``: an operator's check that every stored document is the one that was built."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from reports.models import Report, ReportFormat, ReportKind, ReportStatus


def _stored(membership, content: bytes) -> Report:
    report = Report(
        organisation=membership.organisation,
        kind=ReportKind.ASSURANCE_PACK,
        format=ReportFormat.PDF,
        year=2025,
        requested_by=membership.user,
        status=ReportStatus.DONE,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        file_name="pack.pdf",
    )
    report.file.save("pack.pdf", ContentFile(content), save=False)
    report.save()
    return report


def test_every_file_matching_its_hash_passes(reviewer, capsys):
    _stored(reviewer, b"%PDF-1.7 one")
    _stored(reviewer, b"%PDF-1.7 two")
    call_command("verify_reports")
    assert "2 reports verified" in capsys.readouterr().out


def test_a_changed_or_missing_file_is_named(reviewer):
    changed = _stored(reviewer, b"%PDF-1.7 as built")
    with changed.file.storage.open(changed.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 tampered")
    missing = _stored(reviewer, b"%PDF-1.7 gone")
    missing.file.storage.delete(missing.file.name)
    with pytest.raises(CommandError) as refused:
        call_command("verify_reports")
    assert f"report {changed.pk}: SHA-256" in str(refused.value)
    assert f"report {missing.pk}: file missing" in str(refused.value)
