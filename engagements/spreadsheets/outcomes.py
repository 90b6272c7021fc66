"""“You said, we did” outcomes in the activity workbook: an ``Outcomes`` sheet, one row per outcome,
keyed by the ID its activity has on the ``Activities`` sheet. Pure: no database.

The export writes each activity's outcomes (withdrawn ones left out) with the activity's ID; the
import reads them back and attaches each to the row of the ``Activities`` sheet with that ID, so a
workbook exported from one organisation and imported into another (where the IDs are new) brings
its outcomes with it. A CSV file has one sheet: it carries no outcomes, and importing one leaves
outcomes as they are.
"""

import datetime

from engagements.models import OutcomeStatus
from engagements.spreadsheets.columns import Column, SpreadsheetError, normalise_heading
from engagements.spreadsheets.reading import cell_text, is_blank, read_xlsx
from engagements.spreadsheets.values import parse_choice, parse_date

OUTCOMES_SHEET = "Outcomes"
ACTIVITY_ID = Column(
    "activity_id",
    "Activity ID",
    required=True,
    hint="Required. The ID of the outcome's activity, as in the ID column of the Activities sheet (the "
    "export fills both in). For a new activity, write a number of your own in both: a number that is no "
    "activity's ID adds a new activity.",
)
OUTCOME_COLUMNS = [
    ACTIVITY_ID,
    Column("activity", "Activity", hint="The activity's title, to help you read the sheet: not imported."),
    Column("what_we_heard", "You said (what we heard)", required=True, hint="Required."),
    Column("what_we_did", "We did (or will do)", required=True, hint="Required."),
    Column(
        "status",
        "Outcome status",
        hint="Done, In progress or Not possible. Blank means In progress.",
    ),
    Column(
        "reason_not_possible", "Why it was not possible", hint="Required when the status is Not possible."
    ),
    Column("decision_influenced", "Decision influenced", hint="Up to 300 characters."),
    Column("reported_back_on", "Date reported back", hint="dd/mm/yyyy, when participants were told."),
    Column("published_where", "Where it was published", hint="Up to 300 characters."),
    Column(
        "id", "Outcome ID", hint="The export fills it in: a row with an outcome's ID updates that outcome."
    ),
]
ALIASES = {
    "you said": "what_we_heard",
    "what people said": "what_we_heard",
    "what people told us": "what_we_heard",
    "we did": "what_we_did",
    "what we did": "what_we_did",
    "what we did as a result": "what_we_did",
    "status": "status",
    "reported back": "reported_back_on",
    "date reported back to participants": "reported_back_on",
}


def outcome_cells(outcome, activity) -> list:
    """One outcome as the sheet's cells."""
    return [
        activity.pk,
        activity.title,
        outcome.what_we_heard,
        outcome.what_we_did,
        outcome.get_status_display(),
        outcome.reason_not_possible,
        outcome.decision_influenced,
        outcome.reported_back_on,
        outcome.published_where,
        outcome.pk,
    ]


def _heading_columns(headings) -> list[Column | None]:
    by_name = {normalise_heading(c.heading): c for c in OUTCOME_COLUMNS}
    by_key = {c.key: c for c in OUTCOME_COLUMNS}
    by_name.update({alias: by_key[key] for alias, key in ALIASES.items()})
    matched = [by_name.get(normalise_heading(h)) if not is_blank(h) else None for h in headings]
    missing = [c.heading for c in OUTCOME_COLUMNS if c.required and c not in matched]
    if missing:
        raise SpreadsheetError(
            f"The {OUTCOMES_SHEET} sheet must have "
            + ("a column" if len(missing) == 1 else "columns")
            + " called "
            + " and ".join(f"“{m}”" for m in missing)
            + "."
        )
    return matched


def _check_outcome(cells: dict[str, object]) -> tuple[dict, dict]:
    """``(clean, errors)`` of one outcome row; errors keyed by the sheet's heading."""
    headings = {c.key: c.heading for c in OUTCOME_COLUMNS}
    clean, errors = {}, {}
    for key in (
        "what_we_heard",
        "what_we_did",
        "reason_not_possible",
        "decision_influenced",
        "published_where",
    ):
        clean[key] = cell_text(cells.get(key))
    for key, label in (("what_we_heard", "what people said"), ("what_we_did", "what was done")):
        if not clean[key]:
            errors[headings[key]] = f"Enter {label}."
    for key in ("decision_influenced", "published_where"):
        if len(clean[key]) > 300:
            errors[headings[key]] = f"Must be 300 characters or fewer (this one has {len(clean[key])})."
    try:
        clean["status"] = parse_choice(
            cells.get("status"), OutcomeStatus.choices, "outcome status", default=OutcomeStatus.IN_PROGRESS
        )
    except ValueError as exc:
        errors[headings["status"]] = str(exc)
    else:
        if clean["status"] == OutcomeStatus.NOT_POSSIBLE and not clean["reason_not_possible"]:
            errors[headings["reason_not_possible"]] = "Give the reason it was not possible."
        if clean["status"] != OutcomeStatus.NOT_POSSIBLE:
            clean["reason_not_possible"] = ""
    clean["reported_back_on"] = None
    if not is_blank(cells.get("reported_back_on")):
        try:
            clean["reported_back_on"] = parse_date(
                cells["reported_back_on"], "date reported back"
            ).isoformat()
        except ValueError as exc:
            errors[headings["reported_back_on"]] = str(exc)
    written_id = cell_text(cells.get("id"))
    if written_id.isdigit():
        clean["id"] = int(written_id)
    return clean, errors


def read_outcomes(data: bytes, *, max_rows: int, sheets: list[str]) -> list[dict] | None:
    """The workbook's outcome rows (None without an Outcomes sheet): ``{"number", "activity", "clean",
    "errors"}``, ``activity`` being the Activity ID as written."""
    if OUTCOMES_SHEET not in sheets:
        return None
    table = read_xlsx(data, max_rows=max_rows, max_columns=len(OUTCOME_COLUMNS) + 10, sheet=OUTCOMES_SHEET)
    if not table.rows:
        return []
    (_, headings), *rows = table.rows
    matched = _heading_columns(headings)
    found = []
    for number, row in rows:
        cells = {c.key: (row[i] if i < len(row) else None) for i, c in enumerate(matched) if c}
        clean, errors = _check_outcome(cells)
        found.append(
            {
                "number": number,
                "activity": cell_text(cells.get("activity_id")),
                "clean": clean,
                "errors": errors,
            }
        )
    return found


def attach_outcomes(rows: list[dict], outcomes: list[dict]) -> None:
    """Put each outcome on the activity row whose ID it names (``row["outcomes"]``); its problems
    become the row's errors. SpreadsheetError when an outcome names no row of the Activities sheet."""
    by_ref = {}
    for row in rows:
        ref = row.get("values", {}).get("ID", "")
        if ref:
            by_ref.setdefault(ref, row)
    missing = [o for o in outcomes if o["activity"] not in by_ref]
    if missing:
        first = missing[0]
        said = f"the Activity ID “{first['activity']}”" if first["activity"] else "no Activity ID"
        raise SpreadsheetError(
            f"Row {first['number']} of the {OUTCOMES_SHEET} sheet has {said}, which no row of the Activities "
            "sheet has in its ID column"
            + (f" (nor do {len(missing) - 1} more outcome rows)" if len(missing) > 1 else "")
            + ". Give each outcome the ID of its activity."
        )
    for outcome in outcomes:
        row = by_ref[outcome["activity"]]
        row.setdefault("outcomes", []).append(outcome["clean"])
        for heading, message in outcome["errors"].items():
            row["errors"][f"{OUTCOMES_SHEET} row {outcome['number']}, {heading}"] = message


def in_row_outcome(cells: dict) -> tuple[dict | None, dict[str, str]]:
    """A “you said, we did” outcome from a log's columns beside the activity (``cells``: the row's
    ``outcome_said`` and ``outcome_did`` cells, those of the two it has): ``(clean, errors by key)``.
    Both blank: none. An outcome needs both, as on the Outcomes sheet."""
    said, did = cell_text(cells.get("outcome_said")), cell_text(cells.get("outcome_did"))
    if not said and not did:
        return None, {}
    if "outcome_did" not in cells:
        return None, {
            "outcome_said": "An outcome needs what people said and what was done, and the file has no "
            "“We did” column. Choose the column with what was done, or import this one as the Summary."
        }
    if "outcome_said" not in cells:
        return None, {
            "outcome_did": "An outcome needs what people said and what was done, and the file has no "
            "“You said” column. Choose the column with what people said, or do not import this one."
        }
    if not said:
        return None, {"outcome_said": "Enter what people said (what we heard), or leave “We did” blank too."}
    if not did:
        return None, {
            "outcome_did": "Enter what was done or will be done (an outcome needs both), or leave “You said” "
            "blank too."
        }
    return {
        "what_we_heard": said,
        "what_we_did": did,
        "status": OutcomeStatus.IN_PROGRESS,
        "reason_not_possible": "",
        "decision_influenced": "",
        "reported_back_on": None,
        "published_where": "",
    }, {}


def outcome_values(clean: dict) -> dict:
    """An outcome's clean values as the actions take them (dates as dates)."""
    values = {k: v for k, v in clean.items() if k != "id"}
    if values.get("reported_back_on"):
        values["reported_back_on"] = datetime.date.fromisoformat(values["reported_back_on"])
    return values
