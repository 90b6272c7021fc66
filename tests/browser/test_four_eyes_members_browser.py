"""Everyday use (#17) in headless Chromium: an administrator invites a member who sets a password and
logs in; my work lists an overdue item; withdrawing an activity takes it off the dashboard; four eyes
refuses a reviewer their own assessment."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from tests.factories.duties import checklist_for
from tests.factories.engagements import activity_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_administrator_invites_a_member_who_sets_a_password_and_logs_in(
    live_server, page, org_admin, log_in, axe_check, screenshot
):
    base = live_server.url
    blocking = {}
    log_in(page, org_admin.user.username)
    page.goto(base + "/qrv/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    blocking["members"] = axe_check(page, "members")
    screenshot("01-members")
    page.get_by_role("link", name="Add or invite a member").click()
    page.get_by_label("Email address").fill("nia.starter@nhs.net")
    page.get_by_label("First name (for a new account)").fill("Nia")
    page.get_by_label("Last name (for a new account)").fill("Starter")
    page.get_by_label("Editor").check()
    blocking["add"] = axe_check(page, "add-member")
    screenshot("02-invite-filled")
    page.get_by_role("button", name="Add or invite").click()
    expect(page.get_by_role("status")).to_contain_text("Invited Nia Starter")
    expect(page.locator("#members")).to_contain_text("Nia Starter")
    expect(page.locator("#members")).to_contain_text("Invited")
    expect(page.locator("#member-history")).to_contain_text("Invited as editor")
    screenshot("03-invited")

    (message,) = mail.outbox
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body).group(0)
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out").click()
    page.goto(base + link[link.index("/accounts/") :])
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    page.get_by_label("New password", exact=True).fill("a-long-new-passphrase")
    page.get_by_label("New password confirmation").fill("a-long-new-passphrase")
    screenshot("04-set-password")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")
    log_in(page, "nia.starter@nhs.net", password="a-long-new-passphrase")
    expect(page).to_have_url(base + "/qrv/")
    expect(page.get_by_test_id("current-organisation")).to_contain_text("NHS Riverside Integrated Care Board")
    screenshot("05-new-member-logged-in")
    assert not any(blocking.values()), blocking


def test_my_work_lists_an_overdue_item(live_server, page, editor, log_in, axe_check, screenshot):
    checklist = checklist_for(editor, "WPPC22", ReportingYear.current())
    item = checklist.items.select_related("duty").get(duty__number=3)
    duty_actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        owner=editor.user,
        due_date=datetime.date.today() - datetime.timedelta(days=2),
    )
    log_in(page, editor.user.username)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    overdue = page.locator("#items-overdue")
    expect(overdue).to_contain_text(item.duty.title)
    expect(overdue.locator(".nhsuk-tag")).to_have_text("Overdue")
    bad = axe_check(page, "my-work")
    screenshot("01-my-work")
    overdue.get_by_role("link", name=re.compile(item.duty.code)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(item.duty.title)
    assert not bad, bad


def test_withdrawing_an_activity_takes_it_off_the_dashboard(
    live_server, page, editor, log_in, axe_check, screenshot
):
    start = ReportingYear.current().start
    activity_for(editor, title="Carers' drop-in", start=start, total_participants=30)
    twice = activity_for(editor, title="Carers' drop-in (logged twice)", start=start, total_participants=30)
    base = live_server.url
    totals = page.locator(".nhsuk-summary-list__row").filter(has_text="Activities").first
    log_in(page, editor.user.username)
    page.goto(base + "/qrv/")
    expect(totals).to_contain_text(f"2 in {ReportingYear.current()}")
    screenshot("01-dashboard-before")
    page.goto(base + twice.get_absolute_url())
    page.get_by_role("link", name="Withdraw activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw this activity?")
    page.get_by_role("button", name="Withdraw activity").click()  # no reason yet
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why you are withdrawing it")
    page.get_by_label("Why are you withdrawing it?").fill("Logged twice by mistake")
    bad = axe_check(page, "withdraw")
    screenshot("02-withdraw-reason")
    page.get_by_role("button", name="Withdraw activity").click()
    expect(page.get_by_role("status")).to_contain_text("no longer counts in figures or documents")
    expect(page.locator(".app-withdrawn")).to_contain_text("Logged twice by mistake")
    expect(page.get_by_role("link", name="Change the activity")).to_have_count(0)
    screenshot("03-withdrawn")
    page.goto(base + "/qrv/")
    expect(totals).to_contain_text(f"1 in {ReportingYear.current()}")
    screenshot("04-dashboard-after")
    assert not bad, bad


def test_four_eyes_refuses_a_reviewer_their_own_assessment(
    live_server, page, editor, reviewer, log_in, axe_check, screenshot
):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2025))
    item = checklist.items.select_related("duty").get(duty__number=2)
    url = live_server.url + item.get_absolute_url()
    log_in(page, reviewer.user.username)
    page.goto(url)
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("How we meet it").fill("We co-produced the plan with the citizens' panel.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    review = page.locator("#four-eyes")
    expect(review).to_contain_text("You last changed this item's assessment")
    expect(page.get_by_role("button", name="Mark as reviewed")).to_have_count(0)
    bad = axe_check(page, "four-eyes")
    screenshot("01-four-eyes-refusal")
    assert not bad, bad
