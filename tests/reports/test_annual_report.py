"""The annual-report section for the public, read back from the PDF and the Word file it is built as.

One content structure (``reports.content.annual_report_document``) feeds both; these tests read the
generated files' text and check what a published document must (and must not) say.
"""

import datetime
import io
import re

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.proposals.warnings import warnings_for
from reports import content
from reports.dashboard import figures
from reports.docx_builder import build_docx
from reports.models import AnnualStatement, InvolvementProfile
from reports.pdf import render_pdf
from tests.factories import proposals as pf
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group

pytestmark = pytest.mark.slow  # every test here reads back a real PDF or Word file

YEAR = ReportingYear(2025)
INTERNAL_CODE = re.compile(r"\b[A-Z]{2,}[0-9]*-[A-Z0-9]{1,6}\b")


@pytest.fixture
def year_of_evidence(editor, reviewer):
    checklist_for(editor, "WPPC22", YEAR)
    big = activity_for(
        editor,
        title="Community conversations on the plan",
        summary="We held conversations in libraries and markets.",
        start=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 2),
        total_participants=412,
        duties=[wppc(1)],
        duty_limb="planning",
        is_highlight=True,
        is_case_study=True,
        reach={group("INC-CARERS"): 25, group("INC-HOMELESS"): 3, group("INC-GRT"): 0},
    )
    for _ in range(2):  # the same "you said, we did" twice is printed once
        actions.add_outcome(
            activity=big,
            by=editor.user,
            what_we_heard="Evening sessions please",
            what_we_did="Added two evening sessions",
            status="done",
            decision_influenced="Board decision on the plan",
            reported_back_on=datetime.date(2025, 6, 1),
        )
    activity_for(editor, title="Small focus group", start=datetime.date(2025, 9, 1), total_participants=3)
    activity_for(
        editor,
        title="Planned roadshow",
        start=datetime.date(2026, 2, 1),
        status="planned",
        total_participants=900,
    )
    activity_for(
        editor,
        title="Roadshow under way",
        start=datetime.date(2026, 1, 5),
        status="under_way",
        total_participants=77,
    )
    proposal = pf.proposal_for(
        reviewer, title="Close the walk-in centre", expected_decision_date=datetime.date(2025, 7, 1)
    )
    proposal = pf.screen(proposal, reviewer, 2, **pf.STEP_2_APPLIES)
    proposal = pf.consultation(proposal, reviewer, opens=datetime.date(2025, 6, 2), weeks=6)
    proposal = pf.screen(
        proposal,
        reviewer,
        8,
        decided_by="Board",
        decision_date=datetime.date(2025, 7, 1),
        decision="Close on weekdays only",
        involvement_influence="Weekend opening kept after the consultation",
    )
    return proposal


def _pdf_text(organisation, year=YEAR) -> str:
    document = content.annual_report_document(organisation, year)
    pdf, _ = render_pdf("reports/pdf/document.html", {"document": document, "organisation": organisation})
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _word(organisation, year=YEAR):
    return WordDocument(io.BytesIO(build_docx(content.annual_report_document(organisation, year))))


def _word_text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    parts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


def test_the_pdf_is_written_for_the_public(year_of_evidence, organisation):
    text = _pdf_text(organisation)
    body, _appendix = text.rsplit("Appendix: activities in 2025/26", 1)
    # no screening warning, verdict, internal code outside the appendix, or "None"
    warnings = [message for _, message in warnings_for(year_of_evidence)]
    assert warnings, "the fixture's proposal should raise warnings"
    for message in warnings:
        assert message[:60] not in text
    assert "Warnings" not in text and "Our assessment" not in text
    assert not INTERNAL_CODE.findall(body), INTERNAL_CODE.findall(body)
    assert "None" not in text.split() and "None" not in text
    # first person plural, the public wording of the service change
    assert "We completed 2 involvement activities in 2025/26" in text
    assert "Weekend opening kept after the consultation" in text and "Close on weekdays only" in text
    # the case study with what people said, what changed and the decision it informed
    assert "How people's views made a difference" in text
    assert "What people told us: Evening sessions please" in text
    assert "The decision it informed: Board decision on the plan" in text
    assert text.count("Added two evening sessions") == 2  # the case study and one you-said-we-did row
    # reach: recorded 0 apart from "no record"
    assert "Groups we recorded as not reached Gypsy, Roma and Traveller communities" in text
    assert "Groups we have no record of reaching" in text


def test_nothing_that_has_not_happened_is_counted_or_listed(year_of_evidence, organisation):
    text = _pdf_text(organisation)
    assert "Planned roadshow" not in text and "Roadshow under way" not in text
    assert "900" not in text and "77" not in text
    assert "412 people took part" in text  # 412 + 3, the 3 shown only inside the total


def test_figures_equal_the_dashboards(year_of_evidence, organisation):
    totals = figures.year_totals(organisation, YEAR)
    loop = figures.loop_closure(organisation, YEAR)
    text = _pdf_text(organisation)
    assert f"We completed {totals.activities} involvement activities" in text
    assert f"{totals.participants.display} people took part" in text
    assert f"({loop.reported_back} of {loop.completed})" in text
    assert totals.participants.display == "415"


def test_word_and_pdf_have_the_same_headings_and_figures(year_of_evidence, organisation):
    document = content.annual_report_document(organisation, YEAR)
    pdf_text = _pdf_text(organisation)
    word = _word(organisation)
    word_text = _word_text(word)
    word_headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert word_headings == document.headings()[1:]  # the title is Word's Title style
    for heading in document.headings():
        assert heading in pdf_text
    for block in document.blocks:
        if block.kind == "paragraph":
            assert block.text in word_text
    for block in document.blocks:
        cells = block.table.rows if block.kind == "chart" else getattr(block, "rows", [])
        for row in cells:
            for cell in row:
                assert cell in word_text and cell in pdf_text, cell


def test_the_word_file_is_a4_en_gb_with_page_numbers_captions_and_repeating_headers(
    year_of_evidence, organisation
):
    word = _word(organisation)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert word.core_properties.language == "en-GB"
    assert 'w:val="en-GB"' in word.styles.element.xml
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(word.tables) and captions[0].startswith("Table 1")
    assert all("w:tblHeader" in t.rows[0]._tr.xml for t in word.tables)


# ------------------------------------------------------------------ the profile and the statement
def test_admins_edit_the_involvement_profile_with_history(organisation, org_admin, reviewer, login):
    values = {
        "lead_name": "Dr Asha Patel",
        "lead_role": "non-executive member for people and communities",
        "committee": "People and Communities Committee",
        "committee_remit": "It meets in public every quarter.",
        "patient_seats": "2",
        "healthwatch_seats": "1",
        "vcse_seats": "",
        "how_to_get_involved": "Join our people's panel at example.nhs.uk/panel.",
        "next_year_priorities": "Reach more young carers\n- Publish every you said, we did",
        "joint_forward_plan": "",
        "health_and_wellbeing_boards": "",
        "version": "",
    }
    assert login(reviewer).post("/qrv/reports/profile/", values).status_code == 403
    assert login(reviewer).get("/qrv/reports/profile/").status_code == 200
    response = login(org_admin).post("/qrv/reports/profile/", values)
    assert response.status_code == 302
    profile = InvolvementProfile.objects.get(organisation=organisation)
    assert profile.lead_name == "Dr Asha Patel" and profile.vcse_seats is None
    stale = login(org_admin).post("/qrv/reports/profile/", {**values, "lead_name": "Someone", "version": "0"})
    assert stale.status_code == 409
    page = login(org_admin).get("/qrv/reports/profile/").content.decode()
    assert "Profile updated" in page  # the history
    text = _pdf_text(organisation)
    assert "Dr Asha Patel, non-executive member for people and communities, leads our work" in text
    assert "2 for patients or members of the public and 1 for Healthwatch" in text
    assert "How to get involved Join our people's panel" in text
    assert "Our priorities for 2026/27" in text
    assert "Reach more young carers" in text and "Publish every you said, we did" in text


def test_the_statement_is_drafted_from_the_data_and_edited_before_building(
    year_of_evidence, organisation, editor, reviewer, login
):
    page = login(editor).get("/qrv/reports/statement/2025-26/").content.decode()
    assert "In 2025/26 we involved patients, carers, local people and communities" in page
    assert "This is a draft written from the year" in page
    assert login(editor).post("/qrv/reports/statement/2025-26/", {"text": "x"}).status_code == 403
    response = login(reviewer).post(
        "/qrv/reports/statement/2025-26/",
        {"text": "We listened.\n\nWe acted on what we heard.", "version": ""},
    )
    assert response.status_code == 302
    assert AnnualStatement.objects.get().text.startswith("We listened.")
    text = _pdf_text(organisation)
    assert "Our statement We listened. We acted on what we heard." in text
    refused = login(reviewer).post("/qrv/reports/statement/2025-26/", {"text": "  ", "version": "1"})
    assert refused.status_code == 400


def test_a_year_without_activities_says_so_and_prints_no_none(organisation, make_member):
    make_member(Role.EDITOR)
    text = _pdf_text(organisation, ReportingYear(2024))
    assert "We have no completed involvement activities recorded for 2024/25" in text
    assert "None" not in text


def test_the_activity_table_writes_dates_in_nhs_style(year_of_evidence, organisation):
    document = content.annual_report_document(organisation, YEAR)
    table = next(b for b in document.blocks if b.kind == "table" and b.headers[0] == "Dates")
    dates = [row[0] for row in table.rows]
    assert dates and all(
        re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}( to \d{1,2} [A-Z][a-z]+ \d{4})?", d) for d in dates
    )
    assert not any("/" in d for d in dates)


def _texts(document) -> str:
    return " ".join(getattr(b, "text", "") or "" for b in document.blocks)


def test_an_icb_keeping_the_each_patient_checklist_says_so_without_an_unverified_section(
    editor, organisation
):
    assert organisation.kind == "ICB"
    checklist_for(editor, "WPPC22", YEAR)
    assert content.INDIVIDUAL_INVOLVEMENT_ICB not in _texts(
        content.annual_report_document(organisation, YEAR)
    )
    checklist_for(editor, "IPO-ICB", YEAR)
    text = _texts(content.annual_report_document(organisation, YEAR))
    assert content.INDIVIDUAL_INVOLVEMENT_ICB in text
    assert "14Z36" not in text.split("Where each item comes from")[0]  # the section number is unverified
