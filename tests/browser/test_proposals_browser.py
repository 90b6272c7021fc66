"""Proposals in headless Chromium: an editor screens a proposal end to end under the strict CSP.

(Drafted with issue 5; belongs in tests/browser/ next to the other journeys.)
"""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from engagements.proposals.models import load_proposal_lookups
from tests.conftest import ARTIFACTS
from tests.factories.engagements import activity_for, group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def proposal_lookups(reference_data):
    load_proposal_lookups(apps.get_model)  # the flush of a transactional test removes the seeded rows


@pytest.fixture
def roadshow(editor, proposal_lookups):
    return activity_for(editor, title="Village roadshow", reach={group("PC-AGE"): 12, group("INC-RURAL"): 9})


def _date(page, name, day, month, year):
    page.locator(f"#id_{name}_0").fill(day)
    page.locator(f"#id_{name}_1").fill(month)
    page.locator(f"#id_{name}_2").fill(year)


def test_editor_screens_a_proposal_end_to_end(
    live_server, strict_csp, editor, roadshow, log_in, axe_check, page
):
    base = live_server.url
    p = strict_csp.page
    ARTIFACTS.mkdir(exist_ok=True)

    def screenshot(name):
        p.screenshot(path=str(ARTIFACTS / f"proposals-journey-{name}.png"), full_page=True)

    log_in(p, editor.user.username)

    # ---- step 1: add the proposal
    p.goto(base + "/qrv/proposals/")
    expect(p.get_by_role("heading", level=1)).to_have_text("Service-change proposals")
    p.get_by_role("link", name="Add a proposal").click()
    p.get_by_role("button", name="Save and continue").click()
    expect(p.locator(".nhsuk-error-summary")).to_contain_text("Enter a title for the proposal")
    p.get_by_label("Title").fill("Move the minor injuries unit to the health centre")
    p.get_by_label("Moving a service to a new provider or location").check()
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 2: each limb needs an answer and its reasoning
    expect(p.get_by_role("heading", level=1)).to_have_text("Does the duty apply?")
    expect(p.locator("main")).to_contain_text("The duty in section 14Z45")
    p.locator("#id_applies_planning_1").check()  # no
    p.get_by_role("button", name="Save and continue").click()
    summary = p.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the reasoning for planning")
    expect(summary).to_contain_text("Select yes, no or not sure for proposal for change")
    expect(p.locator("#id_applies_planning_1")).to_be_checked()  # nothing typed is lost
    screenshot("01-step-2-errors")
    p.locator("#id_applies_planning_reason").fill("Not part of planning.")
    p.locator("#id_applies_proposal_0").check()
    p.locator("#id_applies_proposal_reason").fill("Moves where people are treated.")
    p.locator("#id_applies_operational_2").check()
    p.locator("#id_applies_operational_reason").fill("Opening hours may change.")
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 3: insight
    p.get_by_label("Healthwatch reports").check()
    p.get_by_label("What does it tell you?").fill("Parking and buses are the worry.")
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 4: who is affected and the impact assessment
    p.get_by_label("Age", exact=True).check()
    p.get_by_label("Rural communities").check()
    p.locator("#id_ehia_done_0").check()
    _date(p, "ehia_date", "1", "4", "2025")
    p.get_by_label("Impacts found").fill("Longer journeys.")
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 5: a formal consultation
    p.get_by_label("Formal public consultation", exact=False).check()
    p.get_by_label("Online consultation").check()
    p.get_by_label("Timing").fill("Twelve weeks from June.")
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 6: substantial variation and the tests
    p.locator("#id_substantial_0").check()
    p.locator("#id_substantial_reason").fill("Moves a service five miles.")
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 7: consultation dates and the Gunning principles
    expect(p.get_by_role("heading", level=1)).to_have_text("Public consultation and the Gunning principles")
    _date(p, "consultation_opens", "2", "6", "2025")
    _date(p, "consultation_closes", "14", "7", "2025")  # six weeks
    for key in ("gun_1", "gun_2", "gun_4"):  # no reason why six weeks is adequate (Gunning 3)
        p.locator(f"#id_{key}").fill(f"Evidence for {key}.")
    p.get_by_role("button", name="Save and continue").click()

    # ---- step 8: link the activity, then record the decision before the consultation closes
    p.get_by_role("link", name="Link or unlink activities").click()
    p.get_by_label("Activity from the engagement log").select_option(
        label=f"Village roadshow ({roadshow.start_date.day} {roadshow.start_date:%B %Y})"
    )
    p.get_by_role("button", name="Link activity").click()
    expect(p.locator("#linked")).to_contain_text("Village roadshow")
    p.get_by_role("link", name="Step 8: the decision").click()
    p.get_by_label("Who made the decision?").fill("ICB board")
    _date(p, "decision_date", "1", "7", "2025")
    p.get_by_label("What was decided?").fill("Move the unit.")
    p.get_by_label("Reasons for the decision").fill("Better access overall.")
    p.get_by_label("What changed because of what people said?").fill("Added a shuttle bus.")
    p.get_by_label("Who considered the equality and health inequalities analysis?").fill("ICB board")
    _date(p, "due_regard_on", "1", "7", "2025")
    p.get_by_role("button", name="Save and return to the summary").click()

    # ---- the summary: steps 6 (no local authority consultation), 7 (no Gunning 3 reason) and 9
    # (feedback) open, and the warnings
    expect(p.locator("main")).to_contain_text("6 of 9 steps answered")
    expect(p.locator("#warnings")).to_contain_text("Regulation 23 requires it")
    warnings = p.locator("#warnings")
    expect(warnings).to_contain_text("before the consultation closes")
    expect(warnings).to_contain_text("guide period of 12 weeks")
    expect(p.locator("#history")).to_contain_text("Step 8: The decision")
    screenshot("02-summary")
    assert strict_csp.violations() == []

    # ---- the decision record, on screen and for print
    p.get_by_role("link", name="Decision record").click()
    expect(p.get_by_role("heading", level=1)).to_have_text(
        "Move the minor injuries unit to the health centre"
    )
    expect(p.locator("main")).to_contain_text("National Health Service Act 2006, section 14Z45")
    screenshot("03-decision-record")
    p.emulate_media(media="print")
    expect(p.locator(".nhsuk-header")).to_be_hidden()
    expect(p.get_by_role("heading", level=1)).to_be_visible()
    assert strict_csp.violations() == []

    # ---- accessibility of the pages on the way (axe needs the CSP-bypassing context)
    log_in(page, editor.user.username)
    for path in ("/qrv/proposals/", p.url.removeprefix(base)):
        page.goto(base + path)
        bad = axe_check(page, path.strip("/").replace("/", "-"))
        assert not bad, bad
