"""The preview's download of the rows with errors: each row as the file wrote it, under the file's own
headings, after a column saying what to fix. Corrected and uploaded again it is read the same way as
the first time (the template's headings, or the same saved mapping: the download's columns are left out
of the match)."""

from engagements import import_mapping, spreadsheets
from engagements.models import ImportBatch
from engagements.selectors import import_context
from engagements.spreadsheets.mapping import ERROR_HEADING, ERROR_ROW_HEADING
from engagements.spreadsheets.reading import cell_text, is_blank


def _problems(errors: dict, names: dict[str, str]) -> str:
    """The row's errors in one cell, each column called by the file's own heading."""
    return "; ".join(
        message if heading == spreadsheets.ROW_ERROR else f"{names.get(heading, heading)}: {message}"
        for heading, message in errors.items()
    )


def error_rows_xlsx(batch: ImportBatch) -> bytes:
    """The rows of ``batch`` with errors as an .xlsx (the file is kept until it is imported, which a
    file with errors is not)."""
    errors = {
        row["number"]: row["errors"]
        for row in batch.row_set.filter(has_errors=True).values_list("data", flat=True)
        if row.get("errors")
    }
    context = import_context(batch.organisation)
    all_columns = spreadsheets.import_columns(context.groups)
    layout = import_mapping.batch_layout(batch, context)
    headings = [cell_text(h) for h in layout.headings]
    column_map = batch.column_map or import_mapping.template_column_map(layout.headings, all_columns)
    field_headings = {c.key: c.heading for c in all_columns}
    names = {  # the template's heading → the file's (the row checks name the template's)
        field_headings[key]: headings[int(i)]
        for i, key in column_map.items()
        if key in field_headings and int(i) < len(headings) and headings[int(i)]
    }
    width = len(headings)
    cells = [
        [number, _problems(errors[number], names)]
        + ["" if is_blank(v) else v for v in (list(row[:width]) + [""] * (width - len(row)))]
        for number, row in layout.data_rows
        if number in errors
    ]
    columns = [
        spreadsheets.Column("upload_row", ERROR_ROW_HEADING),
        spreadsheets.Column("errors", ERROR_HEADING),
        *(spreadsheets.Column(f"column_{i}", h) for i, h in enumerate(headings)),
    ]
    return spreadsheets.write_xlsx(columns, cells)
