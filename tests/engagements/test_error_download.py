"""The preview's download of rows with errors keeps the file's own headings and cells (issue 15): a log
read through a saved mapping, downloaded, corrected and uploaded again is read with the same mapping and
its rows import."""

import datetime
import io

import openpyxl

from engagements.models import Activity, ImportBatch, ImportMapping
from tests.engagements.test_import import IMPORT, _csv_bytes, _read_xlsx, _upload
from tests.engagements.test_import_mapping import _step

HEADINGS = ["When", "What happened", "Progress", "Who with", "Numbers"]


def test_a_mapped_logs_error_rows_download_in_its_own_words_and_upload_again(editor, login):
    ImportMapping.objects.create(
        organisation=editor.organisation,
        name="Our log",
        created_by=editor.user,
        columns={
            "when": "start_date",
            "what happened": "title",
            "progress": "status",
            "who with": "partners",
            "numbers": "total_participants",
        },
        values={"status": {"complete": "completed"}, "partners": {"healthwatch": "Local Healthwatch"}},
    )
    client = login(editor)
    rows = [
        ["21 June 2025", "Summer fair stall", "Complete", "Healthwatch", "approx 25"],
        ["next Tuesday", "Carers café", "Complete", "Healthwatch", "12"],
    ]
    preview_url = _step(_upload(client, _csv_bytes(rows, headings=HEADINGS)))
    batch = ImportBatch.objects.get()
    assert batch.mapping.name == "Our log" and batch.error_count == 1

    response = client.get(preview_url + "?errors=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="activities-errors.xlsx"'
    sheet = _read_xlsx(response.content)["Activities"]
    assert sheet[0] == ["Upload row", "Errors to fix", *HEADINGS]
    assert len(sheet) == 2
    number, problems, *cells = sheet[1]
    assert number == 3 and cells == ["next Tuesday", "Carers café", "Complete", "Healthwatch", "12"]
    assert problems.startswith("When: Enter the start date as a date"), problems  # the file's heading

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    workbook["Activities"]["C2"] = "8 July 2025"  # corrected; the download's columns left in
    out = io.BytesIO()
    workbook.save(out)
    again = _step(_upload(client, out.getvalue(), name="activities-errors.xlsx"))
    batch = ImportBatch.objects.latest("pk")
    assert again == f"{IMPORT}{batch.pk}/"  # straight to the preview: no mapping step
    assert batch.mapping.name == "Our log" and batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert "Read with your saved mapping “Our log”." in client.get(again).content.decode()
    assert _step(client.post(again)).endswith("/activities/")
    activity = Activity.objects.get(organisation=editor.organisation)
    assert (
        activity.title,
        activity.start_date,
        activity.status,
        [p.name for p in activity.partners.all()],
        activity.total_participants,
    ) == ("Carers café", datetime.date(2025, 7, 8), "completed", ["Local Healthwatch"], 12)


def test_a_template_files_error_rows_upload_again_without_the_mapping_step(editor, login):
    client = login(editor)
    headings = ["Title", "Start date", "Total participants"]
    preview_url = _step(_upload(client, _csv_bytes([["Fair", "1/5/2025", "lots"]], headings=headings)))
    response = client.get(preview_url + "?errors=xlsx")
    sheet = _read_xlsx(response.content)["Activities"]
    assert sheet[0] == ["Upload row", "Errors to fix", *headings]
    assert sheet[1][2:] == ["Fair", "1/5/2025", "lots"]  # as written
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    workbook["Activities"]["E2"] = "40"
    out = io.BytesIO()
    workbook.save(out)
    again = _step(_upload(client, out.getvalue(), name="fixed.xlsx"))
    batch = ImportBatch.objects.latest("pk")
    assert again == f"{IMPORT}{batch.pk}/" and batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert batch.rows[0]["clean"]["total_participants"] == 40
