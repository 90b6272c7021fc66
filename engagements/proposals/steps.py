"""The eight screening steps and the state of each for a proposal."""

from dataclasses import dataclass

from engagements.proposals.models import EhiaAnswer
from engagements.proposals.wording import REQUIRED_GUNNING, limb_answers

# ------------------------------------------------------------------ steps and their state

STEPS = {
    1: "The proposal and what triggered it",
    2: "Does the duty apply?",
    3: "Existing insight",
    4: "Who is affected",
    5: "Proportionate approach",
    6: "Substantial development or variation",
    7: "Consultation and the Gunning principles",
    8: "The decision",
}
STEP_COUNT = len(STEPS)


class StepStatus:
    ANSWERED = "answered"
    INCOMPLETE = "incomplete"
    MISSING = "missing"
    NOT_NEEDED = "not_needed"

    LABELS = {
        ANSWERED: "Answered",
        INCOMPLETE: "Incomplete",
        MISSING: "Missing",
        NOT_NEEDED: "Not needed",
    }


@dataclass(frozen=True)
class StepState:
    number: int
    title: str
    status: str

    @property
    def label(self) -> str:
        return StepStatus.LABELS[self.status]

    @property
    def done(self) -> bool:
        return self.status in {StepStatus.ANSWERED, StepStatus.NOT_NEEDED}


def _state(parts: list[bool]) -> str:
    if all(parts):
        return StepStatus.ANSWERED
    return StepStatus.INCOMPLETE if any(parts) else StepStatus.MISSING


def _step_status(proposal, number: int) -> str:
    p = proposal
    if number == 1:
        return _state([bool(p.title), p.trigger_id is not None])
    if number == 2:
        return _state(
            [bool(answer) for _, answer, _ in limb_answers(p)]
            + [bool(reason.strip()) for _, _, reason in limb_answers(p)]
        )
    if number == 3:
        return _state([bool(p.insight_summary.strip())])
    if number == 4:
        named = bool(p.other_affected.strip()) or bool(p.affected_groups.all())
        ehia = p.ehia_done == EhiaAnswer.NO or (p.ehia_done == EhiaAnswer.YES and p.ehia_date is not None)
        return _state([named, ehia])
    if number == 5:
        return _state([bool(p.level), bool(p.methods.all()), bool(p.timing.strip())])
    if number == 6:
        return _state([bool(p.substantial), bool(p.substantial_reason.strip())])
    if number == 7:
        if not p.needs_consultation:
            return StepStatus.NOT_NEEDED
        evidence = p.gunning_evidence or {}
        return _state(
            [p.consultation_opens is not None, p.consultation_closes is not None]
            + [bool((evidence.get(code) or "").strip()) for code in REQUIRED_GUNNING]
        )
    if number == 8:
        return _state(
            [
                bool(p.decided_by.strip()),
                p.decision_date is not None,
                bool(p.decision.strip()),
                bool(p.involvement_influence.strip()),
            ]
        )
    raise ValueError(number)


def step_states(proposal) -> list[StepState]:
    return [StepState(n, title, _step_status(proposal, n)) for n, title in STEPS.items()]


def steps_answered(proposal) -> int:
    return sum(1 for state in step_states(proposal) if state.done)


def next_step(proposal, after: int) -> int | None:
    """The step after ``after`` (skipping step 7 when no consultation is planned); None at the end."""
    number = after + 1
    if number == 7 and not proposal.needs_consultation:
        number = 8
    return number if number <= STEP_COUNT else None


def previous_step(proposal, before: int) -> int | None:
    number = before - 1
    if number == 7 and not proposal.needs_consultation:
        number = 6
    return number if number >= 1 else None
