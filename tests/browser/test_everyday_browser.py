"""Everyday use in headless Chromium: nothing typed is lost on the item page; the reason field only
shows for "Not applicable"; previous and next items."""

import pytest
from playwright.sync_api import expect

from ccg_involvement.years import ReportingYear
from tests.factories.duties import checklist_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

NARRATIVE = "Our citizens' panel met four times; minutes attached."


@pytest.fixture
def item_two(editor):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2025))
    return checklist.items.select_related("duty").get(duty__number=2)


def test_choosing_a_verdict_typing_and_attaching_a_file_keeps_everything(
    live_server, page, editor, item_two, log_in, axe_check, screenshot, tmp_path
):
    log_in(page, editor.user.username)
    page.goto(live_server.url + item_two.get_absolute_url())
    reason = page.get_by_label("Why it does not apply")
    expect(reason).to_be_hidden()  # only for "Not applicable"
    page.get_by_label("Not applicable").check()
    expect(reason).to_be_visible()
    page.get_by_label("Met", exact=True).check()
    expect(reason).to_be_hidden()

    page.get_by_label("How we meet it").fill(NARRATIVE)
    minutes = tmp_path / "panel-minutes.txt"
    minutes.write_text("Minutes of the citizens' panel")
    page.get_by_label("File").set_input_files(str(minutes))
    page.get_by_label("Title").fill("Panel minutes")
    screenshot("1-filled-in")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").or_(page.locator(".nhsuk-inset-text, .app-message"))).to_contain_text(
        "attached “Panel minutes”"
    )
    expect(page.get_by_label("Met", exact=True)).to_be_checked()
    expect(page.get_by_label("How we meet it")).to_have_value(NARRATIVE)
    expect(page.get_by_role("link", name="Panel minutes", exact=True)).to_be_visible()
    screenshot("2-saved")
    bad = axe_check(page, "item-saved")
    assert not bad, bad

    # previous and next items
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Understand community needs")
    page.get_by_role("link", name="Previous").click()
    expect(page).to_have_url(live_server.url + item_two.get_absolute_url())


def test_the_activity_page_has_one_form_each_thing_typed_is_saved_on_its_own_page(
    live_server, page, editor, log_in
):
    """No lost work on the activity page: an outcome and a duty's rationale each have a page of their
    own (one form, one Save), so nothing typed for one is dropped by saving another."""
    from tests.factories.duties import wppc
    from tests.factories.engagements import activity_for

    activity = activity_for(editor, duties=[wppc(1)])
    log_in(page, editor.user.username)
    page.goto(live_server.url + activity.get_absolute_url())
    expect(page.locator("main form")).to_have_count(1)  # the upload
    page.get_by_role("link", name="Say why it evidences this duty").click()
    page.get_by_label("Why it evidences this duty").fill("Parents shaped the new clinic times.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(live_server.url + activity.get_absolute_url() + "#duties")
    expect(page.locator("main")).to_contain_text("Parents shaped the new clinic times.")
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("You said (what we heard)").fill("The bus to the clinic is too infrequent")
    page.get_by_role("button", name="Add outcome").click()  # "we did" missing: refused, typed text kept
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what you did or will do about it")
    expect(page.get_by_label("You said (what we heard)")).to_have_value(
        "The bus to the clinic is too infrequent"
    )
