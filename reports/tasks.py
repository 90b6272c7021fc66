"""Report builds run as Django tasks: immediate in development and tests, db_worker in production."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from reports.models import Report, ReportStatus

logger = logging.getLogger(__name__)


@task()
def build_report(report_id: int) -> str:
    from reports.builders import build

    updated = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    if not updated:
        return "not queued"  # already built (a report is never built twice)
    report = Report.objects.select_related("organisation", "requested_by").get(pk=report_id)
    try:
        data, name, pages = build(report)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the report for the user
        logger.exception("Report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        return "failed"
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            report.file.save(name, ContentFile(data), save=False)
            report.file_name = name
            report.size = len(data)
            report.sha256 = digest
            report.page_count = pages
            report.status = ReportStatus.DONE
            report.finished_at = timezone.now()
            report.save()
    except Exception as exc:  # noqa: BLE001
        if report.file:
            report.file.delete(save=False)  # no half-written file is left behind
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"Could not store the file: {exc}"[:2000],
        )
        return "failed"
    return "done"
