"""The activity spreadsheet, pure of database access: its columns, reading files, checking rows, writing.

One list of columns (``columns``) serves the import template, the import and the export, so an
export imported into an empty organisation reproduces the activities. Cell values (``values``) and what they refer to (``references``) are read apart from the rows
(``parsing``). Nothing here sees a request
or the database: ``engagements.actions`` and the views pass in bytes, names, an ``ImportContext``
and the audience groups, read by ``engagements.selectors``.
"""

from engagements.spreadsheets.columns import (
    ACTIVITIES_SHEET,
    CSV_CONTENT_TYPE,
    FIXED_COLUMNS,
    LISTS_SHEET,
    REACH_PREFIX,
    ROW_ERROR,
    XLSX_CONTENT_TYPE,
    Column,
    SpreadsheetError,
    columns,
    import_columns,
    match_headings,
    reach_heading,
)
from engagements.spreadsheets.outcomes import (
    OUTCOME_COLUMNS,
    OUTCOMES_SHEET,
    attach_outcomes,
    outcome_cells,
    outcome_values,
    read_outcomes,
)
from engagements.spreadsheets.parsing import (
    Parsed,
    check_row,
    mark_duplicates,
    parse_spreadsheet,
    read_spreadsheet,
)
from engagements.spreadsheets.reading import Table, UnsavedFormula, estimate_rows, file_extension, read_table
from engagements.spreadsheets.references import ImportContext
from engagements.spreadsheets.values import parse_count, parse_count_as_written, parse_date
from engagements.spreadsheets.writing import activity_cells, template_lists, write_csv, write_xlsx

__all__ = [
    "OUTCOME_COLUMNS",
    "OUTCOMES_SHEET",
    "attach_outcomes",
    "outcome_cells",
    "outcome_values",
    "read_outcomes",
    "ACTIVITIES_SHEET",
    "CSV_CONTENT_TYPE",
    "FIXED_COLUMNS",
    "LISTS_SHEET",
    "REACH_PREFIX",
    "ROW_ERROR",
    "XLSX_CONTENT_TYPE",
    "Column",
    "ImportContext",
    "Parsed",
    "Table",
    "UnsavedFormula",
    "SpreadsheetError",
    "activity_cells",
    "check_row",
    "columns",
    "estimate_rows",
    "import_columns",
    "file_extension",
    "mark_duplicates",
    "match_headings",
    "parse_count",
    "parse_count_as_written",
    "parse_date",
    "parse_spreadsheet",
    "reach_heading",
    "read_spreadsheet",
    "read_table",
    "template_lists",
    "write_csv",
    "write_xlsx",
]
