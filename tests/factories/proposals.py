"""Proposals made through the actions, as users make them."""

import datetime

from engagements.models import AudienceGroup, Method
from engagements.proposals import actions
from engagements.proposals.models import InsightSource, Trigger


def trigger(code="TRIGGER-RECONFIGURE"):
    return Trigger.objects.get(code=code)


def proposal_for(membership, *, title="Move the minor injuries unit", **values):
    return actions.create_proposal(
        organisation=membership.organisation,
        by=membership.user,
        values={"title": title, "trigger": values.pop("trigger", trigger()), **values},
    )


def started(proposal, on: datetime.date):
    """Date the screening's start (created_at is set on creation)."""
    when = datetime.datetime.combine(on, datetime.time(9), tzinfo=datetime.UTC)
    type(proposal).objects.filter(pk=proposal.pk).update(created_at=when)
    proposal.created_at = when
    return proposal


def screen(proposal, membership, step, **values):
    """Save one step's answers through the action (no version check)."""
    return actions.save_step(proposal=proposal, step=step, by=membership.user, values=values)


STEP_2_APPLIES = {
    "applies_planning": "no",
    "applies_planning_reason": "Not a plan.",
    "applies_proposal": "yes",
    "applies_proposal_reason": "Moves the service.",
    "applies_operational": "not_sure",
    "applies_operational_reason": "Might change opening hours.",
}
STEP_2_DOES_NOT_APPLY = {
    "applies_planning": "no",
    "applies_planning_reason": "Not a plan.",
    "applies_proposal": "no",
    "applies_proposal_reason": "Same service, same place.",
    "applies_operational": "no",
    "applies_operational_reason": "Back-office only.",
}


def consultation(
    proposal, membership, *, opens=datetime.date(2025, 6, 2), weeks=12, level="formal", adequacy=None
):
    """Steps 5 and 7 answered for a consultation of ``weeks`` weeks from ``opens``.

    Gunning 3 (why the period is adequate) is recorded for 12 weeks or more, or when ``adequacy`` is given.
    """
    gun3 = adequacy if adequacy is not None else ("Twelve weeks." if weeks >= 12 else "")
    proposal = screen(
        proposal,
        membership,
        5,
        level=level,
        methods=[Method.objects.get(code="METHOD-ONLINE")],
        timing="Twelve weeks from June.",
        budget=None,
    )
    return screen(
        proposal,
        membership,
        7,
        consultation_opens=opens,
        consultation_closes=opens + datetime.timedelta(weeks=weeks),
        gunning_evidence={
            "GUN-1": "Options open.",
            "GUN-2": "Document.",
            **({"GUN-3": gun3} if gun3 else {}),
            "GUN-4": "Paper.",
        },
    )


def groups(*codes):
    return list(AudienceGroup.objects.filter(code__in=codes).order_by("code"))


def insight(*codes):
    return list(InsightSource.objects.filter(code__in=codes))


def screened(editor, **step2):
    """A proposal with every step answered but step 6: a six-week consultation, decided early."""
    proposal = proposal_for(editor, title="Stroke beds on one site", service_area="Community services")
    started(proposal, datetime.date(2025, 5, 1))  # screened before the decision (not retrospective)
    screen(proposal, editor, 2, **(step2 or STEP_2_APPLIES))
    screen(
        proposal, editor, 3, insight_sources=insight("INSIGHT-JSNA"), insight_summary="More strokes by 2030."
    )
    screen(proposal, editor, 4, affected_groups=groups("PC-AGE"), ehia_done="no")
    consultation(proposal, editor, weeks=6)
    screen(
        proposal,
        editor,
        8,
        decided_by="ICB board",
        decision_date=datetime.date(2025, 7, 1),
        decision="Option B",
        decision_reasons="Best access for most people.",
        involvement_influence="Added transport.",
        due_regard_by="ICB board",
        due_regard_on=datetime.date(2025, 7, 1),
    )
    screen(
        proposal, editor, 9, feedback_on=datetime.date(2025, 7, 20), feedback_how="Letters to respondents."
    )
    return type(proposal).objects.get(pk=proposal.pk)
