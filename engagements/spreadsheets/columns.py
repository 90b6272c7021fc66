"""The activity spreadsheet's columns: one list for the import template, the import and the export.

The fixed columns follow ``engagements.inputs.ActivityInput``'s fields, in its order; one reach
column per audience group follows them. Nothing here reads the database: the audience groups are
passed in (``engagements.selectors.audience_groups``).
"""

import re
from dataclasses import dataclass

from engagements.inputs import FIELDS
from engagements.models import ActivityStatus, CycleStage, DutyLimb

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVITIES_SHEET = "Activities"
LISTS_SHEET = "Lists"
REACH_PREFIX = "Reached: "
ROW_ERROR = "Row"
"""The ``errors`` key for a problem with the row as a whole rather than one column."""
MAX_COLUMNS = 200
SEPARATOR = ";"


class SpreadsheetError(Exception):
    """The whole file is refused; ``str(error)`` is a message for the person who uploaded it."""


@dataclass(frozen=True)
class Column:
    key: str
    """The cleaned value's name (``reach:<group id>``, ``reach:c<category id>`` for reach columns)."""
    heading: str
    required: bool = False
    hint: str = ""
    group_id: int | None = None
    category_id: int | None = None

    @property
    def is_reach(self) -> bool:
        return self.group_id is not None

    def __hash__(self):  # the key names the column (cheaper than hashing every field, row after row)
        return hash(self.key)


def choice_labels(choices) -> str:
    labels = [label for _, label in choices]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


_COLUMNS = {
    column.key: column
    for column in [
        Column("title", "Title", required=True, hint="Required. Up to 200 characters."),
        Column("summary", "Summary", hint="What happened, in a few sentences."),
        Column(
            "start_date",
            "Start date",
            required=True,
            hint="Required. dd/mm/yyyy, for example 14/10/2025. Puts the activity in a reporting year.",
        ),
        Column("end_date", "End date", hint="dd/mm/yyyy. Leave blank for a one-day activity."),
        Column(
            "status",
            "Status",
            hint=f"{choice_labels(ActivityStatus.choices)}. Blank: from the dates (Completed once ended, Under way while on, otherwise Planned).",
        ),
        Column(
            "cycle_stage", "Commissioning cycle stage", hint=f"{choice_labels(CycleStage.choices)}, or blank."
        ),
        Column(
            "duty_limb", "Part of the duty it serves", hint=f"{choice_labels(DutyLimb.choices)}, or blank."
        ),
        Column("service_area", "Programme or service area", hint="Up to 120 characters."),
        Column("methods", "Methods", hint="Names from the Lists sheet, separated by semicolons (;)."),
        Column("partners", "Partners", hint="Names from the Lists sheet, separated by semicolons (;)."),
        Column(
            "adjustments",
            "Reasonable adjustments",
            hint="Names from the Lists sheet, separated by semicolons (;).",
        ),
        Column(
            "duties",
            "Duties evidenced",
            hint="Duty codes separated by semicolons, for example WPPC-P01; WPPC-P04.",
        ),
        Column(
            "lead", "Lead", hint="The username or email address of a member of your organisation, or blank."
        ),
        Column(
            "total_participants",
            "Total participants",
            hint="A whole number. Blank means not recorded; 0 means nobody took part.",
        ),
        Column(
            "is_highlight",
            "Highlight",
            hint="Yes to feature the activity in the annual report; blank means no.",
        ),
        Column(
            "is_case_study",
            "Case study",
            hint="Yes to use the activity as a case study in the annual report (told from its outcomes); "
            "blank means no.",
        ),
    ]
}
FIXED_COLUMNS = [_COLUMNS[name] for name in FIELDS if name != "reach"]
"""One column per field of an activity (its reach, a column per group, follows)."""


def reach_heading(group, category=None) -> str:
    """``Reached: Carers``; ``Reached: Age: 65 to 74`` for a category."""
    if category is not None:
        return f"{REACH_PREFIX}{group.name}: {category.name}"
    return f"{REACH_PREFIX}{group.name}"


# ------------------------------------------------------------------ reach (ADR 0008)
REACH_LIST_HEADING = "Groups reached (number not recorded)"
REACH_LIST_COLUMN = Column(
    "reach_uncounted",
    REACH_LIST_HEADING,
    hint="Groups (or categories, like “Age: 65 to 74”) that took part when nobody counted how many, "
    "separated by semicolons. Each is recorded as reached, number not recorded.",
)
REACH_LIST_ALIASES = [
    "who did we engage",
    "who did we engage with",
    "who we engaged",
    "who was engaged",
    "groups engaged",
    "groups reached",
    "groups involved",
    "communities engaged",
    "communities reached",
    "target groups",
    "audience",
]
REACH_HINT = (
    "People reached. Blank means not recorded; 0 means nobody from the group; “reached” means people "
    "took part but were not counted."
)
CHARACTERISTIC_HINT = (
    "People counted for this characteristic without their category (the category columns follow). "
    "Blank means not recorded; “reached” means people took part but were not counted."
)


def _categories(group) -> list:
    """A group's categories (prefetched); none for a group given without them (plain test data)."""
    categories = getattr(group, "categories", None)
    return list(categories.all()) if categories is not None else []


def reach_columns(groups) -> list[Column]:
    """A column per group, then per category of it, in the form's order; then the list column."""
    found = []
    for group in groups:
        categories = _categories(group)
        found.append(
            Column(
                f"reach:{group.pk}",
                reach_heading(group),
                hint=CHARACTERISTIC_HINT if categories else REACH_HINT,
                group_id=group.pk,
            )
        )
        found.extend(
            Column(
                f"reach:c{category.pk}",
                reach_heading(group, category),
                hint=REACH_HINT,
                group_id=group.pk,
                category_id=category.pk,
            )
            for category in categories
        )
    return [*found, REACH_LIST_COLUMN]


RATIONALES_COLUMN = Column(
    "duty_rationales",
    "Duty rationales",
    hint="Why the activity evidences a duty: its code, a colon and the reason, separated by semicolons, "
    "for example WPPC-P01: people's views shaped the options. Up to 200 characters each.",
)
ID_COLUMN = Column(
    "id",
    "ID",
    hint="Leave blank for a new activity. The export fills it in: a row with an ID updates that activity.",
)
VERSION_COLUMN = Column(
    "version",
    "Version",
    hint="The export fills it in. A row is refused if its activity was changed after the export.",
)


OUTCOME_IN_ROW = [
    Column(
        "outcome_said",
        "You said (what we heard)",
        hint="What people told us, beside the activity as logs keep it: with “We did”, one “you said, "
        "we did” outcome of the activity (the workbook's Outcomes sheet takes any number).",
    ),
    Column("outcome_did", "We did (or will do)", hint="What was done, or will be, as a result."),
]
"""A log's own “you said, we did” columns on the activity's row: read by the import (``import_columns``),
never written (the template and the export keep outcomes on their own sheet)."""


def import_columns(groups) -> list[Column]:
    """The columns an import reads: the spreadsheet's, and a log's “you said, we did” beside them."""
    return columns(groups) + OUTCOME_IN_ROW


def columns(groups) -> list[Column]:
    """Every column of the activity spreadsheet, in order: the fixed ones, the reach columns (one per
    audience group and per category, then the groups reached with no number: ``reach_cells``), then
    the duties' rationales, the activity's ID and version (blank for new activities)."""
    return FIXED_COLUMNS + reach_columns(groups) + [RATIONALES_COLUMN, ID_COLUMN, VERSION_COLUMN]


def normalise_heading(text) -> str:
    text = "" if text is None else str(text)
    text = re.sub(r"\s+", " ", text).strip().rstrip("*:").strip()
    return text.casefold()


# Headings engagement teams write in their own logs, for each column (compared like headings are).
ALIASES = {
    "title": [
        "activity",
        "activity name",
        "activity / event name",
        "activity/event name",
        "event",
        "event name",
        "name of activity",
        "name of event",
        "engagement",
        "engagement activity",
        "activity title",
    ],
    "summary": ["description", "details", "summary of activity", "activity description", "notes", "purpose"],
    "start_date": [
        "date",
        "date of event",
        "date of activity",
        "event date",
        "activity date",
        "start",
        "from",
        "date held",
        "date(s)",
    ],
    "end_date": ["end", "to", "date ended", "finish date", "end of activity"],
    "status": ["activity status", "progress", "state"],
    "cycle_stage": ["cycle stage", "commissioning stage", "stage"],
    "duty_limb": ["part of the duty", "limb", "duty limb", "which part of the duty"],
    "service_area": [
        "programme",
        "service area",
        "service",
        "programme area",
        "workstream",
        "care area",
        "project",
    ],
    "methods": [
        "method",
        "type of engagement",
        "engagement type",
        "engagement method",
        "methods used",
        "how",
        "type",
        "format",
    ],
    "partners": [
        "partner",
        "partner organisations",
        "working with",
        "in partnership with",
        "partners involved",
    ],
    "adjustments": ["adjustments", "accessibility", "reasonable adjustments made", "access needs"],
    "duties": [
        "duty",
        "duties",
        "link to 14z2 action",
        "link to 14z45 action",
        "14z2 action",
        "statutory guidance action",
        "action",
        "key action",
        "duty evidenced",
        "link to duty",
        "guidance action",
    ],
    "lead": ["lead officer", "officer", "owner", "staff lead", "led by", "contact", "responsible officer"],
    "total_participants": [
        "no. of attendees",
        "no of attendees",
        "number of attendees",
        "attendees",
        "participants",
        "number of participants",
        "no. of participants",
        "people involved",
        "numbers",
        "reach",
        "total reach",
        "how many people",
        "number of people",
    ],
    "is_highlight": ["highlight", "feature in annual report", "annual report"],
    "is_case_study": ["case studies", "use as a case study", "annual report case study"],
    "duty_rationales": ["rationale", "rationales", "duty rationale", "why it evidences the duty"],
    "outcome_said": [
        "you said",
        "what you said",
        "what people said",
        "what people told us",
        "what we heard",
    ],
    "outcome_did": [
        "we did",
        "what we did",
        "what we did as a result",
        "we will",
        "what we will do",
        "actions taken",
        "action taken",
    ],
}


def alias_columns(all_columns: list[Column]) -> dict[str, Column]:
    """Normalised heading or alias → column (the template's own headings first)."""
    by_key = {c.key: c for c in all_columns}
    found = {normalise_heading(c.heading): c for c in all_columns}
    for key, aliases in ALIASES.items():
        if key in by_key:
            for alias in aliases:
                found.setdefault(normalise_heading(alias), by_key[key])
    for column in all_columns:
        if column.is_reach:  # "Carers" as well as "Reached: Carers"
            found.setdefault(normalise_heading(column.heading[len(REACH_PREFIX) :]), column)
        if column.key == REACH_LIST_COLUMN.key:  # "Who did we engage"
            for alias in REACH_LIST_ALIASES:
                found.setdefault(normalise_heading(alias), column)
    return found


_KNOWN = (
    {normalise_heading(c.heading) for c in FIXED_COLUMNS}
    | {normalise_heading(a) for aliases in ALIASES.values() for a in aliases}
    | {normalise_heading("Groups reached (number not recorded)"), "who did we engage", "groups engaged"}
)


def heading_score(values) -> int:
    """How many cells of a row are headings of the activity log (the template's or common ones)."""
    return sum(
        1
        for v in values
        if isinstance(v, str)
        and (normalise_heading(v) in _KNOWN or normalise_heading(v).startswith(REACH_PREFIX.casefold()))
    )


def match_headings(
    headings: list, all_columns: list[Column], *, ignore_unknown: bool = False
) -> list[Column | None] | tuple[list[Column | None], list[str]]:
    """The column for each position in the heading row (None for a blank or ignored heading).

    Headings are matched by the template's names, then by the names logs commonly use (``ALIASES``).
    With ``ignore_unknown`` other headings are left out and returned too (``(matched, ignored)``);
    without it they refuse the file.
    """
    by_name = alias_columns(all_columns)
    matched, unknown, seen, repeated = [], [], set(), []
    for heading in headings:
        text = "" if heading is None else str(heading).strip()
        if not text:
            matched.append(None)
            continue
        column = by_name.get(normalise_heading(text))
        if column is None:
            unknown.append(text)
            matched.append(None)
            continue
        if column.key in seen:
            repeated.append(column.heading)
        seen.add(column.key)
        matched.append(column)
    problems = []
    if not any(matched) and not unknown:
        raise SpreadsheetError(
            "The first row must contain the column headings, starting with Title. Download the template to see them."
        )
    if unknown and not ignore_unknown:
        names = ", ".join(f"“{u}”" for u in unknown[:10]) + (" and others" if len(unknown) > 10 else "")
        problems.append(
            f"Unknown column{'s' if len(unknown) > 1 else ''} {names}. "
            "Use the headings from the template (download it from this page)."
        )
    if repeated:
        problems.append(f"These columns appear more than once: {', '.join(f'“{r}”' for r in repeated)}.")
    missing = [c.heading for c in all_columns if c.required and c.key not in seen]
    if missing:
        problems.append(
            f"The file must have {'a column' if len(missing) == 1 else 'columns'} called "
            + " and ".join(f"“{m}”" for m in missing)
            + "."
        )
    if problems:
        raise SpreadsheetError(" ".join(problems))
    return (matched, unknown) if ignore_unknown else matched
