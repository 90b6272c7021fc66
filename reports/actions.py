"""A person asks for a report: the request is recorded and its build queued as a task.

The build's own steps (started, finished, failed) are the actions in ``reports.build``, run by the
task in ``reports.tasks``. Keyword-only and atomic like every app's actions; a finished report
never changes.
"""

from django.db import transaction

from ccg_involvement.errors import ActionError
from reports.models import Report, ReportFormat, ReportKind
from reports.tasks import build_report


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

    transaction.on_commit(lambda: build_report.enqueue(report.pk))
    return report
