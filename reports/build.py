"""The steps of a report's build, as actions: started, finished (file stored with its SHA-256) or failed.

Run by the build task (``reports.tasks``) only; a report records when each happened and why a
build failed, and a finished report never changes.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.models import Report, ReportStatus

ERROR_LENGTH = 2000


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
