"""A large upload is kept at once and read and checked by a task, with a progress page (issue 15).

``IMPORT_BACKGROUND_ROWS`` is small here; the immediate task backend runs the task when the upload's
transaction commits (``django_capture_on_commit_callbacks``), the dummy one not at all.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engagements import import_reading, spreadsheets
from engagements.models import ImportBatch, ImportRow, ImportStage, ReadState
from engagements.spreadsheets import parsing

IMPORT = "/qrv/activities/import/"
HEADINGS = ["Title", "Start date", "Status", "Total participants"]


def _csv(rows, headings=HEADINGS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode()


def _rows(count):
    return [[f"Event {n}", f"{n % 28 + 1:02d}/05/2025", "Completed", 10 + n] for n in range(count)]


def _upload(client, data, name="activities.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def _batch(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=int(re.search(r"/import/(\d+)/", response["Location"]).group(1)))


@pytest.fixture
def background(settings):
    settings.IMPORT_BACKGROUND_ROWS = 3
    return settings


def test_a_large_upload_is_kept_at_once_and_its_progress_page_waits_for_the_reading(
    editor, login, background, django_assert_max_num_queries
):
    background.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # not run
    client = login(editor)
    response = _upload(client, _csv(_rows(5)))
    batch = _batch(response)
    progress = f"{IMPORT}{batch.pk}/progress/"
    assert response["Location"] == progress
    assert batch.read_state == ReadState.QUEUED and bytes(batch.data) and not batch.row_set.exists()
    with django_assert_max_num_queries(8):
        page = client.get(progress).content.decode()
    assert "Reading your file" in page and "Waiting to start" in page and 'http-equiv="refresh"' in page
    assert f"Uploaded at {timezone.localtime(batch.uploaded_at):%H:%M}." in page  # and what to do if stuck
    # Every other step of the upload waits for the reading.
    for step in ("", "columns/", "values/"):
        assert client.get(f"{IMPORT}{batch.pk}/{step}", follow=True).redirect_chain[-1][0] == progress


def test_the_task_reads_checks_and_keeps_the_rows_then_the_upload_goes_on_to_its_preview(
    editor, login, background, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    writer = import_reading._progress_writer

    def spy(batch_id, state):
        write = writer(batch_id, state)

        def recorded(done, total):
            seen.append((state, done, total))
            write(done, total)

        return recorded

    monkeypatch.setattr(import_reading, "_progress_writer", spy)
    monkeypatch.setattr(parsing, "PROGRESS_EVERY", 2)
    client = login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, _csv(_rows(5))))
    assert seen == [("checking", 0, 5), ("checking", 2, 5), ("checking", 4, 5), ("saving", 0, 5)]
    batch.refresh_from_db()
    assert batch.read_state == ReadState.NONE and batch.stage == ImportStage.READY
    assert (batch.progress_done, batch.progress_total) == (5, 5)
    assert [r["clean"]["title"] for r in batch.rows] == [f"Event {n}" for n in range(5)]
    response = client.get(f"{IMPORT}{batch.pk}/progress/")
    assert response["Location"] == f"{IMPORT}{batch.pk}/"  # read: on to the preview
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert "Event 4" in page


def test_the_progress_page_says_how_many_rows_are_checked(editor, login, background):
    background.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client = login(editor)
    batch = _batch(_upload(client, _csv(_rows(5))))
    ImportBatch.objects.filter(pk=batch.pk).update(
        read_state=ReadState.CHECKING, progress_done=4_500, progress_total=10_000
    )
    page = client.get(f"{IMPORT}{batch.pk}/progress/").content.decode()
    assert "Checking the rows: 4,500 of 10,000 rows (45%)." in page


def test_a_large_upload_with_its_own_headings_goes_on_to_the_mapping_step(
    editor, login, background, django_capture_on_commit_callbacks
):
    client = login(editor)
    headings = ["Activity / event name", "Date of event", "Notes (internal)"]
    rows = [[f"Event {n}", "01/05/2025", "x"] for n in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, _csv(rows, headings)))
    batch.refresh_from_db()
    assert batch.read_state == ReadState.NONE and batch.stage == ImportStage.COLUMNS
    chain = client.get(f"{IMPORT}{batch.pk}/progress/", follow=True).redirect_chain
    assert chain[-1][0] == f"{IMPORT}{batch.pk}/columns/"


def test_a_large_upload_that_cannot_be_imported_says_why_on_its_progress_page(
    editor, login, background, django_capture_on_commit_callbacks
):
    background.IMPORT_MAX_ROWS = 4
    client = login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, _csv(_rows(60))))
    batch.refresh_from_db()
    assert batch.read_state == ReadState.FAILED and not ImportRow.objects.filter(batch=batch).exists()
    page = client.get(f"{IMPORT}{batch.pk}/progress/").content.decode()
    assert "The file could not be read" in page and "refresh" not in page
    assert "The file has more than 4 rows of activities" in page  # as the upload page would say
    assert client.get(f"{IMPORT}{batch.pk}/")["Location"].endswith("/progress/")


def test_a_failure_while_reading_is_kept_and_nothing_half_kept(
    editor, login, background, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(spreadsheets, "mark_duplicates", broken)
    client = login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, _csv(_rows(5))))
    page = client.get(f"{IMPORT}{batch.pk}/progress/").content.decode()
    assert "The file could not be read (RuntimeError). Nothing was kept: upload it again." in page
    assert import_reading.read_in_background(batch.pk) == "not queued"  # never read twice


def test_small_uploads_and_unreadable_ones_are_read_in_the_request(editor, login, background):
    client = login(editor)
    small = _batch(_upload(client, _csv(_rows(2))))
    assert small.read_state == ReadState.NONE and small.row_set.count() == 2
    response = _upload(client, b"Title\r\n" + b"\x00" * 10, name="broken.csv")
    assert response.status_code == 400 and "binary data" in response.content.decode()


def test_rows_are_estimated_without_reading_the_file():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Read me"])
    log = workbook.create_sheet("Log")
    for n in range(1_500):
        log.append([f"Event {n}", n])
    out = io.BytesIO()
    workbook.save(out)
    assert spreadsheets.estimate_rows("log.xlsx", out.getvalue()) == 1_500
    assert spreadsheets.estimate_rows("log.csv", _csv(_rows(9))) == 10
    assert spreadsheets.estimate_rows("log.xlsx", b"PK\x03\x04 not a zip") == 0


def test_the_progress_page_polls_its_status_and_reloads_once_done(editor, login, background):
    background.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client = login(editor)
    batch = _batch(_upload(client, _csv(_rows(5))))
    progress = f"{IMPORT}{batch.pk}/progress/"
    page = client.get(progress).content.decode()
    assert 'data-hx-trigger="every 2s"' in page and '<noscript><meta http-equiv="refresh"' in page
    status = client.get(progress, headers={"HX-Request": "true"})
    assert status.content.decode().strip().startswith('<div id="import-status"')
    assert "Waiting to start." in status.content.decode()
    import_reading.read_in_background(batch.pk)
    done = client.get(progress, headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == f"{IMPORT}{batch.pk}/"  # read: on to the preview


def test_a_background_import_under_way_says_when_it_started(editor, login, settings):
    client = login(editor)
    batch = _batch(_upload(client, _csv(_rows(5))))
    settings.IMPORT_BACKGROUND_ROWS = 3
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert client.post(f"{IMPORT}{batch.pk}/")["Location"] == f"{IMPORT}{batch.pk}/progress/"
    from engagements import import_actions

    started = import_actions.start_background_commit(batch_id=batch.pk)
    assert started is not None and started.commit_started_at is not None
    page = client.get(f"{IMPORT}{batch.pk}/progress/").content.decode()
    local = timezone.localtime(started.commit_started_at)
    assert f"Importing: started at {local:%H:%M:%S}." in page and "Importing 5 activities" in page


def test_a_large_files_mapping_choices_are_checked_by_a_task(
    editor, login, background, django_capture_on_commit_callbacks
):
    client = login(editor)
    headings = ["Activity / event name", "Date of event", "Progress"]
    rows = [[f"Event {n}", "01/05/2025", "Complete" if n % 2 else "Ongoing"] for n in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, _csv(rows, headings)))
    columns = f"{IMPORT}{batch.pk}/columns/"
    page = client.get(columns)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.headings}
    data[next(n for n, h in form.headings.items() if h == "Progress")] = "status"
    response = client.post(columns, data)  # the immediate backend runs the task at once
    assert response["Location"] == f"{IMPORT}{batch.pk}/progress/"
    batch.refresh_from_db()
    assert batch.read_state == ReadState.NONE and batch.stage == ImportStage.VALUES
    assert client.get(response["Location"])["Location"] == f"{IMPORT}{batch.pk}/"  # → the values step
    values = f"{IMPORT}{batch.pk}/values/"
    form = client.get(values).context["form"]
    data = {name: form[name].value() for name in form.written}
    for name, (_, written) in form.written.items():
        data[name] = "completed" if written.casefold() == "complete" else "under_way"
    assert client.post(values, data)["Location"] == f"{IMPORT}{batch.pk}/progress/"
    batch.refresh_from_db()
    assert batch.read_state == ReadState.NONE and batch.stage == ImportStage.READY
    assert [r["clean"]["status"] for r in batch.rows] == ["under_way", "completed"] * 3
    assert batch.error_count == 0


def test_a_large_files_column_choices_are_refused_at_once_when_a_required_one_is_missing(
    editor, login, background, django_capture_on_commit_callbacks
):
    client = login(editor)
    rows = [[f"Event {n}", "01/05/2025"] for n in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, _csv(rows, ["Activity / event name", "Date of event"])))
    columns = f"{IMPORT}{batch.pk}/columns/"
    form = client.get(columns).context["form"]
    data = {name: form[name].value() for name in form.headings}
    data[next(n for n, h in form.headings.items() if h == "Date of event")] = "-"
    page = client.post(columns, data)
    assert page.status_code == 400 and "Choose the column with the start date" in page.content.decode()
    batch.refresh_from_db()
    assert batch.read_state == ReadState.NONE  # nothing queued


def test_a_large_files_other_heading_row_is_read_by_a_task(
    editor, login, background, django_capture_on_commit_callbacks
):
    client = login(editor)
    rows = [[f"Event {n}", "01/05/2025", "Completed", n] for n in range(6)]
    data = ("Engagement log 2025/26\r\n" + _csv(rows).decode()).encode()  # a title row above
    with django_capture_on_commit_callbacks(execute=True):
        batch = _batch(_upload(client, data))
    batch.refresh_from_db()
    assert batch.heading_row == 2 and batch.row_set.count() == 6
    columns = f"{IMPORT}{batch.pk}/columns/"
    response = client.post(columns, {"action": "layout", "heading_row": "3"})  # a wrong choice
    assert response["Location"] == f"{IMPORT}{batch.pk}/progress/"
    batch.refresh_from_db()
    assert batch.read_state == ReadState.NONE and batch.heading_row == 3
    assert batch.stage == ImportStage.COLUMNS and batch.column_map == {}
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == columns
