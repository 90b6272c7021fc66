"""The production path: a report request queued in the database and built by ``db_worker``."""

import pytest
from django.core.management import call_command

from ccg_involvement.years import ReportingYear
from reports import actions
from reports.models import Report, ReportStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.mark.slow
def test_db_worker_builds_a_queued_report(reviewer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as in production
    try:
        report = actions.request_report(
            organisation=reviewer.organisation,
            kind="assurance_pack",
            format="pdf",
            year=ReportingYear(2025),
            by=reviewer.user,
        )
        assert Report.objects.get(pk=report.pk).status == ReportStatus.QUEUED  # nothing built in the request

        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1")

        report.refresh_from_db()
        assert report.status == ReportStatus.DONE, report.error
        assert report.sha256 and report.size > 1000
    finally:
        settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
