"""What an activity is made of, as the actions take it: the one list of its fields, and its rules.

The activity form, the spreadsheet import and the demo each describe an activity as an
``ActivityInput``; ``engagements.actions.save_activity`` saves one. The rules that need no database
are here (``activity_problems``, ``outcome_problems``), so a form, an import row and an action
check them once, in the same words, against the same field names. The rules that need the
organisation's data (the lead is a member, the duties apply) are checked by the action.
"""

import dataclasses
import datetime
from collections.abc import Mapping

from django.utils import timezone

from ccg_involvement.errors import Problem
from engagements.models import ActivityStatus, OutcomeStatus
from engagements.reach import NUMBER_NOT_RECORDED, counted, group_id_of, is_category

END_BEFORE_START = Problem(
    "end_date",
    "End date must be the same as or after the start date",
    "The end date must be the same as or after the start date.",
)
NEGATIVE_TOTAL = Problem(
    "total_participants", "Counts of people cannot be negative", "Counts of people cannot be negative."
)
NEGATIVE_REACH = Problem(
    "reach", "Counts of people cannot be negative", "Counts of people cannot be negative."
)
LEAD_NOT_A_MEMBER = Problem(
    "lead",
    "The lead must be a member of this organisation",
    "The lead must be a member of this organisation.",
)
DUTIES_DO_NOT_APPLY = Problem(
    "duties",
    "Choose duties from the frameworks that apply to this organisation",
    "Choose duties from the frameworks that apply to this organisation.",
)
COMPLETED_NOT_ENDED = Problem(
    "status",
    "An activity that has not ended yet cannot be completed",
    "An activity cannot be marked completed before it has ended (its end date, or its start date "
    "when it has no end date, is in the future).",
)
REACH_ABOVE_TOTAL = Problem(
    "reach",
    "A group cannot have more people than the total who took part",
    "A group's count of people cannot be more than the activity's total participants.",
)
REACH_NOT_A_COUNT = Problem(
    "reach",
    "Enter a number of people, or record the group as reached with the number not recorded",
    'A group\'s reach must be a number of people or "reached, number not recorded".',
)


def categories_above_total(group_name: str, total_of_categories: int, total_participants: int) -> Problem:
    """The people counted in one characteristic's categories add up to more than took part."""
    return Problem(
        "reach",
        f"The {group_name.lower()} counts add up to {total_of_categories:,}, more than the "
        f"{total_participants:,} people who took part in total",
        f"The counts within {group_name.lower()} add up to {total_of_categories:,}, more than the "
        f"activity's {total_participants:,} total participants.",
    )


NO_REASON_NOT_POSSIBLE = Problem(
    "reason_not_possible", "Enter why it was not possible", "Give the reason it was not possible."
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ActivityInput:
    """Everything an activity records, in the order the spreadsheet's columns show it.

    Lookups (``methods``, ``partners``, ``adjustments``) and ``duties`` are model instances;
    ``lead`` is a user or None; ``reach`` maps an ``AudienceGroup``, or an ``AudienceCategory`` within
    a protected characteristic, to a count of people or ``NUMBER_NOT_RECORDED`` (reached, number not
    recorded); a group left out, or given None, is "not recorded"; 0 means nobody from the group. A
    characteristic itself as the key counts people whose category was not recorded (ADR 0008).
    """

    title: str
    summary: str = ""
    start_date: datetime.date
    end_date: datetime.date | None = None
    status: str = ActivityStatus.PLANNED
    cycle_stage: str = ""
    duty_limb: str = ""
    service_area: str = ""
    methods: tuple = ()
    partners: tuple = ()
    adjustments: tuple = ()
    duties: tuple = ()
    lead: object = None
    total_participants: int | None = None
    is_highlight: bool = False
    is_case_study: bool = False
    reach: Mapping = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        for name in RELATED_FIELDS:
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "reach", {g: c for g, c in (self.reach or {}).items() if c is not None})

    @classmethod
    def from_activity(cls, activity) -> "ActivityInput":
        """The activity as it is now (for an edit form, or to change a few fields with ``replace``)."""
        return cls(
            **{name: getattr(activity, name) for name in SCALAR_FIELDS},
            methods=activity.methods.all(),
            partners=activity.partners.all(),
            adjustments=activity.adjustments.all(),
            duties=activity.duties.all(),
            reach={
                (r.category or r.group): r.value
                for r in activity.reach.select_related("group", "category__group")
            },
        )

    def scalars(self) -> dict:
        """The values stored on the activity row itself."""
        return {name: getattr(self, name) for name in SCALAR_FIELDS}

    def problems(self) -> list[Problem]:
        return activity_problems(
            start_date=self.start_date,
            end_date=self.end_date,
            status=self.status,
            total_participants=self.total_participants,
            reach=self.reach,
        )


FIELDS = tuple(f.name for f in dataclasses.fields(ActivityInput))
RELATED_FIELDS = ("methods", "partners", "adjustments", "duties")
SCALAR_FIELDS = tuple(name for name in FIELDS if name not in {*RELATED_FIELDS, "reach"})
"""Fields stored on the activity row (and shown in its history), in order."""


def activity_problems(
    *, start_date=None, end_date=None, status=None, total_participants=None, reach=None, today=None
) -> list[Problem]:
    """The rules on an activity's own values; a value not known (None) is not checked.

    Only what happened counts: an activity is "completed" only once it has ended (on or before
    today), and no group can count more people than the activity's total.
    """
    problems = []
    if start_date and end_date and end_date < start_date:
        problems.append(END_BEFORE_START)
    last_day = end_date or start_date
    if status == ActivityStatus.COMPLETED and last_day and last_day > (today or timezone.localdate()):
        problems.append(COMPLETED_NOT_ENDED)
    if total_participants is not None and total_participants < 0:
        problems.append(NEGATIVE_TOTAL)
    reach = {target: value for target, value in (reach or {}).items() if value is not None}
    if any(not (v is NUMBER_NOT_RECORDED or counted([v])) for v in reach.values()):
        problems.append(REACH_NOT_A_COUNT)
        return problems
    counts = counted(reach.values())
    if any(count < 0 for count in counts):
        problems.append(NEGATIVE_REACH)
    elif total_participants is not None and total_participants >= 0:
        if reach_problems(reach, total_participants):
            problems.append(REACH_ABOVE_TOTAL)
        problems.extend(problem for _, problem in characteristic_problems(reach, total_participants))
    return problems


def _name(target) -> str:
    """A group's name, or a category's with its group's ("Age: 65 to 74")."""
    return target.label() if hasattr(target, "label") else getattr(target, "name", str(target))


def reach_problems(reach: Mapping, total_participants: int) -> list[tuple[object, Problem]]:
    """Each group or category counted above the activity's total, with the message for its field."""
    return [
        (
            target,
            Problem(
                "reach",
                f"{_name(target)} cannot be more than the {total_participants:,} people who took part in total",
                f"{_name(target)}: {value:,} is more than the activity's {total_participants:,} total participants.",
            ),
        )
        for target, value in reach.items()
        if counted([value]) and value > total_participants
    ] + [
        (
            target,
            Problem(
                "reach",
                f"{_name(target)} cannot be reached when nobody took part (total participants is 0)",
                f"{_name(target)} is recorded as reached, but the activity's total participants is 0.",
            ),
        )
        for target, value in reach.items()
        if value is NUMBER_NOT_RECORDED and total_participants == 0
    ]


def characteristic_problems(reach: Mapping, total_participants: int) -> list[tuple[int, Problem]]:
    """Each characteristic whose categories (and "category not recorded" count) add up to more
    than the activity's total, by the characteristic's id. Categories of one characteristic do not
    overlap, so their sum cannot be above the total; different groups can overlap."""
    with_categories = {group_id_of(t) for t in reach if is_category(t)}
    totals: dict[int, int] = {}
    names: dict[int, str] = {}
    for target, value in reach.items():
        group_id = group_id_of(target)
        if group_id in with_categories and counted([value]):
            totals[group_id] = totals.get(group_id, 0) + value
            names[group_id] = target.group.name if is_category(target) else target.name
    return [
        (group_id, categories_above_total(names[group_id], total, total_participants))
        for group_id, total in totals.items()
        if total > total_participants
    ]


def outcome_problems(*, status=None, reason_not_possible=None) -> list[Problem]:
    """The rules on an outcome ("you said, we did")."""
    if status == OutcomeStatus.NOT_POSSIBLE and not (reason_not_possible or "").strip():
        return [NO_REASON_NOT_POSSIBLE]
    return []
