"""Logging an activity in three steps, described once: the step table, each step's form and state.

The steps follow the proposal screening's pattern (``engagements.proposals.steps``): each step is
saved on its own (step 1 creates the activity), the summary lists every step with its state and a
change link, and editing an activity goes to the step that asks the answer to change.

The rules stay where they are: a step's form is ``ActivityForm`` cut down to the step's fields (so
the form's own checks run on them, including the rules of ``engagements.inputs`` whose fields are
all in the step), and saving a step is ``actions.save_activity`` with the activity's other values
unchanged (``ActivityInput.from_activity`` + the step's values), so every rule is checked again on
the whole activity, and a stale step answers 409 as the whole form did.

Which step asks a field: steps 1 and 2 name theirs; every reach field (``reach_*``) is in step 2, as
a unit (``templates/engagements/_reach_fields.html``); step 3 asks every other field, so a field
added to ``ActivityForm`` is asked somewhere without being listed here.
"""

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass

from ccg_involvement.choices import TaggedChoices
from engagements.forms import ActivityForm
from engagements.inputs import FIELDS, RELATED_FIELDS, ActivityInput
from engagements.models import Activity


class StepStatus(TaggedChoices):
    """A step's state: the proposal screening shows its steps with these too."""

    ANSWERED = "answered", "Answered"
    INCOMPLETE = "incomplete", "Incomplete"
    MISSING = "missing", "Missing"
    NOT_NEEDED = "not_needed", "Not needed"

    tag_colours = enum.nonmember(
        {"answered": "green", "incomplete": "yellow", "missing": "grey", "not_needed": "blue"}
    )


def state_of(parts: list[bool]) -> str:
    if all(parts):
        return StepStatus.ANSWERED
    return StepStatus.INCOMPLETE if any(parts) else StepStatus.MISSING


# ------------------------------------------------------------------ status rules, one per step


def what_and_when_status(a: Activity) -> str:
    return state_of([bool(a.title), a.start_date is not None, bool(a.status)])


def who_took_part_status(a: Activity) -> str:
    return state_of([bool(a.methods.all()), a.total_participants is not None])


def duties_status(a: Activity) -> str:
    """Answered once the activity evidences a duty; the part of the duty and the cycle stage are extras."""
    if a.duties.all():
        return StepStatus.ANSWERED
    return StepStatus.INCOMPLETE if a.duty_limb or a.cycle_stage else StepStatus.MISSING


# ------------------------------------------------------------------ the table

REACH_PREFIX = "reach_"


@dataclass(frozen=True)
class Step:
    number: int
    key: str  # names the step's templates: engagements/steps/<key>.html (intro), <key>_summary.html
    title: str
    fields: tuple[str, ...] | None  # the ActivityForm fields it asks; None: every field no other step asks
    status_rule: Callable[[Activity], str]
    reach: bool = False  # asks the reach counts (every reach_* field)
    first: tuple[str, ...] = ()  # fields shown first, in this order (then the rest as the form has them)

    @property
    def intro_template(self) -> str:
        return f"engagements/steps/{self.key}.html"

    @property
    def summary_template(self) -> str:
        return f"engagements/steps/{self.key}_summary.html"

    def status(self, activity: Activity) -> str:
        return self.status_rule(activity)

    def asks(self, name: str) -> bool:
        if name == "version":
            return True
        if name.startswith(REACH_PREFIX):
            return self.reach
        if self.fields is not None:
            return name in self.fields
        return not any(name in (s.fields or ()) for s in STEPS.values() if s is not self)


STEPS: dict[int, Step] = {
    step.number: step
    for step in (
        Step(
            1,
            "what",
            "What and when",
            ("title", "summary", "start_date", "end_date", "status", "service_area", "lead"),
            what_and_when_status,
        ),
        Step(
            2,
            "who",
            "Who took part",
            ("methods", "partners", "adjustments", "total_participants"),
            who_took_part_status,
            reach=True,
        ),
        Step(
            3,
            "duties",
            "Duties and outcomes",
            None,
            duties_status,
            first=("duties", "duty_limb", "cycle_stage", "is_highlight", "is_case_study"),
        ),
    )
}
STEP_COUNT = len(STEPS)
FIRST, LAST = min(STEPS), max(STEPS)


def step_of_field(name: str) -> int:
    """The step that asks ``name`` (an ``ActivityForm`` field or an ``ActivityInput`` field)."""
    name = REACH_PREFIX if name == "reach" else name
    return next(number for number, step in STEPS.items() if name != "version" and step.asks(name))


class ActivityStepForm(ActivityForm):
    """``ActivityForm`` with only one step's fields (and the version): its checks, on what the step asks."""

    def __init__(self, *args, organisation, step: Step, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.step = step
        for name in [name for name in self.fields if not step.asks(name)]:
            del self.fields[name]
        if step.first:
            self.order_fields([name for name in step.first if name in self.fields])

    def step_values(self) -> dict:
        """The ``ActivityInput`` values this step saves."""
        data = self.cleaned_data
        values = {name: data[name] for name in FIELDS if name in self.fields}
        if self.step.reach:
            values["reach"] = self.reach  # engagements.reach_form.clean_reach, run by the form's clean
        return values

    def changes(self, activity: Activity) -> bool:
        """Whether saving would change the activity (stepping through unchanged records no history)."""
        now, then = self.activity_input(activity), ActivityInput.from_activity(activity)
        for name in FIELDS:
            new, old = getattr(now, name), getattr(then, name)
            if name in RELATED_FIELDS:
                new, old = {o.pk for o in new}, {o.pk for o in old}
            if new != old:
                return True
        return False

    def activity_input(self, activity: Activity | None = None) -> ActivityInput:
        """The whole activity with this step's answers: the activity's other values as they are."""
        if activity is None:
            return ActivityInput(**self.step_values())
        return dataclasses.replace(ActivityInput.from_activity(activity), **self.step_values())


@dataclass(frozen=True)
class StepState:
    step: Step
    status: StepStatus

    @property
    def number(self) -> int:
        return self.step.number

    @property
    def title(self) -> str:
        return self.step.title

    @property
    def done(self) -> bool:
        return self.status in {StepStatus.ANSWERED, StepStatus.NOT_NEEDED}


def step_states(activity: Activity) -> list[StepState]:
    return [StepState(step, StepStatus(step.status(activity))) for step in STEPS.values()]


def next_step(after: int) -> int | None:
    return after + 1 if after + 1 in STEPS else None


def previous_step(before: int) -> int | None:
    return before - 1 if before - 1 in STEPS else None
