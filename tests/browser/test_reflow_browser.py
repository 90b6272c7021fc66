"""Every page type reflows at 320 px (WCAG 2.2 1.4.10) and has no serious axe violations there.

The demo data gives each page realistic content (long organisation names, ten-duty coverage grids,
histories); ``tests/page_types.py`` names one page of each type. A page reflows when the document
is no wider than the viewport: nothing makes the reader scroll sideways.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ccg_involvement.demo import DEMO_PASSWORD
from tests.page_types import page_types

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": NARROW}


@pytest.fixture
def demo(reference_data):
    call_command("load_demo_data", verbosity=0)
    return page_types()


def _log_in(page, base, username):
    page.context.clear_cookies()
    if username:
        page.goto(base + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_every_page_type_reflows_at_320_px(live_server, page, demo, axe_check, screenshot):
    base = live_server.url
    too_wide, blocking = {}, {}
    current = object()
    for label, username, path in sorted(demo, key=lambda row: str(row[1])):
        if username != current:
            _log_in(page, base, username)
            current = username
        page.goto(base + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            too_wide[f"{label} ({path})"] = width
        bad = axe_check(page, label.replace(" ", "-"))
        if bad:
            blocking[label] = bad
        if label in ("dashboard", "checklist", "activities", "proposals", "assurance overview"):
            screenshot(f"320-{label.replace(' ', '-')}")
    assert len(demo) >= 30
    assert not too_wide, f"wider than {NARROW['width']} px: {too_wide}"
    report = "\n\n".join(f"{where}:\n{bad}" for where, bad in blocking.items())
    assert not report, "serious or critical axe violations at 320 px\n" + report


def test_the_coverage_grid_is_a_list_on_a_phone_and_the_change_link_stays_whole(live_server, page, demo):
    _log_in(page, live_server.url, "editor")  # a member of two organisations: the header has "Change"
    page.goto(live_server.url + "/qxh/")
    change = page.get_by_role("link", name="Change organisation")
    expect(change).to_be_visible()
    # the word "Change" sits on one line (it used to break as "Chan/ge")
    lines = change.evaluate(
        """a => { const r = document.createRange(); r.selectNodeContents(a.firstChild);
                 return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""
    )
    assert lines == 1, "the Change link breaks across lines"
    cells = page.locator(".app-coverage__cell")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] > first["y"] and abs(second["x"] - first["x"]) < 2, "cells are not stacked"
    expect(cells.first.locator(".app-coverage__label")).to_be_visible()  # the duty's code and title
