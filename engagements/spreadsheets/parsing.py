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

from django.utils import timezone

from ccg_involvement.formats import nhs_date
from engagements.inputs import activity_problems
from engagements.models import ActivityStatus, CycleStage, DutyLimb
from engagements.spreadsheets.columns import (
    FIXED_COLUMNS,
    ROW_ERROR,
    Column,
    SpreadsheetError,
    import_columns,
    match_headings,
)
from engagements.spreadsheets.layout import Layout, mapped_columns, read_layout, read_width  # noqa: F401 (read_width: tests)
from engagements.spreadsheets.mapping import apply_values
from engagements.spreadsheets.outcomes import in_row_outcome
from engagements.spreadsheets.reach_cells import parse_reach, reach_names, reach_targets, target_map
from engagements.spreadsheets.reading import (
    UnsavedFormula,
    cell_text,
    is_blank,
)
from engagements.spreadsheets.references import ImportContext, parse_duties, parse_lead, parse_rationales
from engagements.spreadsheets.values import (
    _quoted,
    parse_choice,
    parse_count_as_written,
    parse_date,
    parse_lookups,
    parse_yes_no,
)

# ------------------------------------------------------------------------------ rows
_HEADINGS = {c.key: c.heading for c in FIXED_COLUMNS}
PROGRESS_EVERY = 500
_STATUSES, _STAGES, _LIMBS = ActivityStatus.choices, CycleStage.choices, DutyLimb.choices
"""Django works each enumeration's ``choices`` out afresh when asked: once here, not per row."""
_WHOLE_NUMBER = re.compile(r"\d+(\.0+)?")


def status_from_dates(start: datetime.date | None, end: datetime.date | None, today=None) -> str:
    """The status of an activity whose row gives none: what its dates say.

    A log kept without a status column is mostly of things that happened: an activity whose last
    day is before today is Completed, one on today or still going is Under way, one not yet started
    (or with no start date) is Planned. The preview says which was chosen, row by row.
    """
    today = today or timezone.localdate()
    last_day = end or start
    if start is None or start > today:
        return ActivityStatus.PLANNED
    return ActivityStatus.COMPLETED if last_day < today else ActivityStatus.UNDER_WAY


@dataclass(frozen=True)
class FileColumns:
    """The columns a file has, worked out once for all its rows (``check_row``'s ``present``)."""

    blank: dict
    """Heading → "": every column's value in a row where it is blank."""
    by_key: dict

    @classmethod
    def of(cls, present) -> "FileColumns":
        return cls(blank=dict.fromkeys((c.heading for c in present), ""), by_key={c.key: c for c in present})


def check_row(
    cells: dict[Column, object],
    context: ImportContext,
    *,
    number: int | None = None,
    value_map: dict | None = None,
    present: FileColumns | None = None,
) -> tuple[dict, dict, dict, list]:
    """``(values, clean, errors, warnings)`` for one row, given the raw cell of each column in the file.

    ``value_map`` holds the mapping step's choices for list fields' own values (“Complete” is
    Completed): ``mapping.apply_values``. With ``present`` (the file's columns), ``cells`` need hold
    only the row's non-blank cells.
    """
    present = present or FileColumns.of(cells)
    values = dict(present.blank)
    for column, value in cells.items():
        if value is not None:
            values[column.heading] = cell_text(value)
    if value_map:
        raw = {column.key: apply_values(column.key, value, value_map) for column, value in cells.items()}
    else:
        raw = {column.key: value for column, value in cells.items()}
    by_key = present.by_key
    errors: dict[str, str] = {}
    warnings: list[str] = []
    clean: dict = {}
    heading = _HEADINGS

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
        errors["Start date"] = "Enter the start date, for example 14/10/2025."
    else:
        attempt("start_date", lambda v: parse_date(v, "start date").isoformat())
    attempt("end_date", lambda v: None if is_blank(v) else parse_date(v, "end date").isoformat())
    dates = {
        key: datetime.date.fromisoformat(clean[key]) for key in ("start_date", "end_date") if clean.get(key)
    }
    attempt("status", lambda v: parse_choice(v, _STATUSES, "status"))
    if clean.get("status") == "":
        clean["status"] = status_from_dates(dates.get("start_date"), dates.get("end_date"))
        if "start_date" in dates and "status" in by_key:
            warnings.append(
                f"No status given: imported as {ActivityStatus(clean['status']).label} from its dates."
            )
    attempt("cycle_stage", lambda v: parse_choice(v, _STAGES, "commissioning cycle stage"))
    attempt("duty_limb", lambda v: parse_choice(v, _LIMBS, "part of the duty"))
    attempt("methods", lambda v: parse_lookups(v, context.methods, "method", "methods"))
    attempt("partners", lambda v: parse_lookups(v, context.partners, "partner", "partners"))
    attempt(
        "adjustments",
        lambda v: parse_lookups(v, context.adjustments, "reasonable adjustment", "reasonable adjustments"),
    )
    duty_notes: list[str] = []
    attempt("duties", lambda v: parse_duties(v, context, duty_notes))
    warnings.extend(f"{heading['duties']}: {note}" for note in duty_notes)
    attempt("lead", lambda v: parse_lead(v, context))

    def count(value, label):
        number, warning = parse_count_as_written(value)
        if warning:
            warnings.append(f"{label}: {warning}")
        return number

    attempt("total_participants", lambda v: count(v, heading["total_participants"]))
    attempt("is_highlight", parse_yes_no)
    attempt("is_case_study", parse_yes_no)

    reach, reach_errors, reach_warnings = parse_reach(
        cells, context.groups, context.derive("reach_names", lambda: reach_names(context.groups)), value_map
    )
    errors.update(reach_errors)
    warnings.extend(reach_warnings)
    clean["reach"] = reach
    # The activity's own rules, as the form and the action check them (ActivityInput's rules): the
    # end not before the start, "Completed" only once it has ended, no group above the total.
    rule_heading = {**heading, "reach": heading["total_participants"]}
    for problem in activity_problems(
        **dates,
        status=clean.get("status"),
        total_participants=clean.get("total_participants"),
        reach=reach_targets(
            reach, context.groups, context.derive("reach_targets", lambda: target_map(context.groups))
        ),
    ):
        errors.setdefault(rule_heading[problem.field], problem.sentence)

    rationale_column = by_key.get("duty_rationales")
    if rationale_column is not None and not is_blank(raw.get("duty_rationales")):
        try:
            clean["rationales"] = parse_rationales(raw["duty_rationales"], context, clean.get("duties") or [])
        except ValueError as exc:
            errors[rationale_column.heading] = str(exc)

    def whole_number(value):
        text = cell_text(value)
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError(f"“{text}” is not an ID from the export. Leave it blank for a new activity.")
        return int(float(text))

    id_column = by_key.get("id")
    if id_column is not None and not is_blank(raw.get("id")):
        try:
            pk = whole_number(raw["id"])
        except ValueError as exc:
            errors[id_column.heading] = str(exc)
        else:
            if pk in context.activities:
                clean["id"] = pk  # an update, not a warning: the preview counts and shows it as such
                version_column = by_key.get("version")
                if version_column is not None and not is_blank(raw.get("version")):
                    try:
                        clean["version"] = whole_number(raw["version"])
                    except ValueError:
                        errors[version_column.heading] = "The version must be the number the export gave."
            else:  # a new activity: said per row, or once for a file of none of ours (read_spreadsheet)
                clean["foreign_id"] = pk
    if "outcome_said" in by_key or "outcome_did" in by_key:  # “you said, we did” beside the activity
        outcome, problems = in_row_outcome(
            {k: raw.get(k) for k in ("outcome_said", "outcome_did") if k in by_key}
        )
        errors.update({by_key[key].heading: message for key, message in problems.items()})
        if outcome:
            clean["outcome"] = outcome
    for column, value in cells.items():  # a formula Excel never worked out: its value is not in the file
        if value.__class__ is UnsavedFormula:
            errors[column.heading] = (
                f"Cell {value.cell} has a formula with no saved value, so its value is not in the file. "
                "Open the file in Excel, save it, and upload it again."
            )
    return values, clean, errors, warnings


def duplicate_key(title: str, start_iso: str | None):
    if not title or not start_iso:
        return None
    return (" ".join(title.split()).casefold(), start_iso)


def mark_duplicates(rows: list[dict], existing: Iterable[tuple[str, str]]):
    """Add warnings to rows that repeat an activity already in the log, or an earlier row of the file.

    Such rows are marked ``"duplicate": True``: the commit can skip them.
    """
    existing = {duplicate_key(t, d) for t, d in existing}
    first_row: dict = {}
    first_with_id: dict = {}
    for row in rows:
        if row["clean"].get("id"):  # an update of the activity it names, not another one
            pk = row["clean"]["id"]
            if pk in first_with_id:
                row["errors"]["ID"] = (
                    f"Row {first_with_id[pk]} has the same ID. An activity can be updated once per file."
                )
            first_with_id.setdefault(pk, row["number"])
            continue
        key = duplicate_key(row["clean"].get("title"), row["clean"].get("start_date"))
        if key is None:
            continue
        when = nhs_date(datetime.date.fromisoformat(key[1]))
        if key in existing or key in first_row:
            row["duplicate"] = True
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


@dataclass
class Parsed:
    """A checked spreadsheet: its rows (see the module docstring) and what the person should know."""

    rows: list[dict]
    notices: list[str] = field(default_factory=list)
    sheet: str = ""
    heading_row: int = 1
    headings: list[str] = field(default_factory=list)


def read_spreadsheet(
    *,
    name: str,
    data: bytes,
    context: ImportContext,
    max_rows: int,
    sheet: str | None = None,
    heading_row: int | None = None,
    column_map: dict | None = None,
    value_map: dict | None = None,
    layout: Layout | None = None,
    progress=None,
) -> Parsed:
    """Read and check a whole file; SpreadsheetError when it cannot be imported at all.

    Without ``column_map`` the headings are matched by the template's names and common ones; with it
    (the mapping step's ``{position: field key}``) each column is read as chosen, and ``value_map``
    maps list fields' own values; ``layout`` is the file already read; ``progress(checked, total)``
    is called every ``PROGRESS_EVERY`` rows. Duplicate warnings need the organisation's activities: see
    ``mark_duplicates``.
    """
    all_columns = import_columns(context.groups)
    layout = layout or read_layout(
        name=name, data=data, groups=context.groups, max_rows=max_rows, sheet=sheet, heading_row=heading_row
    )
    table, headings, heading_number = layout.table, layout.headings, layout.heading_number
    notices = []
    if table.sheet and len(table.sheets) > 1:
        notices.append(f"Read the sheet “{table.sheet}” (of {len(table.sheets)}).")
    if layout.joined:
        notices.append(
            f"The headings are on rows {heading_number - 1} and {heading_number}, read together where "
            "their cells are merged"
            + ("; the rows above them were not imported." if heading_number > 2 else ".")
        )
    elif heading_number > 1:
        notices.append(f"The headings are on row {heading_number}; the rows above them were not imported.")
    if column_map is None:
        matched, ignored = match_headings(headings, all_columns, ignore_unknown=True)
    else:
        matched = mapped_columns(headings, column_map, all_columns)
        ignored = [
            cell_text(h) for h, c in zip(headings, matched, strict=True) if c is None and not is_blank(h)
        ]
    if ignored:
        notices.append(
            f"{'This column was' if len(ignored) == 1 else 'These columns were'} not imported, as "
            f"{'it is not a column' if len(ignored) == 1 else 'they are not columns'} of the activity log: "
            + _quoted(ignored)
            + "."
        )
    if not any(column is not None and column.key == "status" for column in matched):
        notices.append(
            "Your file has no status column, so each new activity's status comes from its dates: "
            "Completed once it has ended, Under way while it is on, Planned before it starts."
        )
    data_rows = layout.data_rows
    if len(data_rows) > max_rows:
        raise SpreadsheetError(
            f"The file has more than {max_rows:,} rows of activities, which is the most one import can take. "
            f"Split it into files of {max_rows:,} rows or fewer and import them one at a time."
        )
    if not data_rows:
        raise SpreadsheetError(
            "The file has headings but no activities. Add one row per activity below the headings."
        )
    ignored_at = {i for i, h in enumerate(headings) if not is_blank(h) and matched[i] is None}
    present = FileColumns.of([c for c in matched if c is not None])
    rows = []
    for index, (number, row) in enumerate(data_rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(data_rows))
        cells = {  # the non-blank ones: a blank cell is a column's blank value (``present``)
            matched[i]: value
            for i, value in enumerate(row[: len(matched)])
            if value is not None and value != "" and matched[i] is not None
        }
        values, clean, errors, warnings = check_row(
            cells, context, number=number, value_map=value_map, present=present
        )
        stray = [
            i
            for i in range(len(row))
            if not is_blank(row[i]) and (i >= len(matched) or matched[i] is None) and i not in ignored_at
        ]
        if stray:
            errors[ROW_ERROR] = (
                f"This row has values in {'a column' if len(stray) == 1 else 'columns'} without a heading "
                f"({', '.join(column_letter(i) for i in stray[:5])}). Add the heading or remove the values."
            )
        rows.append(
            {"number": number, "values": values, "clean": clean, "errors": errors, "warnings": warnings}
        )
        if "outcome" in clean:  # an outcome on the activity's row (the Outcomes sheet's are added later)
            rows[-1]["outcomes"] = [clean.pop("outcome")]
    _say_foreign_ids(rows, notices)
    return Parsed(
        rows=rows,
        notices=notices,
        sheet=table.sheet,
        heading_row=heading_number,
        headings=[cell_text(h) for h in headings],
    )


def _say_foreign_ids(rows: list[dict], notices: list[str]) -> None:
    """Rows whose ID is no activity of the organisation are added as new ones: a warning on each when
    the file also updates some (an activity deleted since the export?), else one notice (an export
    from another organisation, imported into this one)."""
    foreign = [row for row in rows if "foreign_id" in row["clean"]]
    if not foreign:
        return
    if any(row["clean"].get("id") for row in rows):
        for row in foreign:
            row["warnings"].append(
                f"No activity in this log has the ID {row['clean']['foreign_id']}: the row will be added as "
                "a new activity."
            )
    else:
        notices.append(
            "No ID in the file is an activity of this organisation (an export from another one, or of "
            "activities since deleted): each row will be added as a new activity."
        )
    for row in foreign:
        del row["clean"]["foreign_id"]


def parse_spreadsheet(*, name: str, data: bytes, context: ImportContext, max_rows: int) -> list[dict]:
    """The checked rows of a file (``read_spreadsheet`` without its notices)."""
    return read_spreadsheet(name=name, data=data, context=context, max_rows=max_rows).rows


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
