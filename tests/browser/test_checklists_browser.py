"""Checklists in headless Chromium: complete an item, change its status inline, review and sign off."""

import re

import pytest
from playwright.sync_api import expect

from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Verdict
from tests.factories.duties import checklist_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

YEAR = ReportingYear(2025)
NARRATIVE = "Two lay members with a public-voice remit sit on the board and report to every meeting."


@pytest.fixture
def checklist(editor, reviewer):
    """WPPC22 for 2025-26 with items 2 to 10 already met and reviewed; item 1 untouched."""
    checklist = checklist_for(editor, "WPPC22", YEAR)
    for item in checklist.items.exclude(duty__number=1):
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
        )
        actions.review_item(item=item, comment="", by=reviewer.user)
    return checklist


@pytest.fixture
def item_one(checklist):
    """Item 1, read before the browser starts (no ORM calls while the live server handles requests)."""
    return checklist.items.select_related("duty").get(duty__number=1)


def test_item_is_completed_reviewed_and_signed_off(
    live_server, page, editor, reviewer, checklist, item_one, log_in, axe_check, screenshot
):
    base = live_server.url
    checklist_url = base + checklist.get_absolute_url()
    item_url = checklist_url + "wppc-p01/"
    assert item_url.endswith("/qrv/duties/2025-26/wppc22/wppc-p01/")
    framework_title = checklist.framework.short_title
    editor_name = editor.user.get_full_name()
    status_cell = page.locator(f"#status-{item_one.pk}")
    blocking = {}

    # ---- the editor finds the checklist and item 1
    log_in(page, editor.user.username)
    expect(page.get_by_test_id("current-organisation")).to_contain_text("NHS Riverside Integrated Care Board")
    page.goto(base + "/qrv/duties/?year=2025-26")
    page.get_by_role("link", name=framework_title, exact=True).click()
    expect(page).to_have_url(checklist_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(framework_title)
    expect(status_cell).to_contain_text("To do")
    screenshot("01-checklist-editor")

    page.get_by_role("link", name=item_one.duty.title, exact=True).click()
    expect(page).to_have_url(item_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(item_one.duty.title)
    blocking["item page (editor)"] = axe_check(page, "item-editor")
    screenshot("02-item-before")

    # ---- assessment: verdict, narrative, owner, due date
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("How we meet it").fill(NARRATIVE)
    page.get_by_label("Owner").select_option(label=editor_name)
    page.locator("input[name=due_date_0]").fill("31")
    page.locator("input[name=due_date_1]").fill("3")
    page.locator("input[name=due_date_2]").fill("2026")
    screenshot("03-item-filled")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(item_url)
    expect(page.get_by_role("status")).to_contain_text("Saved WPPC-P01.")
    expect(page.get_by_label("Met", exact=True)).to_be_checked()
    expect(page.get_by_label("How we meet it")).to_have_value(NARRATIVE)
    expect(page.locator("input[name=due_date_0]")).to_have_value("31")
    expect(page.locator("input[name=due_date_2]")).to_have_value("2026")
    expect(page.locator("#history")).to_contain_text(NARRATIVE[:40])
    screenshot("04-item-saved")

    # ---- inline status change on the checklist page, through htmx
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=framework_title, exact=True
    ).click()
    expect(page).to_have_url(checklist_url)
    row = page.locator("#checklist-items tbody tr").filter(has=status_cell)
    expect(status_cell).to_contain_text("In progress")
    expect(row).to_contain_text("Met")
    expect(row).to_contain_text(editor_name)
    expect(row).to_contain_text("31 March 2026")
    blocking["checklist page (editor)"] = axe_check(page, "checklist-editor")

    page.evaluate("() => { window.__sameDocument = true; }")  # lost on any full page load
    status_cell.get_by_label("Change status of WPPC-P01").select_option(label="Ready for review")
    with page.expect_response(lambda r: r.url.endswith("/wppc-p01/status/")) as swapped:
        status_cell.get_by_role("button", name="Change status of WPPC-P01").click()
    assert swapped.value.status == 200
    assert swapped.value.request.headers.get("hx-request") == "true"
    expect(status_cell.locator(".nhsuk-tag")).to_have_text("Ready for review")
    expect(status_cell.get_by_label("Change status of WPPC-P01")).to_have_value("ready_for_review")
    assert page.url == checklist_url
    assert page.evaluate("() => window.__sameDocument === true"), "the status change reloaded the page"
    # the no-JS path would redirect with a flash message; with htmx the cell announces the change itself
    expect(page.locator("main .nhsuk-inset-text[role=status]")).to_have_count(0)
    expect(status_cell.get_by_role("status")).to_have_text("WPPC-P01 status is now ready for review.")
    expect(status_cell.get_by_label("Change status of WPPC-P01")).to_be_focused()
    screenshot("05-status-changed-inline")

    # ---- the reviewer: log out through the header, log in again
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    screenshot("06-logged-out")

    log_in(page, reviewer.user.username)
    page.goto(item_url)
    expect(page.get_by_role("heading", level=2, name="Review")).to_be_visible()
    blocking["item page (reviewer)"] = axe_check(page, "item-reviewer")
    page.get_by_label("Review comment").fill("Checked the board minutes and the lay members' terms.")
    screenshot("07-review-filled")
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_role("status")).to_contain_text("WPPC-P01 reviewed.")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Checked the board minutes")
    screenshot("08-item-reviewed")

    # ---- sign-off
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=framework_title, exact=True
    ).click()
    expect(page.get_by_text("10 of 10 principles (100%)")).to_be_visible()
    page.get_by_role("link", name="Sign off the checklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off the checklist")
    page.get_by_label("Approved by").fill("People and communities committee")
    page.locator("input[name=meeting_date_0]").fill("26")
    page.locator("input[name=meeting_date_1]").fill("3")
    page.locator("input[name=meeting_date_2]").fill("2026")
    page.get_by_label("Minute reference").fill("PCC 26/14")
    blocking["sign-off page"] = axe_check(page, "sign-off")
    screenshot("09-sign-off-filled")
    page.get_by_role("button", name="Sign off", exact=True).click()

    expect(page).to_have_url(checklist_url)
    expect(page.get_by_role("status")).to_contain_text("signed off. It is now locked.")
    signed = page.locator(".nhsuk-inset-text").filter(has_text="The checklist is locked.")
    expect(signed.get_by_text("Signed off", exact=True)).to_be_visible()
    expect(signed).to_contain_text("People and communities committee")
    expect(signed).to_contain_text("26 March 2026")
    expect(signed).to_contain_text("PCC 26/14")
    expect(page.get_by_role("link", name="Sign off the checklist")).to_have_count(0)
    expect(page.locator("#checklist-items form.app-status-form")).to_have_count(0)
    blocking["checklist page (signed off)"] = axe_check(page, "checklist-signed-off")
    screenshot("10-signed-off")

    # ---- locked: no edit, status or review forms on the item
    page.get_by_role("link", name=item_one.duty.title, exact=True).click()
    expect(page).to_have_url(item_url)
    expect(page.locator("textarea[name=narrative]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Mark as reviewed")).to_have_count(0)
    expect(page.locator("form.app-status-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Upload")).to_have_count(0)
    expect(page.locator(".nhsuk-summary-list").last).to_contain_text(NARRATIVE)
    blocking["item page (locked)"] = axe_check(page, "item-locked")
    screenshot("11-item-locked")

    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in blocking.items() if bad)
    assert not report, "serious or critical axe violations\n" + report


def test_inline_status_change_works_under_the_strict_csp(
    live_server, strict_csp, editor, checklist, item_one, log_in
):
    """htmx must swap the status cell without anything the CSP blocks (no bypass in this context)."""
    actions.update_item(item=item_one, expected_version=item_one.version, by=editor.user, verdict=Verdict.MET)
    page = strict_csp.page
    checklist_url = live_server.url + checklist.get_absolute_url()
    status_cell = page.locator(f"#status-{item_one.pk}")

    log_in(page, editor.user.username)
    page.goto(checklist_url)
    expect(status_cell).to_contain_text("In progress")
    page.evaluate("() => { window.__sameDocument = true; }")
    status_cell.get_by_label("Change status of WPPC-P01").select_option("ready_for_review")
    status_cell.get_by_role("button", name="Change status of WPPC-P01").click()
    expect(status_cell.locator(".nhsuk-tag")).to_have_text("Ready for review")
    assert page.evaluate("() => window.__sameDocument === true"), "htmx did not run: the page reloaded"
    assert strict_csp.violations() == []
