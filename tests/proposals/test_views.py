"""Proposal pages through the test client: each step's form and messages, roles, links, summary, list."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccg_involvement.errors import ActionError
from ccg_involvement.permissions import Role
from engagements.models import Method, Outcome
from engagements.proposals import actions, selectors, steps, wording
from engagements.proposals.models import Proposal
from tests.factories.core import CCGFactory
from tests.factories.engagements import activity_for, group
from tests.factories.proposals import (
    STEP_2_APPLIES,
    STEP_2_DOES_NOT_APPLY,
    consultation,
    groups,
    insight,
    proposal_for,
    screen,
    screened,
    trigger,
)
from tests.proposals.pages import date_post, errors_in, main, record_url, step_url

TODAY = timezone.localdate()


# ------------------------------------------------------------------ create (step 1)


def test_editor_adds_a_proposal_and_goes_on_to_step_2(editor, login):
    response = login(editor).post(
        "/qrv/proposals/new/",
        {
            "title": "Close the walk-in centre at night",
            "description": "Overnight hours move to the urgent treatment centre.",
            "service_area": "Urgent care",
            "trigger": trigger("TRIGGER-RECONFIGURE").pk,
            **date_post("expected_decision_date", datetime.date(2026, 3, 31)),
            "owner": "",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == step_url(proposal, 2)
    assert proposal.organisation == editor.organisation
    assert proposal.created_by == editor.user and proposal.owner is None
    assert proposal.expected_decision_date == datetime.date(2026, 3, 31)
    assert proposal.history.get().history_change_reason == "Proposal created"


def test_step_1_needs_a_title_and_a_trigger_and_keeps_what_was_typed(editor, login):
    response = login(editor).post(
        "/qrv/proposals/new/",
        {"title": "", "description": "Typed words stay", **date_post("expected_decision_date", None)},
    )
    assert response.status_code == 400
    assert errors_in(response) == [
        "Enter a title for the proposal",
        "Select the kind of commissioning activity",
    ]
    assert "Typed words stay" in response.content.decode()
    assert not Proposal.objects.exists()


def test_step_1_owner_must_be_a_member(editor, outsider, login):
    response = login(editor).post(
        "/qrv/proposals/new/", {"title": "X", "trigger": trigger().pk, "owner": outsider.user.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in errors_in(response)[0]
    with pytest.raises(ActionError, match="member of this organisation"):
        actions.create_proposal(
            organisation=editor.organisation, by=editor.user, values={"title": "X", "owner": outsider.user}
        )


# ------------------------------------------------------------------ step 2


def test_step_2_asks_every_limb_and_its_reasoning_whatever_the_answer(proposal, editor, login):
    response = login(editor).post(
        step_url(proposal, 2),
        {"version": proposal.version, "applies_planning": "no", "applies_proposal_reason": "Typed reasoning"},
    )
    assert response.status_code == 400
    assert errors_in(response) == [
        "Enter the reasoning for planning",
        "Select yes, no or not sure for proposal for change",
        "Select yes, no or not sure for operational decision",
        "Enter the reasoning for operational decision",
    ]
    assert "Typed reasoning" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.applies_planning == "" and proposal.version == 1


def test_step_2_saves_and_continues_or_returns_to_the_summary(proposal, editor, login):
    client = login(editor)
    response = client.post(step_url(proposal, 2), {"version": 1, **STEP_2_DOES_NOT_APPLY})
    assert response["Location"] == step_url(proposal, 3)
    proposal.refresh_from_db()
    assert wording.duty_position(proposal) == wording.DutyPosition.DOES_NOT_APPLY
    response = client.post(step_url(proposal, 2), {"version": 2, **STEP_2_APPLIES, "return": ""})
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert wording.duty_position(proposal) == wording.DutyPosition.APPLIES
    assert proposal.version == 3


def test_step_2_wording_follows_the_framework(make_member, login, editor):
    ccg = CCGFactory(ods_code="15T")
    ccg_editor = make_member(Role.EDITOR, ccg)
    ccg_proposal = proposal_for(ccg_editor)
    icb_page = main(login(editor).get(step_url(proposal_for(editor), 2)))
    ccg_page = main(login(ccg_editor).get(step_url(ccg_proposal, 2)))
    assert "The duty in section 14Z45" in icb_page and "14Z2" not in icb_page
    assert "carers and representatives" in icb_page
    assert "The duty in section 14Z2" in ccg_page and "14Z45" not in ccg_page
    assert "planning the CCG&#x27;s commissioning arrangements" in ccg_page
    assert wording.framework_wording(ccg).section == "14Z2"
    assert wording.framework_wording(editor.organisation).section == "14Z45"


# ------------------------------------------------------------------ step 3


def test_step_3_needs_a_summary_of_the_insight(proposal, editor, login):
    client = login(editor)
    healthwatch = insight("INSIGHT-HEALTHWATCH")[0]
    response = client.post(step_url(proposal, 3), {"version": 1, "insight_sources": [healthwatch.pk]})
    assert errors_in(response) == ["Enter what the existing insight tells you"]
    response = client.post(
        step_url(proposal, 3),
        {"version": 1, "insight_sources": [healthwatch.pk], "insight_summary": "Travel is the worry."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert list(proposal.insight_sources.all()) == [healthwatch]
    assert "Insight reviewed: +Healthwatch reports" in proposal.history.first().history_change_reason


# ------------------------------------------------------------------ step 4


def _step_4(proposal, **overrides):
    data = {
        "version": proposal.version,
        "protected_groups": [group("PC-AGE").pk],
        "inclusion_groups": [group("INC-RURAL").pk],
        "other_affected": "",
        "ehia_done": "yes",
        **date_post("ehia_date", datetime.date(2025, 5, 1)),
        "ehia_impacts": "Longer journeys for older people.",
        "upload_title": "",
    }
    data.update(overrides)
    return data


def test_step_4_needs_someone_affected_and_the_ehia_answer(proposal, editor, login):
    response = login(editor).post(
        step_url(proposal, 4), _step_4(proposal, protected_groups=[], inclusion_groups=[], ehia_done="")
    )
    assert errors_in(response) == [
        "Select the groups affected, or describe who else is affected",
        "Select yes if an equality and health inequalities impact assessment was done",
    ]


def test_step_4_a_done_assessment_needs_a_real_past_date(proposal, editor, login):
    client = login(editor)
    response = client.post(step_url(proposal, 4), _step_4(proposal, **date_post("ehia_date", None)))
    assert errors_in(response) == ["Enter date of the impact assessment"]
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(step_url(proposal, 4), _step_4(proposal, **date_post("ehia_date", tomorrow)))
    assert errors_in(response) == ["Date of the impact assessment must be today or in the past"]
    response = client.post(step_url(proposal, 4), _step_4(proposal, ehia_date_1="13"))
    assert errors_in(response) == ["Date of the impact assessment must be a real date"]


def test_step_4_not_done_drops_the_date_and_saves_the_groups(proposal, editor, login):
    response = login(editor).post(step_url(proposal, 4), _step_4(proposal, ehia_done="no"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.ehia_done == "no" and proposal.ehia_date is None
    assert set(proposal.affected_groups.values_list("code", flat=True)) == {"PC-AGE", "INC-RURAL"}


def test_step_4_uploads_the_impact_assessment(proposal, editor, login):
    pdf = SimpleUploadedFile("ehia.pdf", b"%PDF-1.4\n%ehia\n", content_type="application/pdf")
    response = login(editor).post(
        step_url(proposal, 4), _step_4(proposal, upload=pdf, upload_title="EHIA v2")
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.ehia_document.title == "EHIA v2"
    assert proposal.ehia_document.organisation == editor.organisation
    assert "Impact assessment attached: EHIA v2" in proposal.history.first().history_change_reason


def test_step_4_refuses_a_bad_file_and_saves_nothing(proposal, editor, login):
    exe = SimpleUploadedFile("ehia.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf")
    response = login(editor).post(step_url(proposal, 4), _step_4(proposal, upload=exe))
    assert response.status_code == 400
    assert errors_in(response)[0].startswith("The selected file must be a")
    proposal.refresh_from_db()
    assert proposal.ehia_done == "" and proposal.ehia_document is None


def test_removing_the_impact_assessment(proposal, editor, login):
    pdf = SimpleUploadedFile("ehia.pdf", b"%PDF-1.4\n%ehia\n", content_type="application/pdf")
    login(editor).post(step_url(proposal, 4), _step_4(proposal, upload=pdf))
    proposal.refresh_from_db()
    document = proposal.ehia_document
    url = reverse(
        "proposal-document-remove", kwargs={"org_code": "qrv", "pk": proposal.pk, "document_pk": document.pk}
    )
    response = login(editor).post(url, {"step": "4"})
    assert response["Location"] == step_url(proposal, 4)
    proposal.refresh_from_db()
    document.refresh_from_db()
    assert proposal.ehia_document is None and document.is_removed


# ------------------------------------------------------------------ step 5


def _step_5(proposal, **overrides):
    data = {
        "version": proposal.version,
        "level": "engage",
        "methods": [Method.objects.get(code="METHOD-SURVEY").pk],
        "timing": "Over the summer.",
        "budget": "2500.50",
    }
    data.update(overrides)
    return data


def test_step_5_needs_level_methods_and_timing(proposal, editor, login):
    response = login(editor).post(step_url(proposal, 5), _step_5(proposal, level="", methods=[], timing=""))
    assert errors_in(response) == [
        "Select the level of involvement",
        "Select at least one method",
        "Enter the timing of the involvement",
    ]


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("lots", "Budget must be a number, like 2500 or 2500.50"),
        ("-1", "Budget must be £0 or more"),
        ("10.555", "Budget must have no more than 2 numbers after the decimal point"),
    ],
)
def test_step_5_checks_the_budget(proposal, editor, login, budget, message):
    response = login(editor).post(step_url(proposal, 5), _step_5(proposal, budget=budget))
    assert errors_in(response) == [message]


def test_step_5_engagement_skips_the_consultation_step(proposal, editor, login):
    client = login(editor)
    response = client.post(step_url(proposal, 5), _step_5(proposal))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.budget == Decimal("2500.50")
    response = client.post(step_url(proposal, 6), _step_6(proposal))
    assert response["Location"] == step_url(proposal, 8)
    page = client.get(step_url(proposal, 7))
    assert "Not needed: step 5 plans to engage" in page.content.decode()
    assert client.post(step_url(proposal, 7))["Location"] == step_url(proposal, 8)
    states = {s.number: s.status for s in steps.step_states(proposal)}
    assert states[7] == steps.StepStatus.NOT_NEEDED


# ------------------------------------------------------------------ step 6


def _step_6(proposal, **overrides):
    data = {
        "version": proposal.version,
        "substantial": "no",
        "substantial_reason": "Same site, same hours.",
        **date_post("osc_consulted_on", None),
    }
    for key in ("sc_t1", "sc_t2", "sc_t3", "sc_t4", "sc_t5"):
        data[f"{key}_result"] = "not_assessed"
        data[f"{key}_evidence"] = ""
    data.update(overrides)
    return data


def test_step_6_needs_the_answer_and_reasoning_and_evidence_for_assessed_tests(proposal, editor, login):
    response = login(editor).post(
        step_url(proposal, 6),
        _step_6(proposal, substantial="", substantial_reason="", sc_t1_result="met", sc_t3_result=""),
    )
    assert errors_in(response) == [
        "Select yes, no or not yet known",
        "Enter the reasoning for your answer",
        "Enter the evidence for SC-T1",
        "Select a result for SC-T3",
    ]


def test_step_6_substantial_change_records_the_local_authority_consultation(proposal, editor, login):
    response = login(editor).post(
        step_url(proposal, 6),
        _step_6(
            proposal,
            substantial="yes",
            substantial_reason="Moves a service 12 miles.",
            sc_t1_result="met",
            sc_t1_evidence="Twelve-week consultation.",
            osc_response="Supported, with transport.",
            **date_post("osc_consulted_on", datetime.date(2025, 4, 2)),
            **date_post("osc_decision_date_given", datetime.date(2025, 9, 1)),
        ),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.osc_consulted_on == datetime.date(2025, 4, 2)
    assert proposal.osc_decision_date_given == datetime.date(2025, 9, 1)
    assert proposal.osc_response == "Supported, with transport." and proposal.reconfiguration == ""
    assert proposal.service_change_tests["SC-T1"] == {
        "result": "met",
        "evidence": "Twelve-week consultation.",
    }
    assert proposal.service_change_tests["SC-T5"]["result"] == "not_assessed"
    # regulation 24 needs its reason
    response = login(editor).post(
        step_url(proposal, 6),
        _step_6(proposal, substantial="yes", substantial_reason="Moves.", urgent_exception="on"),
    )
    assert errors_in(response) == ["Enter the risk that meant there was no time to consult"]


# ------------------------------------------------------------------ step 7


def _step_7(proposal, opens, closes, **overrides):
    data = {
        "version": proposal.version,
        **date_post("consultation_opens", opens),
        **date_post("consultation_closes", closes),
        "gun_1": "Options still open.",
        "gun_2": "",
        "gun_3": "",
        "gun_4": "",
        "gun_n1": "",
        "upload_title": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def consulting(proposal, editor):
    return screen(
        proposal,
        editor,
        5,
        level="formal",
        methods=[Method.objects.get(code="METHOD-ONLINE")],
        timing="Autumn",
    )


def test_step_7_needs_both_dates_the_right_way_round(consulting, editor, login):
    client = login(editor)
    response = client.post(step_url(consulting, 7), _step_7(consulting, None, None))
    assert errors_in(response) == ["Enter consultation opens", "Enter consultation closes"]
    response = client.post(
        step_url(consulting, 7), _step_7(consulting, datetime.date(2025, 9, 1), datetime.date(2025, 9, 1))
    )
    assert errors_in(response) == ["Consultation closes must be after the date it opens"]
    with pytest.raises(ActionError, match="close after it opens"):
        screen(
            consulting,
            editor,
            7,
            consultation_opens=datetime.date(2025, 9, 1),
            consultation_closes=datetime.date(2025, 8, 1),
        )


def test_step_7_saves_the_gunning_evidence_and_a_document(consulting, editor, login):
    pdf = SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%consultation\n", content_type="application/pdf")
    response = login(editor).post(
        step_url(consulting, 7),
        _step_7(
            consulting,
            datetime.date(2025, 9, 1),
            datetime.date(2025, 11, 24),
            gun_2="Easy Read version",
            upload=pdf,
            upload_title="Consultation document",
        ),
    )
    assert response["Location"] == step_url(consulting, 8)
    consulting.refresh_from_db()
    assert consulting.gunning_evidence == {"GUN-1": "Options still open.", "GUN-2": "Easy Read version"}
    assert [d.title for d in consulting.documents.all()] == ["Consultation document"]
    # GUN-3 and GUN-4 have no evidence yet, so the step is not complete
    assert steps.step_states(consulting)[6].status == steps.StepStatus.INCOMPLETE


# ------------------------------------------------------------------ step 8


def _step_8(proposal, **overrides):
    data = {
        "version": proposal.version,
        "decided_by": "ICB board",
        **date_post("decision_date", datetime.date(2025, 12, 4)),
        "decision": "Go ahead with option B.",
        "decision_reasons": "Best access.",
        "involvement_influence": "Added a transport scheme.",
        "due_regard_by": "ICB board",
        **date_post("due_regard_on", datetime.date(2025, 12, 4)),
    }
    data.update(overrides)
    return data


def test_step_8_needs_the_decision_in_full_and_not_in_the_future(proposal, editor, login):
    client = login(editor)
    response = client.post(
        step_url(proposal, 8),
        _step_8(
            proposal, decided_by="", decision="", involvement_influence="", **date_post("decision_date", None)
        ),
    )
    assert errors_in(response) == [
        "Enter who made the decision",
        "Enter decision date",
        "Enter what was decided",
        "Enter how involvement changed the decision",
    ]
    response = client.post(step_url(proposal, 8), _step_8(proposal, decision_reasons="", due_regard_by=""))
    assert errors_in(response) == [
        "Enter the reasons for the decision",
        "Enter who considered the equality analysis",
    ]
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(step_url(proposal, 8), _step_8(proposal, **date_post("decision_date", tomorrow)))
    assert errors_in(response) == ["Decision date must be today or in the past"]


def test_step_8_cites_outcomes_of_linked_activities_only(proposal, editor, login):
    linked = activity_for(editor, title="Linked event")
    other = activity_for(editor, title="Unrelated event")
    heard = Outcome.objects.create(activity=linked, what_we_heard="Buses", what_we_did="Shuttle")
    stranger = Outcome.objects.create(activity=other, what_we_heard="Parking", what_we_did="Spaces")
    actions.link_activity(proposal=proposal, activity=linked, by=editor.user)
    proposal.refresh_from_db()
    client = login(editor)
    page = client.get(step_url(proposal, 8)).content.decode()
    assert "Linked event" in page and "Buses" in page and "Parking" not in page
    response = client.post(step_url(proposal, 8), _step_8(proposal, outcomes=[stranger.pk]))
    assert response.status_code == 400 and "Select a valid choice" in errors_in(response)[0]
    response = client.post(step_url(proposal, 8), _step_8(proposal, outcomes=[heard.pk]))
    assert response["Location"] == step_url(proposal, 9)  # then telling people the outcome
    assert list(proposal.outcomes.all()) == [heard]
    with pytest.raises(ActionError, match="outcomes of the activities linked"):
        screen(proposal, editor, 8, outcomes=[stranger])
    # unlinking the activity takes its cited outcomes off the proposal too
    actions.unlink_activity(proposal=proposal, activity=linked, by=editor.user)
    assert not proposal.outcomes.exists()


def test_there_is_no_step_9(proposal, editor, login):
    assert login(editor).get(step_url(proposal, 10)).status_code == 404


# ------------------------------------------------------------------ lost updates


def test_a_stale_save_is_refused_and_keeps_what_was_typed(proposal, editor, reviewer, login):
    screen(proposal, reviewer, 3, insight_summary="Reviewer's summary")
    response = login(editor).post(
        step_url(proposal, 3), {"version": 1, "insight_summary": "Editor's summary"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this proposal" in page and "Editor&#x27;s summary" in page
    assert "Reviewer&#x27;s summary" in page  # shown in the table of what changed
    proposal.refresh_from_db()
    assert proposal.insight_summary == "Reviewer's summary"
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = login(editor).post(
        step_url(proposal, 3), {"version": version, "insight_summary": "Editor's summary"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.insight_summary == "Editor's summary"


# ------------------------------------------------------------------ roles and tenancy


def test_viewer_reads_but_cannot_screen(proposal, viewer, login):
    client = login(viewer)
    for url in ("/qrv/proposals/", proposal.get_absolute_url(), record_url(proposal)):
        assert client.get(url).status_code == 200
    summary = client.get(proposal.get_absolute_url()).content.decode()
    assert (
        step_url(proposal, 2) not in summary
        and "Add a proposal" not in client.get("/qrv/proposals/").content.decode()
    )
    assert client.get(step_url(proposal, 2)).status_code == 403
    assert client.get("/qrv/proposals/new/").status_code == 403
    response = client.post(step_url(proposal, 3), {"version": 1, "insight_summary": "Sneaky"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.insight_summary == ""


def test_editor_can_screen(proposal, editor, login):
    client = login(editor)
    assert client.get(step_url(proposal, 2)).status_code == 200
    assert step_url(proposal, 2) in client.get(proposal.get_absolute_url()).content.decode()
    assert client.post(step_url(proposal, 3), {"version": 1, "insight_summary": "Done"}).status_code == 302


def test_a_non_member_cannot_see_a_proposal(proposal, outsider, login):
    client = login(outsider)
    for url in (proposal.get_absolute_url(), record_url(proposal), step_url(proposal, 2), "/qrv/proposals/"):
        assert client.get(url).status_code == 404
    # nor through their own organisation's address
    assert client.get(f"/qht/proposals/{proposal.pk}/").status_code == 404
    assert client.get(f"/qht/proposals/{proposal.pk}/decision-record/").status_code == 404


def test_activities_of_another_organisation_cannot_be_linked(proposal, editor, outsider, login):
    theirs = activity_for(outsider, title="Their event")
    response = login(editor).post(f"/qrv/proposals/{proposal.pk}/activities/", {"activity": theirs.pk})
    assert response.status_code == 400
    assert errors_in(response) == ["Select an activity to link"]
    assert login(editor).get(f"/qrv/proposals/link-activity/{theirs.pk}/").status_code == 404
    with pytest.raises(ActionError, match="this organisation only"):
        actions.link_activity(proposal=proposal, activity=theirs, by=editor.user)


# ------------------------------------------------------------------ linking activities


def test_link_and_unlink_activities_from_the_proposal(proposal, editor, login):
    event = activity_for(editor, title="Drop-in at the library")
    client = login(editor)
    url = f"/qrv/proposals/{proposal.pk}/activities/"
    assert client.post(url, {"activity": event.pk}).status_code == 302
    assert list(proposal.activities.all()) == [event]
    page = client.get(url).content.decode()
    assert "Drop-in at the library" in page
    assert client.post(f"{url}{event.pk}/remove/").status_code == 302
    assert not proposal.activities.exists()
    reasons = list(proposal.history.values_list("history_change_reason", flat=True))
    assert "Activity linked: Drop-in at the library" in reasons
    assert "Activity unlinked: Drop-in at the library" in reasons


def test_link_from_the_activity(proposal, editor, login):
    event = activity_for(editor, title="Drop-in at the library")
    client = login(editor)
    url = f"/qrv/proposals/link-activity/{event.pk}/"
    assert "Move the minor injuries unit" in client.get(url).content.decode()
    response = client.post(url, {"proposal": ""})
    assert errors_in(response) == ["Select a proposal"]
    response = client.post(url, {"proposal": proposal.pk})
    assert response["Location"] == event.get_absolute_url()
    assert list(event.proposals.all()) == [proposal]
    assert selectors.proposals_for_activity(event) == [{"pk": proposal.pk, "title": proposal.title}]


# ------------------------------------------------------------------ summary, decision record, history


def test_decision_record_shows_the_answers_and_warnings(editor, viewer, login):
    proposal = screened(editor)
    page = login(viewer).get(record_url(proposal)).content.decode()
    for text in (
        "Decision record",
        "Stroke beds on one site",
        "section 14Z45",
        "Working in partnership with people and communities",
        "The duty applies",
        "Moves the service.",  # step 2 reasoning
        "More strokes by 2030.",
        "Joint Strategic Needs Assessment",
        "Formal public consultation",
        "2 June 2025 to 14 July 2025 (42 days)",
        "GUN-1 Formative stage",
        "Options open.",
        "ICB board",
        "Added transport.",
        'data-warning="decision-before-close"',
        'data-warning="consultation-short"',
        'data-warning="groups-not-reached"',
        'data-warning="ehia-missing"',
        "4 warnings",
    ):
        assert text in page, text
    assert 'media="print"' in page and "/static/css/proposal-print.css" in page
    assert 'style="' not in page and "<style" not in page


def test_decision_record_of_a_proposal_the_duty_does_not_cover(editor, login):
    proposal = proposal_for(editor)
    screen(proposal, editor, 2, **STEP_2_DOES_NOT_APPLY)
    page = login(editor).get(record_url(proposal)).content.decode()
    assert "The duty does not apply" in page and "Back-office only." in page
    assert "No warnings" in page


def test_print_stylesheet_is_a_static_file():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/proposal-print.css")).read_text()
    assert "@media" not in css and ".nhsuk-header" in css  # linked with media="print"


def test_summary_shows_each_step_with_change_links_and_history(editor, reviewer, login):
    proposal = screened(editor)
    screen(proposal, reviewer, 3, insight_summary="Even more strokes.")
    page = login(editor).get(proposal.get_absolute_url()).content.decode()
    assert "7 of 9 steps answered" in page  # step 6 is missing, step 7 incomplete
    for n in range(1, 10):
        assert step_url(proposal, n) in page
    assert "Missing" in page and "Answered" in page
    history = selectors.proposal_history(proposal)
    latest = history[0]
    assert latest.who == (reviewer.user.get_full_name() or reviewer.user.username)
    assert latest.reason == "Step 3: Existing insight"
    assert (
        "What the existing insight tells us",
        "More strokes by 2030.",
        "Even more strokes.",
    ) in latest.changes
    assert history[-1].reason == "Proposal created"
    assert "Even more strokes." in page


# ------------------------------------------------------------------ list page


def _busy_proposal(editor, n):
    proposal = proposal_for(editor, title=f"Proposal {n}", owner=editor.user)
    screen(proposal, editor, 2, **STEP_2_APPLIES)
    screen(proposal, editor, 4, affected_groups=groups("PC-AGE", "INC-RURAL"), ehia_done="no")
    consultation(proposal, editor, weeks=6)
    event = activity_for(editor, title=f"Event {n}", reach={group("PC-AGE"): 5})
    actions.link_activity(proposal=proposal, activity=event, by=editor.user)
    return proposal


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/qrv/proposals/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_list_shows_screening_state_and_warnings_in_bounded_queries(editor, login):
    client = login(editor)
    client.get("/qrv/")  # the first request after logging in refreshes the session; later ones do not
    _busy_proposal(editor, 1)
    few, page = _list_queries(client)
    assert "Proposal 1" in page and "4 of 9 steps" in page and "3 warnings" in page
    for n in range(2, 7):
        _busy_proposal(editor, n)
    many, page = _list_queries(client)
    assert "Proposal 6" in page
    assert many == few, f"{few} queries for 1 proposal, {many} for 6"


def test_empty_list(editor, login):
    page = login(editor).get("/qrv/proposals/").content.decode()
    assert "No proposals yet" in page and "Add a proposal" in page


def test_navigation_shows_proposals(editor, login):
    page = login(editor).get("/qrv/").content.decode()
    assert 'href="/qrv/proposals/"' in page


def test_the_list_finds_proposals_by_words_and_where_the_decision_has_got_to(editor, login):
    from engagements.proposals.models import Proposal
    from tests.factories import proposals as pf

    decided = pf.proposal_for(editor, title="Close the walk-in centre")
    expected = pf.proposal_for(editor, title="Move the minor injuries unit")
    Proposal.objects.filter(pk=decided.pk).update(decision_date=datetime.date(2025, 9, 1))
    Proposal.objects.filter(pk=expected.pk).update(
        decision_date=None, expected_decision_date=datetime.date(2026, 1, 5)
    )
    pf.proposal_for(editor, title="New stroke pathway", service_area="Walk-in and urgent care")
    client = login(editor)

    def titles(query):
        page = client.get("/qrv/proposals/" + query).content.decode()
        return sorted(
            t
            for t in ("Close the walk-in centre", "Move the minor injuries unit", "New stroke pathway")
            if t in page
        )

    assert titles("?q=walk-in") == ["Close the walk-in centre", "New stroke pathway"]  # title or service area
    assert titles("?decision=decided") == ["Close the walk-in centre"]
    assert titles("?decision=expected") == ["Move the minor injuries unit"]
    assert titles("?decision=undated") == ["New stroke pathway"]
    assert "1 proposal matches" in client.get("/qrv/proposals/?decision=decided").content.decode()
    assert "No proposals match" in client.get("/qrv/proposals/?q=nothing-like-this").content.decode()


def test_the_list_finds_proposals_by_status_and_stage_in_a_constant_number_of_queries(editor, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from engagements.proposals.actions import withdraw_proposal
    from tests.factories import proposals as pf

    complete = pf.screened(editor)  # every step but 6 (and a six-week consultation: Gunning 3 not given)
    pf.screen(complete, editor, 6, substantial="no", substantial_reason="Same site.")
    at_step_7 = pf.proposal_for(editor, title="Community beds")
    pf.consultation(at_step_7, editor, weeks=6)  # steps 2-4 open: its stage is 2
    pf.proposal_for(editor, title="Move the minor injuries unit")  # step 1 only
    withdrawn = pf.proposal_for(editor, title="Close the walk-in centre")
    withdraw_proposal(proposal=withdrawn, by=editor.user, reason="Dropped by the board.")
    client = login(editor)

    def titles(query):
        page = client.get("/qrv/proposals/" + query).content.decode()
        return sorted(
            t
            for t in ("Stroke beds on one site", "Move the minor injuries unit", "Close the walk-in centre")
            if t in page
        )

    assert titles("?status=screened") == []
    pf.screen(
        complete,
        editor,
        7,
        gunning_evidence={**complete.gunning_evidence, "GUN-3": "Six weeks: no more needed."},
    )
    assert titles("?status=screened") == ["Stroke beds on one site"]
    assert titles("?status=open") == ["Move the minor injuries unit"]  # not the withdrawn one
    assert titles("?status=withdrawn") == ["Close the walk-in centre"]
    assert titles("?stage=2") == ["Move the minor injuries unit"]
    assert titles("?stage=6") == []
    assert titles("?status=screened&stage=2") == []
    page = client.get("/qrv/proposals/?stage=2").content.decode()
    assert "2 proposals match" in page and "Community beds" in page
    assert '<option value="2" selected>Step 2: Does the duty apply?</option>' in page
    assert "Next: step 2" in page
    assert client.get("/qrv/proposals/?stage=12").status_code == 200  # not a step: the filter is ignored

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/qrv/proposals/" + query).status_code == 200
        return len(captured)

    before = {query: queries(query) for query in ("?stage=2", "?status=open", "")}
    for number in range(6):
        pf.proposal_for(editor, title=f"Another change {number}")
    assert {query: queries(query) for query in before} == before
