"""Possible duplicates in an import (issue 15): each row that repeats an activity already in the log,
or an earlier row of the file, is skipped or imported anyway on its own, from the preview, without
JavaScript; the choices are kept across the preview's pages; "skip all" is still there; the commit, in
the request or in the background, honours them."""

import datetime

import pytest

from engagements import import_views
from engagements.models import Activity, ImportBatch
from tests.engagements.test_import import IMPORT, _batch_from, _csv_bytes, _row, _upload
from tests.factories.engagements import activity_for

EXISTING = "Maternity Listening Event"


@pytest.fixture
def duplicates(editor, login):
    """A preview of four rows: rows 2 and 3 repeat an activity in the log (row 3 also row 2), row 4
    is new, row 5 repeats row 4."""
    activity_for(editor, title=EXISTING, start=datetime.date(2025, 10, 14))
    rows = [
        _row(),
        _row(Title="maternity listening event  "),
        _row(Title="Carers café"),
        _row(Title="Carers Café"),
    ]
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(rows)))
    assert [bool(r.get("duplicate")) for r in batch.rows] == [True, True, False, True]
    return client, batch


def _choose(client, batch, action, row=None, page=1):
    data = {"action": action, "page": page} | ({"row": row} if row is not None else {})
    return client.post(f"{IMPORT}{batch.pk}/", data)


def _titles(organisation):
    return sorted(Activity.objects.for_organisation(organisation).values_list("title", flat=True))


def test_each_possible_duplicate_is_skipped_or_imported_on_its_own(editor, duplicates):
    client, batch = duplicates
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert page.count(">Skip this row<") == 3 and "Import 4 activities</button>" in page
    assert "3 rows may repeat an activity already in the log or an earlier row of this file" in page

    response = _choose(client, batch, "skip", row=2)
    assert response["Location"] == f"{IMPORT}{batch.pk}/?page=1#row-2"  # back to where it was
    _choose(client, batch, "skip", row=5)
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert "Import 2 activities (skipping 2 possible duplicates)" in page
    row_2 = page[page.index('id="row-2"') : page.index('id="row-3"')]
    assert "Skipped" in row_2 and "Import this row anyway" in row_2
    _choose(client, batch, "import", row=5)  # changed mind
    _choose(client, batch, "skip", row=4)  # not a duplicate: never skipped
    assert (
        "Import 3 activities (skipping 1 possible duplicate)"
        in client.get(f"{IMPORT}{batch.pk}/").content.decode()
    )

    response = client.post(f"{IMPORT}{batch.pk}/", follow=True)
    assert (
        "Imported 3 activities from “activities.csv”. Skipped 1 duplicate row." in response.content.decode()
    )
    assert _titles(editor.organisation) == [
        "Carers Café",
        "Carers café",
        EXISTING,
        "maternity listening event",
    ]
    assert ImportBatch.objects.get().committed_count == 3
    again = client.post(f"{IMPORT}{batch.pk}/", {"action": "import", "row": 2}, follow=True)
    assert "was already imported: its rows can no longer be skipped" in again.content.decode()


def test_skip_all_is_still_there_and_one_row_can_be_imported_after_all(editor, duplicates):
    client, batch = duplicates
    follow = client.post(f"{IMPORT}{batch.pk}/", {"action": "skip-all", "page": "1"}, follow=True)
    page = follow.content.decode()
    assert "All 3 possible duplicates will be skipped." in page
    assert (
        "Import 1 activity (skipping 3 possible duplicates)" in page and "Import all of them anyway" in page
    )
    _choose(client, batch, "import", row=3)
    client.post(f"{IMPORT}{batch.pk}/")
    assert _titles(editor.organisation) == ["Carers café", EXISTING, "maternity listening event"]


def test_choices_are_kept_across_the_preview_s_pages(editor, duplicates, monkeypatch):
    client, batch = duplicates
    monkeypatch.setattr(import_views, "PREVIEW_PAGE_SIZE", 1)
    # warnings first: rows 2, 3, 5 on pages 1 to 3, row 4 on page 4
    response = _choose(client, batch, "skip", row=3, page=2)
    assert response["Location"].endswith("?page=2#row-3")
    client.get(f"{IMPORT}{batch.pk}/?page=3")
    page = client.get(f"{IMPORT}{batch.pk}/?page=2").content.decode()
    assert 'id="row-3"' in page and "Import this row anyway" in page
    assert (
        "Import 3 activities (skipping 1 possible duplicate)"
        in client.get(f"{IMPORT}{batch.pk}/?page=4").content.decode()
    )


def test_a_background_import_leaves_out_the_rows_chosen_to_skip(
    editor, duplicates, settings, django_capture_on_commit_callbacks
):
    client, batch = duplicates
    settings.IMPORT_BACKGROUND_ROWS = 1
    _choose(client, batch, "skip", row=2)
    _choose(client, batch, "skip", row=5)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs it then
        assert client.post(f"{IMPORT}{batch.pk}/")["Location"].endswith("/progress/")
    assert _titles(editor.organisation) == ["Carers café", EXISTING, "maternity listening event"]
    assert ImportBatch.objects.get().committed_count == 2


def test_rows_cannot_be_skipped_while_the_file_is_being_imported(editor, duplicates, settings):
    client, batch = duplicates
    settings.IMPORT_BACKGROUND_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # not run yet
    client.post(f"{IMPORT}{batch.pk}/")
    page = client.post(f"{IMPORT}{batch.pk}/", {"action": "skip-all"}, follow=True).content.decode()
    assert "is being imported: its rows can no longer be skipped" in page
    assert not batch.row_set.filter(skip=True).exists()


def test_a_viewer_cannot_skip_rows(viewer, duplicates, login):
    _, batch = duplicates
    response = _choose(login(viewer), batch, "skip-all")
    assert response.status_code == 403
    assert not batch.row_set.filter(skip=True).exists()
