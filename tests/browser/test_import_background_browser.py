"""A large upload in headless Chromium: kept at once, its progress page refreshes itself (no
JavaScript needed) until the task has read it, then goes on to the preview; a file that cannot be
imported says why there."""

import re

import pytest
from playwright.sync_api import expect

from engagements.models import ImportBatch, ReadState
from engagements.tasks import read_import

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
CSV = "Title,Start date,Status,Total participants\r\n" + "".join(
    f"Event {n},{n % 28 + 1:02d}/05/2025,Completed,{n}\r\n" for n in range(12)
)


def test_a_large_upload_is_read_behind_a_progress_page(
    live_server, page, browser, editor, log_in, axe_check, screenshot, tmp_path, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # run by hand
    log_in(page, editor.user.username)
    path = tmp_path / "log.csv"
    path.write_text(CSV)
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_url(re.compile(r"/import/\d+/progress/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading your file")
    expect(page.get_by_test_id("import-progress")).to_have_text("Waiting to start.")
    batch = ImportBatch.objects.get(organisation=editor.organisation)
    ImportBatch.objects.filter(pk=batch.pk).update(
        read_state=ReadState.CHECKING, progress_done=6, progress_total=12
    )
    page.reload()
    expect(page.get_by_test_id("import-progress")).to_have_text("Checking the rows: 6 of 12 rows (50%).")
    assert axe_check(page, "reading") == []
    screenshot("01-reading")

    plain = browser.new_context(java_script_enabled=False)  # the refresh needs no JavaScript
    plain.add_cookies(page.context.cookies())
    without_js = plain.new_page()
    without_js.goto(page.url)
    ImportBatch.objects.filter(pk=batch.pk).update(read_state=ReadState.QUEUED)
    assert read_import.call(batch.pk) == "read 12"
    without_js.wait_for_url(re.compile(rf"/import/{batch.pk}/$"), timeout=10_000)  # its own refresh
    expect(without_js.get_by_role("heading", level=1)).to_have_text(
        "Check the activities before you import them"
    )
    plain.close()

    settings.IMPORT_MAX_ROWS = 5
    page.goto(live_server.url + "/qrv/activities/import/")
    page.get_by_label("Upload a spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    failed = ImportBatch.objects.filter(organisation=editor.organisation).latest("pk")
    assert read_import.call(failed.pk) == "refused"
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("The file could not be read")
    expect(page.get_by_test_id("import-progress")).to_contain_text("more than 5 rows of activities")
    assert axe_check(page, "read-failed") == []
    screenshot("02-read-failed")
