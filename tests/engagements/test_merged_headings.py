"""Merged heading cells (issue 15): a heading merged down over the heading row, and group headings
merged across the columns below them, are read as one heading row (``layout.merged_headings``),
and the mapping step's suggestions work on them."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engagements import selectors, spreadsheets
from engagements.models import Activity, ImportBatch, ImportStage
from engagements.spreadsheets.layout import read_layout
from engagements.spreadsheets.mapping import suggest_columns

IMPORT = "/qrv/activities/import/"


def _two_row_headings(*, title=True) -> bytes:
    """A log as teams lay one out: a title across the top, then headings on two rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    top = 2 if title else 1
    if title:
        ws["A1"] = "Engagement log 2025/26"
        ws.merge_cells("A1:G1")
    ws.cell(top, 1, "Activity / event name")
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)  # down over the row below
    ws.cell(top, 2, "Dates")
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=3)  # a group over two headings
    ws.cell(top, 4, "Reached")
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)
    ws.cell(top, 6, "No. of attendees")
    ws.merge_cells(start_row=top, start_column=6, end_row=top + 1, end_column=6)
    ws.cell(top, 7, "Notes")
    ws.merge_cells(start_row=top, start_column=7, end_row=top + 1, end_column=7)
    for column, heading in enumerate(["Start", "End", "Carers", "People experiencing homelessness"], start=2):
        ws.cell(top + 1, column, heading)
    ws.append(["Carers' café", "03/03/2025", "03/03/2025", 12, 3, 20, "Held in the library"])
    ws.append(["Youth panel", "14/05/2025", "", 0, "", 8, ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def groups(db):
    return selectors.audience_groups()


def test_a_heading_merged_down_and_group_headings_across_are_one_heading_row(groups):
    layout = read_layout(name="log.xlsx", data=_two_row_headings(), groups=groups, max_rows=100)
    assert layout.heading_number == 3 and layout.joined
    assert layout.headings == [
        "Activity / event name",  # merged down from row 2
        "Start",  # “Dates: Start” is no heading a log's columns know; “Start” is
        "End",
        "Reached: Carers",  # the group and the heading together are the template's heading
        "Reached: People experiencing homelessness",
        "No. of attendees",
        "Notes",
    ]
    assert [n for n, _ in layout.data_rows] == [4, 5]


def test_the_mapping_steps_suggestions_work_on_merged_headings(groups):
    layout = read_layout(name="log.xlsx", data=_two_row_headings(title=False), groups=groups, max_rows=100)
    all_columns = spreadsheets.columns(groups)
    keys = [key for key, _ in suggest_columns(layout.headings, all_columns)]
    by_key = {c.key: c for c in all_columns}
    assert [by_key[k].heading if k else "" for k in keys] == [
        "Title",
        "Start date",
        "End date",
        "Reached: Carers",
        "Reached: People experiencing homelessness",
        "Total participants",
        "Summary",
    ]


def test_a_group_over_headings_logs_do_not_know_names_them_together(groups):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Title", "Start date", "Feedback", None])
    ws.merge_cells("C1:D1")
    ws.append([None, None, "Themes", "Actions"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.append(["Event", "01/05/2025", "Parking", "Asked the council"])
    out = io.BytesIO()
    wb.save(out)
    layout = read_layout(name="log.xlsx", data=out.getvalue(), groups=groups, max_rows=100)
    assert layout.headings == ["Title", "Start date", "Feedback: Themes", "Feedback: Actions"]


def test_a_heading_merged_across_its_own_row_and_a_title_across_all_are_read_as_before(groups):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Engagement log"])
    ws.merge_cells("A1:D1")
    ws.append(["Title", "Summary", None, "Start date"])
    ws.merge_cells("B2:C2")  # a wide heading: it names its first column
    ws.append(["Event", "What happened", None, "01/05/2025"])
    ws.merge_cells("B3:C3")
    out = io.BytesIO()
    wb.save(out)
    layout = read_layout(name="log.xlsx", data=out.getvalue(), groups=groups, max_rows=100)
    assert layout.heading_number == 2 and not layout.joined
    assert layout.headings == ["Title", "Summary", None, "Start date"]


def test_a_log_with_merged_headings_imports_through_the_mapping_step(editor, login):
    client = login(editor)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("log.xlsx", _two_row_headings())})
    batch = ImportBatch.objects.get()
    assert batch.stage == ImportStage.COLUMNS and response["Location"].endswith("/columns/")
    page = client.get(response["Location"])
    assert page.context["heading_row"] == 3
    assert (  # the same rows as the preview's notice names
        "Read the sheet “Log”, with the headings on rows 2 and 3, read together where their cells are merged."
        in page.content.decode()
    )
    form = page.context["form"]
    data = {name: form[name].value() for name in form.headings}
    response = client.post(response["Location"], data)
    batch.refresh_from_db()
    assert batch.stage == ImportStage.READY, batch.unmatched
    assert any("rows 2 and 3" in n for n in batch.notices), batch.notices
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    client.post(f"{IMPORT}{batch.pk}/")
    cafe = Activity.objects.get(organisation=editor.organisation, title="Carers' café")
    assert cafe.total_participants == 20 and cafe.summary == "Held in the library"
    assert {r.group.name: r.count for r in cafe.reach.all()} == {
        "Carers": 12,
        "People experiencing homelessness": 3,
    }
