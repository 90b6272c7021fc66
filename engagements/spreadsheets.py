"""The activity spreadsheet: its columns, reading CSV / XLSX, checking rows, writing templates and exports.

One list of columns (``columns()``) serves the import template, the import and the export, so an
export imported into an empty organisation reproduces the activities. Nothing here sees a request:
the views and ``engagements.imports`` pass in bytes, names and an ``ImportContext``.

A row read from a file becomes a JSON-serialisable dict (stored in ``ImportBatch.rows``)::

    {"number": 2,                      # the row number in the spreadsheet (the headings are row 1)
     "values": {heading: text},        # what the file said, for the preview
     "clean": {...},                   # checked values: ISO dates, lookup/duty/user ids, reach
     "errors": {heading: message},     # problems, per column ("Row" for the row as a whole)
     "warnings": [message, ...]}       # e.g. a likely duplicate
"""

import csv
import datetime
import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from ccg_involvement.models import Membership
from duties.models import Duty
from engagements.actions import allowed_duties
from engagements.models import (
    Activity,
    ActivityStatus,
    Adjustment,
    AudienceGroup,
    CycleStage,
    DutyLimb,
    Method,
    Partner,
)

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVITIES_SHEET = "Activities"
LISTS_SHEET = "Lists"
REACH_PREFIX = "Reached: "
ROW_ERROR = "Row"
"""The ``errors`` key for a problem with the row as a whole rather than one column."""
MAX_COLUMNS = 200
MAX_XLSX_EXPANDED_BYTES = 200 * 1024 * 1024
SEPARATOR = ";"


class SpreadsheetError(Exception):
    """The whole file is refused; ``str(error)`` is a message for the person who uploaded it."""


@dataclass(frozen=True)
class Column:
    key: str
    """The cleaned value's name (``reach:<group id>`` for reach columns)."""
    heading: str
    required: bool = False
    hint: str = ""
    group_id: int | None = None

    @property
    def is_reach(self) -> bool:
        return self.group_id is not None


def _choice_labels(choices) -> str:
    labels = [label for _, label in choices]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


FIXED_COLUMNS = [
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
        hint=f"{_choice_labels(ActivityStatus.choices)}. Blank means Planned.",
    ),
    Column(
        "cycle_stage", "Commissioning cycle stage", hint=f"{_choice_labels(CycleStage.choices)}, or blank."
    ),
    Column("duty_limb", "Part of the duty it serves", hint=f"{_choice_labels(DutyLimb.choices)}, or blank."),
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
    Column("lead", "Lead", hint="The username or email address of a member of your organisation, or blank."),
    Column(
        "total_participants",
        "Total participants",
        hint="A whole number. Blank means not recorded; 0 means nobody took part.",
    ),
    Column(
        "is_highlight", "Highlight", hint="Yes to feature the activity in the annual report; blank means no."
    ),
]


def reach_heading(group) -> str:
    return f"{REACH_PREFIX}{group.name}"


def audience_groups():
    return list(AudienceGroup.objects.order_by("kind", "position", "name"))


def columns(groups=None) -> list[Column]:
    """Every column of the activity spreadsheet, in order: the fixed ones, then one per audience group."""
    groups = audience_groups() if groups is None else groups
    return FIXED_COLUMNS + [
        Column(
            f"reach:{g.pk}",
            reach_heading(g),
            hint="People reached. Blank means not recorded; 0 means nobody from the group.",
            group_id=g.pk,
        )
        for g in groups
    ]


def normalise_heading(text) -> str:
    text = "" if text is None else str(text)
    text = re.sub(r"\s+", " ", text).strip().rstrip("*").strip()
    return text.casefold()


# ------------------------------------------------------------------------------ context
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

    @classmethod
    def for_organisation(cls, organisation) -> "ImportContext":
        context = cls(groups=audience_groups())
        for model, target in (
            (Method, context.methods),
            (Partner, context.partners),
            (Adjustment, context.adjustments),
        ):
            for pk, code, name in model.objects.values_list("pk", "code", "name"):
                target.setdefault(name.strip().casefold(), pk)
                target.setdefault(code.strip().casefold(), pk)
        allowed = allowed_duties(organisation).select_related("framework")
        # Where two revisions in use share a code, the current revision wins.
        for duty in sorted(allowed, key=lambda d: d.framework.is_current):
            context.duties[duty.code.upper()] = duty.pk
        context.other_duties = {
            c.upper() for c in Duty.objects.values_list("code", flat=True) if c.upper() not in context.duties
        }
        user_ids = Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
        users = get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username", "email")
        for pk, username, email in users:
            for key in {username, email}:
                if key:
                    context.members.setdefault(key.strip().casefold(), set()).add(pk)
        return context


# ------------------------------------------------------------------------------ reading files
def _sniff_problem(data: bytes, extension: str) -> str | None:
    """A message when the bytes are plainly not the spreadsheet their name says."""
    if data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8\xff") or data.startswith(b"GIF8"):
        return "The selected file is an image, not a spreadsheet. Upload a CSV or Excel (.xlsx) file."
    if data.startswith(b"%PDF-"):
        return "The selected file is a PDF, not a spreadsheet. Upload a CSV or Excel (.xlsx) file."
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (
            "The selected file is an older Excel (.xls) or Office file. In Excel choose File, Save as, "
            "then “Excel Workbook (.xlsx)” or “CSV UTF-8”, and upload that."
        )
    if extension == ".csv" and data.startswith(b"PK\x03\x04"):
        return "The selected file is an Excel (.xlsx) workbook but its name ends in .csv. Rename it to end in .xlsx."
    if extension == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        return (
            "The selected file is not an Excel (.xlsx) workbook. It may be damaged, or in another format: "
            "open it in Excel and save it as “Excel Workbook (.xlsx)” or “CSV UTF-8”."
        )
    return None


def file_extension(name: str) -> str:
    name = (name or "").strip().lower()
    return name[name.rfind(".") :] if "." in name else ""


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without a byte order mark), else Windows-1252."""
    if b"\x00" in data:
        raise SpreadsheetError(
            "The selected file is not a CSV file (it contains binary data). Upload a CSV or Excel (.xlsx) file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "The selected file could not be read as text. Save it from Excel as “CSV UTF-8” and try again."
        ) from None


def read_csv(data: bytes) -> list[list]:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise SpreadsheetError(
            f"The CSV file could not be read ({exc}). Open it in Excel, save it as “CSV UTF-8” and try again."
        ) from None


def read_xlsx(data: bytes, *, max_rows: int) -> list[list]:
    """The first sheet (or the one called “Activities”) as lists of cell values.

    Stops reading after ``max_rows`` + 1 rows with content; the caller refuses such files.
    """
    import openpyxl

    damaged = SpreadsheetError(
        "The Excel file could not be read. It may be damaged or password-protected: open it in Excel, "
        "save it as “Excel Workbook (.xlsx)” and try again."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    if expanded > MAX_XLSX_EXPANDED_BYTES:  # a “zip bomb”, or far more than activities need
        raise SpreadsheetError(
            "The Excel file is too big to import once opened. Remove other sheets, pictures and formatting, "
            "or save it as “CSV UTF-8” and upload that."
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (styles, extensions): irrelevant to the values.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                names = workbook.sheetnames
                sheet = workbook[ACTIVITIES_SHEET] if ACTIVITIES_SHEET in names else workbook.worksheets[0]
                sheet.reset_dimensions()  # do not trust the recorded size of the sheet
                rows, filled = [], 0
                for row in sheet.iter_rows(values_only=True):
                    row = list(row)
                    rows.append(row)
                    if any(not _is_blank(v) for v in row):
                        filled += 1
                        if filled > max_rows + 1:  # the headings plus one row too many
                            break
                return rows
            finally:
                workbook.close()
    except Exception:  # zipfile, openpyxl and XML parsers raise many kinds of error for a damaged file
        raise damaged from None


def read_table(name: str, data: bytes, *, max_rows: int) -> list[list]:
    """The file's rows (headings first) as lists of raw values; SpreadsheetError when unreadable."""
    extension = file_extension(name)
    if extension not in {".csv", ".xlsx"}:
        if extension in {".xls", ".xlsm", ".ods", ".numbers"}:
            raise SpreadsheetError(
                f"“{extension}” files cannot be imported. Save the file as “Excel Workbook (.xlsx)” "
                "or “CSV UTF-8” and upload that."
            )
        raise SpreadsheetError("The selected file must be a CSV or Excel (.xlsx) file.")
    if not data:
        raise SpreadsheetError("The selected file is empty.")
    problem = _sniff_problem(data, extension)
    if problem:
        raise SpreadsheetError(problem)
    if extension == ".csv":
        return read_csv(data)
    return read_xlsx(data, max_rows=max_rows)


# ------------------------------------------------------------------------------ headings
def match_headings(headings: list, all_columns: list[Column]) -> list[Column | None]:
    """The column for each position in the heading row (None for a blank heading)."""
    by_name = {normalise_heading(c.heading): c for c in all_columns}
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
    if unknown:
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
    return matched


# ------------------------------------------------------------------------------ cell values
_CSV_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """A cell as display text (Excel's 12.0 as “12”, dates as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _CSV_ESCAPED.sub("", str(value).strip())


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
        text = _text(value)
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
    if _is_blank(value):
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
        text = _text(value).replace(",", "").replace(" ", "")
        if re.fullmatch(r"[-+]?\d+(\.0*)?", text):
            number = int(float(text)) if "." in text else int(text)
        elif re.fullmatch(r"[-+]?\d*\.\d+", text):
            raise ValueError(f"Enter a whole number of people (not {_text(value)}).")
        else:
            raise ValueError(
                f"Enter a number of people, like 12, or leave it blank if not recorded (not “{_text(value)}”)."
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
    text = _text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"Enter yes or no, or leave it blank for no (not “{_text(value)}”).")


def parse_choice(value, choices, label: str, *, default: str = "") -> str:
    text = _text(value)
    if not text:
        return default
    folded = text.casefold()
    for choice_value, choice_label in choices:
        if folded in {str(choice_value).casefold(), str(choice_label).casefold()}:
            return choice_value
    blank = "" if default else ", or leave it blank"
    raise ValueError(f"Unknown {label} “{text}”. Use {_choice_labels(choices)}{blank}.")


def split_names(value) -> list[str]:
    names, seen = [], set()
    for part in _text(value).split(SEPARATOR):
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
    text = _text(value)
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
    values = {column.heading: _text(raw) for column, raw in cells.items()}
    raw = {column.key: value for column, value in cells.items()}
    errors: dict[str, str] = {}
    clean: dict = {}
    heading = {c.key: c.heading for c in FIXED_COLUMNS}

    def attempt(key, parse):
        try:
            clean[key] = parse(raw.get(key))
        except ValueError as exc:
            errors[heading[key]] = str(exc)

    title = _text(raw.get("title"))
    if not title:
        errors["Title"] = "Enter a title."
    elif len(title) > 200:
        errors["Title"] = f"The title must be 200 characters or fewer (this one has {len(title)})."
    clean["title"] = title
    clean["summary"] = _text(raw.get("summary"))
    service_area = _text(raw.get("service_area"))
    if len(service_area) > 120:
        errors[heading["service_area"]] = (
            f"The programme or service area must be 120 characters or fewer (this one has {len(service_area)})."
        )
    clean["service_area"] = service_area

    if _is_blank(raw.get("start_date")):
        errors["Start date"] = "Enter the start date, as dd/mm/yyyy."
    else:
        attempt("start_date", lambda v: parse_date(v, "start date").isoformat())
    attempt("end_date", lambda v: None if _is_blank(v) else parse_date(v, "end date").isoformat())
    start, end = clean.get("start_date"), clean.get("end_date")
    if start and end and end < start:
        errors["End date"] = "The end date must be the same as or after the start date."

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
    if not table or all(_is_blank(v) for v in table[0]):
        raise SpreadsheetError(
            "The first row must contain the column headings, starting with Title. Download the template to see them."
            if any(any(not _is_blank(v) for v in r) for r in table)
            else "The selected file is empty."
        )
    headings = list(table[0])
    while headings and _is_blank(headings[-1]):
        headings.pop()
    if len(headings) > MAX_COLUMNS:
        raise SpreadsheetError(
            f"The file has {len(headings)} columns; the template has {len(columns(context.groups))}."
        )
    matched = match_headings(headings, columns(context.groups))
    data_rows = [
        (number, row) for number, row in enumerate(table[1:], start=2) if any(not _is_blank(v) for v in row)
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
            i for i in range(len(row)) if not _is_blank(row[i]) and (i >= len(matched) or matched[i] is None)
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


# ------------------------------------------------------------------------------ writing
def activity_cells(activity, all_columns: list[Column]) -> list:
    """One activity as cell values (dates as dates, counts as ints), in the columns' order.

    Expects ``methods``, ``partners``, ``adjustments``, ``duty_links__duty`` and ``reach`` prefetched
    and ``lead`` selected.
    """
    reach = {r.group_id: r.count for r in activity.reach.all()}
    names = lambda objects: "; ".join(o.name for o in objects)  # noqa: E731
    by_key = {
        "title": activity.title,
        "summary": activity.summary,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "status": activity.get_status_display(),
        "cycle_stage": activity.get_cycle_stage_display() if activity.cycle_stage else "",
        "duty_limb": activity.get_duty_limb_display() if activity.duty_limb else "",
        "service_area": activity.service_area,
        "methods": names(activity.methods.all()),
        "partners": names(activity.partners.all()),
        "adjustments": names(activity.adjustments.all()),
        "duties": "; ".join(link.duty.code for link in activity.duty_links.all()),
        "lead": activity.lead.username if activity.lead else "",
        "total_participants": activity.total_participants,
        "is_highlight": "Yes" if activity.is_highlight else "No",
    }
    return [reach.get(c.group_id) if c.is_reach else by_key[c.key] for c in all_columns]


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value  # spreadsheet formula injection; the import removes the quote
    return value


def write_csv(all_columns: list[Column], rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte order mark, so Excel shows “£” and accents correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.heading for c in all_columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(
    all_columns: list[Column], rows: Iterable[list], *, lists: dict[str, list] | None = None
) -> bytes:
    """An ``Activities`` sheet (and a ``Lists`` sheet of valid values when ``lists`` is given)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(ACTIVITIES_SHEET)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(all_columns, start=1):
        width = 40 if column.key in {"title", "summary"} else max(12, min(len(column.heading) + 2, 36))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def cell(value, *, font=None):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(value, datetime.date):
            c.number_format = "DD/MM/YYYY"
        if font:
            c.font = font
        return c

    sheet.append([cell(c.heading, font=bold) for c in all_columns])
    for row in rows:
        sheet.append([cell(v) for v in row])
    if lists is not None:
        lists_sheet = workbook.create_sheet(LISTS_SHEET)
        headings = list(lists)
        for index in range(1, len(headings) + 1):
            lists_sheet.column_dimensions[get_column_letter(index)].width = 45
        lists_sheet.append([WriteOnlyCell(lists_sheet, value=h) for h in headings])
        longest = max((len(v) for v in lists.values()), default=0)
        for i in range(longest):
            lists_sheet.append([lists[h][i] if i < len(lists[h]) else None for h in headings])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_lists(organisation) -> dict[str, list]:
    """The Lists sheet: valid names and codes, one column each."""
    duties = allowed_duties(organisation).select_related("framework").order_by("framework__code", "number")
    active = lambda model: list(model.objects.filter(is_active=True).values_list("name", flat=True))  # noqa: E731
    return {
        "Methods": active(Method),
        "Partners": active(Partner),
        "Reasonable adjustments": active(Adjustment),
        "Duty codes": [d.code for d in duties],
        "Duty": [f"{d.framework.short_title}: {d.number}. {d.title}" for d in duties],
        "Status": [label for _, label in ActivityStatus.choices],
        "Commissioning cycle stage": [label for _, label in CycleStage.choices],
        "Part of the duty it serves": [label for _, label in DutyLimb.choices],
        "Highlight": ["Yes", "No"],
    }


def existing_duplicate_keys(organisation, rows: list[dict]) -> list[tuple[str, str]]:
    """(title, ISO start date) of the organisation's activities that start on a date in ``rows``."""
    dates = {r["clean"].get("start_date") for r in rows} - {None}
    if not dates:
        return []
    found = Activity.objects.filter(
        organisation=organisation, start_date__in=[datetime.date.fromisoformat(d) for d in dates]
    ).values_list("title", "start_date")
    return [(title, start.isoformat()) for title, start in found]
