"""Report builds run as Django tasks: immediate in development and tests, db_worker in production."""

import logging

from django.tasks import task

from reports import build as steps
from reports.builders import build

logger = logging.getLogger(__name__)


@task()
def build_report(report_id: int) -> str:
    report = steps.start_report(report_id=report_id)
    if report is None:
        return "not queued"  # already built (a report is never built twice)
    try:
        data, name, pages = build(report)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the report for the user
        logger.exception("Report %s failed", report_id)
        steps.fail_report(report=report, error=f"{exc.__class__.__name__}: {exc}")
        return "failed"
    try:
        steps.finish_report(report=report, content=data, file_name=name, page_count=pages)
    except Exception as exc:  # noqa: BLE001
        steps.fail_report(report=report, error=f"Could not store the file: {exc}")
        return "failed"
    return "done"
