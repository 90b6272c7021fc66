"""Issue 14 in headless Chromium: an "Other" organisation has no framework until its administrator
chooses, with a reason; then it starts a checklist for the chosen framework only; an item shows where
it comes from and how certain its wording is."""

import datetime

import pytest
from playwright.sync_api import expect

from ccg_involvement.models import OrganisationKind
from ccg_involvement.permissions import Role
from tests.factories.core import MembershipFactory, OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_other_organisation_chooses_its_frameworks_and_starts_a_checklist(
    live_server, page, log_in, axe_check, screenshot
):
    csu = OrganisationFactory(
        name="Riverside Support Unit",
        ods_code="0DF",
        kind=OrganisationKind.OTHER,
        established_on=datetime.date(2013, 4, 1),
    )
    admin = MembershipFactory(organisation=csu, role=Role.ADMIN, user__username="carla.csu")
    base = live_server.url
    log_in(page, admin.user.username)
    page.goto(base + "/0df/duties/")
    expect(page.locator("#framework-choice")).to_contain_text("No frameworks have been chosen")
    expect(page.get_by_role("button", name="Start checklists")).to_have_count(0)
    screenshot("01-none-chosen")

    page.get_by_role("link", name="Choose the frameworks that apply").click()
    page.get_by_label("Partnership with people (s14Z45)", exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why these frameworks apply")
    expect(page.get_by_label("Partnership with people (s14Z45)", exact=False)).to_be_checked()  # kept
    bad = axe_check(page, "choice-error")
    assert not bad, bad
    page.get_by_label("Why these frameworks apply").fill("We run engagement for two ICBs under s14Z45.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Frameworks chosen: Partnership with people (s14Z45).")
    expect(page.locator("#framework-choice")).to_contain_text("We run engagement for two ICBs")
    screenshot("02-chosen")

    page.get_by_role("button", name="Start checklists").click()
    page.get_by_role("link", name="Partnership with people (s14Z45)").click()
    expect(page.locator("#checklist-items")).to_contain_text("Source: main document, principle 1 of 10")
    page.get_by_role("link", name="Give people's voices a central place in decisions and governance").click()
    expect(page.locator("#item-citation")).to_contain_text(
        "Working in partnership with people and communities (NHS England, 2022), main document, principle 1"
    )
    expect(page.locator("#item-verification")).to_contain_text("was not seen")
    screenshot("03-item-source")
    bad = axe_check(page, "item")
    assert not bad, bad
