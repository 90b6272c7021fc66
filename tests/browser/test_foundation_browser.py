"""Foundation pages in headless Chromium: log in, choose and switch organisation, accessibility, CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.core import PASSWORD, MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

RIVERSIDE = "NHS Riverside Integrated Care Board"
HILLTOP = "NHS Hilltop Integrated Care Board"


@pytest.fixture
def two_org_editor(editor, other_organisation):
    """eddie.editor: an editor at Riverside (QRV) and, with a second membership, at Hilltop (QHT)."""
    MembershipFactory(user=editor.user, organisation=other_organisation)
    return editor


def test_editor_logs_in_chooses_and_switches_organisation(live_server, page, two_org_editor, screenshot):
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to the involvement tracker")
    screenshot("1-login")

    page.get_by_label("Username").fill(two_org_editor.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    screenshot("2-login-filled")
    page.get_by_role("button", name="Log in").click()

    # A member of two organisations lands on the chooser.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisations")
    expect(page).to_have_url(live_server.url + "/")
    cards = page.locator(".nhsuk-card__link")
    expect(cards).to_have_text([HILLTOP, RIVERSIDE])  # ordered by organisation name
    expect(page.get_by_test_id("current-organisation")).to_have_count(0)
    screenshot("3-chooser")

    first, other = HILLTOP, RIVERSIDE
    cards.first.click()
    expect(page).to_have_url(live_server.url + "/qht/")
    header = page.get_by_test_id("current-organisation")
    expect(header).to_contain_text(first)
    expect(page).to_have_title(re.compile(re.escape(first)))
    screenshot("4-first-organisation")

    header.get_by_role("link", name="Change organisation").click()
    expect(page).to_have_url(live_server.url + "/organisations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisations")
    screenshot("5-change-organisation")

    page.get_by_role("link", name=other).click()
    expect(page).to_have_url(live_server.url + "/qrv/")
    expect(page.get_by_test_id("current-organisation")).to_contain_text(other)
    expect(page.get_by_test_id("current-organisation")).not_to_contain_text(first)
    screenshot("6-switched-organisation")


def test_a_member_of_one_organisation_has_no_change_link(live_server, page, editor, log_in, screenshot):
    log_in(page, editor.user.username)
    expect(page).to_have_url(live_server.url + "/qrv/")
    expect(page.get_by_test_id("current-organisation")).to_contain_text(RIVERSIDE)
    expect(page.get_by_role("link", name="Change organisation")).to_have_count(0)
    screenshot("single-organisation-home")


def test_no_serious_accessibility_violations(live_server, page, two_org_editor, log_in, axe_check):
    found = {}
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    found["login"] = axe_check(page, "login")

    log_in(page, two_org_editor.user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisations")
    found["chooser"] = axe_check(page, "chooser")

    page.get_by_role("link", name=RIVERSIDE).click()
    expect(page.get_by_test_id("current-organisation")).to_contain_text(RIVERSIDE)
    found["organisation home"] = axe_check(page, "organisation-home")

    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in found.items() if bad)
    assert not report, "serious or critical axe violations\n" + report


def test_no_csp_violations_on_foundation_pages(live_server, strict_csp, two_org_editor):
    page = strict_csp.page
    found = {}
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    # NHS.UK frontend's module script marks the body when it runs; a blocked nonce would stop it.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    found["login"] = strict_csp.violations()

    page.get_by_label("Username").fill(two_org_editor.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisations")
    page.wait_for_load_state("networkidle")
    found["chooser"] = strict_csp.violations()

    page.get_by_role("link", name=RIVERSIDE).click()
    expect(page.get_by_test_id("current-organisation")).to_contain_text(RIVERSIDE)
    page.wait_for_load_state("networkidle")
    found["organisation home"] = strict_csp.violations()

    report = "\n".join(f"{where}: {v}" for where, vs in found.items() for v in vs)
    assert not report, "CSP violations\n" + report
