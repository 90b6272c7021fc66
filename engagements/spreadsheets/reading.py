"""Reading a CSV or Excel (.xlsx) file into numbered rows of raw cell values; what a cell says as text.

Every way a file cannot be read becomes a ``SpreadsheetError`` with a message for the person who
uploaded it. Reading is bounded whatever the file holds: only ``max_columns`` columns are kept,
every row read counts against the limit (blank ones and the rows a sheet skips included), no blank
row is kept, the workbook's inflated size and ratio are capped (``ccg_involvement.upload_checks``)
and reading stops after ``MAX_READ_SECONDS``.
"""

import codecs
import contextlib
import csv
import datetime
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from engagements.spreadsheets.columns import ACTIVITIES_SHEET, MAX_COLUMNS, SpreadsheetError
from engagements.spreadsheets.xlsx import UnsavedFormula

MAX_XLSX_EXPANDED_BYTES = 100 * 1024 * 1024
"""Our own export of 10,000 activities (every blank cell written, about 110 columns) is about 38 MB
of XML once inflated; a log kept in Excel, which leaves blank cells out, far less."""
MAX_READ_SECONDS = 30
SPARE_ROWS = 50
"""Rows a file may have beyond the row limit: a title, headings, blank rows between blocks."""
MAX_SHEETS_SEARCHED = 10
MAX_CSV_LINE_FIELDS = 5_000

_CSV_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")


@dataclass
class Table:
    """What was read from a file: its non-blank rows, numbered as the spreadsheet numbers them."""

    rows: list[tuple[int, list]]
    sheet: str = ""
    """The sheet read ("" for a CSV file)."""
    sheets: list[str] = field(default_factory=list)
    """Every sheet of the workbook, in order."""
    delimiter: str = ","
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """The sheet's merged ranges: (first row, first column, last row, last column), numbered from 1."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A cell as display text (Excel's 12.0 as “12”, dates as dd/mm/yyyy)."""
    if value is None or isinstance(value, UnsavedFormula):
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
    if extension in {".csv", ".txt", ".tsv"} and data.startswith(b"PK\x03\x04"):
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


def too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file has more than {max_rows:,} rows of activities, which is the most one import can take "
        "(blank rows count too). "
        f"Split it into files of {max_rows:,} rows or fewer and import them one at a time."
    )


def too_slow() -> SpreadsheetError:
    return SpreadsheetError(
        "The file took too long to read. Remove other sheets, pictures and formatting, or save it as "
        "“CSV UTF-8”, and upload that."
    )


# ------------------------------------------------------------------------------------ CSV
def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-16 (Excel's “Unicode text”) by its byte order mark, UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SpreadsheetError(
                "The selected file could not be read as text. Save it from Excel as “CSV UTF-8” and try again."
            ) from None
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


_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


_DELIMITERS = (",", ";", "\t", "|")


def _delimiter(first_line: str) -> str:
    """The delimiter of a file whose first line is its headings: the one it uses most outside quotes."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _lines(text: str, delimiter: str):
    """The text's lines one at a time (no copy of the whole), refusing a line with a huge number of fields."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        if text.count(delimiter, start, end) > MAX_CSV_LINE_FIELDS:
            raise SpreadsheetError(
                f"The file has a line with more than {MAX_CSV_LINE_FIELDS:,} columns. "
                "Check it is the activity log, saved as “CSV UTF-8”."
            )
        yield text[start:end]
        start = end


def read_csv(data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> Table:
    text = decode_csv(data)
    del data
    first_line = text[: text.find("\n")] if "\n" in text else text
    match = _SEP_LINE.match(first_line)
    start = 1
    if match:  # Excel's “sep=;” line names the delimiter
        delimiter, text, start = match.group(1), text[len(first_line) + 1 :], 2
    else:
        lines = [line for line in text[:100_000].split("\n", 20)[:20] if line.strip()]
        # The first line with a separator: a title above the headings (“Engagement log”) may have none.
        first = next((line for line in lines if any(d in line for d in _DELIMITERS)), "")
        delimiter = _delimiter(first)
    rows, limit = [], max_rows + SPARE_ROWS
    try:
        reader = csv.reader(_lines(text, delimiter), delimiter=delimiter)
        for number, row in enumerate(reader, start=start):
            if reader.line_num > limit:
                raise too_many_rows(max_rows)
            row = row[:max_columns]
            while row and is_blank(row[-1]):
                row.pop()
            if row:
                rows.append((number, row))
    except csv.Error as exc:
        raise SpreadsheetError(
            f"The CSV file could not be read ({exc}). Open it in Excel, save it as “CSV UTF-8” and try again."
        ) from None
    return Table(rows=rows, delimiter=delimiter)


# ----------------------------------------------------------------------------------- xlsx
def _damaged() -> SpreadsheetError:
    return SpreadsheetError(
        "The Excel file could not be read. It may be damaged or password-protected: open it in Excel, "
        "save it as “Excel Workbook (.xlsx)” and try again."
    )


def _check_archive(data: bytes):
    from ccg_involvement.upload_checks import UploadRefused, check_zip

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged() from None
    too_big = SpreadsheetError(
        "The Excel file is too big to import once opened. Remove other sheets, pictures and formatting, "
        "or save it as “CSV UTF-8” and upload that."
    )
    if expanded > MAX_XLSX_EXPANDED_BYTES:  # far more than activities need
        raise too_big
    try:
        check_zip(data)  # the upload checks: entries, inflated size, compression ratio (a “zip bomb”)
    except UploadRefused as exc:
        if exc.rule.startswith("zip-inflated") or exc.rule == "zip-ratio":
            raise too_big from None
        raise _damaged() from None


def _looks_like_headings(rows) -> int:
    from engagements.spreadsheets.columns import heading_score

    return max((heading_score(values) for _, values in rows), default=0)


def read_xlsx(
    data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS, sheet: str | None = None, max_seconds=None
) -> Table:
    """One sheet's non-blank rows: the one named, else “Activities”, else the one that looks like a log.

    Streams the sheet's XML (``spreadsheets.xlsx``): a cell far to the right costs nothing, and every
    row number passed, including rows the file leaves out, counts. Refuses (``too_many_rows``) a
    sheet with more than ``max_rows`` + ``SPARE_ROWS`` rows, counting blank ones.
    """
    from engagements.spreadsheets import xlsx

    _check_archive(data)
    deadline = time.monotonic() + (MAX_READ_SECONDS if max_seconds is None else max_seconds)

    def head(workbook, part):
        """The first rows of a sheet, to judge whether it is the log."""
        rows, _ = xlsx.sheet_rows(
            workbook, part, max_columns=max_columns, row_limit=SPARE_ROWS, deadline=deadline
        )
        found = []
        with contextlib.suppress(xlsx.RowLimit):
            found.extend(rows)
        return found

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = xlsx.Workbook(archive, deadline)
            sheets = workbook.sheets
            names = list(sheets)
            if not names:
                raise _damaged()
            if sheet is not None and sheet not in sheets:
                raise SpreadsheetError(f"The workbook has no sheet called “{sheet}”.")
            chosen = sheet or (ACTIVITIES_SHEET if ACTIVITIES_SHEET in sheets else None)
            if chosen is None and len(names) > 1:
                # The sheet whose first rows look most like an activity log's headings.
                scores = []
                for name in names[:MAX_SHEETS_SEARCHED]:
                    scores.append((_looks_like_headings(head(workbook, sheets[name])), -len(scores), name))
                chosen = max(scores)[2]
            chosen = chosen or names[0]
            rows, merged = xlsx.sheet_rows(
                workbook,
                sheets[chosen],
                max_columns=max_columns,
                row_limit=max_rows + SPARE_ROWS,
                deadline=deadline,
            )
            try:
                rows = list(rows)
            except xlsx.RowLimit:
                raise too_many_rows(max_rows) from None
            except xlsx.TooSlow:
                raise too_slow() from None
            return Table(rows=rows, sheet=chosen, sheets=names, merged=merged)
    except SpreadsheetError:
        raise
    except xlsx.TooSlow:
        raise too_slow() from None
    except Exception:  # zipfile and the XML parser raise many kinds of error for a damaged file
        raise _damaged() from None


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def estimate_rows(name: str, data: bytes) -> int:
    """About how many rows a file has, without reading it: its lines, or the row tags of its largest
    sheet (0 when it cannot tell). Only for deciding whether to read it in the background."""
    extension = file_extension(name)
    if extension != ".xlsx":
        return data.count(b"\n")
    try:
        _check_archive(data)
        most = 0
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                count, tail = 0, b""
                with archive.open(info) as source:
                    while chunk := source.read(1024 * 1024):
                        count += len(_ROW_TAG.findall(tail + chunk))
                        tail = chunk[-64:]
                        count -= len(_ROW_TAG.findall(tail))  # counted again with the next chunk
                most = max(most, count)
        return most
    except (SpreadsheetError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0


def read_table(
    name: str, data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS, sheet: str | None = None
) -> Table:
    """The file's non-blank rows, numbered; SpreadsheetError when unreadable or too big."""
    extension = file_extension(name)
    if extension not in {".csv", ".xlsx", ".txt", ".tsv"}:
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
    if extension == ".xlsx":
        return read_xlsx(data, max_rows=max_rows, max_columns=max_columns, sheet=sheet)
    return read_csv(data, max_rows=max_rows, max_columns=max_columns)
