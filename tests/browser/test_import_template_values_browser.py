"""A file with the template's headings but the log's own words in list columns, in headless Chromium
(issue 15): the preview offers the values page, the choices are saved as a mapping, the preview comes
back with no errors and the rows import."""

import re

import pytest
from playwright.sync_api import expect

from engagements.models import Activity, ImportMapping
from tests.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_template_file_with_its_own_words_is_mapped_from_the_preview(
    live_server, page, editor, log_in, axe_check, tmp_path
):
    path = tmp_path / "log.csv"
    path.write_text(
        "Title,Start date,Status,Methods\r\n"
        "Summer fair stall,21/06/2025,Complete,Online survey\r\n"
        "Youth panel,03/03/2025,Completed,Focus group\r\n"
    )
    log_in(page, editor.user.username)
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    offer = page.get_by_test_id("unmatched-values")
    expect(offer).to_contain_text("2 values in list columns are not names the log knows")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-template-values-offer.png"), full_page=True)
    assert axe_check(page, "import-template-values-offer") == []
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "import-template-values-offer-320.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing wider than the phone
    page.set_viewport_size({"width": 1280, "height": 900})
    offer.get_by_role("link", name="Choose what these values mean").click()
    expect(page).to_have_url(re.compile(r"/import/\d+/values/$"))
    expect(page.get_by_label("“Complete”")).to_have_value("completed")  # suggested
    page.get_by_label("“Online survey”").select_option(label="Survey or questionnaire")
    page.get_by_label("Save these choices as").fill("Template, our words")
    page.screenshot(path=str(ARTIFACTS / "import-template-values-page.png"), full_page=True)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Saved the mapping “Template, our words”.")).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_contain_text("0 with errors")
    expect(page.get_by_test_id("unmatched-values")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "import-template-values-after.png"), full_page=True)
    page.get_by_role("button", name="Import 2 activities").click()
    expect(page.get_by_text("Imported 2 activities")).to_be_visible()
    fair = Activity.objects.get(title="Summer fair stall")
    assert fair.status == "completed" and [m.name for m in fair.methods.all()] == ["Survey or questionnaire"]
    assert ImportMapping.objects.get().values["methods"] == {"online survey": "Survey or questionnaire"}
