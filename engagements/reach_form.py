"""The reach part of the activity form: who an activity reached, per group and per category.

Any form can carry it (the activity form; a step of it): ``add_reach_fields(form)`` adds, for every
active group without categories and every category of a protected characteristic (plus the
characteristic's "category not recorded"), a number box ``reach_<key>`` and a tick box
``reach_<key>_reached`` ("reached, number not recorded"); ``clean_reach(form, data)`` turns them
into ``ActivityInput.reach`` and puts each rule's message on its own field; ``reach_sections(form)``
is what ``templates/engagements/_reach_fields.html`` draws; ``reach_initial(reach)`` fills them in.

Keys: ``g<group id>`` (a whole group, or a characteristic's "category not recorded") and
``c<category id>``.
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Prefetch

from engagements.inputs import characteristic_problems, reach_problems
from engagements.models import KIND_HEADINGS, KIND_ORDER, AudienceCategory, AudienceGroup, AudienceKind
from engagements.reach import NUMBER_NOT_RECORDED, group_id_of, json_key

BOTH_GIVEN = "{}: enter a number of people or select “reached, number not recorded”, not both"
KIND_HINTS = {
    AudienceKind.PROTECTED_CHARACTERISTIC: "The nine characteristics of the Equality Act 2010, each by category. "
    "Count people whose category you did not record under “category not recorded”.",
    AudienceKind.INCLUSION_GROUP: "NHS England's inclusion health groups, Core20PLUS populations and other "
    "groups that usual methods tend to miss.",
    AudienceKind.COMMUNITY: "Groups of people connected by where they live, how they identify or what they "
    "share, such as carers. They are not inclusion health groups.",
}


def active_groups() -> list[AudienceGroup]:
    """Active groups in display order, each with its active categories (two queries)."""
    return list(
        AudienceGroup.objects.filter(is_active=True)
        .order_by("position", "name")
        .prefetch_related(
            Prefetch(
                "categories", queryset=AudienceCategory.objects.filter(is_active=True).order_by("position")
            )
        )
    )


def _targets(groups) -> list:
    """Every target a count can be recorded for, in form order: a characteristic's categories then
    its "category not recorded"; a group without categories itself."""
    targets = []
    for group in groups:
        categories = list(group.categories.all())
        for category in categories:
            category.group = group  # already loaded: no query per category
            targets.append(category)
        targets.append(group)
    return targets


def _number_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0,
        required=False,
        label=label,
        error_messages={
            "min_value": "Count of people cannot be negative",
            "invalid": "Enter the number of people as a whole number, like 12",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
    )


def target_label(target) -> str:
    """A target as a message names it: "Age: 65 to 74", "Age: category not recorded", "Carers"."""
    if isinstance(target, AudienceCategory):
        return target.label()
    if target.kind == AudienceKind.PROTECTED_CHARACTERISTIC:
        return f"{target.name}: category not recorded"
    return target.name


def add_reach_fields(form, groups=None) -> None:
    """Add the reach fields to ``form`` (``form.reach_groups``, ``form.reach_targets`` keep what was drawn)."""
    form.reach_groups = active_groups() if groups is None else groups
    form.reach_targets = _targets(form.reach_groups)
    for target in form.reach_targets:
        key = json_key(target)
        form.fields[f"reach_{key}"] = _number_field(target_label(target))
        form.fields[f"reach_{key}_reached"] = forms.BooleanField(
            required=False, label="Reached, number not recorded"
        )


def is_reach_field(name: str) -> bool:
    return name.startswith("reach_")


def clean_reach(form, data: dict, total_participants=None) -> dict:
    """``ActivityInput.reach`` from the cleaned ``data``; each problem on the field it is about."""
    reach = {}
    for target in form.reach_targets:
        key = json_key(target)
        number, ticked = data.get(f"reach_{key}"), data.get(f"reach_{key}_reached")
        if number is not None and ticked:
            form.add_error(f"reach_{key}", BOTH_GIVEN.format(target_label(target)))
            continue
        if ticked:
            reach[target] = NUMBER_NOT_RECORDED
        elif number is not None:
            reach[target] = number
    if total_participants is not None:
        above = reach_problems(reach, total_participants)
        for target, problem in above:
            form.add_error(f"reach_{json_key(target)}", problem.message)
        already = {group_id_of(target) for target, _ in above}
        for group_id, problem in characteristic_problems(reach, total_participants):
            if group_id in already:  # one count above the total says it already
                continue
            first = next(t for t in reach if getattr(t, "group_id", None) == group_id)
            form.add_error(f"reach_{json_key(first)}", problem.message)
    return reach


def reach_initial(reach: dict) -> dict:
    """The fields' initial values for an activity's reach (``ActivityInput.reach``)."""
    initial = {}
    for target, value in reach.items():
        key = json_key(target)
        if value is NUMBER_NOT_RECORDED:
            initial[f"reach_{key}_reached"] = True
        else:
            initial[f"reach_{key}"] = value
    return initial


# ------------------------------------------------------------------ what the template draws
@dataclass
class ReachRow:
    label: str
    number: forms.BoundField
    reached: forms.BoundField


@dataclass
class GroupSection:
    group: AudienceGroup
    rows: list[ReachRow]

    @property
    def has_errors(self) -> bool:
        return any(row.number.errors for row in self.rows)

    @property
    def recorded(self) -> int:
        """How many of its rows have a value (the closed section's summary says so)."""
        return sum(
            1
            for row in self.rows
            if row.number.value() not in (None, "") or row.reached.value() in (True, "on")
        )


@dataclass
class KindSection:
    kind: str
    heading: str
    hint: str
    groups: list[GroupSection] = field(default_factory=list)

    @property
    def unverified(self) -> bool:
        """Some group's kind could not be checked against its source (``AudienceGroup.kind_verified``)."""
        return any(not g.group.kind_verified for g in self.groups)


def reach_sections(form) -> list[KindSection]:
    sections = {kind: KindSection(kind, KIND_HEADINGS[kind], KIND_HINTS[kind]) for kind in KIND_ORDER}
    for group in form.reach_groups:
        rows = []
        for category in group.categories.all():
            key = json_key(category)
            rows.append(ReachRow(category.name, form[f"reach_{key}"], form[f"reach_{key}_reached"]))
        key = json_key(group)
        label = "Category not recorded" if group.kind == AudienceKind.PROTECTED_CHARACTERISTIC else group.name
        rows.append(ReachRow(label, form[f"reach_{key}"], form[f"reach_{key}_reached"]))
        sections.setdefault(group.kind, KindSection(group.kind, group.get_kind_display(), "")).groups.append(
            GroupSection(group, rows)
        )
    return [s for s in sections.values() if s.groups]
