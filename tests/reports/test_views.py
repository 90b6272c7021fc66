"""Generated documents: content read back from the PDF and Word files, hashes, failures, roles."""

import datetime
import hashlib
import io

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import Verdict
from engagements import actions
from reports.models import Report, ReportStatus
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group
from tests.helpers import close_file

YEAR = ReportingYear(2025)


@pytest.fixture
def year_of_evidence(editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    item = checklist.items.get(duty__number=1)
    item = duty_actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        verdict=Verdict.MET,
        narrative="Two public members sit on the board and chair the people and communities committee.",
        owner=editor.user,
    )
    duty_actions.review_item(item=item, comment="Minutes checked", by=reviewer.user)
    big = activity_for(
        editor,
        title="Community conversations on the plan",
        start=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 2),
        total_participants=412,
        duties=[wppc(1)],
        reach={group("INC-CARERS"): 25, group("INC-HOMELESS"): 3},
    )
    actions.add_outcome(
        activity=big,
        by=editor.user,
        what_we_heard="Evening sessions please",
        what_we_did="Added two evening sessions",
        status="done",
        reported_back_on=datetime.date(2025, 6, 1),
    )
    activity_for(
        editor,
        title="Small focus group",
        start=datetime.date(2025, 9, 1),
        total_participants=3,
        duties=[wppc(1)],
    )
    activity_for(
        editor, title="Survey with no count", start=datetime.date(2025, 10, 1), total_participants=None
    )
    return checklist


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """POST a report request and run the build task queued on commit (the immediate backend)."""

    def post(client, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/qrv/reports/", {"kind": "annual_report", "year": "2025-26", "format": "pdf", **data}
            )

    return post


@pytest.fixture
def fake_builds(monkeypatch):
    """For page tests that do not read the document: every kind builds a small stand-in at once.

    The tests marked ``slow`` build the real PDF and Word files and read them back.
    """
    from reports import builders

    def stand_in(report, stem):
        return b"%PDF-1.7 stand-in for " + stem.encode(), f"{stem}.pdf", 1

    monkeypatch.setattr(builders, "BUILDERS", dict.fromkeys(builders.BUILDERS, stand_in))


def pdf_text(report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.slow
def test_annual_report_pdf_contains_the_evidence_with_small_numbers_suppressed(
    year_of_evidence, generate, reviewer, login
):
    response = generate(login(reviewer))
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DONE, report.error
    text = " ".join(pdf_text(report).split())
    assert "Involving people and communities" in text
    assert "Community conversations on the plan" in text  # highlighted (largest by reach)
    assert "Two public members sit on the board" in text  # the item narrative
    assert "Our assessment: Met" in text
    assert "Evening sessions please" in text and "Added two evening sessions" in text
    assert "Small focus group" in text and "fewer than 5" in text  # 3 participants never printed as 3
    assert "not recorded" in text
    assert "Page 1 of" in text
    with report.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == report.sha256
    assert report.page_count >= 3


@pytest.mark.slow
def test_annual_report_word_document_has_real_headings_and_tables(
    year_of_evidence, generate, reviewer, login
):
    generate(login(reviewer), format="docx")
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE, report.error
    with report.file.open("rb") as handle:
        document = WordDocument(io.BytesIO(handle.read()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Partnership with people (s14Z45) (NHS Act 2006 s14Z45)" in headings
    assert any(h.startswith("1. ") for h in headings)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any("Community conversations on the plan" in b for b in bullets)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "Evening sessions please" in cells
    assert "fewer than 5" in cells and "3" not in {c for c in cells if c == "3"} - {"3"}


@pytest.mark.slow
def test_assurance_pack_lists_verdicts_reviews_and_who_generated_it(
    year_of_evidence, generate, reviewer, login
):
    generate(login(reviewer), kind="assurance_pack")
    report = Report.objects.get()
    text = " ".join(pdf_text(report).split())
    assert "Assurance pack 2025/26" in text
    assert "Minutes checked" in text
    assert f"by {reviewer.user.get_full_name()}" in text
    assert "Not signed off" in text
    assert "No owner (9)" in text


def test_a_failing_build_leaves_a_failed_report_and_no_file(
    year_of_evidence, generate, reviewer, login, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("fonts unavailable")

    monkeypatch.setattr("reports.builders.render_pdf", explode)
    generate(login(reviewer))
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "fonts unavailable" in report.error
    assert not report.file and report.sha256 == ""
    page = login(reviewer).get(report.get_absolute_url()).content.decode()
    assert "fonts unavailable" in page
    assert login(reviewer).get(f"/qrv/reports/{report.pk}/download/").status_code == 404


def test_a_done_report_is_never_rebuilt(fake_builds, year_of_evidence, generate, reviewer, login):
    from reports.tasks import build_report

    generate(login(reviewer))
    report = Report.objects.get()
    assert build_report.call(report.pk) == "not queued"
    assert Report.objects.get().sha256 == report.sha256
    generate(login(reviewer))
    assert Report.objects.count() == 2  # generating again makes a new report


def test_only_reviewers_generate_but_every_member_downloads(
    fake_builds, year_of_evidence, generate, reviewer, editor, viewer, login
):
    assert generate(login(editor)).status_code == 403
    assert generate(login(viewer)).status_code == 403
    generate(login(reviewer))
    report = Report.objects.get()
    response = login(viewer).get(f"/qrv/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    close_file(response)


def test_word_is_only_for_the_annual_report(year_of_evidence, generate, reviewer, login):
    response = generate(login(reviewer), kind="assurance_pack", format="docx")
    assert response.status_code == 400
    assert "Only the annual report section is available as a Word document" in response.content.decode()
    assert not Report.objects.exists()


def test_report_status_partial_for_htmx_polling(fake_builds, year_of_evidence, generate, reviewer, login):
    generate(login(reviewer))
    report = Report.objects.get()
    body = login(reviewer).get(report.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert (
        'id="report-status"' in body and "<html" not in body and "hx-trigger" not in body
    )  # finished: stop polling
    assert report.sha256 in body


def test_pdf_never_fetches_external_resources():
    from reports.pdf import RefusedFetch, safe_url_fetcher

    fetcher = safe_url_fetcher()
    with pytest.raises((RefusedFetch, ValueError)):
        fetcher.fetch("https://example.com/logo.png")
    with pytest.raises(RefusedFetch):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("file:///static/nhsuk/assets/images/favicon.svg").status == 200


@pytest.mark.slow
def test_decision_record_pdf_shows_screening_warnings_and_decision(
    reviewer, login, django_capture_on_commit_callbacks
):
    from tests.factories import proposals as pf

    proposal = pf.proposal_for(
        reviewer, title="Close the walk-in centre", expected_decision_date=datetime.date(2025, 7, 1)
    )
    proposal = pf.screen(proposal, reviewer, 2, **pf.STEP_2_APPLIES)
    proposal = pf.consultation(proposal, reviewer, opens=datetime.date(2025, 6, 2), weeks=6)
    pf.screen(
        proposal,
        reviewer,
        8,
        decided_by="Board",
        decision_date=datetime.date(2025, 7, 1),
        decision="Close on weekdays only",
        involvement_influence="Weekend opening kept after the consultation",
    )
    client = login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/qrv/reports/decision-record/{proposal.pk}/")
    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DONE, report.error
    text = " ".join(pdf_text(report).split())
    assert "Decision record: Close the walk-in centre" in text
    assert "Close on weekdays only" in text and "Weekend opening kept" in text
    assert "before the consultation closes" in text  # the Gunning warning
    assert "shorter than" in text  # 6 weeks < 12


@pytest.mark.slow
def test_annual_report_lists_the_service_changes_of_the_year(year_of_evidence, generate, reviewer, login):
    from tests.factories import proposals as pf

    proposal = pf.proposal_for(
        reviewer, title="Move the minor injuries unit", expected_decision_date=datetime.date(2025, 11, 1)
    )
    pf.screen(proposal, reviewer, 2, **pf.STEP_2_APPLIES)
    generate(login(reviewer))
    text = " ".join(pdf_text(Report.objects.get()).split())
    assert "Move the minor injuries unit" in text


def test_decision_record_of_another_organisation_is_not_found(reviewer, outsider, login):
    from tests.factories import proposals as pf

    theirs = pf.proposal_for(outsider)
    assert login(reviewer).post(f"/qrv/reports/decision-record/{theirs.pk}/").status_code == 404
    assert not Report.objects.exists()
