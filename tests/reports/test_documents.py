"""Generated documents: content read back from the PDF and Word files, hashes, failures, roles."""

import datetime
import hashlib
import io

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from ccg_involvement.years import ReportingYear
from reports.models import Report, ReportStatus

YEAR = ReportingYear(2025)


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
    assert "Community conversations on the plan" in text  # the largest under its part of the duty
    assert "Our assessment" not in text and "Met" not in text.split()  # no checklist verdicts
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
    assert "What we did in 2025/26" in headings and "You said, we did" in headings
    assert not any("(s14Z45) (NHS Act" in h for h in headings)  # no doubled-up legal references
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any("Community conversations on the plan" in b for b in bullets)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "Evening sessions please" in cells
    assert "fewer than 5" in cells and "3" not in {c for c in cells if c == "3"} - {"3"}


@pytest.mark.slow
def test_assurance_pack_lists_verdicts_reviews_and_who_generated_it(
    year_of_evidence, generate, reviewer, login
):
    generate(
        login(reviewer),
        kind="assurance_pack",
        assurance_level="reasonable",
        rationale="Most duties have evidence; two gaps have owners.",
    )
    report = Report.objects.get()
    text = " ".join(pdf_text(report).split())
    assert "Assurance pack 2025/26" in text
    assert "Minutes checked" in text
    assert f"by {reviewer.user.get_full_name()}" in text
    assert "Not signed off" in text
    assert "No owner (9)" in text


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


def test_pdf_never_fetches_external_resources():
    from reports.pdf import RefusedFetch, safe_url_fetcher

    fetcher = safe_url_fetcher()
    with pytest.raises((RefusedFetch, ValueError)):
        fetcher.fetch("https://example.com/logo.png")
    with pytest.raises(RefusedFetch):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("file:///static/nhsuk/assets/images/favicon.svg").status == 200
