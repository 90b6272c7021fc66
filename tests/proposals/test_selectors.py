"""Reads and rules called directly: warnings, step states and the step table, wording, selectors."""

import datetime

import pytest

from ccg_involvement.errors import ActionError
from ccg_involvement.models import Organisation, OrganisationKind
from engagements.proposals import actions, selectors, steps, warnings, wording
from engagements.proposals.models import Answer, Proposal, Trigger
from engagements.proposals.steps import STEPS, StepStatus
from tests.factories.core import CCGFactory
from tests.factories.engagements import activity_for, group
from tests.factories.proposals import (
    STEP_2_APPLIES,
    STEP_2_DOES_NOT_APPLY,
    consultation,
    groups,
    screen,
    screened,
)


def codes(proposal):
    return [code for code, _ in warnings.warnings_for(Proposal.objects.get(pk=proposal.pk))]


# ------------------------------------------------------------------ warnings


def test_decision_before_the_consultation_closes(proposal, editor):
    consultation(proposal, editor, opens=datetime.date(2025, 6, 2), weeks=12)  # closes 25 August 2025
    assert "decision-before-close" not in codes(proposal)
    screen(proposal, editor, 1, expected_decision_date=datetime.date(2025, 8, 1))
    assert "decision-before-close" in codes(proposal)  # the expected date counts until the decision
    screen(proposal, editor, 8, decision_date=datetime.date(2025, 9, 30), decided_by="Board")
    assert "decision-before-close" not in codes(proposal)
    screen(proposal, editor, 8, decision_date=datetime.date(2025, 8, 24))
    message = dict(warnings.warnings_for(Proposal.objects.get(pk=proposal.pk)))["decision-before-close"]
    assert "24 August 2025" in message and "25 August 2025" in message
    screen(proposal, editor, 8, decision_date=datetime.date(2025, 8, 25))
    assert "decision-before-close" not in codes(proposal)


def test_consultation_rules_apply_only_to_a_consultation(proposal, editor):
    consultation(proposal, editor, weeks=4)
    assert "consultation-short" in codes(proposal)
    assert "decision-before-close" not in codes(proposal)  # no decision date, expected or taken
    screen(proposal, editor, 8, decision_date=datetime.date(2025, 6, 3))
    assert {"decision-before-close", "consultation-short"} <= set(codes(proposal))
    screen(proposal, editor, 5, level="engage")
    assert not {"decision-before-close", "consultation-short"} & set(codes(proposal))


def test_consultation_shorter_than_the_setting(proposal, editor, settings):
    consultation(proposal, editor, weeks=8)
    assert "consultation-short" in codes(proposal)
    message = dict(warnings.warnings_for(Proposal.objects.get(pk=proposal.pk)))["consultation-short"]
    assert "56 days" in message and "guide period of 12 weeks" in message and "not a legal minimum" in message
    assert "minimum of" not in message
    settings.CONSULTATION_GUIDE_WEEKS = 8
    assert "consultation-short" not in codes(proposal)
    settings.CONSULTATION_GUIDE_WEEKS = 9
    assert "consultation-short" in codes(proposal)
    consultation(proposal, editor, weeks=8, adequacy="A narrow change for one practice's patients.")
    assert "consultation-short" not in codes(proposal)  # the reason it is adequate is recorded


def test_consultation_of_the_default_length_is_fine(proposal, editor):
    consultation(proposal, editor, weeks=12)
    assert "consultation-short" not in codes(proposal)


def test_groups_named_that_no_linked_activity_reached(proposal, editor):
    assert "groups-not-reached" not in codes(proposal)  # none named
    screen(proposal, editor, 4, affected_groups=groups("PC-AGE", "INC-RURAL"), ehia_done="no")
    assert "groups-not-reached" in codes(proposal)
    rural = activity_for(editor, title="Village roadshow", reach={group("INC-RURAL"): 14, group("PC-AGE"): 0})
    actions.link_activity(proposal=proposal, activity=rural, by=editor.user)
    message = dict(warnings.warnings_for(Proposal.objects.get(pk=proposal.pk)))["groups-not-reached"]
    assert "Age" in message and "Rural" not in message  # a count of 0 is not reaching them
    older = activity_for(editor, title="Older people's forum", reach={group("PC-AGE"): 30})
    unlinked = activity_for(editor, title="Not linked", reach={group("PC-AGE"): 3})
    assert unlinked
    assert "groups-not-reached" in codes(proposal)  # reaching them in an unlinked activity does not count
    actions.link_activity(proposal=proposal, activity=older, by=editor.user)
    assert "groups-not-reached" not in codes(proposal)


def test_ehia_missing_for_every_decision(proposal, editor):
    assert "ehia-missing" not in codes(proposal)  # nothing answered, nothing decided
    screen(proposal, editor, 2, **STEP_2_DOES_NOT_APPLY)
    screen(proposal, editor, 8, decided_by="Board", decision_date=datetime.date(2025, 7, 1), decision="Yes")
    assert "ehia-missing" in codes(proposal)  # the equality duty applies whether or not s14Z45 does
    screen(proposal, editor, 4, other_affected="Everyone", ehia_done="no")
    assert "ehia-missing" in codes(proposal)
    screen(proposal, editor, 4, ehia_done="yes", ehia_date=datetime.date(2025, 5, 1))
    assert "ehia-missing" not in codes(proposal)


def test_does_not_apply_without_reasoning(proposal, editor):
    screen(proposal, editor, 2, **STEP_2_DOES_NOT_APPLY)
    assert "no-reasoning" not in codes(proposal)
    # as an import or the admin could leave it
    Proposal.objects.filter(pk=proposal.pk).update(applies_proposal_reason="", applies_planning_reason=" ")
    assert "no-reasoning" in codes(proposal)
    message = dict(warnings.warnings_for(Proposal.objects.get(pk=proposal.pk)))["no-reasoning"]
    assert "planning, proposal for change" in message
    Proposal.objects.filter(pk=proposal.pk).update(applies_proposal="yes", applies_planning="yes")
    assert "no-reasoning" not in codes(proposal)  # only a "no" needs defending here


def test_a_fresh_proposal_has_no_warnings(proposal):
    assert codes(proposal) == []


# ------------------------------------------------------------------ step states


def test_steps_answered_counts(editor):
    proposal = screened(editor)
    states = {s.number: s.status for s in steps.step_states(proposal)}
    assert states == {
        1: "answered",
        2: "answered",
        3: "answered",
        4: "answered",
        5: "answered",
        6: "missing",
        7: "incomplete",  # six weeks with no reason why that is adequate (Gunning 3)
        8: "answered",
        9: "answered",
    }
    assert steps.steps_answered(proposal) == 7


# ------------------------------------------------------------------ reference data, demo, annual report


def test_triggers_and_insight_sources_are_seeded(db):
    assert Trigger.objects.filter(code="TRIGGER-OSC-REFERRAL").exists()
    assert Proposal._meta.get_field("insight_sources").related_model.objects.count() == 8
    assert [p.code for p in wording.gunning_principles()] == ["GUN-1", "GUN-2", "GUN-3", "GUN-4", "GUN-N1"]
    assert [t.code for t in wording.service_change_tests()][:1] == ["SC-T1"]


def test_demo_proposals(editor):
    from engagements.proposals import demo as proposal_demo

    icb = editor.organisation
    context = {"icb": icb, "ccg": CCGFactory(), "users": {"editor": editor.user}}
    assert proposal_demo.load(context)
    assert proposal_demo.load(context) == []  # idempotent
    quiet, formal, urgent, late = Proposal.objects.filter(organisation=icb).order_by("pk")
    assert wording.duty_position(quiet) == wording.DutyPosition.DOES_NOT_APPLY
    assert codes(quiet) == []
    assert formal.level == "formal" and formal.reconfiguration == "notifiable"
    assert formal.osc_consulted_on and formal.osc_response and formal.osc_decision_date_given
    assert "decision-before-close" in codes(formal) and "osc-missing" not in codes(formal)
    assert urgent.urgent_exception and urgent.urgent_reason and "osc-missing" not in codes(urgent)
    assert "retrospective" in codes(late) and late.warning_responses["retrospective"]


def test_service_changes_for_the_annual_report(editor):
    from ccg_involvement.years import ReportingYear

    proposal = screened(editor)
    found = selectors.service_changes_for(editor.organisation, ReportingYear(2025))
    assert [c["title"] for c in found] == [proposal.title]
    assert found[0]["duty"] == "The duty applies" and len(found[0]["warnings"]) == 4
    assert selectors.service_changes_for(editor.organisation, ReportingYear(2024)) == []


# ------------------------------------------------------------------ warning rules, one at a time (no database)
def _unsaved(**values) -> Proposal:
    return Proposal(
        organisation=Organisation(kind=OrganisationKind.ICB, name="ICB", ods_code="QRV"), **values
    )


JUNE_2, AUG_25 = datetime.date(2025, 6, 2), datetime.date(2025, 8, 25)


@pytest.mark.parametrize(
    ("values", "fires"),
    [
        ({"level": "formal", "consultation_opens": JUNE_2, "consultation_closes": AUG_25}, False),
        (
            {
                "level": "formal",
                "consultation_closes": AUG_25,
                "expected_decision_date": datetime.date(2025, 8, 1),
            },
            True,
        ),
        (
            {"level": "formal", "consultation_closes": AUG_25, "decision_date": datetime.date(2025, 8, 24)},
            True,
        ),
        ({"level": "formal", "consultation_closes": AUG_25, "decision_date": AUG_25}, False),
        # the decision taken counts over the expected date
        (
            {
                "level": "consult",
                "consultation_closes": AUG_25,
                "decision_date": datetime.date(2025, 9, 1),
                "expected_decision_date": datetime.date(2025, 8, 1),
            },
            False,
        ),
        (
            {"level": "engage", "consultation_closes": AUG_25, "decision_date": datetime.date(2025, 8, 1)},
            False,
        ),
    ],
)
def test_rule_decision_before_consultation_closes(values, fires):
    found = warnings.decision_before_consultation_closes(_unsaved(**values))
    assert bool(found) is fires
    if fires:
        assert found[0][0] == "decision-before-close" and "Gunning principles 1 and 4" in found[0][1]


@pytest.mark.parametrize(
    ("level", "days", "fires"),
    [
        ("formal", 83, True),
        ("formal", 84, False),
        ("consult", 1, True),
        ("engage", 1, False),
        ("inform", 30, False),
    ],
)
def test_rule_consultation_too_short(level, days, fires):
    proposal = _unsaved(
        level=level, consultation_opens=JUNE_2, consultation_closes=JUNE_2 + datetime.timedelta(days)
    )
    found = warnings.consultation_too_short(proposal)
    assert bool(found) is fires
    if fires:
        assert f"{days} day" in found[0][1] and "guide period of 12 weeks" in found[0][1]
        assert "not a legal minimum" in found[0][1]


def test_rule_consultation_too_short_needs_both_dates():
    assert warnings.consultation_too_short(_unsaved(level="formal", consultation_opens=JUNE_2)) == []
    assert warnings.consultation_too_short(_unsaved(level="formal", consultation_closes=JUNE_2)) == []


def test_rule_consultation_too_short_reads_the_setting(settings):
    proposal = _unsaved(
        level="formal", consultation_opens=JUNE_2, consultation_closes=JUNE_2 + datetime.timedelta(weeks=4)
    )
    assert warnings.consultation_too_short(proposal)
    settings.CONSULTATION_GUIDE_WEEKS = 4
    assert warnings.consultation_too_short(proposal) == []


def test_rule_consultation_too_short_not_when_the_period_is_justified():
    proposal = _unsaved(
        level="formal",
        consultation_opens=JUNE_2,
        consultation_closes=JUNE_2 + datetime.timedelta(weeks=4),
        gunning_evidence={"GUN-3": "Four weeks: one small group, all reached directly."},
    )
    assert warnings.consultation_too_short(proposal) == []


@pytest.mark.parametrize(
    ("planning", "proposal", "operational", "ehia", "fires"),
    [
        ("yes", "no", "no", "no", True),
        ("no", "no", "not_sure", "no", True),
        ("no", "no", "no", "no", True),  # the equality duty applies to every decision
        ("yes", "", "", "yes", False),
        ("yes", "no", "no", "", False),  # step 4 not answered, nothing decided
        ("", "", "", "", False),
    ],
)
def test_rule_ehia_missing(planning, proposal, operational, ehia, fires):
    found = warnings.ehia_missing(
        _unsaved(
            applies_planning=planning,
            applies_proposal=proposal,
            applies_operational=operational,
            ehia_done=ehia,
        )
    )
    assert bool(found) is fires


def test_rule_no_reasoning_names_the_bare_limbs():
    proposal = _unsaved(
        applies_planning="no",
        applies_planning_reason=" ",
        applies_proposal="no",
        applies_proposal_reason="",
        applies_operational="no",
        applies_operational_reason="Back office.",
    )
    [(code, message)] = warnings.no_reasoning(proposal)
    assert code == "no-reasoning" and "(planning, proposal for change)" in message
    proposal.applies_planning = proposal.applies_proposal = "yes"  # only a "no" needs defending here
    assert warnings.no_reasoning(proposal) == []


def test_rule_groups_not_reached_counts_linked_activities_with_people(proposal, editor):
    screen(proposal, editor, 4, affected_groups=groups("PC-AGE", "INC-RURAL"), ehia_done="no")
    proposal = Proposal.objects.get(pk=proposal.pk)
    [(code, message)] = warnings.groups_not_reached(proposal)
    assert code == "groups-not-reached" and "Age" in message and "Rural" in message
    roadshow = activity_for(editor, title="Roadshow", reach={group("INC-RURAL"): 4, group("PC-AGE"): 0})
    proposal.activities.add(roadshow)
    proposal = Proposal.objects.get(pk=proposal.pk)
    [(_, message)] = warnings.groups_not_reached(proposal)
    assert "Age" in message and "Rural" not in message


def test_every_rule_is_in_warnings_for_with_its_source():
    assert [rule.check.__name__ for rule in warnings.RULES] == [
        "osc_missing",
        "reconfiguration_unanswered",
        "decision_before_consultation_closes",
        "consultation_too_short",
        "no_gunning_4",
        "groups_not_reached",
        "ehia_missing",
        "due_regard_missing",
        "no_reasoning",
        "not_sure_without_reasoning",
        "retrospective_screening",
        "evidence_after_decision",
    ]
    for rule in warnings.RULES:
        assert rule.sources and rule.says and all(rule.source_texts)


# ------------------------------------------------------------------ the step table
def test_the_table_numbers_the_nine_steps_in_order():
    assert list(STEPS) == list(range(1, 10)) and steps.STEP_COUNT == 9
    assert [step.number for step in STEPS.values()] == list(STEPS)
    assert len({step.key for step in STEPS.values()}) == 9


def test_the_table_names_real_fields_and_each_field_once():
    names = [name for step in STEPS.values() for name in (*step.fields, *step.lists, *step.shown)]
    assert len(names) == len(set(names))
    for name in names:
        Proposal._meta.get_field(name)  # raises if the table names a field the model does not have
    for step in STEPS.values():
        assert all(Proposal._meta.get_field(name).many_to_many for name in step.lists)
        assert set(step.list_labels) == set(step.lists)


def test_each_form_gives_what_its_step_saves(editor):
    """A form's values() are its step's fields and lists, nothing else (the action saves only those)."""
    proposal = screened(editor)
    proposal = screen(proposal, editor, 6, substantial="no", substantial_reason="Same site.")
    for step in STEPS.values():
        form = step.form(
            _posted(step.form.initial_for(proposal)), proposal=proposal, organisation=proposal.organisation
        )
        assert form.is_valid(), (step.number, form.errors)
        assert set(form.values()) <= set(step.fields) | set(step.lists), step.number


def _posted(initial):
    """The form's initial values as a browser would post them (dates in three boxes)."""
    data = {}
    for name, value in initial.items():
        if isinstance(value, datetime.date):
            data |= {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = value
    return data


def test_history_fields_follow_the_steps():
    assert steps.HISTORY_FIELDS[:6] == list(STEPS[1].fields)
    assert steps.HISTORY_FIELDS.index("ehia_document") == steps.HISTORY_FIELDS.index("ehia_mitigations") + 1
    assert steps.HISTORY_FIELDS[-2:] == list(STEPS[9].fields)


def test_uploads_go_to_the_impact_assessment_and_the_consultation_documents():
    assert {n: s.upload.field for n, s in STEPS.items() if s.upload} == {4: "ehia_document", 7: "documents"}


def test_the_consultation_step_is_needed_only_for_a_consultation():
    consultation_step = STEPS[7]
    for level, needed in (
        ("", False),
        ("inform", False),
        ("engage", False),
        ("consult", True),
        ("formal", True),
    ):
        assert consultation_step.is_needed(Proposal(level=level)) is needed
        assert (consultation_step.status(Proposal(level=level)) == StepStatus.NOT_NEEDED) is not needed
    assert consultation_step.needed_from == 5
    assert all(step.is_needed(Proposal()) for n, step in STEPS.items() if n != 7)


@pytest.mark.parametrize(("level", "after_6", "before_8"), [("engage", 8, 6), ("formal", 7, 7), ("", 8, 6)])
def test_next_and_previous_step_skip_a_step_not_needed(level, after_6, before_8):
    proposal = Proposal(level=level)
    assert steps.next_step(proposal, 6) == after_6
    assert steps.previous_step(proposal, 8) == before_8
    assert steps.next_step(proposal, 1) == 2 and steps.previous_step(proposal, 2) == 1
    assert steps.next_step(proposal, 8) == 9 and steps.next_step(proposal, 9) is None
    assert steps.previous_step(proposal, 1) is None


@pytest.mark.parametrize(
    ("rule", "values", "status"),
    [
        (steps.proposal_status, {"title": "T"}, StepStatus.INCOMPLETE),
        (steps.proposal_status, {"title": "T", "trigger_id": 1}, StepStatus.ANSWERED),
        (steps.duty_status, {}, StepStatus.MISSING),
        (steps.duty_status, {**STEP_2_APPLIES, "applies_planning_reason": " "}, StepStatus.INCOMPLETE),
        (steps.duty_status, STEP_2_DOES_NOT_APPLY, StepStatus.ANSWERED),
        (steps.insight_status, {"insight_summary": "  "}, StepStatus.MISSING),
        (steps.insight_status, {"insight_summary": "Seen."}, StepStatus.ANSWERED),
        (steps.variation_status, {"substantial": "no"}, StepStatus.INCOMPLETE),
        (steps.variation_status, {"substantial": "no", "substantial_reason": "Same."}, StepStatus.ANSWERED),
        (steps.consultation_status, {"consultation_opens": JUNE_2}, StepStatus.INCOMPLETE),
        (
            steps.consultation_status,
            {
                "consultation_opens": JUNE_2,
                "consultation_closes": AUG_25,
                "gunning_evidence": {"GUN-1": "a", "GUN-2": "b", "GUN-3": "c", "GUN-4": "d"},
            },
            StepStatus.ANSWERED,
        ),
        (steps.decision_status, {"decided_by": "Board", "decision": "Go"}, StepStatus.INCOMPLETE),
        (
            steps.decision_status,
            {"decided_by": "B", "decision_date": AUG_25, "decision": "Go", "involvement_influence": "Bus."},
            StepStatus.INCOMPLETE,  # no reasons, no record of due regard
        ),
        (
            steps.decision_status,
            {
                "decided_by": "B",
                "decision_date": AUG_25,
                "decision": "Go",
                "decision_reasons": "Access.",
                "involvement_influence": "Bus.",
                "due_regard_by": "B",
                "due_regard_on": AUG_25,
            },
            StepStatus.ANSWERED,
        ),
        (
            steps.variation_status,
            {"substantial": "yes", "substantial_reason": "Moves."},
            StepStatus.INCOMPLETE,
        ),
        (
            steps.variation_status,
            {
                "substantial": "yes",
                "substantial_reason": "Moves.",
                "urgent_exception": True,
                "urgent_reason": "Unsafe.",
            },
            StepStatus.ANSWERED,
        ),
        (steps.feedback_status, {"feedback_on": AUG_25}, StepStatus.INCOMPLETE),
        (steps.feedback_status, {"feedback_on": AUG_25, "feedback_how": "Letters."}, StepStatus.ANSWERED),
    ],
)
def test_status_rules_without_lists(rule, values, status):
    assert rule(Proposal(**values)) == status


def test_status_rules_with_lists(proposal, editor):
    assert steps.affected_status(proposal) == StepStatus.MISSING
    screen(proposal, editor, 4, affected_groups=groups("PC-AGE"), ehia_done="yes")
    assert steps.affected_status(Proposal.objects.get(pk=proposal.pk)) == StepStatus.INCOMPLETE  # no date
    screen(proposal, editor, 4, ehia_done="no")
    assert steps.affected_status(Proposal.objects.get(pk=proposal.pk)) == StepStatus.ANSWERED
    screen(proposal, editor, 5, level="engage", timing="Summer")
    assert steps.approach_status(Proposal.objects.get(pk=proposal.pk)) == StepStatus.INCOMPLETE  # no methods


# ------------------------------------------------------------------ wording
@pytest.mark.parametrize(
    ("answers", "position"),
    [
        (("yes", "no", "no"), wording.DutyPosition.APPLIES),
        (("no", "not_sure", "no"), wording.DutyPosition.MAY_APPLY),
        (("no", "no", "no"), wording.DutyPosition.DOES_NOT_APPLY),
        (("no", "", "no"), wording.DutyPosition.UNANSWERED),
        (("", "", ""), wording.DutyPosition.UNANSWERED),
    ],
)
def test_duty_position(answers, position):
    proposal = Proposal(**{f"applies_{limb}": a for limb, a in zip(wording.LIMBS, answers, strict=True)})
    assert wording.duty_position(proposal) == position
    assert wording.duty_applies(proposal) is (position in {"applies", "may_apply"})
    assert Answer.NOT_SURE == "not_sure"


def test_wording_by_kind_of_organisation():
    ccg = wording.framework_wording(Organisation(kind=OrganisationKind.CCG))
    icb = wording.framework_wording(Organisation(kind=OrganisationKind.ICB))
    assert (ccg.section, icb.section) == ("14Z2", "14Z45")
    assert ccg.duty_title == "The duty in section 14Z2"
    assert "carers and representatives" in icb.people and "carers" not in ccg.people
    assert "the CCG's commissioning arrangements" in ccg.limbs["planning"][1]


# ------------------------------------------------------------------ selectors
def test_record_context_says_what_the_record_shows(editor):
    proposal = screened(editor)
    context = selectors.record_context(selectors.proposal_for_page(editor.organisation, proposal.pk))
    assert context["answered"] == 7 and context["step_count"] == 9
    assert [s.number for s in context["open_steps"]] == [6, 7] and context["first_open"].number == 6
    assert context["position_label"] == "The duty applies" and context["consultation_days"] == 42
    assert {w for w, _ in context["warnings"]} == {
        "decision-before-close",
        "consultation-short",
        "groups-not-reached",
        "ehia-missing",
    }
    assert [limb["answer_label"] for limb in context["limbs"]] == ["No", "Yes", "Not sure"]
    assert [p["code"] for p in context["principles"] if p["required"]] == ["GUN-1", "GUN-2", "GUN-3", "GUN-4"]
    assert context["tests"][0]["result_label"] == "Not assessed"


def test_proposal_for_page_is_scoped_to_the_organisation(proposal, outsider):
    with pytest.raises(Proposal.DoesNotExist):
        selectors.proposal_for_page(outsider.organisation, proposal.pk)


def test_proposals_for_activity(proposal, editor):
    event = activity_for(editor, title="Drop-in")
    assert selectors.proposals_for_activity(event) == []
    proposal.activities.add(event)
    assert selectors.proposals_for_activity(event) == [{"pk": proposal.pk, "title": proposal.title}]


def test_linked_activities_show_the_affected_groups_reached(proposal, editor):
    screen(proposal, editor, 4, affected_groups=groups("PC-AGE"), ehia_done="no")
    event = activity_for(editor, title="Forum", reach={group("PC-AGE"): 6, group("INC-RURAL"): 2})
    proposal.activities.add(event)
    [row] = selectors.linked_activities(selectors.proposal_for_page(editor.organisation, proposal.pk))
    assert row["activity"] == event and [r["name"] for r in row["reached_affected"]] == [group("PC-AGE").name]
    assert row["reached_affected"][0]["shown"] == 6
    [row] = selectors.linked_activities(
        selectors.proposal_for_page(editor.organisation, proposal.pk), count=lambda n: "few" if n < 5 else n
    )
    assert row["reached_affected"][0]["shown"] == 6


# ------------------------------------------------------------------ issue 14: rules that follow the law
DECIDED = datetime.date(2025, 9, 1)


def test_rule_osc_missing_fires_for_a_substantial_change_whatever_the_level():
    for level in ("inform", "engage", "consult", "formal"):
        [(code, message)] = warnings.osc_missing(_unsaved(substantial="yes", level=level))
        assert code == "osc-missing" and "regulation 23" in message.lower()


def test_rule_osc_missing_not_when_consulted_not_substantial_or_urgent():
    consulted = _unsaved(
        substantial="yes", osc_consulted_on=JUNE_2, osc_decision_date_given=DECIDED, level="engage"
    )
    assert warnings.osc_missing(consulted) == []
    assert warnings.osc_missing(_unsaved(substantial="no")) == []
    assert warnings.osc_missing(_unsaved(substantial="unknown")) == []
    urgent = _unsaved(substantial="yes", urgent_exception=True, urgent_reason="Unsafe staffing.")
    assert warnings.osc_missing(urgent) == []


def test_rule_osc_decision_date_and_urgent_reason():
    [(code, _)] = warnings.osc_missing(_unsaved(substantial="yes", osc_consulted_on=JUNE_2))
    assert code == "osc-decision-date-missing"
    [(code, message)] = warnings.osc_missing(_unsaved(substantial="yes", urgent_exception=True))
    assert code == "urgent-no-reason" and "safety or welfare" in message


def test_rule_reconfiguration_only_for_icb_decisions_from_the_regime_start():
    icb = _unsaved(substantial="yes", decision_date=datetime.date(2024, 3, 1))
    [(code, message)] = warnings.reconfiguration_unanswered(icb)
    assert code == "reconfiguration-unanswered" and "unverified" in message
    icb.reconfiguration = "notifiable"
    assert [c for c, _ in warnings.reconfiguration_unanswered(icb)] == ["reconfiguration-not-notified"]
    icb.reconfiguration_notified_on = datetime.date(2024, 2, 1)
    assert warnings.reconfiguration_unanswered(icb) == []
    icb.reconfiguration = "exempt"
    assert warnings.reconfiguration_unanswered(icb) == []
    before = _unsaved(substantial="yes", decision_date=datetime.date(2023, 11, 1))
    assert warnings.reconfiguration_unanswered(before) == []
    ccg = Proposal(
        organisation=Organisation(kind=OrganisationKind.CCG, name="CCG", ods_code="00Q"),
        substantial="yes",
        decision_date=datetime.date(2022, 2, 1),
    )
    assert warnings.reconfiguration_unanswered(ccg) == [] and not wording.reconfiguration_applies(ccg)


def test_a_ccg_cannot_record_a_reconfiguration(editor):
    ccg = CCGFactory()
    proposal = actions.create_proposal(
        organisation=ccg,
        by=editor.user,
        values={
            "title": "Feb 2022 change",
            "expected_decision_date": datetime.date(2022, 2, 1),
            "owner": None,
        },
    )
    with pytest.raises(ActionError, match="ICB decisions on or after"):
        screen(proposal, editor, 6, substantial="yes", reconfiguration="notifiable")


def test_rule_no_gunning_4():
    decided = _unsaved(level="formal", decision_date=DECIDED, gunning_evidence={"GUN-1": "Open."})
    [(code, _)] = warnings.no_gunning_4(decided)
    assert code == "no-gunning-4"
    decided.gunning_evidence["GUN-4"] = "Analysis of 412 responses was appendix B of the paper."
    assert warnings.no_gunning_4(decided) == []
    assert warnings.no_gunning_4(_unsaved(level="formal")) == []  # not decided yet
    assert warnings.no_gunning_4(_unsaved(level="inform", decision_date=DECIDED)) == []  # no consultation


def test_rule_not_sure_without_reasoning():
    bare = _unsaved(applies_planning="not_sure", applies_planning_reason="  ")
    [(code, message)] = warnings.not_sure_without_reasoning(bare)
    assert code == "not-sure-no-reasoning" and "planning" in message
    bare.applies_planning_reason = "We do not yet know whether opening hours change."
    assert warnings.not_sure_without_reasoning(bare) == []


def test_rule_due_regard_missing():
    decided = _unsaved(decision_date=DECIDED)
    [(code, _)] = warnings.due_regard_missing(decided)
    assert code == "due-regard-missing"
    decided.due_regard_by, decided.due_regard_on = "ICB board", DECIDED
    assert warnings.due_regard_missing(decided) == []
    assert warnings.due_regard_missing(_unsaved()) == []


def test_rule_retrospective_screening(proposal, editor):
    screen(proposal, editor, 8, decided_by="Board", decision_date=datetime.date(2025, 1, 6), decision="Yes")
    assert "retrospective" in codes(proposal)  # started today, decided earlier
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=datetime.datetime(2025, 1, 2, 9, tzinfo=datetime.UTC)
    )
    assert "retrospective" not in codes(proposal)


def test_rule_evidence_after_decision(proposal, editor):
    screen(proposal, editor, 8, decided_by="Board", decision_date=datetime.date(2025, 6, 1), decision="Yes")
    before = activity_for(editor, title="Drop-in", start=datetime.date(2025, 5, 1))
    actions.link_activity(proposal=proposal, activity=before, by=editor.user)
    assert "evidence-after-decision" not in codes(proposal)
    after = activity_for(editor, title="Late survey", start=datetime.date(2025, 7, 1))
    actions.link_activity(proposal=proposal, activity=after, by=editor.user)
    message = dict(warnings.warnings_for(Proposal.objects.get(pk=proposal.pk)))["evidence-after-decision"]
    assert "Late survey" in message and "Drop-in" not in message


def test_every_warning_code_has_its_sources():
    sources = warnings.SOURCES_BY_CODE["osc-missing"]
    assert any("regulation 23" in s for s in sources)
    assert any("partly verified" in s for s in warnings.SOURCES_BY_CODE["urgent-no-reason"])


def test_due_regard_statement_names_the_duties_and_who_considered_it(proposal, editor):
    screen(
        proposal,
        editor,
        4,
        other_affected="Everyone",
        ehia_done="yes",
        ehia_date=datetime.date(2025, 5, 1),
        ehia_reference="EHIA-9",
        ehia_impacts="Longer journeys.",
        ehia_mitigations="Transport.",
    )
    screen(
        proposal,
        editor,
        8,
        due_regard_by="ICB board",
        due_regard_on=datetime.date(2025, 6, 1),
        due_regard_statement="Read in full.",
    )
    text = selectors.due_regard_statement(Proposal.objects.get(pk=proposal.pk))
    assert "ICB board considered" in text and "s149" in text and "14Z35" in text
    assert "EHIA-9" in text and "Longer journeys" in text and "Transport" in text


def test_other_organisations_get_neutral_wording():
    other = wording.framework_wording(Organisation(kind=OrganisationKind.OTHER))
    assert other.section == "" and "14Z45" not in other.duty and "ICB" not in other.limbs["planning"][1]
    assert "applies to your organisation" in other.act
    icb = wording.framework_wording(Organisation(kind=OrganisationKind.ICB))
    assert icb.section == "14Z45"
