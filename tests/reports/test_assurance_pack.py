"""The assurance pack a committee would accept: a cover with the reviewer's recommendation and
assurance level, frameworks in statutory order, "Met" without evidence flagged, the year's service
changes with their open warnings, and sign-off by the committee's meeting date."""

import datetime
import io

import pytest
from pypdf import PdfReader

from ccg_involvement.models import OrganisationKind
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import Framework, Verdict
from reports import assurance_pack
from reports.pdf import render_pdf
from tests.factories import proposals as pf
from tests.factories.core import OrganisationFactory
from tests.factories.duties import checklist_for

YEAR = ReportingYear(2025)


def _text(organisation, year=YEAR, **cover):
    data = assurance_pack.assurance_pack(organisation, year, generated_by=None, cover=cover)
    pdf, _ = render_pdf("reports/pdf/assurance_pack.html", data)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.slow  # reads back a real PDF
def test_cover_met_without_evidence_service_changes_and_meeting_date(organisation, editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    item = checklist.items.get(duty__number=3)
    duty_actions.update_item(item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET)
    proposal = pf.proposal_for(
        reviewer, title="Close the walk-in centre", expected_decision_date=datetime.date(2025, 7, 1)
    )
    proposal = pf.screen(proposal, reviewer, 2, **pf.STEP_2_APPLIES)
    proposal = pf.consultation(proposal, reviewer, opens=datetime.date(2025, 6, 2), weeks=6)
    text = _text(
        organisation,
        assurance_level="limited",
        rationale="Two duties lack evidence.",
        recommendation="To note the gaps and approve the action plan.",
        author="Sam Jones, Head of Engagement",
        sponsor="Director of Strategy",
    )
    assert "Recommendation To note the gaps and approve the action plan." in text
    assert "Overall assurance level Limited assurance Two duties lack evidence." in text
    assert "Author Sam Jones, Head of Engagement" in text and "Executive sponsor Director of Strategy" in text
    assert "Met without evidence (1)" in text
    assert "Close the walk-in centre" in text and "shorter than" in text  # its open warning
    assert "None" not in text.split() and "revision" not in text


def test_frameworks_in_statutory_order(db, make_member):
    ccg = OrganisationFactory(
        name="NHS Lakeside CCG",
        ods_code="15L",
        kind=OrganisationKind.CCG,
        established_on=datetime.date(2013, 4, 1),
        closed_on=datetime.date(2022, 6, 30),
    )
    member = make_member(Role.REVIEWER, ccg)
    year = ReportingYear(2019)  # a year all three apply in (the IAF indicator: 2017/18 to 2019/20)
    for code in ("IAF-ENG", "IPO17", "PPP17"):
        if Framework.objects.filter(code=code, is_current=True).exists():
            duty_actions.start_checklist(
                organisation=ccg,
                framework=Framework.objects.get(code=code, is_current=True),
                year=year,
                by=member.user,
            )
    data = assurance_pack.assurance_pack(ccg, year, generated_by=None)
    codes = [c.framework.code for c in data["checklists"]]
    assert codes[0] == "PPP17" and codes.index("IPO17") < codes.index("IAF-ENG")


def test_the_form_asks_the_reviewer_for_the_level_and_its_reason(organisation, reviewer, login):
    checklist_for(reviewer, "WPPC22", YEAR)
    response = login(reviewer).post(
        "/qrv/reports/", {"kind": "assurance_pack", "year": "2025-26", "format": "pdf"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the overall assurance level for the assurance pack" in page
    assert "Give the reason for the assurance level" in page
