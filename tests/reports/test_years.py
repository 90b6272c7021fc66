"""Years and organisation types: a CCG has no years after 30 June 2022, an ICB none before 1 July 2022,
2022/23 is split between them and each document says which part it covers; the report form offers
the years the organisation existed in, defaults to the latest with records and refuses an empty year."""

import datetime
import io

import pytest
from pypdf import PdfReader

from ccg_involvement.errors import ActionError
from ccg_involvement.models import OrganisationKind
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear, organisation_period
from duties import actions as duty_actions
from duties.models import Framework
from reports import actions, content
from reports.pdf import render_pdf
from tests.factories.core import OrganisationFactory
from tests.factories.engagements import activity_for

Y2022 = ReportingYear(2022)


@pytest.fixture
def ccg(db):
    return OrganisationFactory(
        name="NHS Lakeside CCG",
        ods_code="15L",
        kind=OrganisationKind.CCG,
        established_on=datetime.date(2013, 4, 1),
        closed_on=datetime.date(2022, 6, 30),
    )


def test_2022_23_is_split_between_the_ccg_and_the_icb(ccg, organisation):
    ccg_part = organisation_period(ccg, Y2022)
    icb_part = organisation_period(organisation, Y2022)
    assert (ccg_part.start, ccg_part.end) == (datetime.date(2022, 4, 1), datetime.date(2022, 6, 30))
    assert (icb_part.start, icb_part.end) == (datetime.date(2022, 7, 1), datetime.date(2023, 3, 31))
    assert organisation_period(ccg, ReportingYear(2023)) is None
    assert organisation_period(organisation, ReportingYear(2021)) is None
    assert organisation_period(ccg, ReportingYear(2021)).is_whole_year
    # the kind's dates hold even when the organisation's own dates are not filled in
    ccg.closed_on = None
    assert organisation_period(ccg, ReportingYear(2023)) is None


def test_no_checklist_or_report_outside_the_organisations_years(ccg, organisation, make_member):
    ccg_member = make_member(Role.REVIEWER, ccg)
    with pytest.raises(ActionError, match="did not exist in 2023/24"):
        duty_actions.start_checklist(
            organisation=ccg,
            framework=Framework.objects.get(code="PPP17", is_current=True),
            year=ReportingYear(2023),
            by=ccg_member.user,
        )
    icb_member = make_member(Role.REVIEWER, organisation)
    with pytest.raises(ActionError, match="did not exist in 2021/22"):
        actions.request_report(
            organisation=organisation,
            kind="annual_report",
            format="pdf",
            year=ReportingYear(2021),
            by=icb_member.user,
        )


def _text(organisation, year):
    document = content.annual_report_document(organisation, year)
    pdf, _ = render_pdf("reports/pdf/document.html", {"document": document, "organisation": organisation})
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.slow  # reads back a real PDF
def test_each_part_of_2022_23_says_what_it_covers(ccg, organisation):
    ccg_text = _text(ccg, Y2022)
    assert "This section covers 1 April 2022 to 30 June 2022." in ccg_text
    assert "our part of 2022/23 ended on 30 June 2022" in ccg_text
    icb_text = _text(organisation, Y2022)
    assert "This section covers 1 July 2022 to 31 March 2023." in icb_text
    assert "This section covers 1 April 2025 to 31 March 2026." in _text(organisation, ReportingYear(2025))


def test_the_form_offers_existing_years_defaults_to_the_latest_with_records_and_refuses_an_empty_one(
    organisation, reviewer, login
):
    activity_for(reviewer, title="Listening", start=datetime.date(2023, 9, 1), total_participants=20)
    activity_for(reviewer, title="Not yet", start=datetime.date(2024, 9, 1), status="planned")
    client = login(reviewer)
    page = client.get("/qrv/reports/").content.decode()
    assert '<option value="2023-24" selected>' in page
    assert 'value="2021-22"' not in page  # before the ICB existed
    assert "Years with records: 2023/24." in page
    response = client.post("/qrv/reports/", {"kind": "annual_report", "year": "2024-25", "format": "pdf"})
    assert response.status_code == 400
    assert "There is nothing recorded for 2024/25" in response.content.decode()
    assert "Choose a year with records: 2023/24" in response.content.decode()
