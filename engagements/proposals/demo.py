"""Four demo proposals for the demo ICB: one the duty does not cover; a substantial change with a
public consultation and the local authority consulted under regulation 23; a regulation 24 urgent
decision; and a screening recorded after the decision (retrospective).

``load(context)`` is called by ``load_demo_data`` after the demo activities (the app comes after
``engagements`` in INSTALLED_APPS), with the same context (``icb``, ``ccg``, ``users``). Idempotent: nothing happens if the ICB already has proposals.
"""

import datetime
from decimal import Decimal

from ccg_involvement.years import ReportingYear
from engagements.models import Activity, AudienceGroup, Method, Outcome
from engagements.proposals import actions
from engagements.proposals.models import InsightSource, Proposal, Trigger
from engagements.proposals.warnings import warnings_for


def _started(proposal, on: datetime.date) -> Proposal:
    """Date the screening's start as a user starting it that day would have (demo data only)."""
    when = datetime.datetime.combine(on, datetime.time(9, 30), tzinfo=datetime.UTC)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=when)
    proposal.created_at = when
    return proposal


def _answer_warnings(proposal, by, responses: dict) -> Proposal:
    """Record how each warning the screening raises was addressed (as step 8 does)."""
    raised = {code for code, _ in warnings_for(Proposal.objects.get(pk=proposal.pk))}
    chosen = {code: text for code, text in responses.items() if code in raised}
    if not chosen:
        return proposal
    return actions.save_step(proposal=proposal, step=8, by=by, values={"warning_responses": chosen})


def _by_code(model, *codes):
    found = {o.code: o for o in model.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def _not_applying(organisation, by, year: ReportingYear) -> Proposal:
    proposal = actions.create_proposal(
        organisation=organisation,
        by=by,
        values={
            "title": "Change of supplier for the GP appointment text-reminder service",
            "description": "The contract for the text-message reminder system used by GP practices ends. "
            "A new supplier will send the same reminders, at the same times, from the same number.",
            "service_area": "Primary care",
            "trigger": Trigger.objects.get(code="TRIGGER-CONTRACT"),
            "expected_decision_date": year.start + datetime.timedelta(days=75),
            "owner": by,
        },
    )
    steps = {
        2: {
            "applies_planning": "no",
            "applies_planning_reason": "The contract change is not part of planning commissioning arrangements; "
            "the primary care strategy that covers reminders was engaged on last year.",
            "applies_proposal": "no",
            "applies_proposal_reason": "Patients receive the same reminders at the same times from the same "
            "sender name; no service is added or withdrawn, so there is no impact where people receive care.",
            "applies_operational": "no",
            "applies_operational_reason": "Choosing a supplier through the framework is an operational decision "
            "with no effect on how or which services are delivered to patients.",
        },
        3: {
            "insight_sources": _by_code(InsightSource, "INSIGHT-COMPLAINTS", "INSIGHT-SURVEYS"),
            "insight_summary": "Two complaints in the last year asked for reminders in other languages; the "
            "new specification keeps the translated reminder option. No other themes.",
        },
        4: {
            "affected_groups": [],
            "other_affected": "Practice staff who set up reminders (training from the new supplier).",
            "ehia_done": "yes",
            "ehia_date": year.start + datetime.timedelta(days=40),
            "ehia_reference": "EHIA-PC-031",
            "ehia_impacts": "No differential impact found: the same reminders, times and languages continue.",
            "ehia_mitigations": "Translated reminders kept in the specification.",
        },
        5: {
            "level": "inform",
            "methods": _by_code(Method, "METHOD-INFO"),
            "timing": "Practices told three months before the switch; a note in the patient newsletter.",
            "budget": None,
        },
        6: {
            "substantial": "no",
            "substantial_reason": "No change to access, location, opening hours or the range of services.",
            "service_change_tests": {},
        },
        8: {
            "decided_by": "Primary Care Commissioning Committee",
            "decision_date": year.start + datetime.timedelta(days=75),
            "board_paper_ref": "PCCC paper 6.1",
            "minute_ref": "PCCC minute 2026/044",
            "decision": "Award the reminder-service contract to the framework supplier from 1 October.",
            "decision_reasons": "The framework supplier offers the same service at lower cost with no change "
            "for patients.",
            "alternatives": "Extending the current contract (not possible under procurement rules).",
            "involvement_influence": "The duty did not apply. Complaints about language led us to keep "
            "translated reminders in the specification.",
            "due_regard_by": "Primary Care Commissioning Committee",
            "due_regard_on": year.start + datetime.timedelta(days=75),
            "due_regard_statement": "The committee read the impact assessment with the paper.",
            "outcomes": [],
        },
        9: {
            "feedback_on": year.start + datetime.timedelta(days=90),
            "feedback_how": "Practice newsletter and a note to the practice managers' network.",
        },
    }
    _started(proposal, year.start + datetime.timedelta(days=30))
    for step, values in steps.items():
        proposal = actions.save_step(proposal=proposal, step=step, by=by, values=values)
    return proposal


def _formal_consultation(organisation, by, year: ReportingYear) -> Proposal:
    opens = year.start + datetime.timedelta(days=45)
    closes = opens + datetime.timedelta(weeks=12)
    decided = closes - datetime.timedelta(days=10)  # before the consultation closes: a Gunning warning
    proposal = actions.create_proposal(
        organisation=organisation,
        by=by,
        values={
            "title": "Bringing stroke rehabilitation beds together on one site",
            "description": "Inpatient stroke rehabilitation is now split between two community hospitals. "
            "The proposal moves all 24 beds to Riverside Community Hospital with a new early "
            "supported discharge team.",
            "service_area": "Community services",
            "trigger": Trigger.objects.get(code="TRIGGER-RECONFIGURE"),
            "expected_decision_date": decided,
            "owner": by,
        },
    )
    tests = {
        "SC-T1": ("met", "Twelve-week consultation, 14 public events and outreach to rural villages."),
        "SC-T2": ("met", "Patients keep the choice of early supported discharge at home."),
        "SC-T3": ("met", "Clinical senate review in June supported the single-site model."),
        "SC-T4": ("met", "Endorsed by the ICB's clinical leaders and the stroke network."),
        "SC-T5": ("not_assessed", ""),
    }
    _started(proposal, year.start + datetime.timedelta(days=5))
    steps = {
        2: {
            "applies_planning": "no",
            "applies_planning_reason": "This is a specific service change rather than planning.",
            "applies_proposal": "yes",
            "applies_proposal_reason": "Moving the beds changes where people receive rehabilitation.",
            "applies_operational": "yes",
            "applies_operational_reason": "The bed moves and discharge team change how the service runs.",
        },
        3: {
            "insight_sources": _by_code(
                InsightSource, "INSIGHT-HEALTHWATCH", "INSIGHT-COMPLAINTS", "INSIGHT-JSNA", "INSIGHT-PREVIOUS"
            ),
            "insight_summary": "Healthwatch's 2023 report: families struggle to visit the rural site by bus. "
            "Complaints about delays in therapy at weekends. The JSNA projects 20% more strokes by 2030.",
        },
        4: {
            "affected_groups": _by_code(
                AudienceGroup, "PC-AGE", "PC-DISABILITY", "INC-CARERS", "INC-RURAL", "INC-DIGITAL"
            ),
            "other_affected": "Staff at both hospitals; the voluntary stroke club.",
            "ehia_done": "yes",
            "ehia_date": opens - datetime.timedelta(days=20),
            "ehia_reference": "EHIA-CS-017 v2",
            "ehia_impacts": "Longer journeys for older and disabled people and their carers in the east of "
            "the area, most of whom rely on buses; better weekend therapy for everyone.",
            "ehia_mitigations": "A visitor transport scheme; video calls on the ward; weekend therapy cover.",
        },
        5: {
            "level": "formal",
            "methods": _by_code(
                Method, "METHOD-ONLINE", "METHOD-PUBMEET", "METHOD-OUTREACH", "METHOD-SURVEY"
            ),
            "timing": "Pre-consultation engagement in spring; formal consultation for 12 weeks from "
            f"{opens.day} {opens:%B %Y}.",
            "budget": Decimal("18500.00"),
        },
        6: {
            "substantial": "yes",
            "substantial_reason": "Changes the location of a service used by about 400 people a year, with "
            "longer journeys for families in the east of the area.",
            "osc_consulted_on": opens - datetime.timedelta(days=30),
            "osc_decision_date_given": decided,
            "osc_joint": False,
            "osc_response": "The Health Overview and Scrutiny Committee supported the single-site model "
            "on condition that transport for visitors is funded, and asked for a report a year on.",
            "osc_response_on": closes - datetime.timedelta(days=20),
            "reconfiguration": "notifiable",
            "reconfiguration_reason": "A substantial change to where inpatient services are provided.",
            "reconfiguration_notified_on": opens - datetime.timedelta(days=25),
            "service_change_tests": {code: {"result": r, "evidence": e} for code, (r, e) in tests.items()},
        },
        7: {
            "consultation_opens": opens,
            "consultation_closes": closes,
            "gunning_evidence": {
                "GUN-1": "Three options consulted on; the board paper of March says no option was preferred.",
                "GUN-2": "Consultation document, Easy Read and four community-language versions.",
                "GUN-3": "Twelve weeks, running across the school holidays with two extra evening events.",
                "GUN-N1": "The options appraisal, including the rejected two-site option, was published.",
            },
        },
    }
    for step, values in steps.items():
        proposal = actions.save_step(proposal=proposal, step=step, by=by, values=values)

    activities = list(
        Activity.objects.filter(
            organisation=organisation,
            title__in=[
                "Health scrutiny briefing on community beds",
                "Community conversations on the five-year plan",
            ],
        )
    )
    for activity in activities:
        proposal = actions.link_activity(proposal=proposal, activity=activity, by=by)
    proposal = actions.save_step(
        proposal=proposal,
        step=8,
        by=by,
        values={
            "decided_by": "ICB board (meeting in public)",
            "decision_date": decided,
            "board_paper_ref": "ICB board paper 9 (item 9.2)",
            "minute_ref": "ICB board minute 2026/117",
            "decision": "Approve the single-site model with a transport scheme for visiting families.",
            "decision_reasons": "One site gives seven-day therapy and meets the stroke network's staffing "
            "standard; the clinical senate supported it; the transport scheme answers the main concern.",
            "alternatives": "Keeping two sites (rejected: neither could staff seven-day therapy); a new "
            "unit at the acute hospital (rejected: no capital for five years).",
            "consultation_responses": 412,
            "consultation_themes": "Travel for visitors by bus; weekend therapy; keeping the stroke club's "
            "link with the ward.",
            "involvement_influence": "Families' travel concerns led to the visitor transport scheme and "
            "weekend therapy cover being added to the model.",
            "due_regard_by": "ICB board (meeting in public)",
            "due_regard_on": decided,
            "due_regard_statement": "The board had the impact assessment as appendix C of the paper and "
            "agreed the transport scheme as the mitigation for older and disabled people and carers.",
            "outcomes": list(Outcome.objects.filter(activity__in=activities)[:2]),
        },
    )
    proposal = actions.save_step(
        proposal=proposal,
        step=9,
        by=by,
        values={
            "feedback_on": closes + datetime.timedelta(days=21),
            "feedback_how": "A “you said, we did” report on the website, emailed to the 412 respondents and "
            "presented to the stroke club.",
        },
    )
    return _answer_warnings(
        proposal,
        by,
        {
            "decision-before-close": "Not addressed: the board decided before the consultation closed. "
            "Legal advice is being taken on whether the decision must be taken again.",
            "no-gunning-4": "Not addressed: the analysis of responses was not before the board.",
        },
    )


def _urgent(organisation, by, year: ReportingYear) -> Proposal:
    """A regulation 24 case: a temporary closure decided without time to consult the local authority."""
    decided = year.start + datetime.timedelta(days=120)
    proposal = actions.create_proposal(
        organisation=organisation,
        by=by,
        values={
            "title": "Temporary suspension of births at the Riverside midwife-led unit",
            "description": "Births move to the main maternity unit for up to six months while midwife "
            "staffing at Riverside is below the safe level. Antenatal and postnatal clinics stay.",
            "service_area": "Maternity",
            "trigger": Trigger.objects.get(code="TRIGGER-RECONFIGURE"),
            "expected_decision_date": decided,
            "owner": by,
        },
    )
    _started(proposal, decided - datetime.timedelta(days=2))
    steps = {
        2: {
            "applies_planning": "no",
            "applies_planning_reason": "A temporary operational change, not planning.",
            "applies_proposal": "yes",
            "applies_proposal_reason": "Changes where women can give birth.",
            "applies_operational": "yes",
            "applies_operational_reason": "Changes how the maternity service runs for up to six months.",
        },
        3: {
            "insight_sources": _by_code(InsightSource, "INSIGHT-COMPLAINTS", "INSIGHT-HEALTHWATCH"),
            "insight_summary": "Maternity Voices Partnership feedback values the unit; no complaints about "
            "safety.",
        },
        4: {
            "affected_groups": _by_code(AudienceGroup, "PC-PREGNANCY", "INC-RURAL"),
            "other_affected": "Midwives at both units.",
            "ehia_done": "yes",
            "ehia_date": decided - datetime.timedelta(days=1),
            "ehia_reference": "EHIA-MAT-004 (rapid)",
            "ehia_impacts": "Longer journeys in labour for women in rural villages; loss of choice of a "
            "midwife-led birth for up to six months.",
            "ehia_mitigations": "Transport for women without a car; home births still supported.",
        },
        5: {
            "level": "inform",
            "methods": _by_code(Method, "METHOD-INFO", "METHOD-REPS"),
            "timing": "The risk left no time to involve people before the decision. Women booked at the "
            "unit were phoned within a week; engagement on the unit's future follows.",
            "budget": None,
        },
        6: {
            "substantial": "yes",
            "substantial_reason": "A change in where births can take place, affecting about 300 births a year.",
            "urgent_exception": True,
            "urgent_reason": "Midwife staffing fell below the level the trust's safety review judged safe "
            "for births at the unit; there was no time to consult without risk to mothers and babies.",
            "urgent_la_told_on": decided + datetime.timedelta(days=1),
            "reconfiguration": "exempt",
            "reconfiguration_reason": "A temporary change for safety reasons (check the exemption in the "
            "DHSC guidance).",
            "service_change_tests": {},
        },
        8: {
            "decided_by": "ICB chief executive under urgent powers, reported to the board",
            "decision_date": decided,
            "board_paper_ref": "Urgent decision report UD-2026-03",
            "minute_ref": "ICB board minute 2026/131 (ratified)",
            "decision": "Suspend births at the unit for up to six months from the next day.",
            "decision_reasons": "Patient safety: staffing below the safe level.",
            "alternatives": "Agency midwives (not available in time); reduced hours (still unsafe).",
            "involvement_influence": "No involvement was possible before the decision; the Maternity Voices "
            "Partnership is co-designing the plan for reopening.",
            "due_regard_by": "ICB chief executive",
            "due_regard_on": decided,
            "due_regard_statement": "The rapid impact assessment was read before the decision; transport "
            "for women without a car was agreed as the mitigation.",
            "outcomes": [],
        },
        9: {
            "feedback_on": decided + datetime.timedelta(days=7),
            "feedback_how": "Phone calls to every woman booked at the unit; a statement on the website.",
        },
    }
    for step, values in steps.items():
        proposal = actions.save_step(proposal=proposal, step=step, by=by, values=values)
    return proposal


def _retrospective(organisation, by, year: ReportingYear) -> Proposal:
    """A screening written up after the decision: the record says so."""
    decided = year.start + datetime.timedelta(days=60)
    proposal = actions.create_proposal(
        organisation=organisation,
        by=by,
        values={
            "title": "Shorter weekend opening at the Eastgate walk-in centre",
            "description": "Weekend opening changes from 8am to 8pm to 9am to 6pm.",
            "service_area": "Urgent care",
            "trigger": Trigger.objects.get(code="TRIGGER-CONTRACT"),
            "expected_decision_date": decided,
            "owner": by,
        },
    )
    _started(proposal, decided + datetime.timedelta(days=45))
    steps = {
        2: {
            "applies_planning": "no",
            "applies_planning_reason": "Not planning.",
            "applies_proposal": "yes",
            "applies_proposal_reason": "Fewer opening hours change when people can use the service.",
            "applies_operational": "not_sure",
            "applies_operational_reason": "",
        },
        3: {
            "insight_sources": _by_code(InsightSource, "INSIGHT-SURVEYS"),
            "insight_summary": "Attendance data only: few visits after 6pm at weekends.",
        },
        4: {
            "affected_groups": _by_code(AudienceGroup, "PC-AGE"),
            "other_affected": "",
            "ehia_done": "no",
            "ehia_date": None,
        },
        5: {
            "level": "inform",
            "methods": _by_code(Method, "METHOD-INFO"),
            "timing": "Notices at the centre a month before the change.",
            "budget": None,
        },
        6: {
            "substantial": "no",
            "substantial_reason": "Fewer than 5 visits an evening; the out-of-hours service covers them.",
            "service_change_tests": {},
        },
        8: {
            "decided_by": "Urgent care programme board",
            "decision_date": decided,
            "minute_ref": "UCPB minute 14/2026",
            "decision": "Reduce weekend opening to 9am to 6pm.",
            "decision_reasons": "Low use in the evening; staff moved to weekday cover.",
            "involvement_influence": "No involvement took place before the decision.",
            "outcomes": [],
        },
    }
    for step, values in steps.items():
        proposal = actions.save_step(proposal=proposal, step=step, by=by, values=values)
    return _answer_warnings(
        proposal,
        by,
        {
            "retrospective": "The screening was written up after a complaint; the programme board has "
            "agreed to screen before deciding in future.",
        },
    )


def load(context: dict) -> list[str]:
    organisation = context["icb"]
    if Proposal.objects.for_organisation(organisation).exists():
        return []
    by = context["users"]["editor"]
    year = ReportingYear.current()
    _not_applying(organisation, by, year)
    _formal_consultation(organisation, by, year)
    _urgent(organisation, by, year)
    _retrospective(organisation, by, year)
    return [
        f"Proposals: 4 for {organisation.ods_code} (one the duty does not cover, a substantial change "
        "with the local authority consulted, a regulation 24 urgent decision, a retrospective screening)"
    ]
