"""Where a file's activities are: the sheet, the heading row and how many columns are read. Pure."""

from dataclasses import dataclass

from engagements.spreadsheets.columns import (
    MAX_COLUMNS,
    Column,
    SpreadsheetError,
    alias_columns,
    columns,
    heading_score,
    normalise_heading,
)
from engagements.spreadsheets.reading import SPARE_ROWS, Table, cell_text, is_blank, read_table

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


def _is_heading(text: str) -> bool:
    return heading_score([text]) > 0


def heading_names(groups):
    """Whether a text is a heading the log's columns know (the template's, common ones, groups')."""
    names = alias_columns(columns(groups))
    return lambda text: normalise_heading(text) in names or _is_heading(text)


def merged_headings(table: Table, at: int, known=None) -> tuple[list, bool]:
    """The heading row ``table.rows[at]`` read with the sheet's merged cells, and whether the row
    above it was read with it (a heading block of two rows).

    - A heading merged down over the heading row (“Title” in A1:A2, the other headings on row 2) is
      the heading of its first column.
    - A group heading merged across several columns of the row just above, over a heading in each
      of them (“Dates” over “Start” and “End”, “Reached” over group names), is put before each of
      them (“Reached: Carers”), unless a heading alone is one ``known`` knows and the two together
      are not (“Start” stays “Start”). A merged cell across every heading is a title, left out.
    - A heading merged across several columns of the heading row itself names its first column.
    """
    known = known or _is_heading
    number, values = table.rows[at]
    headings = list(values)
    if not table.merged:
        return headings, False
    above = dict(table.rows[max(0, at - SPARE_ROWS) : at])

    def value(row_number, column):
        row = above.get(row_number)
        return row[column - 1] if row is not None and column <= len(row) else None

    used = False
    for r1, c1, r2, _ in table.merged:
        top = value(r1, c1)
        if r1 < number <= r2 and not is_blank(top):
            headings.extend([None] * (c1 - len(headings)))
            if is_blank(headings[c1 - 1]):
                headings[c1 - 1], used = top, True
    filled = {c for c, v in enumerate(headings, start=1) if not is_blank(v)}
    for r1, c1, r2, c2 in table.merged:
        group, span = value(r1, c1), range(c1, c2 + 1)
        if r1 != r2 or r1 != number - 1 or c2 == c1 or is_blank(group) or filled <= set(span):
            continue  # not a group heading just above, or a title across every heading
        if any(c > len(headings) or is_blank(headings[c - 1]) for c in span):
            continue  # not over a heading in each column: not a group of them
        for c in span:
            sub, combined = cell_text(headings[c - 1]), f"{cell_text(group)}: {cell_text(headings[c - 1])}"
            if known(combined) or not known(sub):
                headings[c - 1] = combined
        used = True
    return headings, used


def find_heading_at(table: Table, known=None) -> int:
    """``find_heading_row`` with merged cells: a heading block of two rows joined by them (a heading
    merged down over the row below, or group headings over it) is read at its lower row."""
    at = find_heading_row(table.rows)
    below = at + 1
    if not table.merged or below >= len(table.rows) or table.rows[below][0] != table.rows[at][0] + 1:
        return at
    headings, used = merged_headings(table, below, known)
    return below if used and heading_score(headings) >= heading_score(table.rows[at][1]) else at


@dataclass
class Layout:
    """Where a file's activities are: the sheet read, its heading row and the rows below it."""

    table: Table
    at: int
    """The heading row's index in ``table.rows``."""
    headings: list
    joined: bool = False
    """Whether the headings were read with the row above them (merged cells: ``merged_headings``)."""

    @property
    def heading_number(self) -> int:
        return self.table.rows[self.at][0]

    @property
    def data_rows(self) -> list[tuple[int, list]]:
        return self.table.rows[self.at + 1 :]

    def first_rows(self, count: int = 10) -> list[tuple[int, list[str]]]:
        """The first rows of the sheet as text: where the headings could be."""
        return [(n, [cell_text(v) for v in row]) for n, row in self.table.rows[:count]]


def read_layout(
    *,
    name: str,
    data: bytes,
    groups,
    max_rows: int,
    sheet: str | None = None,
    heading_row: int | None = None,
) -> Layout:
    """The file's sheet (``sheet``, else found) and heading row (``heading_row``, else found)."""
    table = read_table(name, data, max_rows=max_rows, max_columns=read_width(groups), sheet=sheet)
    if not table.rows:
        raise SpreadsheetError(
            f"The sheet “{table.sheet}” is empty." if sheet else "The selected file is empty."
        )
    known = heading_names(groups)
    if heading_row is None:
        at = find_heading_at(table, known)
    else:
        at = next((i for i, (n, _) in enumerate(table.rows) if n == heading_row), None)
        if at is None:
            raise SpreadsheetError(f"Row {heading_row} is blank: choose the row with the column headings.")
    return layout_at(table, at, known)


def layout_at(table: Table, at: int, known=None) -> Layout:
    """The file read with its headings in ``table.rows[at]`` (read with the merged cells above it:
    ``merged_headings``; blank cells after the last heading dropped)."""
    headings, joined = merged_headings(table, at, known)
    while headings and is_blank(headings[-1]):
        headings.pop()
    return Layout(table=table, at=at, headings=headings, joined=joined)


def mapped_columns(headings: list, column_map: dict, all_columns: list[Column]) -> list[Column | None]:
    """The column each heading position was mapped to (None: not imported), from ``{position: key}``."""
    by_key = {c.key: c for c in all_columns}
    matched = [by_key.get(column_map.get(str(i), "")) for i in range(len(headings))]
    missing = [c.heading for c in all_columns if c.required and c not in matched]
    if missing:
        raise SpreadsheetError(
            "Choose the columns with the " + " and the ".join(m.lower() for m in missing) + "."
        )
    return matched
