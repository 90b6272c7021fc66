"""Proposal actions called directly: the rules that hold whoever saves, history and lost updates."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.errors import ActionError
from ccg_involvement.history import VersionConflict
from engagements.models import Method, Outcome
from engagements.proposals import actions
from engagements.proposals.models import Proposal
from tests.factories.engagements import activity_for
from tests.factories.proposals import STEP_2_APPLIES, insight, proposal_for, screen, trigger


def _pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def _reasons(proposal):
    return list(proposal.history.order_by("history_id").values_list("history_change_reason", flat=True))


# ------------------------------------------------------------------ create
def test_create_records_who_and_owns_it_by_default(editor):
    proposal = actions.create_proposal(
        organisation=editor.organisation,
        by=editor.user,
        values={"title": "  Night closure ", "trigger": trigger()},
    )
    assert proposal.title == "Night closure" and proposal.owner == editor.user
    assert proposal.created_by == editor.user and proposal.version == 1
    assert _reasons(proposal) == ["Proposal created"]
    assert proposal.history.get().history_user == editor.user


def test_create_needs_a_title(editor):
    with pytest.raises(ActionError, match="Enter a title for the proposal"):
        actions.create_proposal(organisation=editor.organisation, by=editor.user, values={"title": "  "})
    assert not Proposal.objects.exists()


def test_create_refuses_an_owner_from_another_organisation(editor, outsider):
    with pytest.raises(ActionError, match="member of this organisation"):
        actions.create_proposal(
            organisation=editor.organisation, by=editor.user, values={"title": "X", "owner": outsider.user}
        )


def test_create_ignores_fields_of_other_steps(editor):
    proposal = actions.create_proposal(
        organisation=editor.organisation, by=editor.user, values={"title": "X", "decision": "Sneaked in"}
    )
    assert proposal.decision == ""


# ------------------------------------------------------------------ save a step
def test_there_is_no_step_10(proposal, editor):
    with pytest.raises(ActionError, match="no such step"):
        actions.save_step(proposal=proposal, step=10, by=editor.user, values={})


def test_a_step_saves_only_its_own_fields_trimmed_and_names_itself_in_the_history(proposal, editor):
    saved = screen(proposal, editor, 3, insight_summary="  Travel.  ", decision="Not step 3", title="Renamed")
    assert saved.insight_summary == "Travel." and saved.decision == "" and saved.title == proposal.title
    assert saved.version == 2 and _reasons(saved)[-1] == "Step 3: Existing insight"


def test_saving_the_same_answers_again_changes_nothing(proposal, editor):
    screen(proposal, editor, 3, insight_summary="Travel.")
    again = screen(proposal, editor, 3, insight_summary="Travel.")
    assert again.version == 2 and len(_reasons(again)) == 2


def test_linked_list_changes_are_named_in_the_history(proposal, editor):
    screen(proposal, editor, 3, insight_sources=insight("INSIGHT-HEALTHWATCH"), insight_summary="Seen.")
    saved = screen(proposal, editor, 3, insight_sources=insight("INSIGHT-JSNA"))
    assert _reasons(saved)[-1] == (
        "Step 3: Existing insight — Insight reviewed: +Joint Strategic Needs Assessment, −Healthwatch reports"
    )


def test_a_save_over_a_newer_version_is_refused_with_what_changed(proposal, editor, reviewer):
    screen(proposal, reviewer, 3, insight_summary="Reviewer's summary")
    with pytest.raises(VersionConflict) as caught:
        actions.save_step(
            proposal=proposal, step=3, by=editor.user, values={"insight_summary": "Mine"}, expected_version=1
        )
    assert caught.value.current.version == 2
    assert caught.value.changes == [("What the existing insight tells us", "—", "Reviewer's summary")]
    assert Proposal.objects.get(pk=proposal.pk).insight_summary == "Reviewer's summary"


def test_step_2_answers_must_be_yes_no_or_not_sure(proposal, editor):
    with pytest.raises(ActionError, match="yes, no or not sure"):
        screen(proposal, editor, 2, **{**STEP_2_APPLIES, "applies_proposal": "maybe"})


def test_step_4_a_date_only_with_a_done_assessment(proposal, editor):
    saved = screen(proposal, editor, 4, ehia_done="no", ehia_date=datetime.date(2025, 5, 1))
    assert saved.ehia_date is None
    with pytest.raises(ActionError, match="impact assessment was done"):
        screen(proposal, editor, 4, ehia_done="perhaps")


def test_step_5_level_and_budget(proposal, editor):
    with pytest.raises(ActionError, match="level of involvement"):
        screen(proposal, editor, 5, level="shout")
    with pytest.raises(ActionError, match="budget cannot be negative"):
        screen(proposal, editor, 5, budget=-1)
    saved = screen(proposal, editor, 5, level="engage", methods=[Method.objects.get(code="METHOD-SURVEY")])
    assert [m.code for m in saved.methods.all()] == ["METHOD-SURVEY"]


def test_step_6_reconfiguration_is_recorded_not_forced(proposal, editor):
    saved = screen(proposal, editor, 6, substantial="yes")
    assert saved.reconfiguration == ""  # no longer forced: notifiable or exempt is a recorded answer
    saved = screen(
        proposal, editor, 6, reconfiguration="exempt", reconfiguration_reason="Temporary, for safety."
    )
    assert saved.reconfiguration == "exempt"
    with pytest.raises(ActionError, match="notifiable or exempt"):
        screen(proposal, editor, 6, reconfiguration="maybe")
    with pytest.raises(ActionError, match="Give a result for SC-T1"):
        screen(proposal, editor, 6, service_change_tests={"SC-T1": {"result": "passed"}})


def test_step_7_the_consultation_closes_after_it_opens(proposal, editor):
    with pytest.raises(ActionError, match="close after it opens"):
        screen(
            proposal,
            editor,
            7,
            consultation_opens=datetime.date(2025, 9, 1),
            consultation_closes=datetime.date(2025, 9, 1),
        )


def test_step_8_cites_outcomes_of_linked_activities_only(proposal, editor):
    linked = activity_for(editor, title="Linked event")
    other = activity_for(editor, title="Unrelated event")
    heard = Outcome.objects.create(activity=linked, what_we_heard="Buses", what_we_did="Shuttle")
    stranger = Outcome.objects.create(activity=other, what_we_heard="Parking", what_we_did="Spaces")
    actions.link_activity(proposal=proposal, activity=linked, by=editor.user)
    assert list(Proposal.objects.get(pk=proposal.pk).citable_outcomes()) == [heard]
    with pytest.raises(ActionError, match="outcomes of the activities linked"):
        screen(proposal, editor, 8, outcomes=[stranger])
    saved = screen(proposal, editor, 8, outcomes=[heard])
    assert list(saved.outcomes.all()) == [heard]
    assert _reasons(saved)[-1].endswith("Outcomes: +Buses")


def test_step_4_attaches_the_impact_assessment_and_step_7_adds_documents(proposal, editor):
    saved = actions.save_step(
        proposal=proposal, step=4, by=editor.user, values={}, upload=_pdf(), upload_title="EHIA"
    )
    assert saved.ehia_document.title == "EHIA" and not saved.documents.exists()
    assert _reasons(saved)[-1] == "Step 4: Who is affected — Impact assessment attached: EHIA (doc.pdf)"
    saved = actions.save_step(
        proposal=saved, step=7, by=editor.user, values={}, upload=_pdf(), upload_title="Plan"
    )
    assert [d.title for d in saved.documents.all()] == ["Plan"] and saved.ehia_document.title == "EHIA"
    assert _reasons(saved)[-1].endswith("Consultation document attached: Plan (doc.pdf)")


def test_other_steps_take_no_documents(proposal, editor):
    with pytest.raises(
        ActionError,
        match=r"^Documents are attached at step 4 \(impact assessment\) or step 7 \(consultation\)\.$",
    ):
        actions.save_step(proposal=proposal, step=3, by=editor.user, values={}, upload=_pdf())


# ------------------------------------------------------------------ links and documents
def test_link_an_activity_once_and_of_this_organisation_only(proposal, editor, outsider):
    event = activity_for(editor, title="Drop-in")
    linked = actions.link_activity(proposal=proposal, activity=event, by=editor.user)
    assert list(linked.activities.all()) == [event] and linked.version == 2
    assert _reasons(linked)[-1] == "Activity linked: Drop-in"
    with pytest.raises(ActionError, match="already linked"):
        actions.link_activity(proposal=proposal, activity=event, by=editor.user)
    with pytest.raises(ActionError, match="this organisation only"):
        actions.link_activity(proposal=proposal, activity=activity_for(outsider), by=editor.user)


def test_unlinking_takes_the_cited_outcomes_off_too(proposal, editor):
    event = activity_for(editor, title="Drop-in")
    heard = Outcome.objects.create(activity=event, what_we_heard="Buses", what_we_did="Shuttle")
    actions.link_activity(proposal=proposal, activity=event, by=editor.user)
    screen(proposal, editor, 8, outcomes=[heard])
    unlinked = actions.unlink_activity(proposal=proposal, activity=event, by=editor.user)
    assert not unlinked.activities.exists() and not unlinked.outcomes.exists()
    assert _reasons(unlinked)[-1] == "Activity unlinked: Drop-in (and 1 of its outcomes)"
    with pytest.raises(ActionError, match="not linked"):
        actions.unlink_activity(proposal=proposal, activity=event, by=editor.user)


def test_removing_a_document_keeps_it_while_another_proposal_uses_it(proposal, editor):
    saved = actions.save_step(
        proposal=proposal, step=7, by=editor.user, values={}, upload=_pdf(), upload_title="Plan"
    )
    document = saved.documents.get()
    other = proposal_for(editor, title="Another")
    other.documents.add(document)
    actions.remove_proposal_document(proposal=saved, document=document, by=editor.user)
    document.refresh_from_db()
    assert not saved.documents.exists() and not document.is_removed
    actions.remove_proposal_document(proposal=other, document=document, by=editor.user)
    document.refresh_from_db()
    assert document.is_removed
    with pytest.raises(ActionError, match="not attached"):
        actions.remove_proposal_document(proposal=other, document=document, by=editor.user)


def test_removing_the_impact_assessment_clears_it(proposal, editor):
    saved = actions.save_step(
        proposal=proposal, step=4, by=editor.user, values={}, upload=_pdf(), upload_title="EHIA"
    )
    document = saved.ehia_document
    after = actions.remove_proposal_document(proposal=saved, document=document, by=editor.user)
    assert after.ehia_document is None
    assert _reasons(after)[-1] == "Document removed: EHIA (doc.pdf)"
