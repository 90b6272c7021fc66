"""What re-importing rows with IDs will change, field by field, for the preview (a read: no writes).

Each row that updates an activity gets ``row["changes"]``: ``[[heading, now, after], …]`` as text, in
the spreadsheet's column order (empty when the row changes nothing), and ``row["updates"]``: the
activity's title now (an update is a kind of row, not a warning). The activities, and the names
of what they and the rows refer to, are read once for the whole file.
"""

import datetime

from django.contrib.auth import get_user_model

from ccg_involvement.formats import nhs_date
from ccg_involvement.history import display_name
from duties.models import Duty
from engagements.import_merge import HEADINGS, field_in_file, reach_in_file
from engagements.inputs import FIELDS
from engagements.models import (
    Activity,
    ActivityStatus,
    Adjustment,
    AudienceCategory,
    AudienceGroup,
    CycleStage,
    DutyLimb,
    Method,
    Partner,
)
from engagements.spreadsheets.columns import reach_heading

CHOICES = {"status": ActivityStatus, "cycle_stage": CycleStage, "duty_limb": DutyLimb}
MODELS = {"methods": Method, "partners": Partner, "adjustments": Adjustment, "duties": Duty}
BLANK = "(blank)"


def _text(name: str, value, names: dict) -> str:
    if value is None or value == "" or (isinstance(value, (set, list, tuple)) and not value):
        return BLANK if name != "total_participants" else "not recorded"
    if name in CHOICES:
        return str(CHOICES[name](value).label)
    if name in ("start_date", "end_date"):
        return nhs_date(datetime.date.fromisoformat(value) if isinstance(value, str) else value)
    if name == "is_highlight":
        return "Yes" if value else "No"
    if name == "lead":
        return names["lead"].get(value, str(value))
    if name in MODELS:
        return "; ".join(sorted(names[name].get(pk, str(pk)) for pk in value))
    if name == "total_participants":
        return f"{value:,}"
    return str(value)


def update_changes(organisation, rows: list[dict]) -> None:
    """Set ``row["changes"]`` on every row that updates one of the organisation's activities."""
    updates = [r for r in rows if r["clean"].get("id") and not r["errors"]]
    if not updates:
        return
    activities = (
        Activity.objects.for_organisation(organisation)
        .filter(pk__in=[r["clean"]["id"] for r in updates])
        .prefetch_related("methods", "partners", "adjustments", "duty_links", "reach")
        .in_bulk()
    )
    ids = {name: set() for name in MODELS}
    groups, categories, leads = set(), set(), set()
    for row in updates:
        for name in MODELS:
            ids[name].update(row["clean"].get(name) or [])
        groups.update(int(k[1:]) for k in row["clean"].get("reach", {}) if k.startswith("g"))
        categories.update(int(k[1:]) for k in row["clean"].get("reach", {}) if k.startswith("c"))
        leads.add(row["clean"].get("lead"))
    for activity in activities.values():
        for name in MODELS:
            ids[name].update(_related_ids(activity, name))
        groups.update(r.group_id for r in activity.reach.all())
        categories.update(r.category_id for r in activity.reach.all() if r.category_id)
        leads.add(activity.lead_id)
    names = _names(ids, leads)
    group_names = {g.pk: g for g in AudienceGroup.objects.filter(pk__in=groups)}
    category_names = (
        {c.pk: c for c in AudienceCategory.objects.select_related("group").filter(pk__in=categories)}
        if categories
        else {}
    )
    for row in updates:
        activity = activities.get(row["clean"]["id"])
        if activity is None:
            continue
        clean, changes = row["clean"], []
        row["updates"] = activity.title
        present = set(row.get("values", {}))
        # Only the file's columns: an update keeps every field the file has no column for
        # (engagements.import_merge), so those change nothing.
        for name in (f for f in FIELDS if f != "reach"):
            if not field_in_file(name, present):
                continue
            now = _related_ids(activity, name) if name in MODELS else getattr(activity, name)
            after = set(clean.get(name) or []) if name in MODELS else clean.get(name)
            if name in ("start_date", "end_date") and after:
                after = datetime.date.fromisoformat(after)
            if name == "lead":
                now = activity.lead_id
            if _norm(now) != _norm(after):
                changes.append([HEADINGS[name], _text(name, now, names), _text(name, after, names)])
        now_reach = {  # as the import's rows keep reach: "g<group id>"/"c<category id>" → a number or "reached"
            (f"c{r.category_id}" if r.category_id else f"g{r.group_id}"): "reached"
            if r.count is None
            else r.count
            for r in activity.reach.all()
        }
        after_reach = dict(clean.get("reach", {}))
        for key in sorted({*now_reach, *after_reach}, key=lambda k: (k[0] == "c", int(k[1:]))):
            target = category_names[int(key[1:])] if key.startswith("c") else group_names[int(key[1:])]
            heading = reach_heading(target.group, target) if key.startswith("c") else reach_heading(target)
            if key not in after_reach and not reach_in_file(target, present):
                continue  # kept as it is: the file says nothing about this group
            if now_reach.get(key) != after_reach.get(key):
                changes.append([heading, _reach_text(now_reach.get(key)), _reach_text(after_reach.get(key))])
        rationales = {str(link.duty_id): link.rationale for link in activity.duty_links.all()}
        for duty_id, reason in (clean.get("rationales") or {}).items():
            if rationales.get(duty_id, "") != reason:
                code = names["duties"].get(int(duty_id), duty_id)
                changes.append([f"Rationale for {code}", rationales.get(duty_id) or BLANK, reason])
        new_outcomes = sum(1 for o in row.get("outcomes", []) if not o.get("id"))
        if new_outcomes:
            changes.append(["Outcomes", "", f"{new_outcomes} added"])
        row["changes"] = changes


def _names(ids: dict[str, set], leads: set) -> dict[str, dict]:
    """Names (duty codes) of the lookups and members ``ids`` and ``leads`` hold: a query for each
    kind that has some."""
    names = {
        name: dict(
            model.objects.filter(pk__in=ids[name]).values_list("pk", "code" if name == "duties" else "name")
        )
        if ids[name]
        else {}
        for name, model in MODELS.items()
    }
    leads = leads - {None}
    names["lead"] = (
        {u.pk: display_name(u) for u in get_user_model().objects.filter(pk__in=leads)} if leads else {}
    )
    return names


SAVED_AS = ("status", "cycle_stage", "duty_limb", "methods", "partners", "adjustments", "duties", "lead")
"""Fields whose checked value the preview shows by name, as saved (“Completed”, not “complete”)."""


def saved_texts(rows: list[dict]) -> list[dict[str, str]]:
    """For each row (as checked), its list fields as they will be saved, by field key: labels, names,
    duty codes and members' names for the preview (“written” differently in the file, or mapped)."""
    ids = {name: set() for name in MODELS}
    leads = set()
    for row in rows:
        clean = row.get("clean", {})
        for name in MODELS:
            ids[name].update(clean.get(name) or [])
        leads.add(clean.get("lead"))
    names = _names(ids, leads)
    return [
        {
            name: _text(name, row.get("clean", {}).get(name), names)
            for name in SAVED_AS
            if name in row.get("clean", {})
        }
        for row in rows
    ]


def _reach_text(value) -> str:
    if value is None:
        return "not recorded"
    return "reached, number not recorded" if value == "reached" else f"{value:,}"


def _norm(value):
    """Blank, None and no items are the same "nothing"; 0 and False are values."""
    return None if value is None or value == "" or (isinstance(value, set) and not value) else value


def _related_ids(activity, name) -> set[int]:
    if name == "duties":
        return {link.duty_id for link in activity.duty_links.all()}
    return {obj.pk for obj in getattr(activity, name).all()}
