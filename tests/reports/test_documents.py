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
    # every framework item's source is in the Word file too, unverified wording marked (issue 14)
    assert "Where each item comes from" in headings
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    principle = next(
        r for r in rows if r[1:2] == ["Involve people early and show how they influenced decisions"]
    )
    assert "principle 2 of 10" in principle[2] and principle[3] == "paraphrase"
    area = next(r for r in rows if r[0] == "1" and r[1] == "Support patients, carers and representatives")
    assert area[2] == "section 7.1, area 1 of 10" and area[3] == "unverified wording"
    assert any("Applied by analogy" in p.text for p in document.paragraphs)


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
    # each item's source (document, section) and certainty (issue 14)
    assert "Source: main document, principle 1 of 10 (page not seen)" in text
    assert "(paraphrase)" in text


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


@pytest.mark.slow
def test_decision_records_full_and_public_read_back(
    reviewer, login, django_capture_on_commit_callbacks, settings
):
    """Issue 14: minute reference, due-regard statement and OSC response in both; warnings only in the
    full one; no relative (file:) link; counts of people from 1 to 4 suppressed."""
    from engagements.models import AudienceGroup
    from tests.factories import proposals as pf
    from tests.factories.engagements import activity_for

    settings.SITE_URL = ""
    proposal = pf.proposal_for(
        reviewer, title="Merge two clinics", expected_decision_date=datetime.date(2025, 9, 1)
    )
    pf.started(proposal, datetime.date(2025, 4, 1))
    pf.screen(proposal, reviewer, 2, **pf.STEP_2_APPLIES)
    pf.screen(
        proposal,
        reviewer,
        6,
        substantial="yes",
        substantial_reason="Moves a clinic.",
        osc_consulted_on=datetime.date(2025, 5, 1),
        osc_decision_date_given=datetime.date(2025, 9, 1),
        osc_response="The committee supported the merger with a bus link.",
        reconfiguration="exempt",
    )
    age = AudienceGroup.objects.get(code="PC-AGE")
    event = activity_for(reviewer, title="Clinic drop-in", start=datetime.date(2025, 6, 1), reach={age: 3})
    pf.actions.link_activity(proposal=proposal, activity=event, by=reviewer.user)
    pf.screen(proposal, reviewer, 4, affected_groups=[age], ehia_done="no")
    pf.screen(
        proposal,
        reviewer,
        8,
        decided_by="ICB board",
        decision_date=datetime.date(2025, 9, 1),
        minute_ref="Minute 2025/077",
        decision="Merge the clinics",
        decision_reasons="Access",
        consultation_responses=3,
        involvement_influence="Bus link added",
        due_regard_by="ICB board",
        due_regard_on=datetime.date(2025, 9, 1),
    )
    client = login(reviewer)
    texts = {}
    for version in ("full", "public"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/qrv/reports/decision-record/{proposal.pk}/", {"version": version})
        report = Report.objects.order_by("-pk").first()
        assert report.status == ReportStatus.DONE, report.error
        with report.file.open("rb") as handle:
            raw = handle.read()
        assert b"file:" not in raw
        texts[version] = " ".join(pdf_text(report).split())
    for text in texts.values():
        assert "Minute 2025/077" in text
        assert "considered the equality and health inequalities analysis" in text and "s149" in text
        assert "The committee supported the merger with a bus link." in text
        assert "3 people" not in text and "fewer than 5" in text
    assert "Warnings and how each was addressed" in texts["full"]
    assert "No equality and health inequalities impact assessment" in texts["full"]
    assert "Warnings" not in texts["public"] and "Screened by" not in texts["public"]
