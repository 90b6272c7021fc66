"""Editors generate drafts marked "Draft" on every page; reviewers generate final versions; a built
report can be marked superseded; the assurance pack says whether four eyes was relaxed and why."""

import io

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from ccg_involvement import actions as core_actions
from ccg_involvement.errors import ActionError
from ccg_involvement.years import ReportingYear
from reports import actions
from reports.models import Report, ReportStatus

YEAR = ReportingYear(2025)
PACK = {
    "kind": "assurance_pack",
    "assurance_level": "reasonable",
    "rationale": "Evidence for most principles",
}


def pages(report) -> list[str]:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["annual_report", "assurance_pack"])
def test_an_editors_pdf_says_draft_on_every_page_a_reviewers_does_not(
    year_of_evidence,
    generate,
    editor,
    reviewer,
    login,
    kind,
):
    extra = PACK if kind == "assurance_pack" else {}
    generate(login(editor), **extra)
    draft = Report.objects.get()
    assert draft.status == ReportStatus.DONE, draft.error
    assert draft.is_draft and draft.requested_by == editor.user
    text = pages(draft)
    assert len(text) > 1
    assert all("DRAFT" in page for page in text), [i for i, page in enumerate(text) if "DRAFT" not in page]
    assert "A reviewer generates the final version" in text[0]

    generate(login(reviewer), **extra)
    final = Report.objects.exclude(pk=draft.pk).get()
    assert not final.is_draft
    assert not any("DRAFT" in page for page in pages(final))


@pytest.mark.slow
def test_an_editors_word_document_has_draft_in_every_header(
    year_of_evidence,
    generate,
    editor,
    login,
):
    generate(login(editor), format="docx")
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE, report.error
    with report.file.open("rb") as handle:
        document = DocxDocument(io.BytesIO(handle.read()))
    assert all("DRAFT" in section.header.paragraphs[0].text for section in document.sections)
    assert document.core_properties.title.startswith("DRAFT")


def test_the_reports_page_tells_an_editor_they_generate_drafts(editor, reviewer, viewer, login):
    page = login(editor).get("/qrv/reports/").content.decode()
    assert "As an editor you generate drafts" in page and "Generate draft" in page
    page = login(reviewer).get("/qrv/reports/").content.decode()
    assert "As an editor you generate drafts" not in page and ">Generate<" in page
    page = login(viewer).get("/qrv/reports/").content.decode()
    assert "Editors generate drafts, reviewers and administrators final versions" in page


def test_a_reviewer_marks_a_built_report_superseded_with_a_reason(
    fake_builds,
    year_of_evidence,
    generate,
    editor,
    reviewer,
    login,
):
    generate(login(reviewer))
    report = Report.objects.get()
    url = f"/qrv/reports/{report.pk}/supersede/"
    assert "Mark as superseded" in login(reviewer).get(report.get_absolute_url()).content.decode()
    assert "Mark as superseded" not in login(editor).get(report.get_absolute_url()).content.decode()
    assert login(editor).post(url, {"reason": "x"}).status_code == 403
    page = login(reviewer).get(url)
    assert page.status_code == 200 and "Mark this report as superseded?" in page.content.decode()
    refused = login(reviewer).post(url, {"reason": ""})
    assert refused.status_code == 400 and "Enter why the report is superseded" in refused.content.decode()
    assert (
        login(reviewer).post(url, {"reason": "Replaced by the version the board approved"}).status_code == 302
    )
    report.refresh_from_db()
    assert report.is_superseded and report.superseded_by == reviewer.user
    assert report.sha256 and report.status == ReportStatus.DONE  # the file is untouched
    detail = login(editor).get(report.get_absolute_url()).content.decode()
    assert "Superseded" in detail and "Replaced by the version the board approved" in detail
    assert "Superseded" in login(editor).get("/qrv/reports/").content.decode()
    with pytest.raises(ActionError, match="already marked superseded"):
        actions.supersede_report(report=report, reason="again", by=reviewer.user)


@pytest.mark.slow
def test_the_assurance_pack_says_whether_four_eyes_was_relaxed(
    year_of_evidence,
    generate,
    org_admin,
    reviewer,
    login,
):
    generate(login(reviewer), **PACK)
    assert "Four eyes applies" in " ".join(pages(Report.objects.get()))
    core_actions.set_four_eyes_relaxation(
        organisation=reviewer.organisation,
        reason="One governance lead until the March appointment",
        by=org_admin.user,
    )
    generate(login(reviewer), **PACK)
    text = " ".join(pages(Report.objects.order_by("-pk").first()))
    assert "Four eyes relaxed" in text
    assert "One governance lead until the March appointment" in text
    assert org_admin.user.get_full_name() in text
