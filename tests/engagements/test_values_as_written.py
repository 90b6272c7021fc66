"""Values as people write them in their own logs: dates, counts, delimiters, encodings, formulas."""

import datetime

import pytest

from engagements import spreadsheets
from engagements.spreadsheets import references, values
from tests.engagements.xlsx_parts import row, workbook

CONTEXT = spreadsheets.ImportContext(groups=[])
D = datetime.date


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("3/3/25", D(2025, 3, 3)),
        ("14/5/25", D(2025, 5, 14)),
        ("03.03.2025", D(2025, 3, 3)),
        ("3.3.2025", D(2025, 3, 3)),
        ("3-3-2025", D(2025, 3, 3)),
        ("03/04/2025", D(2025, 4, 3)),
        ("2025-04-03", D(2025, 4, 3)),
        ("3 March 2025", D(2025, 3, 3)),
        ("21 June 2025", D(2025, 6, 21)),
        ("3rd Mar 2025", D(2025, 3, 3)),
        ("3rd Mar. 2025", D(2025, 3, 3)),
        ("1st Sept 2025", D(2025, 9, 1)),
        ("Tuesday 3 June 2025", D(2025, 6, 3)),
        ("3-Mar-25", D(2025, 3, 3)),
        ("March 3, 2025", D(2025, 3, 3)),
        ("14/10/2025 09:30", D(2025, 10, 14)),
        ("45719", D(2025, 3, 3)),  # an Excel serial number in a text cell
        (45719, D(2025, 3, 3)),  # ... in a number cell
        (45719.5, D(2025, 3, 3)),
        (datetime.datetime(2025, 3, 3, 10, 0), D(2025, 3, 3)),
    ],
)
def test_dates_are_read_day_first_in_the_forms_people_write(written, date):
    assert values.parse_date(written, "start date") == date


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("5/14/2025", r"looks like a month-first \(American\) date"),
        ("3 March", "has no year"),
        ("14/10", "has no year"),
        ("3-5 March 2025", "looks like more than one date"),
        ("31/02/2025", "is not a real date"),
        ("Spring 2025", "Enter the start date as a date"),
        ("12", "Enter the start date as a date"),
        (12, "Enter the start date as a date"),
        ("03/03/1925", "Check the year"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused_saying_why(written, message):
    with pytest.raises(ValueError, match=message):
        values.parse_date(written, "start date")


@pytest.mark.parametrize(
    ("written", "number", "warning"),
    [
        ("N/A", None, "“N/A” was read as not recorded."),
        ("unknown", None, "“unknown” was read as not recorded."),
        ("n/k", None, "“n/k” was read as not recorded."),
        ("-", None, "“-” was read as not recorded."),
        ("approx 30", 30, "“approx 30” was read as 30."),
        ("approx. 1,200", 1200, "“approx. 1,200” was read as 1,200."),
        ("c.30", 30, "“c.30” was read as 30."),
        ("c. 30", 30, "“c. 30” was read as 30."),
        ("~30", 30, "“~30” was read as 30."),
        ("30+", 30, "“30+” was read as 30."),
        ("about 25", 25, "“about 25” was read as 25."),
        ("30", 30, None),
        ("", None, None),
        (0, 0, None),
    ],
)
def test_counts_as_people_write_them_with_a_warning(written, number, warning):
    assert values.parse_count_as_written(written) == (number, warning)


def test_a_range_of_people_is_refused():
    with pytest.raises(ValueError, match="is a range"):
        values.parse_count_as_written("20-30")


def test_count_warnings_reach_the_row():
    by_key = {c.key: c for c in spreadsheets.columns([])}
    _, clean, errors, warnings = spreadsheets.check_row(
        {by_key["title"]: "A", by_key["start_date"]: "3/3/25", by_key["total_participants"]: "approx 30"},
        CONTEXT,
    )
    assert errors == {} and clean["total_participants"] == 30 and clean["start_date"] == "2025-03-03"
    assert warnings == ["Total participants: “approx 30” was read as 30."]


@pytest.mark.parametrize(
    "data",
    [
        "Title;Start date;Total participants\r\nCafé; 3/3/25;N/A\r\n".encode(),
        "sep=;\r\nTitle;Start date;Total participants\r\nCafé; 3/3/25;N/A\r\n".encode(),
        "sep=,\r\nTitle,Start date,Total participants\r\nCafé, 3/3/25,N/A\r\n".encode(),
        "Title\tStart date\tTotal participants\r\nCafé\t3/3/25\tN/A\r\n".encode(
            "utf-16"
        ),  # Excel's Unicode text
        "Title\tStart date\tTotal participants\r\nCafé\t3/3/25\tN/A\r\n".encode("utf-16-be").join(
            [b"\xfe\xff", b""]
        ),
        '"Title";"Start date";"Total participants"\r\n"Café";"3/3/25";"N/A"\r\n'.encode("utf-8-sig"),
        # A title above the headings with no separator in it: the headings' line names the delimiter.
        "Engagement log 2025/26\r\n\r\nTitle;Start date;Total participants\r\nCafé; 3/3/25;N/A\r\n".encode(),
    ],
)
def test_semicolons_tabs_sep_lines_and_utf16_are_read(data):
    rows = spreadsheets.parse_spreadsheet(name="log.csv", data=data, context=CONTEXT, max_rows=10)
    assert len(rows) == 1
    assert rows[0]["errors"] == {}
    assert rows[0]["clean"]["title"] == "Café" and rows[0]["clean"]["start_date"] == "2025-03-03"
    assert rows[0]["clean"]["total_participants"] is None
    assert rows[0]["warnings"] == ["Total participants: “N/A” was read as not recorded."]


def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell():
    sheet = (
        row(1, "Title", "Start date", "Total participants")
        + row(2, "Café", "03/03/2025").replace("</row>", '<c r="C2"><f>SUM(D2:E2)</f></c></row>')
        + row(3, "Walk", "04/03/2025").replace("</row>", '<c r="C3"><f>SUM(D3:E3)</f><v>12</v></c></row>')
    )
    rows = spreadsheets.parse_spreadsheet(
        name="log.xlsx", data=workbook(("Activities", sheet)), context=CONTEXT, max_rows=10
    )
    assert rows[0]["errors"] == {
        "Total participants": "Cell C2 has a formula with no saved value, so its value is not in the file. "
        "Open the file in Excel, save it, and upload it again."
    }
    assert rows[1]["errors"] == {} and rows[1]["clean"]["total_participants"] == 12


def test_title_rows_a_read_me_sheet_and_own_headings_and_extra_columns():
    readme = row(1, "How to fill in this log") + row(2, "Use one row per event. Dates as dd/mm/yyyy.")
    log = (
        row(1, "Engagement log 2025/26")
        + row(3, "Date of event", "Activity / event name", "No. of attendees", "Notes (internal)")
        + row(4, "21 June 2025", "Summer fair stall", "approx 25", "Ask Jo about photos")
        + row(5, 45719, "Carers café", "30+", None)
    )
    parsed = spreadsheets.read_spreadsheet(
        name="log.xlsx", data=workbook(("Read me", readme), ("Log", log)), context=CONTEXT, max_rows=10
    )
    assert parsed.sheet == "Log" and parsed.heading_row == 3
    assert parsed.notices == [
        "Read the sheet “Log” (of 2).",
        "The headings are on row 3; the rows above them were not imported.",
        "This column was not imported, as it is not a column of the activity log: “Notes (internal)”.",
        "Your file has no status column, so each new activity's status comes from its dates: "
        "Completed once it has ended, Under way while it is on, Planned before it starts.",
    ]
    assert [
        (r["number"], r["clean"]["title"], r["clean"]["start_date"], r["clean"]["total_participants"])
        for r in parsed.rows
    ] == [(4, "Summer fair stall", "2025-06-21", 25), (5, "Carers café", "2025-03-03", 30)]
    assert all(r["errors"] == {} for r in parsed.rows)


DUTY_CONTEXT = spreadsheets.ImportContext(
    groups=[],
    duties={"PPP17-A03": 3, "PPP17-A06": 6, "IPO17-03": 33, "WPPC-P02": 102},
    duty_numbers={("A", 3): {3: "PPP17-A03"}, ("A", 6): {6: "PPP17-A06"}, ("", 3): {33: "IPO17-03"}},
)


@pytest.mark.parametrize(
    ("written", "ids", "warnings"),
    [
        ("Action 3", [3], ["“Action 3” was read as PPP17-A03."]),
        ("KA 6", [6], ["“KA 6” was read as PPP17-A06."]),
        ("KA6", [6], ["“KA6” was read as PPP17-A06."]),
        ("A03", [3], ["“A03” was read as PPP17-A03."]),
        ("14Z2 action 3", [3], ["“14Z2 action 3” was read as PPP17-A03."]),
        (
            "Key action 6, Action 3",
            [6, 3],
            ["“Key action 6” was read as PPP17-A06.", "“Action 3” was read as PPP17-A03."],
        ),
        ("ppp17-a03", [3], []),
    ],
)
def test_duty_references_as_logs_write_them_are_resolved_against_the_frameworks(written, ids, warnings):
    notes = []
    assert references.parse_duties(written, DUTY_CONTEXT, notes) == ids
    assert notes == warnings


def test_a_duty_reference_matching_two_duties_is_refused_naming_both():
    with pytest.raises(ValueError, match="“3” could be “IPO17-03” and “PPP17-A03”: use the duty code."):
        references.parse_duties("3", DUTY_CONTEXT, [])


def test_duty_rationales_name_duties_the_row_evidences():
    assert references.parse_rationales(
        "PPP17-A03: heard carers: twice; Action 6: fed back", DUTY_CONTEXT, [3, 6]
    ) == {"3": "heard carers: twice", "6": "fed back"}
    with pytest.raises(ValueError, match="“PPP17-A06” has a rationale but is not in the duties evidenced."):
        references.parse_rationales("PPP17-A06: fed back", DUTY_CONTEXT, [3])
    with pytest.raises(ValueError, match="“XYZ” is not a duty code."):
        references.parse_rationales("XYZ: why", DUTY_CONTEXT, [3])
    with pytest.raises(ValueError, match="a duty code, a colon and the reason"):
        references.parse_rationales("because it did", DUTY_CONTEXT, [3])


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        ("1/3/25", "", "completed"),  # one day, in the past
        ("1/3/25", "31/12/2099", "under_way"),  # started, still going
        ("1/1/2099", "", "planned"),  # not yet started
    ],
)
def test_a_blank_status_comes_from_the_dates_with_a_warning(start, end, status):
    by_key = {c.key: c for c in spreadsheets.columns([])}
    _, clean, errors, warnings = spreadsheets.check_row(
        {by_key["title"]: "A", by_key["start_date"]: start, by_key["end_date"]: end, by_key["status"]: ""},
        CONTEXT,
    )
    label = {"completed": "Completed", "under_way": "Under way", "planned": "Planned"}[status]
    assert errors == {} and clean["status"] == status
    assert warnings == [f"No status given: imported as {label} from its dates."]


def test_a_file_without_a_status_column_says_once_how_statuses_are_set():
    data = "Title,Start date\r\nCafé,3/3/25\r\nWalk,1/1/2099\r\n".encode()
    parsed = spreadsheets.read_spreadsheet(name="log.csv", data=data, context=CONTEXT, max_rows=10)
    assert [r["clean"]["status"] for r in parsed.rows] == ["completed", "planned"]
    assert all(r["warnings"] == [] for r in parsed.rows)  # one notice for the file, not a warning per row
    assert "Your file has no status column, so each new activity's status comes from its dates" in " ".join(
        parsed.notices
    )
