"""The screening's warning rules: plain functions of a proposal returning ``(code, message)`` pairs.

They read only what is already loaded when the proposal comes from ``selectors.proposals_for_list``
or ``selectors.proposal_for_page`` (prefetched relations), so a page of proposals costs a fixed
number of queries.
"""

import datetime

from django.conf import settings

from engagements.proposals.models import Answer, EhiaAnswer
from engagements.proposals.wording import duty_applies, framework_wording, limb_answers

# ------------------------------------------------------------------ warnings


def consultation_min_weeks() -> int:
    return getattr(settings, "CONSULTATION_MIN_WEEKS", 12)


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def decision_before_consultation_closes(proposal) -> list[tuple[str, str]]:
    """GUN-1: the decision (or, until it is taken, the expected decision) precedes the close."""
    if not proposal.needs_consultation or proposal.consultation_closes is None:
        return []
    decided = proposal.decision_date or proposal.expected_decision_date
    if decided is None or decided >= proposal.consultation_closes:
        return []
    which = "The decision was taken" if proposal.decision_date else "The decision is expected"
    return [
        (
            "decision-before-close",
            f"{which} on {_date(decided)}, before the consultation closes on "
            f"{_date(proposal.consultation_closes)}. Responses cannot be conscientiously considered "
            "and the proposal is no longer at a formative stage (Gunning principles 1 and 4).",
        )
    ]


def consultation_too_short(proposal) -> list[tuple[str, str]]:
    """GUN-3: the consultation runs for less than the configured number of weeks."""
    opens, closes = proposal.consultation_opens, proposal.consultation_closes
    if not proposal.needs_consultation or opens is None or closes is None:
        return []
    weeks = consultation_min_weeks()
    length = closes - opens
    if length >= datetime.timedelta(weeks=weeks):
        return []
    days = length.days
    return [
        (
            "consultation-short",
            f"The consultation runs for {days} day{'s' if days != 1 else ''}, shorter than the "
            f"minimum of {weeks} weeks. Record why this is adequate time (Gunning principle 3).",
        )
    ]


def groups_not_reached(proposal) -> list[tuple[str, str]]:
    """Groups named in step 4 that no linked activity recorded reaching (a count above 0)."""
    groups = list(proposal.affected_groups.all())
    if not groups:
        return []
    reached = {
        reach.group_id
        for activity in proposal.activities.all()
        for reach in activity.reach.all()
        if reach.count > 0
    }
    missing = [g.name for g in groups if g.pk not in reached]
    if not missing:
        return []
    return [
        (
            "groups-not-reached",
            "No linked activity recorded reaching: "
            + ", ".join(missing)
            + ". Link the activities that involved them, or plan how you will.",
        )
    ]


def ehia_missing(proposal) -> list[tuple[str, str]]:
    if not duty_applies(proposal) or proposal.ehia_done == EhiaAnswer.YES:
        return []
    return [
        (
            "ehia-missing",
            "The involvement duty applies (or may apply) but no equality and health inequalities "
            "impact assessment is recorded.",
        )
    ]


def no_reasoning(proposal) -> list[tuple[str, str]]:
    """A limb answered "no" with no reasoning: the record could not be defended."""
    labels = framework_wording(proposal.organisation).limbs
    bare = [
        labels[limb][0].lower()
        for limb, answer, reason in limb_answers(proposal)
        if answer == Answer.NO and not reason.strip()
    ]
    if not bare:
        return []
    return [
        (
            "no-reasoning",
            "Step 2 says the duty does not apply ("
            + ", ".join(bare)
            + ") without the reasoning. Write it down: it is the evidence if the decision is challenged.",
        )
    ]


RULES = [
    decision_before_consultation_closes,
    consultation_too_short,
    groups_not_reached,
    ehia_missing,
    no_reasoning,
]


def warnings_for(proposal) -> list[tuple[str, str]]:
    """Every warning the screening raises, as ``(code, message)``."""
    found = []
    for rule in RULES:
        found.extend(rule(proposal))
    return found
