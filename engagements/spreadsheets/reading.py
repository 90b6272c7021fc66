"""Reading a CSV or Excel (.xlsx) file into rows of raw cell values; what a cell says as text.

Every way a file cannot be read becomes a ``SpreadsheetError`` with a message for the person who
uploaded it.
"""

import csv
import datetime
import io
import re
import warnings
import zipfile

from engagements.spreadsheets.columns import ACTIVITIES_SHEET, SpreadsheetError

MAX_XLSX_EXPANDED_BYTES = 200 * 1024 * 1024

_CSV_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
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
                    if any(not is_blank(v) for v in row):
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
