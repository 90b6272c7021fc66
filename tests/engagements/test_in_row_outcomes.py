"""A log's own “you said, we did” columns beside each activity (issue 15): “What people told us” and
“What we did as a result” become the activity's outcome, through the mapping step or by their
headings; half an outcome is a row error, never silently dropped."""

import datetime

from engagements.models import Activity, ImportBatch
from engagements.spreadsheets import columns as spreadsheet_columns
from tests.engagements.test_import import IMPORT, _csv_bytes, _upload
from tests.engagements.test_import_mapping import _columns_post, _step

HEADINGS = ["Date of event", "Activity / event name", "What people told us", "What we did as a result"]


def _mapped(client, data):
    """The upload through the columns step, every column as suggested."""
    columns_url = _step(_upload(client, data))
    page = client.get(columns_url)
    suggested = {
        page.context["form"].headings[n]: page.context["form"][n].value()
        for n in page.context["form"].headings
    }
    expected = {
        "Date of event": "start_date",
        "Activity / event name": "title",
        "What people told us": "outcome_said",
        "What we did as a result": "outcome_did",
    }
    assert suggested == {heading: expected[heading] for heading in suggested}
    assert _step(client.post(columns_url, _columns_post(page.context))).endswith("/")
    return ImportBatch.objects.latest("uploaded_at")


def test_you_said_we_did_beside_the_activity_becomes_its_outcome(editor, login):
    rows = [
        ["14/10/2025", "Maternity drop-in", "Evening sessions, please", "Two evening sessions added"],
        ["15/10/2025", "Carers’ café", "", ""],
    ]
    client = login(editor)
    batch = _mapped(client, _csv_bytes(rows, HEADINGS))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert "not imported" not in page  # the two columns are read, not left out
    assert "Evening sessions, please" in page
    client.post(f"{IMPORT}{batch.pk}/")
    drop_in = Activity.objects.get(organisation=editor.organisation, title="Maternity drop-in")
    assert drop_in.start_date == datetime.date(2025, 10, 14)
    assert [(o.what_we_heard, o.what_we_did, o.status) for o in drop_in.outcomes.all()] == [
        ("Evening sessions, please", "Two evening sessions added", "in_progress")
    ]
    cafe = Activity.objects.get(organisation=editor.organisation, title="Carers’ café")
    assert not cafe.outcomes.exists()


def test_half_an_outcome_is_a_row_error(editor, login):
    rows = [
        ["14/10/2025", "Drop-in", "Evening sessions, please", ""],
        ["15/10/2025", "Café", "", "Added a ramp"],
    ]
    client = login(editor)
    batch = _mapped(client, _csv_bytes(rows, HEADINGS))
    errors = [r["errors"] for r in batch.rows]
    assert errors == [
        {
            "We did (or will do)": "Enter what was done or will be done (an outcome needs both), or leave "
            "“You said” blank too."
        },
        {"You said (what we heard)": "Enter what people said (what we heard), or leave “We did” blank too."},
    ]
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    assert not Activity.objects.exists()


def test_a_you_said_column_without_a_we_did_column_says_what_to_do(editor, login):
    client = login(editor)
    data = _csv_bytes([["14/10/2025", "Drop-in", "Evening sessions"]], HEADINGS[:3])
    batch = _mapped(client, data)
    assert "has no “We did” column" in batch.rows[0]["errors"]["You said (what we heard)"]


def test_the_template_and_the_export_keep_outcomes_on_their_own_sheet():
    written = {c.key for c in spreadsheet_columns([])}
    assert not written & {"outcome_said", "outcome_did"}
    read = {c.key for c in spreadsheet_columns.__globals__["import_columns"]([])}
    assert {"outcome_said", "outcome_did"} <= read
