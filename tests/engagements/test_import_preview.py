"""The import preview as a person reads it (issue 15): every cell as it will be saved — dates day
first, counts as numbers, list values by the names they will have, however the file wrote them or the
mapping step translated them — and what kinds of rows the file holds (new, updates, errors, warnings)."""

import re

from engagements.models import ImportMapping
from tests.engagements.test_import import IMPORT, _batch_from, _csv_bytes, _upload

HEADINGS = [
    "Title",
    "Start date",
    "Status",
    "Methods",
    "Partners",
    "Duties evidenced",
    "Lead",
    "Total participants",
]


def _cells(page: str, number: int) -> list[str]:
    """The text of the cells of row ``number`` of the preview's table (tags and spaces squeezed)."""
    row = re.search(rf'<tr class="nhsuk-table__row" id="row-{number}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_the_preview_shows_list_values_as_they_will_be_saved(editor, login):
    editor.user.first_name, editor.user.last_name = "Eddie", "Edwards"
    editor.user.save()
    rows = [
        [
            "Drop-in",
            "3.3.2025",
            "completed",
            "focus group; METHOD-SURVEY",
            "local healthwatch",
            "wppc-p04; Principle 1",
            editor.user.email,
            "approx 30",
        ]
    ]
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(rows, HEADINGS)))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert _cells(page, 2)[1:] == [
        "Drop-in",
        "3 March 2025 (written “3.3.2025”)",
        "Completed",  # the same word in other capitals: no “written” note
        "Focus group; Survey or questionnaire (written “focus group; METHOD-SURVEY”)",
        "Local Healthwatch",
        "WPPC-P01; WPPC-P04 (written “wppc-p04; Principle 1”)",
        f"Eddie Edwards (written “{editor.user.email}”)",
        "30 (written “approx 30”)",
    ]


def test_values_mapped_in_the_mapping_step_show_what_they_became(editor, login):
    ImportMapping.objects.create(
        organisation=editor.organisation,
        name="Ours",
        created_by=editor.user,
        columns={"what": "title", "when": "start_date", "progress": "status", "who with": "partners"},
        values={"status": {"complete": "completed"}, "partners": {"scouts": ""}},
    )
    client = login(editor)
    data = _csv_bytes([["Fair", "1/5/2025", "Complete", "Scouts"]], ["What", "When", "Progress", "Who with"])
    batch = _batch_from(_upload(client, data))
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert _cells(page, 2)[1:] == [
        "Fair",
        "1 May 2025",  # written in full day first (1/5/2025): no note
        "Completed (written “Complete”)",
        "(blank) (written “Scouts”)",  # mapped to “Leave empty”
    ]


def test_groups_reached_without_a_number_are_shown_by_their_names(editor, login):
    headings = ["Title", "Start date", "Status", "Reached: Carers", "Groups reached (number not recorded)"]
    rows = [["Drop-in", "01/05/2025", "Completed", "reached", "older people; Christian"]]
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(rows, headings)))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    cells = _cells(client.get(f"{IMPORT}{batch.pk}/").content.decode(), 2)
    assert cells[-2] == "reached, number not recorded"
    assert cells[-1] == (  # every group reached with no number, as the activity will have them
        "Religion or belief: Christian; Carers; Older people (written “older people; Christian”)"
    )
