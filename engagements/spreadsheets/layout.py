"""Where a file's activities are: the sheet, the heading row and how many columns are read. Pure."""

from dataclasses import dataclass

from engagements.spreadsheets.columns import MAX_COLUMNS, Column, SpreadsheetError, columns, heading_score
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


@dataclass
class Layout:
    """Where a file's activities are: the sheet read, its heading row and the rows below it."""

    table: Table
    at: int
    """The heading row's index in ``table.rows``."""
    headings: list

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
    if heading_row is None:
        at = find_heading_row(table.rows)
    else:
        at = next((i for i, (n, _) in enumerate(table.rows) if n == heading_row), None)
        if at is None:
            raise SpreadsheetError(f"Row {heading_row} is blank: choose the row with the column headings.")
    return layout_at(table, at)


def layout_at(table: Table, at: int) -> Layout:
    """The file read with its headings in ``table.rows[at]`` (blank cells after the last heading dropped)."""
    headings = list(table.rows[at][1])
    while headings and is_blank(headings[-1]):
        headings.pop()
    return Layout(table=table, at=at, headings=headings)


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
