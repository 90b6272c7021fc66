"""The activity spreadsheet package on its own: no request and no database (these tests have none)."""

import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from engagements import spreadsheets
from engagements.spreadsheets import parsing, reading, writing

CARERS = SimpleNamespace(pk=7, name="Carers")
CONTEXT = spreadsheets.ImportContext(
    groups=[CARERS],
    methods={"focus group": 1, "method-focus": 1},
    duties={"WPPC-P01": 11},
    other_duties={"PPP17-A01"},
    members={"eddie": {5}, "shared@example.com": {5, 6}},
)


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


# ------------------------------------------------------------------ columns
def test_columns_are_the_fixed_ones_then_one_per_group():
    all_columns = spreadsheets.columns([CARERS])
    assert all_columns[: len(spreadsheets.FIXED_COLUMNS)] == spreadsheets.FIXED_COLUMNS
    reach, listed = all_columns[-5], all_columns[-4]
    assert [c.heading for c in all_columns[-3:]] == ["Duty rationales", "ID", "Version"]
    assert listed.heading == "Groups reached (number not recorded)" and not listed.is_reach
    assert reach.heading == "Reached: Carers" and reach.key == "reach:7" and reach.is_reach
    assert [c.heading for c in all_columns if c.required] == ["Title", "Start date"]


def test_headings_are_matched_loosely_and_problems_named():
    matched = spreadsheets.match_headings(
        ["  title* ", "START   date", "", "Reached: carers"], spreadsheets.columns([CARERS])
    )
    assert [c.key if c else None for c in matched] == ["title", "start_date", None, "reach:7"]
    with pytest.raises(spreadsheets.SpreadsheetError) as refused:
        spreadsheets.match_headings(["Title", "Title", "Colour"], spreadsheets.columns([]))
    message = str(refused.value)
    assert "Unknown column “Colour”" in message and "more than once: “Title”" in message
    assert "must have a column called “Start date”" in message


# ------------------------------------------------------------------ reading
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.xls", b"x", "“.xls” files cannot be imported"),
        ("a.pdf", b"%PDF-1.4", "must be a CSV or Excel"),
        ("a.csv", b"", "is empty"),
        ("a.csv", b"%PDF-1.4", "is a PDF, not a spreadsheet"),
        ("a.csv", b"PK\x03\x04rest", "but its name ends in .csv"),
        ("a.xlsx", b"Title\r\n", "is not an Excel (.xlsx) workbook"),
        ("a.csv", b"Title\x00", "contains binary data"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(
        spreadsheets.SpreadsheetError,
        match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\."),
    ):
        spreadsheets.read_table(name, data, max_rows=10)


def test_csv_in_windows_1252_with_tabs_and_cells_as_text():
    rows = spreadsheets.read_table(
        "a.csv", "Title\tStart date\r\nCafé\t01/05/2025\r\n".encode("cp1252"), max_rows=10
    )
    assert rows.rows == [(1, ["Title", "Start date"]), (2, ["Café", "01/05/2025"])]
    assert reading.cell_text(12.0) == "12" and reading.cell_text(datetime.date(2025, 5, 1)) == "01/05/2025"
    assert reading.cell_text("'=SUM(A1)") == "=SUM(A1)"  # the export's formula guard is taken off
    assert reading.is_blank("  ") and not reading.is_blank(0)


# ------------------------------------------------------------------ parsing rows
def _check(**cells):
    by_key = {c.key: c for c in spreadsheets.columns([CARERS])}
    return spreadsheets.check_row({by_key[k]: v for k, v in cells.items()}, CONTEXT)[:3]


def test_a_good_row_becomes_clean_values_keyed_by_field():
    values, clean, errors = _check(
        title="Drop-in",
        start_date="01/05/2025",
        end_date=datetime.datetime(2025, 5, 2),
        status="completed",
        methods="Focus group; METHOD-FOCUS",
        duties="wppc-p01",
        lead="EDDIE",
        total_participants="1,200",
        is_highlight="y",
        is_case_study="no",
        **{"reach:7": 3.0},
    )
    assert errors == {}
    assert values["End date"] == "02/05/2025"
    assert clean == {
        "title": "Drop-in",
        "summary": "",
        "service_area": "",
        "start_date": "2025-05-01",
        "end_date": "2025-05-02",
        "status": "completed",
        "cycle_stage": "",
        "duty_limb": "",
        "methods": [1],
        "partners": [],
        "adjustments": [],
        "duties": [11],
        "lead": 5,
        "total_participants": 1200,
        "is_highlight": True,
        "is_case_study": False,
        "reach": {"g7": 3},
    }


def test_row_errors_are_per_column_and_the_end_date_rule_is_the_activitys():
    _, _, errors = _check(
        title="",
        start_date="02/05/2025",
        end_date="01/05/2025",
        duties="PPP17-A01; WPPC-P99",
        lead="shared@example.com",
        **{"reach:7": "-1"},
    )
    assert errors == {
        "Title": "Enter a title.",
        "End date": "The end date must be the same as or after the start date.",
        "Duties evidenced": "Unknown duty code “WPPC-P99”. Use the duty codes on the Lists sheet of the template, "
        "for example WPPC-P01. “PPP17-A01” is not a duty of the frameworks that apply to this organisation.",
        "Lead": "More than one member has the email “shared@example.com”. Use their username instead.",
        "Reached: Carers": "The number of people cannot be negative. Use 0 if nobody took part.",
    }


def test_parse_spreadsheet_numbers_rows_skips_blanks_and_flags_stray_values():
    rows = spreadsheets.parse_spreadsheet(
        name="a.csv",
        data=_csv("Title,Start date,", "A,01/05/2025,", ",,", "B,02/05/2025,stray"),
        context=CONTEXT,
        max_rows=5,
    )
    assert [r["number"] for r in rows] == [2, 4]
    assert rows[0]["errors"] == {} and "without a heading (C)" in rows[1]["errors"][spreadsheets.ROW_ERROR]


def test_too_many_rows_or_columns_are_refused():
    with pytest.raises(spreadsheets.SpreadsheetError, match="more than 1 rows"):
        spreadsheets.parse_spreadsheet(
            name="a.csv",
            data=_csv("Title,Start date", "A,01/05/2025", "B,01/05/2025"),
            context=CONTEXT,
            max_rows=1,
        )
    # Only the template's width of columns is read: values far to the right are never kept.
    wide = ",".join(["Title", "Start date"] + [f"c{n}" for n in range(300)])
    parsed = spreadsheets.read_spreadsheet(
        name="a.csv", data=_csv(wide, "A,01/05/2025" + ",x" * 300), context=CONTEXT, max_rows=5
    )
    assert len(parsed.headings) == parsing.read_width(CONTEXT.groups) < 300
    assert "not imported" in parsed.notices[0] and parsed.rows[0]["errors"] == {}


def test_duplicates_of_the_log_and_within_the_file_are_warned_about():
    rows = [
        {"number": 2, "clean": {"title": "Drop-in", "start_date": "2025-05-01"}, "warnings": []},
        {"number": 3, "clean": {"title": " drop-IN ", "start_date": "2025-05-01"}, "warnings": []},
        {"number": 4, "clean": {"title": "Other", "start_date": None}, "warnings": []},
    ]
    parsing.mark_duplicates(rows, [("Drop-in", "2025-05-01")])
    assert "already in the log" in rows[0]["warnings"][0]
    assert "Row 2 has the same title and start date" in rows[1]["warnings"][-1]
    assert rows[2]["warnings"] == []


# ------------------------------------------------------------------ writing
def test_csv_has_a_byte_order_mark_uk_dates_and_no_formulas():
    all_columns = spreadsheets.columns([])[:3]
    content = spreadsheets.write_csv(all_columns, [["=cmd()", "", datetime.date(2025, 5, 1)]])
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[1] == "'=cmd(),,01/05/2025"


def test_xlsx_writes_text_as_text_and_a_lists_sheet():
    all_columns = spreadsheets.columns([])[:3]
    lists = writing.template_lists(
        methods=["Focus group"],
        partners=[],
        adjustments=["Easy read"],
        duties=[
            SimpleNamespace(
                code="WPPC-P01", number=1, title="Involve", framework=SimpleNamespace(short_title="s14Z45")
            )
        ],
    )
    content = spreadsheets.write_xlsx(all_columns, [["=1+1", "x", datetime.date(2025, 5, 1)]], lists=lists)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    activities = workbook["Activities"]
    assert activities["A2"].value == "=1+1" and activities["A2"].data_type == "s"
    assert activities["C2"].value == datetime.datetime(2025, 5, 1)
    sheet = [list(r) for r in workbook["Lists"].iter_rows(values_only=True)]
    assert sheet[0][:5] == ["Methods", "Partners", "Reasonable adjustments", "Duty codes", "Duty"]
    assert sheet[1][:5] == ["Focus group", None, "Easy read", "WPPC-P01", "s14Z45: 1. Involve"]


# ------------------------------------------------------------------ parsing never fails badly (moved from tests/engagements/test_import.py)
_FUZZ_CONTEXT = spreadsheets.ImportContext(groups=[], methods={"focus group": 1}, duties={"WPPC-P01": 1})


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(["a.csv", "a.xlsx"]),
    data=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=300).map(lambda t: ("Title,Start date,Methods\r\n" + t).encode()),
    ),
)
def test_any_bytes_give_rows_or_a_clear_refusal(name, data):
    try:
        rows = spreadsheets.parse_spreadsheet(name=name, data=data, context=_FUZZ_CONTEXT, max_rows=50)
    except spreadsheets.SpreadsheetError as exc:
        assert str(exc)
    else:
        assert all(set(r) == {"number", "values", "clean", "errors", "warnings"} for r in rows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (12.0, 12), (7, 7), ("1,200", 1200), ("0", 0), ("", None), (None, None), ("3.0", 3)],
)
def test_counts(value, expected):
    assert spreadsheets.parse_count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14/10/2025", datetime.date(2025, 10, 14)),
        ("4/1/2025", datetime.date(2025, 1, 4)),
        ("2025-01-04", datetime.date(2025, 1, 4)),
        (datetime.datetime(2025, 1, 4, 0, 0), datetime.date(2025, 1, 4)),
        (datetime.date(2025, 1, 4), datetime.date(2025, 1, 4)),
    ],
)
def test_dates(value, expected):
    assert spreadsheets.parse_date(value, "start date") == expected


def test_the_lists_sheet_writes_text_as_text():
    lists = writing.template_lists(methods=['=HYPERLINK("x")'], partners=[], adjustments=[], duties=[])
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.write_xlsx([], [], lists=lists)))
    cells = [c for row in workbook["Lists"].iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
