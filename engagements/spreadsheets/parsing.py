"""Checking the rows of an activity spreadsheet: cell values to clean values, per-column errors.

A row read from a file becomes a JSON-serialisable dict (stored in ``ImportBatch.rows``)::

    {"number": 2,                      # the row number in the spreadsheet (the headings are row 1)
     "values": {heading: text},        # what the file said, for the preview
     "clean": {...},                   # checked values: ISO dates, lookup/duty/user ids, reach
     "errors": {heading: message},     # problems, per column ("Row" for the row as a whole)
     "warnings": [message, ...]}       # e.g. a likely duplicate

The clean values are keyed by ``ActivityInput`` field name. Rows are checked against an
``ImportContext`` (the organisation's lookups, duties and members, read by
``engagements.selectors.import_context``): nothing here reads the database.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from engagements.inputs import activity_problems
from engagements.models import ActivityStatus, CycleStage, DutyLimb
from engagements.spreadsheets.columns import (
    FIXED_COLUMNS,
    MAX_COLUMNS,
    ROW_ERROR,
    SEPARATOR,
    Column,
    SpreadsheetError,
    choice_labels,
    columns,
    match_headings,
)
from engagements.spreadsheets.reading import cell_text, is_blank, read_table


@dataclass
class ImportContext:
    """What rows are checked against: one organisation's lookups, duties and members."""

    groups: list
    methods: dict[str, int] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)
    adjustments: dict[str, int] = field(default_factory=dict)
    duties: dict[str, int] = field(default_factory=dict)
    """Upper-case code → id of the duties that apply to the organisation."""
    other_duties: set[str] = field(default_factory=set)
    """Upper-case codes of duties that exist but do not apply to the organisation."""
    members: dict[str, set[int]] = field(default_factory=dict)
    """Case-folded username or email → user ids of the organisation's members."""


DATE_FORMATS = [
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y",
]


def parse_date(value, label: str) -> datetime.date:
    """A date from an Excel date cell or text (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd); ValueError with a message."""
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    else:
        text = cell_text(value)
        result = None
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", text):
            raise ValueError(f"Enter the {label} with a 4-digit year, for example 14/10/2025 (not “{text}”).")
        for fmt in DATE_FORMATS:
            try:
                result = datetime.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if result is None:
            if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
                raise ValueError(
                    f"“{text}” is not a real date. Check the day and month ({label}, dd/mm/yyyy)."
                )
            raise ValueError(f"Enter the {label} as dd/mm/yyyy, for example 14/10/2025 (not “{text}”).")
    if not 2000 <= result.year <= 2100:
        raise ValueError(f"Check the year of the {label} ({result:%d/%m/%Y}).")
    return result


def parse_count(value) -> int | None:
    """A whole number of people, None when blank; ValueError with a message otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("Enter a whole number of people, like 12, or leave it blank if not recorded.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Enter a whole number of people (not {value:g}).")
        number = int(value)
    else:
        text = cell_text(value).replace(",", "").replace(" ", "")
        if re.fullmatch(r"[-+]?\d+(\.0*)?", text):
            number = int(float(text)) if "." in text else int(text)
        elif re.fullmatch(r"[-+]?\d*\.\d+", text):
            raise ValueError(f"Enter a whole number of people (not {cell_text(value)}).")
        else:
            raise ValueError(
                f"Enter a number of people, like 12, or leave it blank if not recorded (not “{cell_text(value)}”)."
            )
    if number < 0:
        raise ValueError("The number of people cannot be negative. Use 0 if nobody took part.")
    if number > 10_000_000:
        raise ValueError(f"Check the number of people ({number:,}).")
    return number


YES = {"yes", "y", "true", "1", "x", "✓"}
NO = {"no", "n", "false", "0", ""}


def parse_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"Enter yes or no, or leave it blank for no (not “{cell_text(value)}”).")


def parse_choice(value, choices, label: str, *, default: str = "") -> str:
    text = cell_text(value)
    if not text:
        return default
    folded = text.casefold()
    for choice_value, choice_label in choices:
        if folded in {str(choice_value).casefold(), str(choice_label).casefold()}:
            return choice_value
    blank = "" if default else ", or leave it blank"
    raise ValueError(f"Unknown {label} “{text}”. Use {choice_labels(choices)}{blank}.")


def split_names(value) -> list[str]:
    names, seen = [], set()
    for part in cell_text(value).split(SEPARATOR):
        name = part.strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _quoted(names: list[str]) -> str:
    quoted = [f"“{n}”" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def parse_lookups(value, known: dict[str, int], singular: str, plural: str) -> list[int]:
    ids, unknown = [], []
    for name in split_names(value):
        pk = known.get(name.casefold())
        if pk is None:
            unknown.append(name)
        elif pk not in ids:
            ids.append(pk)
    if unknown:
        raise ValueError(
            f"Unknown {singular if len(unknown) == 1 else plural} {_quoted(unknown)}. "
            "Use one of the names on the Lists sheet of the template, separated by semicolons (;)."
        )
    return ids


def parse_duties(value, context: ImportContext) -> list[int]:
    ids, unknown, elsewhere = [], [], []
    for code in split_names(value):
        key = code.upper().replace(" ", "")
        pk = context.duties.get(key)
        if pk is not None:
            if pk not in ids:
                ids.append(pk)
        elif key in context.other_duties:
            elsewhere.append(code)
        else:
            unknown.append(code)
    problems = []
    if unknown:
        problems.append(
            f"Unknown duty {'code' if len(unknown) == 1 else 'codes'} {_quoted(unknown)}. "
            "Use the duty codes on the Lists sheet of the template, for example WPPC-P01."
        )
    if elsewhere:
        problems.append(
            f"{_quoted(elsewhere)} {'is not a duty' if len(elsewhere) == 1 else 'are not duties'} "
            "of the frameworks that apply to this organisation."
        )
    if problems:
        raise ValueError(" ".join(problems))
    return ids


def parse_lead(value, context: ImportContext) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    ids = context.members.get(text.casefold(), set())
    if not ids:
        raise ValueError(f"No member of this organisation has the username or email “{text}”.")
    if len(ids) > 1:
        raise ValueError(f"More than one member has the email “{text}”. Use their username instead.")
    return next(iter(ids))


# ------------------------------------------------------------------------------ rows
def check_row(cells: dict[Column, object], context: ImportContext) -> tuple[dict, dict, dict]:
    """``(values, clean, errors)`` for one row, given the raw cell of each column in the file."""
    values = {column.heading: cell_text(raw) for column, raw in cells.items()}
    raw = {column.key: value for column, value in cells.items()}
    errors: dict[str, str] = {}
    clean: dict = {}
    heading = {c.key: c.heading for c in FIXED_COLUMNS}

    def attempt(key, parse):
        try:
            clean[key] = parse(raw.get(key))
        except ValueError as exc:
            errors[heading[key]] = str(exc)

    title = cell_text(raw.get("title"))
    if not title:
        errors["Title"] = "Enter a title."
    elif len(title) > 200:
        errors["Title"] = f"The title must be 200 characters or fewer (this one has {len(title)})."
    clean["title"] = title
    clean["summary"] = cell_text(raw.get("summary"))
    service_area = cell_text(raw.get("service_area"))
    if len(service_area) > 120:
        errors[heading["service_area"]] = (
            f"The programme or service area must be 120 characters or fewer (this one has {len(service_area)})."
        )
    clean["service_area"] = service_area

    if is_blank(raw.get("start_date")):
        errors["Start date"] = "Enter the start date, as dd/mm/yyyy."
    else:
        attempt("start_date", lambda v: parse_date(v, "start date").isoformat())
    attempt("end_date", lambda v: None if is_blank(v) else parse_date(v, "end date").isoformat())
    dates = {
        key: datetime.date.fromisoformat(clean[key]) for key in ("start_date", "end_date") if clean.get(key)
    }
    for problem in activity_problems(
        **dates
    ):  # the activity's own rules, as the form and the action check them
        errors[heading[problem.field]] = problem.sentence

    attempt(
        "status", lambda v: parse_choice(v, ActivityStatus.choices, "status", default=ActivityStatus.PLANNED)
    )
    attempt("cycle_stage", lambda v: parse_choice(v, CycleStage.choices, "commissioning cycle stage"))
    attempt("duty_limb", lambda v: parse_choice(v, DutyLimb.choices, "part of the duty"))
    attempt("methods", lambda v: parse_lookups(v, context.methods, "method", "methods"))
    attempt("partners", lambda v: parse_lookups(v, context.partners, "partner", "partners"))
    attempt(
        "adjustments",
        lambda v: parse_lookups(v, context.adjustments, "reasonable adjustment", "reasonable adjustments"),
    )
    attempt("duties", lambda v: parse_duties(v, context))
    attempt("lead", lambda v: parse_lead(v, context))
    attempt("total_participants", parse_count)
    attempt("is_highlight", parse_yes_no)

    reach = {}
    for column, value in cells.items():
        if not column.is_reach:
            continue
        try:
            count = parse_count(value)
        except ValueError as exc:
            errors[column.heading] = str(exc)
        else:
            if count is not None:
                reach[str(column.group_id)] = count
    clean["reach"] = reach
    return values, clean, errors


def duplicate_key(title: str, start_iso: str | None):
    if not title or not start_iso:
        return None
    return (" ".join(title.split()).casefold(), start_iso)


def mark_duplicates(rows: list[dict], existing: Iterable[tuple[str, str]]):
    """Add warnings to rows that repeat an activity already in the log, or an earlier row of the file."""
    existing = {duplicate_key(t, d) for t, d in existing}
    first_row: dict = {}
    for row in rows:
        key = duplicate_key(row["clean"].get("title"), row["clean"].get("start_date"))
        if key is None:
            continue
        when = datetime.date.fromisoformat(key[1]).strftime("%d/%m/%Y")
        if key in existing:
            row["warnings"].append(
                f"An activity called “{row['clean']['title']}” starting on {when} is already in the log. "
                "Importing this row will add another one."
            )
        if key in first_row:
            row["warnings"].append(
                f"Row {first_row[key]} has the same title and start date. Check this is not the same activity twice."
            )
        else:
            first_row[key] = row["number"]


def parse_spreadsheet(*, name: str, data: bytes, context: ImportContext, max_rows: int) -> list[dict]:
    """Read and check a whole file; SpreadsheetError when it cannot be imported at all.

    Duplicate warnings need the organisation's activities: see ``mark_duplicates``.
    """
    table = read_table(name, data, max_rows=max_rows)
    if not table or all(is_blank(v) for v in table[0]):
        raise SpreadsheetError(
            "The first row must contain the column headings, starting with Title. Download the template to see them."
            if any(any(not is_blank(v) for v in r) for r in table)
            else "The selected file is empty."
        )
    headings = list(table[0])
    while headings and is_blank(headings[-1]):
        headings.pop()
    if len(headings) > MAX_COLUMNS:
        raise SpreadsheetError(
            f"The file has {len(headings)} columns; the template has {len(columns(context.groups))}."
        )
    matched = match_headings(headings, columns(context.groups))
    data_rows = [
        (number, row) for number, row in enumerate(table[1:], start=2) if any(not is_blank(v) for v in row)
    ]
    if len(data_rows) > max_rows:
        raise SpreadsheetError(
            f"The file has more than {max_rows:,} rows of activities, which is the most one import can take. "
            f"Split it into files of {max_rows:,} rows or fewer and import them one at a time."
        )
    if not data_rows:
        raise SpreadsheetError(
            "The file has headings but no activities. Add one row per activity below the headings."
        )
    rows = []
    for number, row in data_rows:
        cells = {column: (row[i] if i < len(row) else None) for i, column in enumerate(matched) if column}
        values, clean, errors = check_row(cells, context)
        stray = [
            i for i in range(len(row)) if not is_blank(row[i]) and (i >= len(matched) or matched[i] is None)
        ]
        if stray:
            errors[ROW_ERROR] = (
                f"This row has values in {'a column' if len(stray) == 1 else 'columns'} without a heading "
                f"({', '.join(_column_letter(i) for i in stray[:5])}). Add the heading or remove the values."
            )
        rows.append({"number": number, "values": values, "clean": clean, "errors": errors, "warnings": []})
    return rows


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
