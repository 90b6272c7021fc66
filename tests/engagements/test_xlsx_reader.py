"""The streaming .xlsx reader (``spreadsheets.xlsx``) reads what openpyxl reads.

Each workbook is written by openpyxl (or part by part, as scripts write them) and read twice: by
``reading.read_xlsx`` and by openpyxl's own read-only reader; the values must be the same, cell by
cell, with the same types (dates, times, durations, numbers, booleans, text).
"""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from engagements.spreadsheets import reading, xlsx
from tests.engagements.xlsx_parts import row, workbook

WIDTH = 40


def _saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _openpyxl_rows(data: bytes, sheet: str, width: int = WIDTH) -> list[tuple[int, list]]:
    """openpyxl's values of a sheet in the reader's shape: non-blank rows, no trailing blank cells."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    found = []
    for cells in wb[sheet].iter_rows(max_col=width):
        values = [None if reading.is_blank(c.value) else c.value for c in cells]
        while values and values[-1] is None:
            values.pop()
        if values:
            found.append((cells[0].row, values))
    wb.close()
    return found


def _ours(data: bytes, sheet: str, width: int = WIDTH) -> list[tuple[int, list]]:
    table = reading.read_xlsx(data, max_rows=1_000, max_columns=width, sheet=sheet)
    return [
        (n, [None if isinstance(v, xlsx.UnsavedFormula) else v for v in values]) for n, values in table.rows
    ]


def _assert_same(data: bytes, sheet: str, width: int = WIDTH):
    ours, theirs = _ours(data, sheet, width), _openpyxl_rows(data, sheet, width)
    assert ours == theirs
    for (_, mine), (_, other) in zip(ours, theirs, strict=True):
        assert [type(v) for v in mine] == [type(v) for v in other]
    return ours


def test_values_dates_times_and_number_formats_read_as_openpyxl_reads_them():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Activities"
    ws.append(["Title", "Start date", "Count", "Ratio", "Done", "Time", "Took", "Money", "Custom date"])
    formats = [None, "DD/MM/YYYY", "0", "0.00", None, "h:mm", "[h]:mm", '"£"#,##0.00', 'd mmmm yyyy "(held)"']
    rows = [
        [
            "Café — “quoted” & <tagged>",
            datetime.date(2025, 3, 3),
            12,
            0.25,
            True,
            datetime.time(14, 30),
            datetime.timedelta(hours=26, minutes=15),
            1234.5,
            datetime.datetime(2025, 10, 14, 9, 0),
        ],
        [
            "Line\nbreak and  spaces ",
            datetime.datetime(2024, 2, 29, 18, 45),
            -3,
            1e-7,
            False,
            datetime.time(0, 0, 1),
            datetime.timedelta(minutes=5),
            0,
            datetime.date(2000, 1, 1),
        ],
        ["Numbers as text", "14/10/2025", "12", "1.50", "yes", None, None, None, 45000],
    ]
    for values in rows:
        ws.append(values)
    for row_cells in ws.iter_rows(min_row=2):
        for cell, fmt in zip(row_cells, formats, strict=True):
            if fmt and not isinstance(cell.value, str):
                cell.number_format = fmt
    ours = _assert_same(_saved(wb), "Activities")
    assert ours[1][1][1] == datetime.datetime(2025, 3, 3)
    assert ours[1][1][5] == datetime.time(14, 30) and ours[1][1][6] == datetime.timedelta(
        hours=26, minutes=15
    )
    assert ours[3][1][8] == datetime.datetime(2023, 3, 15)  # 45000 with a custom date format


def test_a_1904_workbook_reads_its_dates_from_1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["Title", "Start date"])
    ws.append(["Mac", datetime.date(2025, 5, 1)])
    ws["B2"].number_format = "dd/mm/yyyy"
    assert _assert_same(_saved(wb), "Sheet")[1][1][1] == datetime.datetime(2025, 5, 1)


def test_sparse_wide_rows_title_rows_and_a_second_sheet():
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Read me"
    notes["A1"] = "How to fill in the log"
    log = wb.create_sheet("Log 2025")
    log["A1"] = "Engagement log 2025/26"
    log["A3"], log["B3"], log["AD3"] = "Title", "Start date", "Far"
    log["A5"], log["B5"], log["AD5"], log["AZ5"] = (
        "Event",
        datetime.date(2025, 6, 1),
        "kept",
        "beyond the width",
    )
    log["C9"] = "   "  # blank: the row is dropped
    data = _saved(wb)
    assert _assert_same(data, "Log 2025") == [
        (1, ["Engagement log 2025/26"]),
        (3, ["Title", "Start date"] + [None] * 27 + ["Far"]),
        (5, ["Event", datetime.datetime(2025, 6, 1)] + [None] * 27 + ["kept"]),
    ]
    assert reading.read_xlsx(data, max_rows=100).sheet == "Log 2025"  # found by its headings


def test_rich_text_inline_strings_and_errors():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Title", "Summary", "Check"])
    ws.append(["Plain", CellRichText("Bold ", TextBlock(InlineFont(b=True), "and plain")), "#N/A"])
    _assert_same(_saved(wb), "Sheet")


def test_files_written_part_by_part_read_as_openpyxl_reads_them():
    sheet = (
        row(1, "Title", "Start date", "Total participants")
        + row(2, "Inline", 45800, 12)
        + '<row r="4"><c r="A4" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>'
        '<c r="B4" t="b"><v>1</v></c><c r="C4" t="e"><v>#DIV/0!</v></c></row>'
        + '<row><c t="inlineStr"><is><r><t>Run </t></r><r><t>two</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></is></c>'
        "<c><v>2.5E3</v></c></row>"
    )
    ours = _assert_same(workbook(("Activities", sheet)), "Activities")
    assert ours[-1] == (5, ["Run two", 2500.0])


def test_a_formula_without_a_saved_value_names_its_cell_and_an_empty_result_is_blank():
    sheet = (
        row(1, "Title", "Start date", "Total participants")
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>Event</t></is></c><c r="C2"><f>SUM(D2:E2)</f></c></row>'
        + '<row r="3"><c r="A3" t="inlineStr"><is><t>Other</t></is></c>'
        '<c r="C3" t="str"><f>IF(D3="","",D3)</f><v></v></c></row>'
    )
    table = reading.read_xlsx(workbook(("Activities", sheet)), max_rows=100)
    assert table.rows[1] == (2, ["Event", None, xlsx.UnsavedFormula("C2")])
    assert table.rows[2] == (3, ["Other"])  # Excel saved an empty result: blank, not a missing value


def test_openpyxl_formulas_written_without_values_are_unsaved():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Title", "Total participants"])
    ws.append(["Event", "=1+1"])
    table = reading.read_xlsx(_saved(wb), max_rows=100)
    assert table.rows[1] == (2, ["Event", xlsx.UnsavedFormula("B2")])


def test_merged_ranges_are_returned_with_the_rows():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["B2"], ws["C2"] = "Title", "Dates", "Start", "End"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    table = reading.read_xlsx(_saved(wb), max_rows=100)
    assert sorted(table.merged) == [(1, 1, 2, 1), (1, 2, 1, 3)]


@pytest.mark.parametrize("ref", ["1A", "a1", "ABCD1", "A1:", "Ä1"])
def test_a_damaged_cell_reference_is_a_damaged_file(ref):
    sheet = f'<row r="1"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(reading.SpreadsheetError, match="could not be read"):
        reading.read_xlsx(workbook(("Activities", sheet)), max_rows=100)


def test_column_letters_and_ranges():
    assert [xlsx.column_index(c) for c in ("A", "Z", "AA", "XFD")] == [1, 26, 27, 16_384]
    assert xlsx.column_letters(16_384) == "XFD" and xlsx.cell_range("C3:A1") == (1, 1, 3, 3)


def test_entity_expansion_in_a_sheet_is_refused_as_damaged():
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    data = workbook(("Activities", row(1, "Title")))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith("sheet1.xml"):
                content = (laughs + "]>").encode() + content.replace(b"<t>Title</t>", b"<t>&j;</t>")
            target.writestr(info, content)
    with pytest.raises(reading.SpreadsheetError, match="could not be read"):
        reading.read_xlsx(out.getvalue(), max_rows=100)


def test_the_time_cap_covers_the_shared_strings_too():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Title", "Start date"])
    for n in range(2_000):
        ws.append([f"A title of its own {n}", f"Note {n}"])
    data = _saved(wb)
    assert len(reading.read_xlsx(data, max_rows=5_000).rows) == 2_001
    with pytest.raises(reading.SpreadsheetError, match="took too long"):
        reading.read_xlsx(data, max_rows=5_000, max_seconds=-1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive, pytest.raises(xlsx.TooSlow):
        xlsx.Workbook(archive, deadline=time.monotonic() - 1)  # before any sheet is read
