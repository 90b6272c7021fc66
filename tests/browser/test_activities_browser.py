"""The engagement log in headless Chromium: log an activity, add an outcome and a document, import a
spreadsheet through its preview, and filter the list with htmx."""

import csv
import datetime
import io
import re

import pytest
from playwright.sync_api import expect

from engagements import selectors, spreadsheets
from engagements.models import Activity, ActivityStatus, Method
from tests.factories.engagements import activity_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

WPPC = "Partnership with people (s14Z45)"
DUTY_1 = "Give people's voices a central place in decisions and governance"
DUTY_4 = "Build relationships with excluded groups"
TITLE = "Carers' listening event at the library"
HEARD = "Evening sessions, please: carers cannot come in the day."
DID = "Two evening sessions added to the autumn programme."


def minimal_pdf() -> bytes:
    """A small but valid PDF 1.4: one empty A4 page, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _date(scope, name, day, month, year):
    scope.locator(f"#id_{name}_0").fill(day)
    scope.locator(f"#id_{name}_1").fill(month)
    scope.locator(f"#id_{name}_2").fill(year)


def test_editor_logs_an_activity_with_an_outcome_and_a_document(
    live_server, page, editor, log_in, axe_check, screenshot, tmp_path
):
    base = live_server.url
    pdf = tmp_path / "listening-event-notes.pdf"
    pdf_bytes = minimal_pdf()
    pdf.write_bytes(pdf_bytes)
    blocking = {}

    log_in(page, editor.user.username)
    page.goto(base + "/qrv/activities/")
    page.get_by_role("link", name="Log an activity").click()
    expect(page).to_have_url(base + "/qrv/activities/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What and when")
    blocking["activity step 1"] = axe_check(page, "activity-step-1")
    screenshot("01-step-1-empty")

    # ---- step 1: what and when (saving it logs the activity)
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary").fill("An afternoon at the central library with unpaid carers.")
    _date(page, "start_date", "14", "10", "2025")
    page.get_by_label("Completed", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    # ---- step 2: who took part
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/qrv/activities/\d+/steps/2/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Logged “{TITLE}”")
    page.get_by_label("Focus group", exact=True).check()
    page.get_by_label("Local Healthwatch", exact=True).check()
    page.get_by_label("Total participants").fill("23")
    page.get_by_label("Carers", exact=True).fill("17")
    page.get_by_label("People experiencing homelessness", exact=True).fill("0")
    blocking["activity step 2"] = axe_check(page, "activity-step-2")
    screenshot("02-step-2-filled")
    page.get_by_role("button", name="Save and continue").click()

    # ---- step 3: duties and outcomes
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/qrv/activities/\d+/steps/3/$"))
    duties = page.get_by_role("group", name="Duties this activity evidences")
    duties.get_by_label(f"{WPPC} – 1. {DUTY_1}", exact=True).check()
    duties.get_by_label(f"{WPPC} – 4. {DUTY_4}", exact=True).check()
    page.get_by_role("button", name="Save and check your answers").click()

    # ---- check your answers, then the activity page
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/qrv/activities/\d+/steps/$"))
    expect(page.locator(".app-step-card .nhsuk-tag")).to_have_text(["Answered", "Answered", "Answered"])
    blocking["check your answers"] = axe_check(page, "activity-steps")
    page.get_by_role("link", name="Go to the activity").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/qrv/activities/\d+/$"))
    detail_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("14 October 2025")
    expect(page.locator("main")).to_contain_text("Total participants: 23")
    reach = page.get_by_role("table", name=re.compile("People reached by group"))
    expect(reach.get_by_role("row", name=re.compile("^Carers"))).to_contain_text("17")
    expect(reach.get_by_role("row", name=re.compile("^People experiencing homelessness"))).to_contain_text(
        "0"
    )
    screenshot("03-detail-saved")

    # ---- an outcome, on its own page
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("You said (what we heard)").fill(HEARD)
    page.get_by_label("We did (or will do)").fill(DID)
    page.get_by_label("Done", exact=True).check()
    _date(page, "reported_back_on", "4", "11", "2025")
    screenshot("04-outcome-filled")
    page.get_by_role("button", name="Add outcome").click()
    expect(page).to_have_url(detail_url + "#outcomes")
    expect(page.get_by_role("status")).to_contain_text("Outcome added.")
    card = page.locator(".nhsuk-card").filter(has_text=HEARD)
    expect(card).to_contain_text(DID)
    expect(card.locator(".nhsuk-tag")).to_have_text("Done")
    expect(card).to_contain_text("Reported back 4 November 2025")
    screenshot("05-outcome-added")

    # ---- a document
    upload = page.locator("form[action$='/documents/']")
    upload.get_by_label("Evidence file").set_input_files(str(pdf))
    upload.get_by_label("Title").fill("Notes of the listening event")
    upload.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(detail_url + "#documents")
    expect(page.get_by_role("status")).to_contain_text("Attached “Notes of the listening event”.")
    document_link = page.get_by_role("link", name="Notes of the listening event", exact=True)
    expect(document_link).to_be_visible()
    expect(document_link).to_have_attribute("download", "")
    expect(page.locator("main")).to_contain_text("listening-event-notes.pdf")

    # ---- everything on the detail page
    duty_panel = page.locator("#duties").locator("xpath=..")
    expect(duty_panel).to_contain_text(f"{WPPC} 1. {DUTY_1}")
    expect(duty_panel).to_contain_text(f"{WPPC} 4. {DUTY_4}")
    expect(page.locator(".nhsuk-card").filter(has_text=HEARD)).to_be_visible()
    blocking["activity detail"] = axe_check(page, "activity-detail")
    screenshot("06-detail-complete")

    # ---- the document downloads as the uploaded bytes
    with page.expect_download() as download:
        document_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes() == pdf_bytes

    # ---- the activity list
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Activities").click()
    expect(page).to_have_url(base + "/qrv/activities/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("14 October 2025")
    expect(row).to_contain_text("Completed")
    expect(row).to_contain_text("Focus group · with Local Healthwatch")
    blocking["activity list"] = axe_check(page, "activity-list")
    screenshot("07-list")

    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in blocking.items() if bad)
    assert not report, "serious or critical axe violations\n" + report

    # ---- what was stored (the browser is idle now)
    activity = Activity.objects.get(organisation=editor.organisation)
    assert activity.status == ActivityStatus.COMPLETED
    assert activity.start_date == datetime.date(2025, 10, 14)
    assert sorted(activity.duties.values_list("code", flat=True)) == ["WPPC-P01", "WPPC-P04"]
    assert {r.group.code: r.count for r in activity.reach.select_related("group")} == {
        "INC-CARERS": 17,
        "INC-HOMELESS": 0,
    }


# Headings exactly as engagements/spreadsheets/columns.py names them.
IMPORT_HEADINGS = [
    "Title",
    "Start date",
    "End date",
    "Status",
    "Methods",
    "Partners",
    "Duties evidenced",
    "Total participants",
    "Reached: Carers",
]
GOOD_ROW = [
    "Drop-in at the carers' centre",
    "03/06/2025",
    "",
    "Completed",
    "Focus group",
    "Local Healthwatch",
    "WPPC-P01",
    "14",
    "9",
]
SECOND_ROW = [
    "Online survey on the eye clinic",
    "01/07/2025",
    "31/08/2025",
    "Completed",
    "Survey or questionnaire",
    "Voluntary, community and social enterprise organisations",
    "WPPC-P02; WPPC-P04",
    "230",
    "12",
]


def _csv(rows):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([IMPORT_HEADINGS, *rows])
    return out.getvalue().encode("utf-8")


def test_editor_imports_a_spreadsheet_after_correcting_a_row(
    live_server, page, editor, log_in, axe_check, screenshot, tmp_path
):
    headings = {c.heading for c in spreadsheets.columns(selectors.audience_groups())}
    assert set(IMPORT_HEADINGS) <= headings, set(IMPORT_HEADINGS) - headings
    base = live_server.url
    bad_row = [*SECOND_ROW]
    bad_row[IMPORT_HEADINGS.index("Methods")] = "Carrier pigeon"
    bad_row[IMPORT_HEADINGS.index("End date")] = "01/06/2025"  # before the start date
    first = tmp_path / "first-try" / "activities.csv"
    first.parent.mkdir()
    first.write_bytes(_csv([GOOD_ROW, bad_row]))
    corrected = tmp_path / "corrected" / "activities.csv"
    corrected.parent.mkdir()
    corrected.write_bytes(_csv([GOOD_ROW, SECOND_ROW]))
    blocking = {}

    log_in(page, editor.user.username)
    page.goto(base + "/qrv/activities/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page).to_have_url(base + "/qrv/activities/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import activities from a spreadsheet")
    blocking["import upload"] = axe_check(page, "import-upload")

    # ---- a file with an error: the preview shows it against the row and the column
    page.get_by_label("Upload a spreadsheet").set_input_files(str(first))
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_url(re.compile(r"/qrv/activities/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the activities before you import them")
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 rows: 2 new, 0 updates; 1 with errors")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("1 row of 2 needs correcting")
    expect(
        summary.get_by_role("link", name=re.compile("^Row 3, Methods: Unknown method “Carrier pigeon”"))
    ).to_be_visible()
    expect(
        summary.get_by_role("link", name=re.compile("^Row 3, End date: The end date must be"))
    ).to_be_visible()
    # two errors, the errors download, "upload it again", and the values page for “Carrier pigeon”
    expect(summary.get_by_role("link")).to_have_count(5)
    expect(summary.get_by_role("link", name="given their meaning here")).to_have_attribute(
        "href", re.compile(r"/qrv/activities/import/\d+/values/$")
    )
    expect(summary.get_by_test_id("download-errors")).to_have_attribute("href", "?errors=xlsx")

    table = page.get_by_role("table", name="Rows of activities.csv")
    header = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    methods_col = header.index("Methods")
    end_col = header.index("End date")
    good = table.locator("#row-2")
    bad = table.locator("#row-3")
    expect(good.locator("td, th").nth(1)).to_contain_text("Ready")
    expect(good.locator(".nhsuk-error-message")).to_have_count(0)
    expect(bad.locator("td, th").nth(1)).to_contain_text("Error")
    methods_cell = bad.locator("td, th").nth(methods_col)
    expect(methods_cell.locator(".nhsuk-error-message")).to_contain_text("Unknown method “Carrier pigeon”")
    expect(methods_cell).to_contain_text("Carrier pigeon")
    expect(bad.locator("td, th").nth(end_col).locator(".nhsuk-error-message")).to_contain_text(
        "The end date must be the same as or after the start date."
    )
    expect(bad.locator(".nhsuk-error-message")).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile("Import|Commit"))).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    blocking["import preview with errors"] = axe_check(page, "import-preview-errors")
    screenshot("01-preview-with-errors")

    # ---- back, and the corrected file
    page.get_by_role("link", name="Upload a different file").click()
    expect(page).to_have_url(base + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(corrected))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 rows: 2 new, 0 updates; 0 with errors")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    expect(page.locator("main .nhsuk-error-message")).to_have_count(0)
    expect(page.locator("tbody .nhsuk-tag--green")).to_have_count(2)
    blocking["import preview ready"] = axe_check(page, "import-preview-ready")
    screenshot("02-preview-ready")
    page.get_by_role("button", name="Import 2 activities").click()

    # ---- the log has both
    expect(page).to_have_url(base + "/qrv/activities/")
    expect(page.get_by_role("status")).to_contain_text("Imported 2 activities from “activities.csv”.")
    results = page.locator("#results")
    expect(results).to_contain_text("2 activities.")
    expect(results.get_by_role("link", name=GOOD_ROW[0], exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=SECOND_ROW[0], exact=True)).to_be_visible()
    survey = page.get_by_role("row").filter(has=page.get_by_role("link", name=SECOND_ROW[0]))
    expect(survey).to_contain_text("1 July 2025 to 31 August 2025")
    expect(survey).to_contain_text("230")
    screenshot("03-imported")

    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in blocking.items() if bad)
    assert not report, "serious or critical axe violations\n" + report

    imported = Activity.objects.get(organisation=editor.organisation, title=SECOND_ROW[0])
    assert sorted(imported.duties.values_list("code", flat=True)) == ["WPPC-P02", "WPPC-P04"]
    assert imported.reach.get().count == 12


@pytest.fixture
def three_activities(editor):
    activity_for(editor, title="Completed roadshow", start=datetime.date(2025, 6, 1))
    activity_for(editor, title="Planned citizens' panel", start=datetime.date(2025, 9, 1), status="planned")
    activity_for(
        editor,
        title="Survey under way",
        start=datetime.date(2025, 7, 1),
        status="under_way",
        methods=[Method.objects.get(code="METHOD-SURVEY")],
    )


def test_filtering_the_list_swaps_the_results_with_htmx(
    live_server, page, editor, three_activities, log_in, screenshot
):
    base = live_server.url
    log_in(page, editor.user.username)
    page.goto(base + "/qrv/activities/")
    results = page.locator("#results")
    expect(results).to_contain_text("3 activities.")
    page.evaluate("() => { window.__sameDocument = true; }")  # lost on any full page load

    with page.expect_response(
        lambda r: "/qrv/activities/?" in r.url and "status=planned" in r.url
    ) as swapped:
        page.get_by_label("Status", exact=True).select_option(label="Planned")
    assert swapped.value.status == 200
    assert swapped.value.request.headers.get("hx-request") == "true"
    expect(results).to_contain_text("1 activity matches the filters.")
    expect(results.get_by_role("link", name="Planned citizens' panel")).to_be_visible()
    expect(results.get_by_role("link", name="Completed roadshow")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/qrv/activities/\?.*status=planned"))
    assert page.evaluate("() => window.__sameDocument === true"), "the filter reloaded the page"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # a fragment, not a page in a page
    screenshot("01-filtered-planned")

    page.get_by_label("Status", exact=True).select_option(label="Under way")
    expect(results.get_by_role("link", name="Survey under way")).to_be_visible()
    expect(results).to_contain_text(re.compile(r"\b1 activity\b"))
    expect(page).to_have_url(re.compile(r"status=under_way"))
    assert page.evaluate("() => window.__sameDocument === true"), "the filter reloaded the page"

    # the pushed URL is bookmarkable: loading it afresh shows the same results
    page.reload()
    expect(page.get_by_label("Status", exact=True)).to_have_value("under_way")
    expect(results).to_contain_text(re.compile(r"\b1 activity\b"))
    assert page.evaluate("() => window.__sameDocument === undefined")
    screenshot("02-reloaded")


def test_editor_imports_their_own_log_with_its_own_headings_and_values(
    live_server, page, editor, log_in, axe_check, screenshot, tmp_path
):
    from tests.engagements.xlsx_parts import row, workbook

    readme = row(1, "How to fill in this log")
    log = (
        row(1, "Engagement log 2025/26")
        + row(
            3,
            "Date of event",
            "Activity / event name",
            "Type of engagement",
            "No. of attendees",
            "Link to duty",
            "Notes (internal)",
        )
        + row(4, "21 June 2025", "Summer fair stall", "Focus group", "approx 25", "Principle 2", "Ask Jo")
        + row(5, "14/5/25", "Carers café", "", "N/A", "P05", "")
        + row(6, "3.3.2025", "Youth panel", "", "30+", "", "")
    )
    path = tmp_path / "our log.xlsx"
    path.write_bytes(workbook(("Read me", readme), ("Log", log)))

    log_in(page, editor.user.username)
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    # its own headings: the mapping step, with each column's field suggested
    expect(page.get_by_role("heading", level=1)).to_have_text("Match your columns to the activity log")
    expect(page.get_by_test_id("layout")).to_have_text("Read the sheet “Log”, with the headings on row 3.")
    expect(page.get_by_label("“Date of event”")).to_have_value("start_date")
    expect(page.get_by_label("“Notes (internal)”")).to_have_value("-")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the activities before you import them")
    notices = page.get_by_test_id("import-notices")
    expect(notices).to_contain_text("Read the sheet “Log” (of 2).")
    expect(notices).to_contain_text("The headings are on row 3")
    expect(notices).to_contain_text("“Notes (internal)”")
    expect(page.get_by_test_id("import-summary")).to_contain_text("3 rows: 3 new, 0 updates; 0 with errors")
    expect(page.locator("main")).to_contain_text("“approx 25” was read as 25.")
    expect(page.locator("main")).to_contain_text("“Principle 2” was read as WPPC-P02.")
    assert axe_check(page, "import-own-log") == []
    screenshot("01-preview-own-log")
    page.get_by_role("button", name=re.compile("^Import 3 activities")).click()
    expect(page.locator("main")).to_contain_text("Imported 3 activities from “our log.xlsx”.")
    fair = Activity.objects.get(organisation=editor.organisation, title="Summer fair stall")
    assert fair.start_date == datetime.date(2025, 6, 21) and fair.total_participants == 25
    assert [d.code for d in fair.duties.all()] == ["WPPC-P02"]
    assert [m.name for m in fair.methods.all()] == [Method.objects.get(code="METHOD-FOCUS").name]
    cafe = Activity.objects.get(organisation=editor.organisation, title="Carers café")
    assert cafe.start_date == datetime.date(2025, 5, 14) and cafe.total_participants is None
    youth = Activity.objects.get(organisation=editor.organisation, title="Youth panel")
    assert youth.start_date == datetime.date(2025, 3, 3) and youth.total_participants == 30
    screenshot("02-imported")
