"""A file with exactly the template's headings but its own words in list columns (issue 15): the preview
offers the values page, with suggestions; the choices re-check the preview, import, and can be saved as
a mapping that reads the next such file without asking."""

import datetime

import pytest

from engagements.models import Activity, ImportBatch, ImportMapping, ImportStage
from tests.engagements.test_import import _csv_bytes, _upload
from tests.engagements.test_import_mapping import _step, _values_post

HEADINGS = ["Title", "Start date", "Status", "Methods", "Duties evidenced", "Lead", "Total participants"]
ROWS = [
    ["Summer fair stall", "21/6/2025", "Complete", "Online survey", "Action 3", "Eddie Edwards", "25"],
    ["Youth panel", "3/3/2025", "completed", "Focus group", "WPPC-P05", "", ""],
]


@pytest.fixture
def named_editor(editor):
    editor.user.first_name, editor.user.last_name = "Eddie", "Edwards"
    editor.user.save()
    return editor


def test_the_templates_headings_with_unknown_values_are_offered_the_values_page(named_editor, login):
    editor = named_editor
    client = login(editor)
    preview_url = _step(_upload(client, _csv_bytes(ROWS, headings=HEADINGS)))
    batch = ImportBatch.objects.get()
    assert preview_url.endswith(f"/import/{batch.pk}/") and batch.stage == ImportStage.READY
    assert batch.error_count == 1  # row 2: its unknown values are errors until mapped
    page = client.get(preview_url).content.decode()
    values_url = f"/qrv/activities/import/{batch.pk}/values/"
    assert 'data-testid="unmatched-values"' in page and f'href="{values_url}"' in page
    assert "Choose what these values mean" in page and "such as “Complete”" in page
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'<a href="{values_url}">given their meaning here</a>' in summary  # not only "upload it again"

    page = client.get(values_url)
    form = page.context["form"]
    listed = {written: form[n].value() for n, (_, written) in form.written.items()}
    assert listed == {
        "Complete": "completed",
        "Online survey": "-",
        "Action 3": "-",
        "Eddie Edwards": editor.user.username,
    }
    assert "save_as" in form.fields  # no mapping yet: one can be made
    data = _values_post(page.context, **{"Online survey": "Survey or questionnaire", "Action 3": "WPPC-P03"})
    assert _step(client.post(values_url, data | {"save_as": "Template, our words"})) == preview_url
    batch.refresh_from_db()
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    page = client.get(preview_url).content.decode()
    assert 'data-testid="unmatched-values"' not in page
    assert "Saved the mapping “Template, our words”." in page
    assert _step(client.post(preview_url)).endswith("/activities/")

    saved = {
        a.title: (
            a.start_date,
            a.status,
            [m.name for m in a.methods.all()],
            [d.code for d in a.duties.all()],
            a.lead,
            a.total_participants,
        )
        for a in Activity.objects.filter(organisation=editor.organisation)
    }
    assert saved == {
        "Summer fair stall": (
            datetime.date(2025, 6, 21),
            "completed",
            ["Survey or questionnaire"],
            ["WPPC-P03"],
            editor.user,
            25,
        ),
        "Youth panel": (datetime.date(2025, 3, 3), "completed", ["Focus group"], ["WPPC-P05"], None, None),
    }
    mapping = ImportMapping.objects.get(organisation=editor.organisation)
    assert mapping.columns["status"] == "status" and mapping.columns["lead"] == "lead"
    assert mapping.values["methods"] == {"online survey": "Survey or questionnaire"}

    # the next file with these headings is read with the mapping: no errors, nothing asked
    rows = [["Autumn fair", "4/10/2025", "Complete", "Online survey", "Action 3", "Eddie Edwards", "9"]]
    preview_url = _step(_upload(client, _csv_bytes(rows, headings=HEADINGS)))
    batch = ImportBatch.objects.latest("pk")
    assert batch.error_count == 0 and not batch.unmatched
    assert "Read with your saved mapping “Template, our words”." in client.get(preview_url).content.decode()


def test_a_template_file_with_known_values_offers_nothing(editor, login):
    client = login(editor)
    rows = [["Youth panel", "3/3/2025", "completed", "Focus group", "WPPC-P05", "", "4"]]
    preview_url = _step(_upload(client, _csv_bytes(rows, headings=HEADINGS)))
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0 and not batch.unmatched
    assert 'data-testid="unmatched-values"' not in client.get(preview_url).content.decode()
