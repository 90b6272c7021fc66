"""Two demo proposals for the demo ICB: one the duty does not cover, one formal consultation.

``load(context)`` is called by ``load_demo_data`` after the demo activities (the app comes after
``engagements`` in INSTALLED_APPS), with the same context (``icb``, ``ccg``, ``users``). Idempotent: nothing happens if the ICB already has proposals.
"""

import datetime
from decimal import Decimal

from ccg_involvement.years import ReportingYear
from engagements.models import Activity, AudienceGroup, Method, Outcome
from engagements.proposals import actions
from engagements.proposals.models import InsightSource, Proposal, Trigger


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
            "ehia_done": "no",
            "ehia_date": None,
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
            "osc_consulted_on": None,
            "notifiable": False,
            "service_change_tests": {},
        },
        8: {
            "decided_by": "Primary Care Commissioning Committee",
            "decision_date": year.start + datetime.timedelta(days=75),
            "decision": "Award the reminder-service contract to the framework supplier from 1 October.",
            "involvement_influence": "The duty did not apply. Complaints about language led us to keep "
            "translated reminders in the specification.",
            "outcomes": [],
        },
    }
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
            "notifiable": True,
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
            "decision": "Approve the single-site model with a transport scheme for visiting families.",
            "involvement_influence": "Families' travel concerns led to the visitor transport scheme and "
            "weekend therapy cover being added to the model.",
            "outcomes": list(Outcome.objects.filter(activity__in=activities)[:2]),
        },
    )
    return proposal


def load(context: dict) -> list[str]:
    organisation = context["icb"]
    if Proposal.objects.for_organisation(organisation).exists():
        return []
    by = context["users"]["editor"]
    year = ReportingYear.current()
    _not_applying(organisation, by, year)
    _formal_consultation(organisation, by, year)
    return [
        f"Proposals: 2 for {organisation.ods_code} (one the duty does not cover, one formal consultation)"
    ]
