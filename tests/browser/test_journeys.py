"""Browser journeys in headless Chromium: log in, switch organisation, complete and sign off an item."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Verdict
from tests.factories.core import PASSWORD, MembershipFactory
from tests.factories.duties import checklist_for

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the app's strict CSP (rightly) blocks.
    return {**browser_context_args, "bypass_csp": True, "viewport": {"width": 1280, "height": 900}}


def serious_axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_log_in_choose_and_switch_organisation(live_server, page, editor, other_organisation, screenshot):
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    page.goto(live_server.url + "/accounts/login/")
    assert serious_axe_violations(page) == []
    screenshot("login")
    log_in(page, live_server.url, editor.user.username)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisations")
    assert serious_axe_violations(page) == []
    screenshot("choose")
    page.get_by_role("link", name="NHS Riverside Integrated Care Board").click()
    expect(page.get_by_test_id("current-organisation")).to_contain_text("NHS Riverside Integrated Care Board")
    assert serious_axe_violations(page) == []
    screenshot("organisation-home")

    page.get_by_role("link", name="Change organisation").click()
    page.get_by_role("link", name="NHS Hilltop Integrated Care Board").click()
    expect(page).to_have_url(live_server.url + "/qht/")
    expect(page.get_by_test_id("current-organisation")).to_contain_text("NHS Hilltop Integrated Care Board")
    screenshot("switched")


def test_editor_completes_an_item_and_reviewer_signs_off(
    live_server, page, browser, editor, reviewer, screenshot
):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2025))
    for item in checklist.items.exclude(duty__number=1):
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET
        )
        actions.review_item(item=item, comment="", by=reviewer.user)
    status_cell = f"#status-{checklist.items.get(duty__number=1).pk}"  # no ORM calls while the server works

    log_in(page, live_server.url, editor.user.username)
    page.goto(live_server.url + checklist.get_absolute_url() + "wppc-p01/")
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("How we meet it").fill("Two lay members with a public voice remit sit on the board.")
    page.get_by_label("Owner").select_option(label=editor.user.get_full_name())
    page.locator("#id_due_date_0").fill("31")
    page.locator("#id_due_date_1").fill("3")
    page.locator("#id_due_date_2").fill("2026")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved WPPC-P01.")).to_be_visible()
    screenshot("item-saved")

    # the inline status change: htmx swaps the cell without leaving the page
    page.goto(live_server.url + checklist.get_absolute_url())
    url_before = page.url
    row = page.locator(status_cell)
    row.get_by_label("Change status of WPPC-P01").select_option("ready_for_review")
    row.get_by_role("button", name="Change").click()
    expect(page.locator(status_cell)).to_contain_text("Ready for review")
    assert page.url == url_before
    assert serious_axe_violations(page) == []
    screenshot("status-changed")

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    reviewer_page = context.new_page()
    log_in(reviewer_page, live_server.url, reviewer.user.username)
    reviewer_page.goto(live_server.url + checklist.get_absolute_url() + "wppc-p01/")
    reviewer_page.get_by_label("Review comment").fill("Checked the board minutes.")
    reviewer_page.get_by_role("button", name="Mark as reviewed").click()
    expect(reviewer_page.get_by_text("WPPC-P01 reviewed.")).to_be_visible()
    reviewer_page.goto(live_server.url + checklist.get_absolute_url() + "sign-off/")
    reviewer_page.get_by_label("Approved by").fill("People and communities committee")
    reviewer_page.locator("#id_meeting_date_0").fill("26")
    reviewer_page.locator("#id_meeting_date_1").fill("3")
    reviewer_page.locator("#id_meeting_date_2").fill("2026")
    reviewer_page.get_by_label("Minute reference").fill("PCC 26/14")
    reviewer_page.get_by_role("button", name="Sign off").click()
    expect(reviewer_page.get_by_text("Signed off", exact=True)).to_be_visible()
    reviewer_page.screenshot(path=str(screenshot("unused").parent / "journey-signed-off.png"), full_page=True)
    reviewer_page.goto(live_server.url + checklist.get_absolute_url() + "wppc-p01/")
    expect(reviewer_page.locator("textarea[name=narrative]")).to_have_count(0)
    context.close()
    print(json.dumps({"checked": "sign-off"}))
