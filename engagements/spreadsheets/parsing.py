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
    heading_score,
    match_headings,
)
from engagements.spreadsheets.reading import SPARE_ROWS, UnsavedFormula, cell_text, is_blank, read_table


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
    activities: dict[int, tuple[int, str]] = field(default_factory=dict)
    """id → (version, title) of the organisation's activities: a row with an ID updates one."""
    duty_numbers: dict[tuple[str, int], dict[int, str]] = field(default_factory=dict)
    """(letter, number) → {id: code} of the applying duties, from codes such as PPP17-A03 ("A", 3),
    WPPC-P03 ("P", 3) and IPO17-03 ("", 3): how logs refer to them (“Action 3”, “KA 6”, “A03”)."""


_DUTY_REFERENCE = re.compile(
    r"(?:(?:s\.?\s*)?14z\d+\s*)?(key\s*actions?|actions?|ka|a|principles?|p)?\s*[-.:#]?\s*(?:no\.?\s*)?0*(\d{1,2})",
    re.IGNORECASE,
)


def resolve_duty_reference(text: str, context: ImportContext) -> tuple[int | None, str]:
    """A duty named as logs name them (“Action 3”, “KA 6”, “A03”, “Principle 2”): (id, code), or
    (None, why not) when it names no duty, or more than one, of the organisation's frameworks."""
    match = _DUTY_REFERENCE.fullmatch(" ".join(text.split()))
    if not match:
        return None, ""
    word, number = (match.group(1) or "").casefold().replace(" ", ""), int(match.group(2))
    letters = (
        {"A"}
        if word.startswith(("action", "keyaction", "ka", "a"))
        else {"P"}
        if word.startswith("p")
        else None
    )
    found = {
        pk: code
        for (letter, n), duties in context.duty_numbers.items()
        if n == number and (letters is None or letter in letters)
        for pk, code in duties.items()
    }
    if len(found) == 1:
        return next(iter(found.items()))
    if len(found) > 1:
        return None, f"“{text}” could be {_quoted(sorted(found.values()))}: use the duty code."
    return None, ""


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAY = re.compile(r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_NUMERIC = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_TIME = re.compile(r"(?:\s+|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?$", re.IGNORECASE)
EXCEL_EPOCH = datetime.date(1899, 12, 30)
SERIALS = range(36526, 73051)  # 1 January 2000 to 31 December 2099 as Excel serial numbers
EXAMPLE = "for example 14/10/2025 or 14 October 2025"


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _real_date(year, month, day, text, label) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date. Check the day and month of the {label}.") from None


def _date_from_text(text: str, label: str) -> datetime.date:
    original = text
    text = _TIME.sub("", text.strip())
    text = _WEEKDAY.sub("", text)
    text = _ORDINAL.sub("", text).strip().casefold()
    if re.fullmatch(r"\d+(\.0+)?", text) and int(float(text)) in SERIALS:
        return EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        return _real_date(year, month, day, original, label)
    if match := _NUMERIC.fullmatch(text):
        first, _, second, year = match.groups()
        day, month = int(first), int(second)
        if month > 12 and day <= 12:
            raise ValueError(
                f"“{original}” looks like a month-first (American) date. Enter the {label} day first, {EXAMPLE}."
            )
        return _real_date(_year(year), month, day, original, label)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month_name, year = match.groups()
        if month_name in MONTHS:
            return _real_date(_year(year), MONTHS[month_name], int(day), original, label)
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        month_name, day, year = match.groups()
        if month_name in MONTHS:
            return _real_date(int(year), MONTHS[month_name], int(day), original, label)
    if re.search(r"\d\s*(-|–|to|&|and)\s*\d", text) and re.search(r"[a-z]{3}|\d{4}", text):
        raise ValueError(
            f"“{original}” looks like more than one date. Enter the start date here and the end date in its "
            "own column."
        )
    if re.fullmatch(r"\d{1,2}[\s\-/.]+[a-z0-9]+\.?", text) or re.fullmatch(r"[a-z]+\s+\d{1,2}", text):
        raise ValueError(f"“{original}” has no year. Enter the {label} with its year, {EXAMPLE}.")
    raise ValueError(f"Enter the {label} as a date, {EXAMPLE} (not “{original}”).")


def parse_date(value, label: str) -> datetime.date:
    """A date as people write it, day first; ValueError with a message when it is not one, or ambiguous.

    Excel date cells, Excel serial numbers (in number or text cells), ``3/3/25``, ``03.03.2025``,
    ``3-3-2025``, ``2025-03-03``, ``3 March 2025``, ``3rd Mar 2025``, ``Mon 3 March 2025``,
    ``March 3, 2025``. A month-first date (``5/14/2025``), a date without a year and a range of dates
    are refused with a message saying so.
    """
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) not in SERIALS:
            raise ValueError(f"Enter the {label} as a date, {EXAMPLE} (not “{cell_text(value)}”).")
        result = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        result = _date_from_text(cell_text(value), label)
    if not 2000 <= result.year <= 2100:
        raise ValueError(f"Check the year of the {label} ({result:%d/%m/%Y}).")
    return result


NOT_RECORDED = {
    "n/a",
    "na",
    "n.a.",
    "n/k",
    "nk",
    "n.k.",
    "unknown",
    "not known",
    "not recorded",
    "-",
    "–",
    "—",
    "?",
    "tbc",
    "tbd",
    "none recorded",
    "no data",
    "not counted",
}
_APPROXIMATE = re.compile(
    r"(?:approx\.?|approximately|around|about|roughly|circa|c\.?|ca\.?|~|est\.?|estimated|over|more than|at least)"
    r"\s*(\d[\d,]*)\s*(?:\+|people|participants|attendees)?"
    r"|(\d[\d,]*)\s*(?:\+|plus|or more|approx\.?|\(approx\.?\)|ish)",
    re.IGNORECASE,
)


def parse_count_as_written(value) -> tuple[int | None, str | None]:
    """A count and a warning: “N/A” is not recorded, “approx 30” and “30+” are 30, each with a warning."""
    if isinstance(value, str):
        text = " ".join(value.split())
        if text.casefold() in NOT_RECORDED:
            return None, f"“{text}” was read as not recorded."
        if match := _APPROXIMATE.fullmatch(text):
            number = int((match.group(1) or match.group(2)).replace(",", ""))
            return parse_count(number), f"“{text}” was read as {number:,}."
    return parse_count(value), None


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
        elif re.fullmatch(r"\d+(-|–|to)\d+", text):
            raise ValueError(
                f"“{cell_text(value)}” is a range. Enter one number of people (the lower one, if unsure)."
            )
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


def parse_duties(value, context: ImportContext, notes: list | None = None) -> list[int]:
    ids, unknown, elsewhere, ambiguous = [], [], [], []
    names = [n for part in split_names(value) for n in re.split(r"\s*[,/&\n]\s*|\s+and\s+", part) if n]
    for code in names:
        key = code.upper().replace(" ", "")
        pk = context.duties.get(key)
        if pk is None and key not in context.other_duties:
            pk, said = resolve_duty_reference(code, context)
            if pk is not None and notes is not None:
                notes.append(f"“{code}” was read as {said}.")
            elif said:
                ambiguous.append(said)
                continue
        if pk is not None:
            if pk not in ids:
                ids.append(pk)
        elif key in context.other_duties:
            elsewhere.append(code)
        else:
            unknown.append(code)
    problems = list(ambiguous)
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


_RATIONALE_START = re.compile(r"(?:^|;)\s*([^:;]{1,40}?)\s*:\s*")


def parse_rationales(value, context: ImportContext, duty_ids: list[int]) -> dict[str, str]:
    """“WPPC-P01: reason; WPPC-P04: reason” → {duty id: reason}, for duties the row evidences."""
    text = cell_text(value)
    starts = list(_RATIONALE_START.finditer(text))
    if not starts or starts[0].start() != 0:
        raise ValueError(
            "Write each rationale as a duty code, a colon and the reason, for example “WPPC-P01: …”."
        )
    found, problems = {}, []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        code, reason = match.group(1).strip(), text[match.end() : end].strip()
        pk = context.duties.get(code.upper().replace(" ", "")) or resolve_duty_reference(code, context)[0]
        if pk is None:
            problems.append(f"“{code}” is not a duty code.")
        elif pk not in duty_ids:
            problems.append(f"“{code}” has a rationale but is not in the duties evidenced.")
        elif len(reason) > 200:
            problems.append(
                f"The rationale for {code} must be 200 characters or fewer (it has {len(reason)})."
            )
        elif reason:
            found[str(pk)] = reason
    if problems:
        raise ValueError(" ".join(problems))
    return found


# ------------------------------------------------------------------------------ rows
def check_row(
    cells: dict[Column, object], context: ImportContext, *, number: int | None = None
) -> tuple[dict, dict, dict, list]:
    """``(values, clean, errors, warnings)`` for one row, given the raw cell of each column in the file."""
    values = {column.heading: cell_text(raw) for column, raw in cells.items()}
    raw = {column.key: value for column, value in cells.items()}
    errors: dict[str, str] = {}
    warnings: list[str] = []
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
        errors["Start date"] = "Enter the start date, for example 14/10/2025."
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

    reach = {}
    for column, value in cells.items():
        if not column.is_reach:
            continue
        try:
            number = count(value, column.heading)
        except ValueError as exc:
            errors[column.heading] = str(exc)
        else:
            if number is not None:
                reach[str(column.group_id)] = number
    clean["reach"] = reach

    rationale_column = next((c for c in cells if c.key == "duty_rationales"), None)
    if rationale_column is not None and not is_blank(raw.get("duty_rationales")):
        try:
            clean["rationales"] = parse_rationales(raw["duty_rationales"], context, clean.get("duties") or [])
        except ValueError as exc:
            errors[rationale_column.heading] = str(exc)

    def whole_number(value):
        text = cell_text(value)
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise ValueError(f"“{text}” is not an ID from the export. Leave it blank for a new activity.")
        return int(float(text))

    id_column = next((c for c in cells if c.key == "id"), None)
    if id_column is not None and not is_blank(raw.get("id")):
        try:
            pk = whole_number(raw["id"])
        except ValueError as exc:
            errors[id_column.heading] = str(exc)
        else:
            if pk in context.activities:
                version, current_title = context.activities[pk]
                clean["id"] = pk
                warnings.append(f"Updates the activity “{current_title}” (ID {pk}).")
                version_column = next((c for c in cells if c.key == "version"), None)
                if version_column is not None and not is_blank(raw.get("version")):
                    try:
                        clean["version"] = whole_number(raw["version"])
                    except ValueError:
                        errors[version_column.heading] = "The version must be the number the export gave."
            else:
                warnings.append(
                    f"No activity in this log has the ID {pk}: the row will be added as a new activity."
                )
    for column, value in cells.items():  # a formula Excel never worked out: its value is not in the file
        if isinstance(value, UnsavedFormula):
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
        when = datetime.date.fromisoformat(key[1]).strftime("%d/%m/%Y")
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


SPARE_COLUMNS = 20
"""Columns read beyond the template's: a log's own columns (notes, references) next to the mapped ones."""


def read_width(groups) -> int:
    """How many columns of a file are read: the template's width and some spare, never more than MAX_COLUMNS."""
    return min(MAX_COLUMNS, len(columns(groups)) + SPARE_COLUMNS)


def find_heading_row(rows: list[tuple[int, list]]) -> int:
    """The index in ``rows`` of the heading row: the one among the first rows most like the log's headings.

    Title rows above the headings (“Engagement log 2025/26”) are passed over.
    """
    best, best_score = 0, 0
    for index, (_, values) in enumerate(rows[:SPARE_ROWS]):
        score = heading_score(values)
        if score > best_score:
            best, best_score = index, score
    return best


@dataclass
class Parsed:
    """A checked spreadsheet: its rows (see the module docstring) and what the person should know."""

    rows: list[dict]
    notices: list[str] = field(default_factory=list)
    sheet: str = ""
    heading_row: int = 1
    headings: list[str] = field(default_factory=list)


def read_spreadsheet(
    *, name: str, data: bytes, context: ImportContext, max_rows: int, sheet: str | None = None
) -> Parsed:
    """Read and check a whole file; SpreadsheetError when it cannot be imported at all.

    Duplicate warnings need the organisation's activities: see ``mark_duplicates``.
    """
    all_columns = columns(context.groups)
    table = read_table(name, data, max_rows=max_rows, max_columns=read_width(context.groups), sheet=sheet)
    if not table.rows:
        raise SpreadsheetError("The selected file is empty.")
    at = find_heading_row(table.rows)
    heading_number, headings = table.rows[at]
    headings = list(headings)
    while headings and is_blank(headings[-1]):
        headings.pop()
    notices = []
    if table.sheet and len(table.sheets) > 1:
        notices.append(f"Read the sheet “{table.sheet}” (of {len(table.sheets)}).")
    if heading_number > 1:
        notices.append(f"The headings are on row {heading_number}; the rows above them were not imported.")
    matched, ignored = match_headings(headings, all_columns, ignore_unknown=True)
    if ignored:
        notices.append(
            f"{'This column was' if len(ignored) == 1 else 'These columns were'} not imported, as "
            f"{'it is not a column' if len(ignored) == 1 else 'they are not columns'} of the activity log: "
            + _quoted(ignored)
            + "."
        )
    data_rows = table.rows[at + 1 :]
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
    rows = []
    for number, row in data_rows:
        cells = {column: (row[i] if i < len(row) else None) for i, column in enumerate(matched) if column}
        values, clean, errors, warnings = check_row(cells, context, number=number)
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
    return Parsed(
        rows=rows,
        notices=notices,
        sheet=table.sheet,
        heading_row=heading_number,
        headings=[cell_text(h) for h in headings],
    )


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
