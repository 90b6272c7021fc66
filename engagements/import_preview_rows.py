"""The import preview's rows as a person reads them: each cell as it will be saved (dates day first,
counts as numbers, list values by name, groups reached with no number by name), the cell as written
beside it where that says more, and each row's kind (error, warning, update, possible duplicate)."""

import datetime
import re

from ccg_involvement.formats import nhs_date
from engagements import spreadsheets
from engagements.import_changes import saved_texts
from engagements.spreadsheets.columns import REACH_LIST_COLUMN


def _as_saved(column, clean: dict, written: str, names: dict[str, str]) -> str:
    """A checked cell as it will be saved (dates day first, counts as numbers, list values by their
    names: ``names``, from ``import_changes.saved_texts``); as written otherwise."""
    key = column.key
    if key in names and written:
        return names[key]
    if key == REACH_LIST_COLUMN.key and written:  # every group reached, number not recorded
        reach = clean.get("reach", {})  # in the reach columns' order (a JSON object has none on PostgreSQL)
        listed = [name for k, name in names["groups"].items() if reach.get(k) == "reached"]
        return "; ".join(listed) or "(none)"
    if key in {"start_date", "end_date"} and clean.get(key):
        return nhs_date(datetime.date.fromisoformat(clean[key]))  # "14 October 2025": how it was read
    if key == "total_participants" and written:
        value = clean.get(key)
        return "not recorded" if value is None else f"{value:,}"
    if column.is_reach and written:
        key = f"c{column.category_id}" if column.category_id else f"g{column.group_id}"
        value = clean.get("reach", {}).get(key)
        if value == "reached":
            return "reached, number not recorded"
        return "not recorded" if value is None else f"{value:,}"
    return written


def _written_note(column, shown: str, written: str) -> str:
    """The cell as written, where that says more than the value shown: not for the same words in other
    capitals, a date written in full day-first (dd/mm/yyyy), a plain whole number or “reached”."""
    if not written or shown.casefold() == written.casefold():
        return ""
    if column.key in {"start_date", "end_date"} and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", written.strip()):
        return ""
    if (column.key == "total_participants" or column.is_reach) and written.strip() == shown.replace(",", ""):
        return ""
    if column.is_reach and shown.startswith(written.strip().casefold()):  # “reached”
        return ""
    return written


def preview_rows(batch_rows, columns, group_names: dict[str, str]):
    """Rows (``(data, skip)``) as cells in the order of ``columns``, for the template."""
    rows = []
    batch_rows = list(batch_rows)
    for (row, skip), names in zip(batch_rows, saved_texts([r for r, _ in batch_rows]), strict=True):
        values, errors = row.get("values", {}), row.get("errors", {})
        names["groups"] = group_names
        rows.append(
            {
                "number": row["number"],
                "duplicate": bool(row.get("duplicate")),
                "skip": skip and bool(row.get("duplicate")),
                "row_error": errors.get(spreadsheets.ROW_ERROR),
                "warnings": row.get("warnings", []),
                "has_errors": bool(errors),
                "outcome_count": len(row.get("outcomes", [])),
                "changes": row.get("changes"),
                "update_id": row.get("clean", {}).get("id"),
                "updates": row.get("updates"),
                "cells": [
                    {
                        "value": (
                            shown := _as_saved(c, row.get("clean", {}), values.get(c.heading, ""), names)
                        ),
                        "written": _written_note(c, shown, values.get(c.heading, "")),
                        "error": errors.get(c.heading),
                    }
                    for c in columns
                ],
            }
        )
    return rows
