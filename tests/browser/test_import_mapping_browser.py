"""Issue 15's mapping step in headless Chromium: a log with its own headings and its own words is
mapped column by column and value by value, the choices saved under a name, and a second file with
the same headings is imported without mapping again."""

import csv
import datetime
import io
import re

import pytest
from playwright.sync_api import expect

from engagements.models import Activity, ImportMapping

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

HEADINGS = ["Date", "Event", "Progress", "Who with", "Officer", "Notes (internal)"]
PHONE = {"width": 320, "height": 800}


def _csv(rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_own_log_is_mapped_once_and_read_the_same_way_next_time(
    live_server, page, editor, log_in, axe_check, screenshot, tmp_path
):
    editor.user.first_name, editor.user.last_name = "Eddie", "Edwards"
    editor.user.save()
    first = tmp_path / "autumn" / "engagement log.csv"
    first.parent.mkdir()
    first.write_bytes(
        _csv(
            [
                ["14/10/2025", "Carers’ café", "Complete", "Healthwatch", "Eddie Edwards", "Ask Jo"],
                ["3 Nov 2025", "Youth forum", "Ongoing", "Healthwatch; Scouts", "", ""],
            ]
        )
    )
    second = tmp_path / "winter" / "engagement log.csv"
    second.parent.mkdir()
    second.write_bytes(
        _csv([["2/12/2025", "Winter drop-in", "Ongoing", "Healthwatch", "Eddie Edwards", "Room 4"]])
    )

    log_in(page, editor.user.username)
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(first))
    page.get_by_role("button", name="Upload and check").click()

    # ---- columns: suggestions from the template's and common headings; the rest chosen
    expect(page.get_by_role("heading", level=1)).to_have_text("Match your columns to the activity log")
    expect(page.get_by_label("“Date”")).to_have_value("start_date")
    expect(page.get_by_label("“Event”")).to_have_value("title")
    expect(page.get_by_label("“Progress”")).to_have_value("status")
    expect(page.get_by_label("“Officer”")).to_have_value("lead")
    expect(page.get_by_label("“Who with”")).to_have_value("-")  # nothing like it: not imported until chosen
    expect(page.get_by_label("“Notes (internal)”")).to_have_value("-")
    page.get_by_label("“Who with”").select_option(label="Partners")
    page.get_by_label("“Event”").select_option(label="Start date")  # a mistake: two columns for one field
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Start date is already chosen for “Date”: choose another field")
    assert axe_check(page, "import-columns-error") == []
    page.get_by_label("“Event”").select_option(label="Title")
    page.get_by_label("“Date”").select_option(label="Title")  # the other way round: no title column
    page.get_by_label("“Event”").select_option(label="Summary")
    page.get_by_role("button", name="Continue").click()
    expect(summary).to_contain_text("Choose the column with the start date")
    page.get_by_label("“Date”").select_option(label="Start date")
    page.get_by_label("“Event”").select_option(label="Title")
    page.get_by_label("Save these choices as").fill("Our engagement log")
    screenshot("01-columns")
    page.set_viewport_size(PHONE)
    screenshot("01-columns-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Continue").click()

    # ---- values: each value the log does not know, once, with a suggestion
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the values your log uses")
    expect(page.get_by_label("“Complete”")).to_have_value("completed")
    expect(page.get_by_label("“Ongoing”")).to_have_value("under_way")
    expect(page.get_by_label("“Healthwatch”")).to_have_value("Local Healthwatch")
    expect(page.locator("main")).to_contain_text("In 2 rows.")  # Healthwatch: listed once
    expect(page.get_by_label("“Scouts”")).to_have_value("-")  # nothing similar: left empty
    expect(page.get_by_label("“Eddie Edwards”")).to_have_value(editor.user.username)
    assert axe_check(page, "import-values") == []
    screenshot("02-values")
    page.set_viewport_size(PHONE)
    screenshot("02-values-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Continue").click()

    # ---- preview and import
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the activities before you import them")
    expect(page.get_by_test_id("import-notices")).to_contain_text("“Notes (internal)”")
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 rows: 2 new, 0 updates; 0 with errors")
    page.get_by_role("button", name=re.compile("^Import 2 activities")).click()
    expect(page.locator("main")).to_contain_text("Imported 2 activities from “engagement log.csv”.")
    cafe = Activity.objects.get(organisation=editor.organisation, title="Carers’ café")
    assert (cafe.start_date, cafe.status, cafe.lead) == (
        datetime.date(2025, 10, 14),
        "completed",
        editor.user,
    )
    assert [p.name for p in cafe.partners.all()] == ["Local Healthwatch"]
    youth = Activity.objects.get(organisation=editor.organisation, title="Youth forum")
    assert (youth.start_date, youth.status, youth.lead) == (datetime.date(2025, 11, 3), "under_way", None)
    assert [p.name for p in youth.partners.all()] == ["Local Healthwatch"]  # "Scouts" left empty
    mapping = ImportMapping.objects.get(organisation=editor.organisation)
    assert mapping.name == "Our engagement log"

    # ---- the same headings again: read with the saved mapping, straight to the preview
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(second))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the activities before you import them")
    expect(page.get_by_test_id("import-notices")).to_contain_text(
        "Read with your saved mapping “Our engagement log”."
    )
    screenshot("03-second-file-preview")
    page.get_by_role("button", name=re.compile("^Import 1 activity")).click()
    expect(page.locator("main")).to_contain_text("Imported 1 activity")
    winter = Activity.objects.get(organisation=editor.organisation, title="Winter drop-in")
    assert (winter.start_date, winter.status, winter.lead) == (
        datetime.date(2025, 12, 2),
        "under_way",
        editor.user,
    )
    assert [p.name for p in winter.partners.all()] == ["Local Healthwatch"]

    # ---- the saved mappings: listed, changed, deleted
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_role("link", name=re.compile("saved mappings")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved mappings")
    assert axe_check(page, "import-mappings") == []
    screenshot("04-mappings")
    page.get_by_role("link", name="Change Our engagement log").click()
    expect(page.get_by_label("“scouts”")).to_have_value("-")
    page.get_by_label("“scouts”").select_option(
        label="Voluntary, community and social enterprise organisations"
    )
    assert axe_check(page, "import-mapping-edit") == []
    page.set_viewport_size(PHONE)
    screenshot("05-mapping-edit-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Save the mapping").click()
    expect(page.locator("main")).to_contain_text("Saved the mapping “Our engagement log”.")
    mapping.refresh_from_db()
    assert mapping.values["partners"]["scouts"].startswith("Voluntary")
    page.get_by_role("link", name="Delete Our engagement log").click()
    page.get_by_role("button", name="Delete the mapping").click()
    expect(page.locator("main")).to_contain_text("Deleted the mapping “Our engagement log”.")
    assert not ImportMapping.objects.exists()
