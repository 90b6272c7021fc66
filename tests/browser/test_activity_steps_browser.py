"""Logging an activity in its three steps with JavaScript switched off (issue 17, item 8), looked at
on a laptop (1280 px) and on a phone (320 px): each step saved, an error keeps what was typed, and
the summary shows every step answered."""

import re

import pytest
from playwright.sync_api import expect

from engagements.models import Activity
from tests.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

WPPC = "Partnership with people (s14Z45)"
DUTY_2 = "Involve people early and show how they influenced decisions"
WIDTHS = (1280, 320)


@pytest.fixture
def no_js_page(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    yield context.new_page()
    context.close()


def _look(page, name):
    """A full-page screenshot at each width; at 320 px the page must not scroll sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"activity-steps-no-js-{name}-{width}.png"), full_page=True)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width} px"
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def _date(page, name, day, month, year):
    page.locator(f"#id_{name}_0").fill(day)
    page.locator(f"#id_{name}_1").fill(month)
    page.locator(f"#id_{name}_2").fill(year)


def test_an_activity_is_logged_in_three_steps_without_javascript(live_server, no_js_page, editor, log_in):
    page, base = no_js_page, live_server.url
    assert page.evaluate("() => document.scripts.length >= 0")  # the test can still measure the page
    log_in(page, editor.user.username)
    page.goto(base + "/qrv/activities/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What and when")
    expect(page.locator(".nhsuk-caption-l")).to_contain_text("Step 1 of 3")
    _look(page, "1-empty")

    # step 1 with an end before the start: refused, what was typed kept
    page.get_by_label("Title", exact=True).fill("Walk-in centre drop-in")
    page.get_by_label("Summary").fill("Heard from people waiting at the walk-in centre.")
    _date(page, "start_date", "3", "9", "2025")
    _date(page, "end_date", "1", "9", "2025")
    page.get_by_label("Completed", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile("^Error: Step 1: What and when"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "End date must be the same as or after the start date"
    )
    expect(page.get_by_label("Summary")).to_have_value("Heard from people waiting at the walk-in centre.")
    _look(page, "1-error")
    assert not Activity.objects.exists()
    _date(page, "end_date", "", "", "")
    page.get_by_role("button", name="Save and continue").click()

    # step 2: who took part; a group above the total is refused on its own field
    expect(page).to_have_url(re.compile(r"/qrv/activities/\d+/steps/2/$"))
    activity = Activity.objects.get()
    page.get_by_label("Outreach in the community", exact=True).check()
    page.get_by_label("Total participants").fill("18")
    page.get_by_label("Carers", exact=True).fill("20")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Carers cannot be more than the 18 people who took part in total"
    )
    expect(page.get_by_label("Total participants")).to_have_value("18")
    expect(page.get_by_label("Outreach in the community", exact=True)).to_be_checked()
    _look(page, "2-error")
    page.get_by_label("Carers", exact=True).fill("6")
    page.get_by_role("button", name="Save and continue").click()

    # step 3: duties (and the way to outcomes)
    expect(page).to_have_url(re.compile(rf"/qrv/activities/{activity.pk}/steps/3/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Duties and outcomes")
    page.get_by_label(f"{WPPC} – 2. {DUTY_2}", exact=True).check()
    _look(page, "3-filled")
    page.get_by_role("button", name="Save and check your answers").click()

    # check your answers: every step answered, each with a change link
    expect(page).to_have_url(base + f"/qrv/activities/{activity.pk}/steps/")
    expect(page.locator(".app-step-card .nhsuk-tag")).to_have_text(["Answered", "Answered", "Answered"])
    expect(page.locator("#step-2")).to_contain_text("Carers: 6")
    _look(page, "4-summary")

    # a change goes to its step and comes back to the summary
    page.get_by_role("link", name="Change step 1: what and when").click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Walk-in centre drop-in")
    page.get_by_label("Title", exact=True).fill("Walk-in centre drop-in (September)")
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.locator("#step-1")).to_contain_text("Walk-in centre drop-in (September)")

    activity.refresh_from_db()
    assert activity.title == "Walk-in centre drop-in (September)"
    assert activity.total_participants == 18
    assert {r.group.code: r.count for r in activity.reach.select_related("group")} == {"INC-CARERS": 6}
    assert [d.number for d in activity.duties.all()] == [2]
