"""The dashboard and generated documents in headless Chromium: a year of evidence on the dashboard,
the htmx year switch, the annual report as PDF and Word, and what a viewer may do."""

import datetime
import hashlib
import re

import pytest
from docx import Document as WordDocument
from playwright.sync_api import expect

from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import Duty, Verdict
from engagements import actions
from tests.factories.duties import checklist_for
from tests.factories.engagements import activity_for, group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

YEAR = ReportingYear(2025)
DASHBOARD_HEADINGS = [
    "Checklist position 2025/26",
    "Coverage of the duties",
    "Gaps",
    "Equality reach",
    "Closing the loop",
]
ANNUAL_REPORT = "Annual report section: involving people and communities"


def wppc(number):
    return Duty.objects.get(framework__code="WPPC22", framework__is_current=True, number=number)


@pytest.fixture
def year_of_evidence(editor, reviewer):
    """WPPC22 for 2025-26 with principles 1 and 2 met and reviewed, two activities, one outcome."""
    checklist = checklist_for(editor, "WPPC22", YEAR)
    items = {i.duty.number: i for i in checklist.items.select_related("duty")}
    for number, narrative in (
        (1, "Two public members sit on the board and chair the people and communities committee."),
        (2, "Engagement on the urgent care plan began before any options were drawn up."),
    ):
        item = duty_actions.update_item(
            item=items[number],
            expected_version=items[number].version,
            by=editor.user,
            verdict=Verdict.MET,
            narrative=narrative,
            owner=editor.user,
        )
        duty_actions.review_item(item=item, comment="Minutes checked", by=reviewer.user)
    conversations = activity_for(
        editor,
        title="Community conversations on the plan",
        start=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 2),
        total_participants=412,
        duties=[wppc(1), wppc(2)],
        reach={group("INC-CARERS"): 25, group("PC-AGE"): 60, group("INC-HOMELESS"): 0},
    )
    actions.add_outcome(
        activity=conversations,
        by=editor.user,
        what_we_heard="Evening sessions please",
        what_we_did="Added two evening sessions",
        status="done",
        reported_back_on=datetime.date(2025, 6, 1),
    )
    activity_for(
        editor,
        title="Focus group with young carers",
        start=datetime.date(2025, 9, 10),
        total_participants=18,
        duties=[wppc(2)],
        reach={group("INC-CARERS"): 18, group("PC-AGE"): 18},
    )
    return checklist


def test_reviewer_reads_the_dashboard_and_switches_year(
    live_server, page, reviewer, year_of_evidence, log_in, axe_check, screenshot
):
    base = live_server.url
    blocking = {}
    log_in(page, reviewer.user.username)
    page.goto(base + "/qrv/?year=2025-26")
    body = page.locator("#dashboard-body")
    for heading in DASHBOARD_HEADINGS:
        expect(body.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    position = page.locator("#checklist-position")
    expect(position).to_contain_text("Partnership with people (s14Z45)")
    expect(position).to_contain_text("20%")  # 2 of 10 principles met
    expect(position).to_contain_text("2 of 10 reviewed")
    expect(page.locator("#activity-totals")).to_contain_text("2 in 2025/26")
    expect(page.locator("#loop-closure")).to_contain_text("50% of completed activities (1 of 2)")

    charts = body.locator("svg.app-chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 6, (
        f"expected the quarter, participant, method, partner and reach charts, got {charts.count()}"
    )
    expect(body.get_by_role("img", name=re.compile(r"^Activities per quarter, 2025.26"))).to_be_visible()
    expect(body.get_by_role("img", name=re.compile(r"^People reached: .*, 2025.26")).first).to_be_visible()
    # a chart with data draws bars, not the "nothing recorded" placeholder
    quarters = body.get_by_role("img", name=re.compile(r"^Activities per quarter"))
    expect(quarters.locator("rect").first).to_be_attached()
    expect(quarters).not_to_contain_text("Nothing recorded")
    blocking["dashboard"] = axe_check(page, "dashboard")
    screenshot("01-dashboard-2025-26")

    # ---- the year select swaps the body through htmx, on "Show" only (not on every keypress)
    page.evaluate("() => { window.__sameDocument = true; }")  # lost on any full page load
    page.get_by_role("combobox", name="Reporting year").select_option("2024-25")
    page.wait_for_timeout(300)
    expect(body.get_by_role("heading", name="Checklist position 2025/26", exact=True)).to_be_visible()
    with page.expect_response(lambda r: "year=2024-25" in r.url) as swapped:
        page.get_by_role("button", name="Show").click()
    assert swapped.value.status == 200
    assert swapped.value.request.headers.get("hx-request") == "true"
    expect(body.get_by_role("heading", name="Checklist position 2024/25", exact=True)).to_be_visible()
    expect(page.locator("#activity-totals")).to_contain_text("0 in 2024/25 (0 in 2023/24)")
    expect(page.locator("#checklist-position")).to_have_count(0)
    expect(body).to_contain_text("No checklist this year")
    # The pushed URL is bookmarkable: the year the server reads (the last ``year``) is the one chosen.
    # APP BUG: it is not clean (see test_year_switch_pushes_one_year_into_the_url below).
    expect(page).to_have_url(re.compile(r"/qrv/\?(.*&)?year=2024-25$"))
    assert page.evaluate("() => window.__sameDocument === true"), "the year change reloaded the page"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # a fragment, not a page in a page
    expect(page.locator("#dashboard-body")).to_have_count(1)
    screenshot("02-dashboard-2024-25")

    expect(page).to_have_title(re.compile(r"^Dashboard 2024/25 – "))  # the title follows the year shown
    page.get_by_role("combobox", name="Reporting year").select_option("2025-26")
    page.get_by_role("button", name="Show").click()
    expect(body.get_by_role("heading", name="Checklist position 2025/26", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Dashboard 2025/26 – "))
    expect(page).to_have_url(re.compile(r"year=2025-26$"))
    expect(page.locator("#activity-totals")).to_contain_text("2 in 2025/26")
    assert page.evaluate("() => window.__sameDocument === true"), "the year change reloaded the page"

    # ---- the assurance overview
    page.goto(base + "/assurance/?year=2025-26")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assurance overview 2025/26")
    overview = page.locator("#overview")
    expect(overview.get_by_role("link", name="NHS Riverside Integrated Care Board")).to_be_visible()
    expect(overview).to_contain_text("20%")
    blocking["assurance overview"] = axe_check(page, "assurance-overview")
    screenshot("03-assurance-overview")

    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in blocking.items() if bad)
    assert not report, "serious or critical axe violations\n" + report


def test_year_switch_pushes_one_year_into_the_url(live_server, page, reviewer, log_in):
    log_in(page, reviewer.user.username)
    page.goto(live_server.url + "/qrv/?year=2025-26")
    page.get_by_role("combobox", name="Reporting year").select_option("2024-25")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Checklist position 2024/25", exact=True)).to_be_visible()
    assert page.url == live_server.url + "/qrv/?year=2024-25"


def _generate(page, base, format_label):
    page.goto(base + "/qrv/reports/")
    form = page.locator("main form[method=post]")
    form.get_by_label(ANNUAL_REPORT, exact=True).check()
    form.get_by_role("combobox", name="Reporting year").select_option(label="2025/26")
    form.get_by_label(format_label, exact=True).check()
    form.get_by_role("button", name="Generate").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/qrv/reports/\d+/$"))


def _status_value(page, key):
    row = page.locator("#report-status .nhsuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
    )
    return row.locator("dd")


def test_reviewer_generates_the_annual_report_and_a_viewer_downloads_it(
    live_server, page, reviewer, viewer, year_of_evidence, log_in, axe_check, screenshot, tmp_path
):
    base = live_server.url
    blocking = {}
    log_in(page, reviewer.user.username)
    page.goto(base + "/qrv/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_role("heading", name="Generate a document")).to_be_visible()
    expect(page.get_by_role("combobox", name="Reporting year")).to_have_value("2025-26")
    blocking["reports page (reviewer, empty)"] = axe_check(page, "reports-empty")
    screenshot("01-reports-empty")

    # ---- the PDF
    _generate(page, base, "PDF")
    pdf_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ANNUAL_REPORT} 2025/26")
    expect(_status_value(page, "Status")).to_have_text("Ready")
    sha = _status_value(page, "SHA-256")
    expect(sha).to_have_text(re.compile(r"^\s*[0-9a-f]{64}\s*$"))
    file_link = _status_value(page, "File").get_by_role("link")
    expect(file_link).to_have_text(re.compile(r"\.pdf$"))
    expect(page.locator("#report-status")).not_to_have_attribute("data-hx-trigger", re.compile("every"))
    blocking["report detail (PDF)"] = axe_check(page, "report-detail-pdf")
    screenshot("02-report-pdf-ready")
    with page.expect_download() as download:
        file_link.click()
    pdf_path = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf_path)
    assert pdf_path.suffix == ".pdf"
    pdf_bytes = pdf_path.read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    assert len(pdf_bytes) > 5 * 1024, len(pdf_bytes)
    assert hashlib.sha256(pdf_bytes).hexdigest() == sha.inner_text().strip()

    # ---- the Word document
    _generate(page, base, "Word (.docx)")
    expect(page.locator(".nhsuk-caption-l")).to_contain_text("Word (.docx)")
    expect(_status_value(page, "Status")).to_have_text("Ready")
    file_link = _status_value(page, "File").get_by_role("link")
    expect(file_link).to_have_text(re.compile(r"\.docx$"))
    screenshot("03-report-docx-ready")
    with page.expect_download() as download:
        file_link.click()
    docx_path = tmp_path / download.value.suggested_filename
    download.value.save_as(docx_path)
    assert docx_path.suffix == ".docx"
    paragraphs = [p.text for p in WordDocument(str(docx_path)).paragraphs]
    assert paragraphs[:2] == ["Annual report 2025/26", "Involving people and communities"], paragraphs[:10]

    # ---- both on the list
    page.get_by_role("link", name="All reports").click()
    table = page.get_by_role("table", name="Generated documents")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("2025/26 (PDF)")
    expect(table).to_contain_text("2025/26 (Word (.docx))")
    blocking["reports page (reviewer)"] = axe_check(page, "reports-reviewer")
    screenshot("04-reports-list")

    # ---- a viewer: no generate form, but can download
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out").click()
    log_in(page, viewer.user.username)
    page.goto(base + "/qrv/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_role("heading", name="Generate a document")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        "Editors generate drafts, reviewers and administrators final versions"
    )
    blocking["reports page (viewer)"] = axe_check(page, "reports-viewer")
    screenshot("05-reports-viewer")
    pdf_row = page.get_by_role("row").filter(has_text="(PDF)")
    with page.expect_download() as download:
        pdf_row.get_by_role("link", name=re.compile(r"^Download")).click()
    viewer_copy = tmp_path / "viewer" / download.value.suggested_filename
    download.value.save_as(viewer_copy)
    assert viewer_copy.read_bytes() == pdf_bytes

    page.goto(pdf_url)
    expect(_status_value(page, "Status")).to_have_text("Ready")
    blocking["report detail (viewer)"] = axe_check(page, "report-detail-viewer")

    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in blocking.items() if bad)
    assert not report, "serious or critical axe violations\n" + report


def test_the_dashboard_shows_a_change_made_a_moment_ago(
    live_server, page, editor, year_of_evidence, log_in, screenshot
):
    """The figures are cached between changes; a verdict saved in the browser shows at once."""
    base = live_server.url
    log_in(page, editor.user.username)
    page.goto(base + "/qrv/?year=2025-26")
    expect(page.locator("#checklist-position")).to_contain_text("20%")
    page.reload()  # served from the cache this time
    expect(page.locator("#checklist-position")).to_contain_text("20%")

    page.goto(base + year_of_evidence.get_absolute_url() + "wppc-p03/")
    page.get_by_label("Met", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved WPPC-P03.")

    page.goto(base + "/qrv/?year=2025-26")
    expect(page.locator("#checklist-position")).to_contain_text("30%")  # 3 of 10 met
    screenshot("dashboard-after-a-change")
