"""Backup and restore (PostgreSQL): dump the database and the file store, restore into empty ones,
and the restored instance serves the same reports with the same hashes."""

import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.db import connection

from ccg_involvement.years import ReportingYear
from reports import actions
from reports.models import Report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not shutil.which("pg_dump"),
        reason="needs PostgreSQL and pg_dump",
    ),
]


@pytest.mark.slow
def test_backup_and_restore_keeps_reports_and_their_hashes(reviewer, tmp_path):
    from reports.tasks import build_report

    for kind in ("assurance_pack", "annual_report"):
        report = actions.request_report(
            organisation=reviewer.organisation,
            kind=kind,
            format="pdf",
            year=ReportingYear(2025),
            by=reviewer.user,
        )
        build_report.call(report.pk)
    hashes = dict(Report.objects.values_list("pk", "sha256"))
    assert len(hashes) == 2 and all(hashes.values())

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    result = subprocess.run(
        ["bash", str(settings.BASE_DIR / "benchmarks" / "backup_restore.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "2 reports verified: every file matches its SHA-256." in result.stdout
