"""Possible duplicates skipped row by row from the import preview in headless Chromium with JavaScript
off (issue 15): each choice is a button of its own, kept when the page comes back, honoured by the
import."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from engagements.models import Activity
from tests.conftest import ARTIFACTS
from tests.factories.engagements import activity_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def no_js_page(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    yield context.new_page()
    context.close()


def test_duplicates_are_skipped_one_by_one_without_javascript(
    live_server, no_js_page, page, editor, log_in, axe_check, tmp_path
):
    accessible = page  # a second browser page, with JavaScript, for axe
    page = no_js_page
    activity_for(editor, title="Carers' forum", start=datetime.date(2025, 5, 3))
    path = tmp_path / "log.csv"
    path.write_text(
        "Title,Start date,Status\r\n"
        "Carers' forum,03/05/2025,Completed\r\n"  # already in the log
        "Youth panel,04/05/2025,Completed\r\n"
        "Youth panel,04/05/2025,Completed\r\n"  # repeats the row above
    )
    log_in(page, editor.user.username)
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_test_id("duplicates")).to_contain_text("2 rows may repeat an activity")
    page.get_by_role("button", name="Skip this row (row 2)").click()
    expect(page).to_have_url(re.compile(r"/import/\d+/\?page=1#row-2$"))
    expect(page.get_by_role("button", name=re.compile("^Import 2 activities"))).to_have_text(
        "Import 2 activities (skipping 1 possible duplicate)"
    )
    expect(page.locator("#row-2")).to_contain_text("Skipped")
    expect(page.get_by_role("button", name="Import this row anyway (row 2)")).to_be_visible()
    log_in(accessible, editor.user.username)
    accessible.goto(page.url)
    assert axe_check(accessible, "import-duplicates") == []
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"import-duplicates-no-js-{width}.png"), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name=re.compile("^Import 2 activities")).click()
    expect(page.locator("main")).to_contain_text(
        "Imported 2 activities from “log.csv”. Skipped 1 duplicate row."
    )
    titles = sorted(Activity.objects.filter(organisation=editor.organisation).values_list("title", flat=True))
    assert titles == ["Carers' forum", "Youth panel", "Youth panel"]
