"""The nine screening steps, described once: the step table, and the state of each for a proposal.

Each ``Step`` names its number and title, the form that asks it, the fields and linked lists it
saves (which also drive the history display and the lost-update check), the rule that says whether
it is answered, and, where it has them, a condition for being needed, what it attaches and what its
page shows beside the form. Views, the action that saves a step, the history, the summary and the
step page all read this table; per-step text lives in ``templates/engagements/proposals/steps/``
under the step's ``key``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from engagements.proposals.forms import (
    Step1Form,
    Step2Form,
    Step3Form,
    Step4Form,
    Step5Form,
    Step6Form,
    Step7Form,
    Step8Form,
    Step9Form,
)
from engagements.proposals.forms.decision import STEP8_FIELDS
from engagements.proposals.forms.involvement import STEP6_FIELDS
from engagements.proposals.models import EhiaAnswer, Proposal, Reconfiguration, SubstantialAnswer
from engagements.proposals.wording import REQUIRED_GUNNING, limb_answers, reconfiguration_applies
from engagements.steps import StepStatus, state_of  # one set of step states: activities' and proposals'


def _state(parts: list[bool]) -> str:
    return state_of(parts)


# ------------------------------------------------------------------ status rules, one per step


def proposal_status(p: Proposal) -> str:
    return _state([bool(p.title), p.trigger_id is not None])


def duty_status(p: Proposal) -> str:
    limbs = limb_answers(p)
    return _state([bool(answer) for _, answer, _ in limbs] + [bool(reason.strip()) for _, _, reason in limbs])


def insight_status(p: Proposal) -> str:
    return _state([bool(p.insight_summary.strip())])


def affected_status(p: Proposal) -> str:
    named = bool(p.other_affected.strip()) or bool(p.affected_groups.all())
    ehia = p.ehia_done == EhiaAnswer.NO or (
        p.ehia_done == EhiaAnswer.YES and p.ehia_date is not None and bool(p.ehia_impacts.strip())
    )
    return _state([named, ehia])


def approach_status(p: Proposal) -> str:
    return _state([bool(p.level), bool(p.methods.all()), bool(p.timing.strip())])


def variation_status(p: Proposal) -> str:
    parts = [bool(p.substantial), bool(p.substantial_reason.strip())]
    if p.substantial == SubstantialAnswer.YES:
        # reg 23: the local authority consulted with the proposed decision date; or reg 24 with its reason
        if p.urgent_exception:
            parts.append(bool(p.urgent_reason.strip()))
        else:
            parts += [p.osc_consulted_on is not None, p.osc_decision_date_given is not None]
        if reconfiguration_applies(p):
            parts.append(bool(p.reconfiguration))
            if p.reconfiguration == Reconfiguration.NOTIFIABLE:
                parts.append(p.reconfiguration_notified_on is not None)
    return _state(parts)


def consultation_status(p: Proposal) -> str:
    evidence = p.gunning_evidence or {}
    return _state(
        [p.consultation_opens is not None, p.consultation_closes is not None]
        + [bool((evidence.get(code) or "").strip()) for code in REQUIRED_GUNNING]
    )


def decision_status(p: Proposal) -> str:
    return _state(
        [
            bool(p.decided_by.strip()),
            p.decision_date is not None,
            bool(p.decision.strip()),
            bool(p.decision_reasons.strip()),
            bool(p.involvement_influence.strip()),
            bool(p.due_regard_by.strip()),
            p.due_regard_on is not None,
        ]
    )


def feedback_status(p: Proposal) -> str:
    return _state([p.feedback_on is not None, bool(p.feedback_how.strip())])


# ------------------------------------------------------------------ what some steps show beside the form


def _impact_assessment(p: Proposal) -> dict:
    return {"documents": [p.ehia_document] if p.ehia_document_id else []}


def _consultation_documents(p: Proposal) -> dict:
    return {"documents": list(p.documents.current().order_by("uploaded_at"))}


def _linked_activities(p: Proposal) -> dict:
    return {"linked_activities": list(p.activities.order_by("-start_date", "-pk"))}


# ------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Upload:
    """A document a step attaches: to a foreign key (replacing) or a many-to-many list (adding)."""

    field: str
    label: str  # "impact assessment": the error message names the steps that take documents
    note: str  # the history's reason: "<note>: <title> (<file name>)"


@dataclass(frozen=True)
class Step:
    number: int
    key: str  # names the step's templates: steps/<key>.html (intro), steps/<key>_summary.html
    title: str
    form: type
    fields: tuple[str, ...]  # plain fields the step saves
    status_rule: Callable[[Proposal], str]
    lists: tuple[str, ...] = ()  # many-to-many lists the step saves
    shown: tuple[str, ...] = ()  # fields set another way (an upload) but shown in the history
    needed: Callable[[Proposal], bool] | None = None  # None: always needed
    needed_from: int | None = None  # the step whose answer decides whether this one is needed
    upload: Upload | None = None
    page_context: Callable[[Proposal], dict] | None = None
    list_labels: dict = field(default_factory=dict)

    @property
    def history_fields(self) -> tuple[str, ...]:
        return self.fields + self.shown

    @property
    def intro_template(self) -> str:
        return f"engagements/proposals/steps/{self.key}.html"

    @property
    def summary_template(self) -> str:
        return f"engagements/proposals/steps/{self.key}_summary.html"

    def is_needed(self, proposal: Proposal) -> bool:
        return self.needed is None or self.needed(proposal)

    def status(self, proposal: Proposal) -> str:
        if not self.is_needed(proposal):
            return StepStatus.NOT_NEEDED
        return self.status_rule(proposal)

    def context(self, proposal: Proposal) -> dict:
        return self.page_context(proposal) if self.page_context else {}


STEPS: dict[int, Step] = {
    step.number: step
    for step in (
        Step(
            1,
            "proposal",
            "The proposal and what triggered it",
            Step1Form,
            ("title", "description", "service_area", "trigger", "expected_decision_date", "owner"),
            proposal_status,
        ),
        Step(
            2,
            "duty",
            "Does the duty apply?",
            Step2Form,
            (
                "applies_planning",
                "applies_planning_reason",
                "applies_proposal",
                "applies_proposal_reason",
                "applies_operational",
                "applies_operational_reason",
            ),
            duty_status,
        ),
        Step(
            3,
            "insight",
            "Existing insight",
            Step3Form,
            ("insight_summary",),
            insight_status,
            lists=("insight_sources",),
            list_labels={"insight_sources": "Insight reviewed"},
        ),
        Step(
            4,
            "affected",
            "Who is affected",
            Step4Form,
            (
                "other_affected",
                "ehia_done",
                "ehia_date",
                "ehia_reference",
                "ehia_impacts",
                "ehia_mitigations",
            ),
            affected_status,
            lists=("affected_groups",),
            list_labels={"affected_groups": "Groups affected"},
            shown=("ehia_document",),
            upload=Upload("ehia_document", "impact assessment", "Impact assessment attached"),
            page_context=_impact_assessment,
        ),
        Step(
            5,
            "approach",
            "Proportionate approach",
            Step5Form,
            ("level", "timing", "budget"),
            approach_status,
            lists=("methods",),
            list_labels={"methods": "Methods"},
        ),
        Step(
            6,
            "variation",
            "Substantial development or variation",
            Step6Form,
            (
                *STEP6_FIELDS,
                "service_change_tests",
            ),
            variation_status,
        ),
        Step(
            7,
            "consultation",
            "Public consultation and the Gunning principles",
            Step7Form,
            ("consultation_opens", "consultation_closes", "gunning_evidence"),
            consultation_status,
            needed=lambda proposal: proposal.needs_consultation,  # step 5 chose a consultation
            needed_from=5,
            upload=Upload("documents", "consultation", "Consultation document attached"),
            page_context=_consultation_documents,
        ),
        Step(
            8,
            "decision",
            "The decision",
            Step8Form,
            (
                *STEP8_FIELDS,
                "warning_responses",
            ),
            decision_status,
            lists=("outcomes",),
            list_labels={"outcomes": "Outcomes"},
            page_context=_linked_activities,
        ),
        Step(
            9,
            "feedback",
            "Telling people the outcome",
            Step9Form,
            ("feedback_on", "feedback_how"),
            feedback_status,
        ),
    )
}
STEP_COUNT = len(STEPS)
FIRST, LAST = min(STEPS), max(STEPS)

# Every field a step saves or shows, in step order: what the history display compares.
HISTORY_FIELDS = [name for step in STEPS.values() for name in step.history_fields]


# ------------------------------------------------------------------ the state of each step


@dataclass(frozen=True)
class StepState:
    number: int
    title: str
    status: StepStatus
    step: Step | None = None

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def done(self) -> bool:
        return self.status in {StepStatus.ANSWERED, StepStatus.NOT_NEEDED}


def step_states(proposal) -> list[StepState]:
    return [
        StepState(step.number, step.title, StepStatus(step.status(proposal)), step) for step in STEPS.values()
    ]


def steps_answered(proposal) -> int:
    return sum(1 for state in step_states(proposal) if state.done)


def first_open_step(proposal) -> int | None:
    """The proposal's stage: the first step neither answered nor not needed (None once all are)."""
    return next((state.number for state in step_states(proposal) if not state.done), None)


def stage_choices() -> list[tuple[int, str]]:
    return [(number, step.title) for number, step in STEPS.items()]


def next_step(proposal, after: int) -> int | None:
    """The next step the proposal needs after ``after`` (step 7 only with a consultation); None at the end."""
    return next((n for n in range(after + 1, LAST + 1) if STEPS[n].is_needed(proposal)), None)


def previous_step(proposal, before: int) -> int | None:
    return next((n for n in range(before - 1, FIRST - 1, -1) if STEPS[n].is_needed(proposal)), None)
