"""A log whose headings are on two rows joined by merged cells, in headless Chromium: the mapping
step shows one heading per column, read across the merged cells, with its suggestion."""

import pytest
from playwright.sync_api import expect

from engagements.models import Activity
from tests.engagements.test_merged_headings import _two_row_headings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_merged_headings_are_suggested_on_the_mapping_step(
    live_server, page, editor, log_in, axe_check, screenshot, tmp_path
):
    path = tmp_path / "log.xlsx"
    path.write_bytes(_two_row_headings())
    log_in(page, editor.user.username)
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match your columns to the activity log")
    expect(page.get_by_label("“Activity / event name”")).to_have_value("title")
    expect(page.get_by_label("“Start”")).to_have_value("start_date")
    expect(page.get_by_label("“End”")).to_have_value("end_date")
    expect(page.get_by_label("“Reached: Carers”")).not_to_have_value("-")
    expect(page.get_by_label("“No. of attendees”")).to_have_value("total_participants")
    assert axe_check(page, "merged-headings") == []
    screenshot("01-columns")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the activities before you import them")
    expect(page.locator("main")).to_contain_text("rows 2 and 3")
    screenshot("02-preview")
    page.get_by_role("button", name="Import 2 activities").click()
    assert Activity.objects.filter(organisation=editor.organisation).count() == 2
