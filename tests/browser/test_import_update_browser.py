"""Re-importing an export in headless Chromium: the preview says, row by row, what each update
changes; a large import runs in the background behind a progress page."""

import datetime
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from engagements import actions
from engagements.inputs import ActivityInput
from engagements.models import Activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
PHONE = {"width": 320, "height": 800}


def test_an_update_shows_its_changes_and_a_large_import_its_progress(
    live_server, page, editor, log_in, axe_check, screenshot, tmp_path, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 1
    for title, day in (("Carers' forum", 3), ("Youth panel", 4)):
        actions.save_activity(
            organisation=editor.organisation,
            by=editor.user,
            data=ActivityInput(
                title=title, start_date=datetime.date(2025, 5, day), status="completed", total_participants=12
            ),
        )
    log_in(page, editor.user.username)
    with page.expect_download() as download:
        page.goto(live_server.url + "/qrv/activities/import/")
        page.get_by_role("link", name="Excel workbook (.xlsx)").last.click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["Activities"]
    headings = [c.value for c in sheet[1]]
    forum_id = None
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Carers' forum":
            forum_id = row[headings.index("ID")].value
            row[headings.index("Status")].value = "Under way"
            row[headings.index("Total participants")].value = 15
    workbook["Outcomes"].append([forum_id, "", "More evening sessions", "Added two", "Done"])
    path = tmp_path / "export.xlsx"
    out = io.BytesIO()
    workbook.save(out)
    path.write_bytes(out.getvalue())

    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the activities before you import them")
    expect(page.get_by_test_id("update-summary")).to_contain_text(
        "2 rows update activities already in the log; 1 of them changes nothing."
    )
    expect(page.get_by_test_id("import-summary")).to_have_text(
        "2 rows: 0 new, 2 updates; 0 with errors, 0 with warnings."  # an update is not a warning
    )
    page.get_by_text("3 changes").click()
    expect(page.locator("main")).to_contain_text("Status: Completed → Under way")
    expect(page.locator("main")).to_contain_text("Total participants: 12 → 15")
    expect(page.locator("main")).to_contain_text("Outcomes: 1 added")
    assert axe_check(page, "import-update-preview") == []
    screenshot("01-update-preview")
    page.set_viewport_size(PHONE)
    screenshot("01-update-preview-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name=re.compile("^Import 2 activities")).click()
    expect(page).to_have_url(re.compile(r"/import/\d+/progress/$"))
    expect(page.get_by_test_id("import-progress")).to_contain_text("2 activities from “export.xlsx”")
    assert axe_check(page, "import-progress") == []
    screenshot("02-progress-done")
    forum = Activity.objects.get(organisation=editor.organisation, title="Carers' forum")
    assert (forum.status, forum.total_participants) == ("under_way", 15)
    assert [o.what_we_heard for o in forum.outcomes.all()] == ["More evening sessions"]
