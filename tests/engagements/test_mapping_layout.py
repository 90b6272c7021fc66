"""A saved mapping remembers where its file's headings were (issue 15): a sheet and heading row chosen
by hand are used again for the next file with the same headings, and so are the same headings under
more title rows, without the mapping step."""

import datetime

from engagements.models import Activity, ImportBatch, ImportMapping
from tests.engagements.test_import import _upload
from tests.engagements.test_import_mapping import _columns_post, _step, _values_post
from tests.engagements.test_import_mapping import named_editor as named_editor  # a fixture
from tests.engagements.xlsx_parts import row, workbook


def _log_csv(*titles, rows):
    """A semicolon CSV as Excel saves it: a title row keeps the other columns' separators."""
    lines = [f"{title};;" for title in titles] + ["When;What happened;Who with", *rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _map_and_import(client, columns_url, **layout):
    """Choose the heading row (and sheet), map the three columns, save as “Ours”, map the values, import."""
    client.post(columns_url, {"action": "layout", **layout})
    page = client.get(columns_url)
    assert list(page.context["form"].headings.values()) == ["When", "What happened", "Who with"]
    values_url = _step(
        client.post(
            columns_url,
            _columns_post(
                page.context, When="start_date", **{"What happened": "title", "Who with": "partners"}
            )
            | {"save_as": "Ours"},
        )
    )
    preview_url = _step(client.post(values_url, _values_post(client.get(values_url).context)))
    assert _step(client.post(preview_url)).endswith("/activities/")


def _saved(organisation):
    return sorted(
        (a.title, a.start_date, [p.name for p in a.partners.all()])
        for a in Activity.objects.filter(organisation=organisation)
    )


def test_a_heading_row_chosen_by_hand_is_found_again_under_more_title_rows(named_editor, login):
    client = login(named_editor)
    first = _log_csv("Engagement log 2025/26", rows=["21/6/2025;Summer fair;Healthwatch"])
    columns_url = _step(_upload(client, first, name="log.csv"))
    assert client.get(columns_url).context["heading_row"] == 1  # the title: not recognised headings
    _map_and_import(client, columns_url, heading_row="2")
    mapping = ImportMapping.objects.get()
    assert (mapping.sheet, mapping.heading_row) == ("", 2)

    # next year's log: two title rows above the same headings
    second = _log_csv("Engagement log 2026/27", "Updated monthly", rows=["3/4/2026;Spring walk;healthwatch"])
    preview_url = _step(_upload(client, second, name="log-2026.csv"))
    batch = ImportBatch.objects.latest("uploaded_at")
    assert preview_url.endswith(f"/import/{batch.pk}/")  # no mapping step
    assert batch.heading_row == 3 and batch.mapping == mapping and batch.error_count == 0
    page = client.get(preview_url).content.decode()
    assert "Read with your saved mapping “Ours”." in page and "The headings are on row 3" in page
    client.post(preview_url)
    assert _saved(named_editor.organisation) == [
        ("Spring walk", datetime.date(2026, 4, 3), ["Local Healthwatch"]),
        ("Summer fair", datetime.date(2025, 6, 21), ["Local Healthwatch"]),
    ]


def _workbook(*rows):
    summary = row(1, "Activity", "Date of event", "No. of attendees") + row(2, "All", "", 120)
    log = row(1, "Our engagement log") + row(2, "When", "What happened", "Who with")
    for n, values in enumerate(rows, start=3):
        log += row(n, *values)
    return workbook(("Summary", summary), ("Log", log))


def test_a_sheet_chosen_by_hand_is_read_again_for_the_next_file(named_editor, login):
    client = login(named_editor)
    columns_url = _step(
        _upload(client, _workbook(("21/6/2025", "Summer fair", "Healthwatch")), name="a.xlsx")
    )
    assert client.get(columns_url).context["sheet"] == "Summary"  # its headings look most like a log's
    _map_and_import(client, columns_url, sheet="Log", heading_row="2")
    mapping = ImportMapping.objects.get()
    assert (mapping.sheet, mapping.heading_row) == ("Log", 2)

    preview_url = _step(_upload(client, _workbook(("3/4/2026", "Spring walk", "Healthwatch")), name="b.xlsx"))
    batch = ImportBatch.objects.latest("uploaded_at")
    assert preview_url.endswith(f"/import/{batch.pk}/")
    assert (batch.sheet, batch.heading_row, batch.mapping) == ("Log", 2, mapping)
    client.post(preview_url)
    assert _saved(named_editor.organisation) == [
        ("Spring walk", datetime.date(2026, 4, 3), ["Local Healthwatch"]),
        ("Summer fair", datetime.date(2025, 6, 21), ["Local Healthwatch"]),
    ]
    edit = client.get(f"/qrv/activities/import/mappings/{mapping.pk}/").content.decode()
    assert "the headings in row 2 of the sheet “Log”" in edit
