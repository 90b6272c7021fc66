"""Every change to a ``Report``: requested by a person, then started, finished or failed by its build task.

Keyword-only and atomic like every app's actions. A report records its own history: who asked
and when, when the build started and finished, and why it failed; a finished report never changes.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ccg_involvement.errors import ActionError
from reports.models import Report, ReportFormat, ReportKind, ReportStatus

ERROR_LENGTH = 2000


@transaction.atomic
def request_report(
    *, organisation, kind: str, format: str, year=None, subject_id=None, subject_title: str = "", by
) -> Report:
    """Queue a new report; the build runs as a task once the request is committed."""
    if kind != ReportKind.ANNUAL_REPORT and format == ReportFormat.DOCX:
        raise ActionError("Only the annual report section is available as a Word document.")
    if kind in {ReportKind.ANNUAL_REPORT, ReportKind.ASSURANCE_PACK} and year is None:
        raise ActionError("Choose the reporting year.")
    report = Report.objects.create(
        organisation=organisation,
        kind=kind,
        format=format,
        year=year.start_year if year else None,
        subject_id=subject_id,
        parameters={"year": year.label if year else None, "subject_id": subject_id, "subject": subject_title},
        requested_by=by,
    )

    def enqueue():
        from reports.tasks import build_report

        build_report.enqueue(report.pk)

    transaction.on_commit(enqueue)
    return report


@transaction.atomic
def start_report(*, report_id: int) -> Report | None:
    """Mark a queued report as being built; None when it is not queued (a report is never built twice)."""
    started = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        return None
    return Report.objects.select_related("organisation", "requested_by").get(pk=report_id)


def finish_report(*, report: Report, content: bytes, file_name: str, page_count: int | None) -> Report:
    """Store the built file with its size and SHA-256 and mark the report done.

    When storing fails the exception propagates and no half-written file is left behind.
    """
    try:
        with transaction.atomic():
            report.file.save(file_name, ContentFile(content), save=False)
            report.file_name = file_name
            report.size = len(content)
            report.sha256 = hashlib.sha256(content).hexdigest()
            report.page_count = page_count
            report.status = ReportStatus.DONE
            report.finished_at = timezone.now()
            report.save()
    except Exception:
        if report.file:
            report.file.delete(save=False)
        raise
    return report


@transaction.atomic
def fail_report(*, report: Report, error: str) -> Report:
    """Record why a build failed; the report keeps no file."""
    report.status = ReportStatus.FAILED
    report.finished_at = timezone.now()
    report.error = error[:ERROR_LENGTH]
    Report.objects.filter(pk=report.pk).update(
        status=report.status, finished_at=report.finished_at, error=report.error
    )
    return report
