"""A report's life called directly: requested, started, finished or failed (the task's steps)."""

import hashlib

import pytest

from ccg_involvement.errors import ActionError
from ccg_involvement.years import ReportingYear
from reports import actions, build
from reports.models import Report, ReportStatus


@pytest.fixture
def queued(reviewer):
    """A requested report; its build (queued on commit) does not run: the test's transaction never commits."""
    return actions.request_report(
        organisation=reviewer.organisation,
        kind="assurance_pack",
        format="pdf",
        year=ReportingYear(2025),
        by=reviewer.user,
    )


def test_request_report_queues_with_its_parameters(queued, reviewer):
    assert queued.status == ReportStatus.QUEUED and queued.requested_by == reviewer.user
    assert queued.year == 2025 and queued.parameters["year"] == "2025/26"


def test_request_report_refuses_what_cannot_be_built(reviewer):
    kwargs = {"organisation": reviewer.organisation, "by": reviewer.user}
    with pytest.raises(ActionError, match="Word document"):
        actions.request_report(kind="assurance_pack", format="docx", year=ReportingYear(2025), **kwargs)
    with pytest.raises(ActionError, match="reporting year"):
        actions.request_report(kind="annual_report", format="pdf", **kwargs)
    assert not Report.objects.exists()


def test_a_report_starts_once(queued):
    started = build.start_report(report_id=queued.pk)
    assert started.status == ReportStatus.RUNNING and started.started_at is not None
    assert build.start_report(report_id=queued.pk) is None


def test_finish_report_stores_the_file_with_its_hash(queued):
    report = build.start_report(report_id=queued.pk)
    build.finish_report(report=report, content=b"%PDF-1.7 built", file_name="pack.pdf", page_count=3)
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE and report.finished_at is not None
    assert report.sha256 == hashlib.sha256(b"%PDF-1.7 built").hexdigest() and report.size == 14
    assert report.file_name == "pack.pdf" and report.page_count == 3
    with report.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.7 built"


def test_a_failure_to_store_leaves_no_file(queued, monkeypatch):
    report = build.start_report(report_id=queued.pk)

    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Report, "save", refuse)
    with pytest.raises(OSError, match="disk full"):
        build.finish_report(report=report, content=b"%PDF-1.7", file_name="pack.pdf", page_count=1)
    assert not report.file
    monkeypatch.undo()
    assert Report.objects.get().status == ReportStatus.RUNNING


def test_fail_report_records_the_reason(queued):
    report = build.start_report(report_id=queued.pk)
    build.fail_report(report=report, error="x" * 3000)
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED and report.finished_at is not None
    assert len(report.error) == build.ERROR_LENGTH and not report.file


def test_the_task_runs_the_steps_and_records_a_failure_to_store(queued, monkeypatch):
    from reports.tasks import build_report

    # the task holds its own reference to the builder: stub it there, so no real PDF is built
    monkeypatch.setattr("reports.tasks.build", lambda report: (b"%PDF-1.7", "pack.pdf", 1))

    def refuse(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build, "finish_report", refuse)
    assert build_report.call(queued.pk) == "failed"
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED and report.error == "Could not store the file: disk full"
    assert build_report.call(queued.pk) == "not queued"
