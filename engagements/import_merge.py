"""An update by ID changes only what the file has columns for.

A spreadsheet with an ID column updates the activities it names. A column the file does not have
says nothing about its field, so the activity keeps that field as it is: a file with only Title,
Start date, ID and Version changes those and empties nothing. A reach count is kept unless the file
has that group's (or category's) count column or the list column "Groups reached (number not
recorded)".
"""

import dataclasses

from engagements.inputs import FIELDS, ActivityInput
from engagements.models import AudienceCategory
from engagements.spreadsheets.columns import FIXED_COLUMNS, REACH_LIST_HEADING, reach_heading

HEADINGS = {column.key: column.heading for column in FIXED_COLUMNS}


def field_in_file(name: str, present: set[str]) -> bool:
    """Whether the file has the column of the activity field ``name``."""
    return HEADINGS.get(name) in present


def reach_in_file(target, present: set[str]) -> bool:
    """Whether the file says anything about ``target`` (an ``AudienceGroup`` or ``AudienceCategory``)."""
    if REACH_LIST_HEADING in present:
        return True
    if isinstance(target, AudienceCategory):
        heading = reach_heading(target.group, target)
    else:
        heading = reach_heading(target)
    return heading in present


def keep_missing_columns(data: ActivityInput, current: ActivityInput, present: set[str]) -> ActivityInput:
    """``data`` (a row) with every field the file has no column for taken from ``current``."""
    kept = {
        name: getattr(current, name)
        for name in FIELDS
        if name != "reach" and not field_in_file(name, present)
    }
    reach = {target: value for target, value in current.reach.items() if not reach_in_file(target, present)}
    reach.update(data.reach)
    return dataclasses.replace(data, **kept, reach=reach)
