"""No spreadsheet can exhaust the server: each hostile file is refused within 5 s and 100 MB.

Memory is measured in-process with tracemalloc (peak of Python allocations while reading, the
upload's own bytes excluded as they exist before reading starts).
"""

import random
import time
import tracemalloc

import pytest

from engagements import spreadsheets
from tests.engagements.xlsx_parts import row, workbook

CONTEXT = spreadsheets.ImportContext(groups=[])
MAX_ROWS = 10_000
HEADINGS = row(1, "Title", "Start date")


def _read(name, data):
    """(the error message, CPU seconds, peak MB) of reading ``data``.

    Timed once as it runs (CPU time of this process, as the machine is shared), then read again under
    tracemalloc for the memory (which slows it down).
    """

    def attempt():
        try:
            spreadsheets.read_spreadsheet(name=name, data=data, context=CONTEXT, max_rows=MAX_ROWS)
        except spreadsheets.SpreadsheetError as exc:
            return str(exc)
        return None

    started = time.process_time()
    message = attempt()
    seconds = time.process_time() - started
    tracemalloc.start()
    attempt()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return message, seconds, peak / 1024 / 1024


def _assert_refused_quickly(name, data, expected):
    message, seconds, peak_mb = _read(name, data)
    assert message is not None and expected in message, message
    assert seconds < 5, f"{seconds:.1f} s"
    assert peak_mb < 100, f"{peak_mb:.0f} MB"


def test_a_wide_sparse_sheet_is_read_only_to_the_templates_width():
    # 20,000 rows with one cell in column XFD: openpyxl alone pads each to 16,384 cells (gigabytes).
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 20_002))
    data = workbook(("Activities", HEADINGS + rows))
    _assert_refused_quickly("wide.xlsx", data, "more than 10,000 rows")


def test_a_wide_sparse_sheet_within_the_limit_keeps_no_blank_cells_or_rows():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>A{n}</t></is></c><c r="B{n}"><v>45800</v></c>'
        f'<c r="XFD{n}"><v>1</v></c></row><row r="{n + 1}"/>'
        for n in range(2, 4_000, 2)
    )
    message, seconds, peak_mb = _read("wide.xlsx", workbook(("Activities", HEADINGS + rows)))
    assert message is None and seconds < 5 and peak_mb < 100
    table = spreadsheets.read_table("wide.xlsx", workbook(("Activities", HEADINGS + rows)), max_rows=MAX_ROWS)
    assert len(table.rows) == 2_000 and all(len(values) == 2 for _, values in table.rows)


def test_millions_of_empty_rows_count_against_the_limit():
    # Three million empty <row/> tags (a few tens of kilobytes zipped).
    data = workbook(("Activities", HEADINGS + "<row/>" * 3_000_000))
    _assert_refused_quickly("empty.xlsx", data, "too big to import once opened")
    # Numbered, less compressible, so the ratio check passes them: counted as rows all the same.
    numbered = "".join(f'<row r="{n}" spans="1:{random.randint(1, 9)}"/>' for n in range(2, 300_000))
    _assert_refused_quickly(
        "empty.xlsx", workbook(("Activities", HEADINGS + numbered)), "blank rows count too"
    )
    # A row far below the headings: every row number passed counts.
    far = HEADINGS + row(3_000_000, "Late", "01/05/2025")
    _assert_refused_quickly("far.xlsx", workbook(("Activities", far)), "more than 10,000 rows")
    # And in a CSV file.
    _assert_refused_quickly(
        "empty.csv", b"Title,Start date\r\n" + b"\r\n" * 3_000_000, "blank rows count too"
    )


def test_a_million_row_sheet_is_refused_after_the_limit():
    rng = random.Random(15)
    # Compact rows (about 57 MB of XML, within the inflated-size cap): refused by counting rows.
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{rng.getrandbits(30)}</v></c></row>' for n in range(2, 1_000_002)
    )
    data = workbook(("Activities", HEADINGS + rows))
    assert len(data) < 20 * 1024 * 1024  # within the upload limit: the reading is what is tested
    _assert_refused_quickly("million.xlsx", data, "more than 10,000 rows")
    # Fuller rows (over 100 MB of XML): refused before any row is read.
    rows = "".join(
        row(n, f"Event {rng.getrandbits(40):x}", rng.randint(45000, 46000)) for n in range(2, 1_000_002)
    )
    _assert_refused_quickly("million.xlsx", workbook(("Activities", HEADINGS + rows)), "too big to import")
    csv = ("Title,Start date\r\n" + "".join(f"Event {n},01/05/2025\r\n" for n in range(1_000_000))).encode()
    _assert_refused_quickly("million.csv", csv, "more than 10,000 rows")


def test_a_sheet_padded_beyond_the_inflated_size_guard_is_refused():
    padding = "<row/>" * 30_000_000  # 180 MB of XML in a file of a few hundred kilobytes
    _assert_refused_quickly("padded.xlsx", workbook(("Activities", HEADINGS + padding)), "too big")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_line_with_a_huge_number_of_columns_is_refused(delimiter):
    data = ("Title" + delimiter * 1_000_000 + "\r\n").encode()
    _assert_refused_quickly("wide.csv", data, "more than 5,000 columns")
