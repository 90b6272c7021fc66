"""The import's mapping step (issue 15): messy logs with their own headings and words go through
columns → values → preview → commit, and the values saved are asserted cell by cell; saved mappings
are applied to the next file with the same headings, changed and deleted."""

import csv
import datetime
import io

import pytest

from engagements.models import Activity, ImportBatch, ImportMapping, ImportStage
from engagements.spreadsheets import columns as spreadsheet_columns
from engagements.spreadsheets.mapping import apply_values, suggest_columns, suggest_value
from tests.engagements.test_import import _upload
from tests.engagements.xlsx_parts import row, workbook

IMPORT = "/qrv/activities/import/"
HEADINGS = [
    "When",
    "What happened",
    "Progress",
    "Who with",
    "How",
    "Link to duty",
    "Officer",
    "Numbers",
    "Notes",
]
ROWS = [
    [
        "21 June 2025",
        "Summer fair stall",
        "Complete",
        "Healthwatch; Age UK",
        "Online survey",
        "Action 3",
        "Eddie Edwards",
        "approx 25",
        "ask Jo",
    ],
    ["14/5/25", "Carers café", "Ongoing", "Healthwatch", "Focus group", "P05", "", "N/A", ""],
    ["3.3.2025", "Youth panel", "complete", "", "", "", "eddie.editor", "30+", ""],
]


def _csv(rows, headings=HEADINGS, delimiter=";", encoding="utf-8"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx(rows, headings=HEADINGS):
    sheet = row(1, "Engagement log 2025/26") + row(3, *headings)
    for n, values in enumerate(rows, start=4):
        sheet += row(n, *[v.replace("&", "&amp;") for v in values])
    return workbook(("Read me", row(1, "How to fill in this log")), ("Log", sheet))


@pytest.fixture
def named_editor(editor):
    editor.user.first_name, editor.user.last_name = "Eddie", "Edwards"
    editor.user.save()
    return editor


def _step(response):
    assert response.status_code == 302, response.content.decode().split("<main")[-1][:3000]
    return response["Location"]


def batch_unmatched():
    return ImportBatch.objects.get().unmatched


def _columns_post(page_context, **overrides):
    """The columns form as suggested, with some choices changed (heading → field key, "-" to ignore)."""
    form = page_context["form"]
    data = {name: form[name].value() for name in form.headings}
    for name, heading in form.headings.items():
        if heading in overrides:
            data[name] = overrides[heading]
    return data


def _values_post(page_context, **overrides):
    form = page_context["form"]
    data = {name: form[name].value() for name in form.written}
    for name, (_, written) in form.written.items():
        if written in overrides:
            data[name] = overrides[written]
    return data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("log.csv", _csv(ROWS)),  # semicolons
        ("log.txt", _csv(ROWS, delimiter="\t", encoding="utf-16")),  # Excel's "Unicode text"
        ("log.csv", b"sep=;\r\n" + _csv(ROWS)),
        ("log.xlsx", _xlsx(ROWS)),  # title row, data on the second sheet
    ],
)
def test_a_messy_log_is_mapped_and_saved_cell_by_cell(named_editor, login, name, data):
    editor = named_editor
    client = login(editor)
    columns_url = _step(_upload(client, data, name=name))
    assert columns_url.endswith("/columns/")
    page = client.get(columns_url)
    assert page.status_code == 200
    suggested = {
        page.context["form"].headings[n]: page.context["form"][n].value()
        for n in page.context["form"].headings
    }
    assert suggested == {
        "When": "-",
        "What happened": "-",
        "Progress": "status",
        "Who with": "-",
        "How": "methods",
        "Link to duty": "duties",
        "Officer": "lead",
        "Numbers": "total_participants",
        "Notes": "summary",
    }
    values_url = _step(
        client.post(
            columns_url,
            _columns_post(
                page.context,
                When="start_date",
                **{"What happened": "title", "Who with": "partners", "Notes": "-"},
            )
            | {"save_as": "Our log"},
        )
    )
    assert values_url.endswith("/values/")
    page = client.get(values_url)
    form = page.context["form"]
    listed = {written: form[n].value() for n, (_, written) in form.written.items()}
    assert listed == {
        "Complete": "completed",  # "complete" in row 4 is the same value: listed once
        "Ongoing": "under_way",
        "Healthwatch": "Local Healthwatch",
        "Age UK": "-",
        "Online survey": "-",  # like two methods (an online consultation, a survey): not guessed
        "Action 3": "-",  # this ICB's framework has principles, not actions
        "Eddie Edwards": editor.user.username,
    }, batch_unmatched()
    assert form["value_duties_0"].help_text == (  # why “Action 3” names no duty here
        "In 1 row. No duty of your organisation's frameworks is numbered like “Action 3”. Choose the one it "
        "means, or leave empty."
    )
    preview_url = _step(
        client.post(
            values_url,
            _values_post(
                page.context,
                **{
                    "Age UK": "Voluntary, community and social enterprise organisations",
                    "Online survey": "Survey or questionnaire",
                    "Action 3": "WPPC-P03",
                },
            ),
        )
    )
    batch = ImportBatch.objects.get()
    assert preview_url.endswith(f"/import/{batch.pk}/")
    assert batch.stage == ImportStage.READY and batch.error_count == 0, [r["errors"] for r in batch.rows]
    preview = client.get(preview_url).content.decode()
    assert "“Notes” was not imported" in preview.replace(
        "This column was not imported, as it is not a column of the activity log: ",
        "“Notes” was not imported",
    )
    assert _step(client.post(preview_url)).endswith("/activities/")

    saved = {
        a.title: (
            a.start_date,
            a.status,
            sorted(p.name for p in a.partners.all()),
            [m.name for m in a.methods.all()],
            [d.code for d in a.duties.all()],
            a.lead,
            a.total_participants,
            a.summary,
        )
        for a in Activity.objects.filter(organisation=editor.organisation)
    }
    assert saved == {
        "Summer fair stall": (
            datetime.date(2025, 6, 21),
            "completed",
            ["Local Healthwatch", "Voluntary, community and social enterprise organisations"],
            ["Survey or questionnaire"],
            ["WPPC-P03"],
            editor.user,
            25,
            "",
        ),
        "Carers café": (
            datetime.date(2025, 5, 14),
            "under_way",
            ["Local Healthwatch"],
            ["Focus group"],
            ["WPPC-P05"],
            None,
            None,
            "",
        ),
        "Youth panel": (datetime.date(2025, 3, 3), "completed", [], [], [], editor.user, 30, ""),
    }
    mapping = ImportMapping.objects.get(organisation=editor.organisation)
    assert mapping.name == "Our log"
    assert mapping.columns["who with"] == "partners" and mapping.columns["notes"] == ""
    assert mapping.values["status"] == {"complete": "completed", "ongoing": "under_way"}
    assert not bytes(ImportBatch.objects.get().data)  # the file is not kept once imported


def test_the_same_headings_again_skip_the_mapping_and_new_values_alone_are_asked(named_editor, login):
    editor = named_editor
    ImportMapping.objects.create(
        organisation=editor.organisation,
        name="Our log",
        created_by=editor.user,
        columns={
            "when": "start_date",
            "what happened": "title",
            "progress": "status",
            "who with": "partners",
            "how": "methods",
            "link to duty": "duties",
            "officer": "lead",
            "numbers": "total_participants",
            "notes": "",
        },
        values={
            "status": {"complete": "completed", "ongoing": "under_way"},
            "partners": {"healthwatch": "Local Healthwatch", "age uk": ""},
            "methods": {"online survey": "Survey or questionnaire"},
            "duties": {"action 3": "WPPC-P03"},
            "lead": {"eddie edwards": editor.user.username},
        },
    )
    client = login(editor)
    preview_url = _step(_upload(client, _csv(ROWS)))
    assert preview_url.endswith(f"/import/{ImportBatch.objects.get().pk}/")
    assert "Read with your saved mapping “Our log”." in client.get(preview_url).content.decode()

    # one value the mapping has not seen: only that one is asked
    values_url = _step(_upload(client, _csv([[*ROWS[1][:2], "Paused", *ROWS[1][3:]]])))
    assert values_url.endswith("/values/")
    form = client.get(values_url).context["form"]
    assert [written for _, written in form.written.values()] == ["Paused"]


def test_the_sheet_and_heading_row_can_be_chosen(named_editor, login):
    client = login(named_editor)
    data = b"Our log;;\r\nWhen;What happened;Notes\r\n21/6/2025;Fair;x\r\n"
    columns_url = _step(_upload(client, data, name="log.csv"))
    page = client.get(columns_url)
    assert page.context["heading_row"] == 2  # found
    client.post(columns_url, {"action": "layout", "heading_row": "1"})
    page = client.get(columns_url)
    assert page.context["heading_row"] == 1
    assert list(page.context["form"].headings.values()) == ["Our log"]
    client.post(columns_url, {"action": "layout", "heading_row": "2"})
    assert list(client.get(columns_url).context["form"].headings.values()) == [
        "When",
        "What happened",
        "Notes",
    ]


def test_the_preview_waits_for_the_mapping(named_editor, login):
    client = login(named_editor)
    columns_url = _step(_upload(client, _csv(ROWS)))
    batch = ImportBatch.objects.get()
    assert client.get(f"{IMPORT}{batch.pk}/")["Location"] == columns_url
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    assert not Activity.objects.exists()


def test_saved_mappings_are_renamed_changed_and_deleted(named_editor, reviewer, login):
    editor = named_editor
    ours = ImportMapping.objects.create(
        organisation=editor.organisation,
        name="Ours",
        created_by=editor.user,
        columns={"when": "start_date", "what": "title"},
        values={"status": {"complete": "completed"}},
    )
    ImportMapping.objects.create(
        organisation=editor.organisation, name="Theirs", created_by=editor.user, columns={}
    )
    client = login(editor)
    page = client.get(f"{IMPORT}mappings/").content.decode()
    assert "Ours" in page and "Theirs" in page
    edit = f"{IMPORT}mappings/{ours.pk}/"
    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(edit, {**data, "name": "theirs"})
    assert response.status_code == 400
    assert "There is already a mapping called" in response.content.decode()
    written = {w: n for n, (_, w) in form.written.items()}
    _step(client.post(edit, {**data, "name": "Our log", written["complete"]: "under_way"}))
    ours.refresh_from_db()
    assert (ours.name, ours.values["status"]["complete"]) == ("Our log", "under_way")
    assert client.get(f"{IMPORT}mappings/{ours.pk}/delete/").status_code == 200
    _step(client.post(f"{IMPORT}mappings/{ours.pk}/delete/"))
    assert not ImportMapping.objects.filter(pk=ours.pk).exists()
    assert _step(client.post(f"{IMPORT}mappings/{ours.pk}/delete/")).endswith("/mappings/")  # already gone


def test_mappings_of_another_organisation_are_not_found(editor, outsider, login):
    theirs = ImportMapping.objects.create(
        organisation=outsider.organisation, name="Theirs", created_by=outsider.user, columns={}
    )
    client = login(editor)
    assert client.get(f"{IMPORT}mappings/{theirs.pk}/").status_code == 404
    assert "Theirs" not in client.get(f"{IMPORT}mappings/").content.decode()
    client.post(f"{IMPORT}mappings/{theirs.pk}/delete/")
    assert ImportMapping.objects.filter(pk=theirs.pk).exists()


# ------------------------------------------------------------------ pure
def test_suggestions_for_columns_prefer_an_earlier_mapping():
    cols = spreadsheet_columns([])
    suggestions = suggest_columns(
        ["Date of event", "Event name", "Who with", "Statuss", "Date"], cols, saved=[{"who with": "partners"}]
    )
    assert suggestions == [
        ("start_date", "a heading logs often use"),
        ("title", "a heading logs often use"),
        ("partners", "your earlier mapping"),
        ("status", "a similar heading"),
        ("", ""),  # start date is already suggested for "Date of event"
    ]


@pytest.mark.parametrize(
    ("key", "written", "options", "expected"),
    [
        ("status", "Complete", [("planned", "Planned"), ("completed", "Completed")], "completed"),
        (
            "partners",
            "Healthwatch",
            [("Local Healthwatch", "Local Healthwatch"), ("Other", "Other")],
            "Local Healthwatch",
        ),
        ("lead", "Jo Bloggs", [("jbloggs", "Jo Bloggs (jbloggs)")], "jbloggs"),
        ("partners", "Scouts", [("Other", "Other")], ""),
        ("partners", "County Council", [("Local authority", "Local authority")], "Local authority"),
        ("partners", "Council", [("Other", "Other")], ""),  # a synonym names a value the options have
        (
            "cycle_stage",
            "Procurement",
            [("planning", "Strategic planning"), ("procuring", "Procuring services")],
            "procuring",
        ),
        (
            "reach_uncounted",
            "Travellers",
            [("Gypsy, Roma and Traveller communities",) * 2],
            "Gypsy, Roma and Traveller communities",
        ),
        ("reach_uncounted", "Focus groups", [("Focus group",) * 2], "Focus group"),  # a plural
        ("reach_uncounted", "Deaf people", [("Older people",) * 2], ""),  # not alike, only the word “people”
        ("partners", "Helthwatch", [("Healthwatch",) * 2, ("Other",) * 2], "Healthwatch"),  # a typo
    ],
)
def test_value_suggestions(key, written, options, expected):
    assert suggest_value(key, written, options) == expected


def test_mapped_values_replace_what_was_written():
    chosen = {"partners": {"healthwatch": "Local Healthwatch", "scouts": ""}}
    assert apply_values("partners", "Healthwatch; Scouts; Other", chosen) == "Local Healthwatch; Other"
    assert apply_values("status", "Complete", chosen) == "Complete"


def test_groups_reached_without_numbers_are_mapped_on_the_values_page(named_editor, login):
    """“Who did we engage” in a log's own words: names that are no group's are asked once each on the
    values page (with a suggestion), and the choices reach the saved activity, number not recorded."""
    client = login(named_editor)
    headings = ["When", "What happened", "Who did we engage"]
    rows = [
        ["1/5/2025", "Drop-in", "Older people; Refugees; Young people"],
        ["2/5/2025", "Stall", "refugees, Carers; Bingo club"],
        ["3/5/2025", "Walk", "Bingo club"],
    ]
    columns_url = _step(_upload(client, _csv(rows, headings=headings)))
    page = client.get(columns_url)
    assert page.context["form"]["column_2"].value() == "reach_uncounted"
    values_url = _step(
        client.post(
            columns_url,
            _columns_post(page.context, When="start_date", **{"What happened": "title"})
            | {"save_as": "Ours"},
        )
    )
    assert values_url.endswith("/values/")
    page = client.get(values_url)
    form = page.context["form"]
    assert [label for label, _ in form.groups] == ["Groups reached (number not recorded)"]
    listed = {written: form[n].value() for n, (_, written) in form.written.items()}
    assert listed == {
        "Refugees": "Vulnerable migrants and refugees",  # "refugees" in row 3 is the same name
        "Young people": "Children and young people",
        "Bingo club": "-",
    }
    assert "Age: 65 to 74" in page.content.decode()  # categories are offered with their group
    preview_url = _step(client.post(values_url, _values_post(page.context)))
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert _step(client.post(preview_url)).endswith("/activities/")

    reached = {
        a.title: sorted((r.group.code, r.count) for r in a.reach.select_related("group"))
        for a in Activity.objects.filter(organisation=named_editor.organisation)
    }
    assert reached == {
        "Drop-in": [("INC-MIGRANTS", None), ("INC-OLDER", None), ("INC-YOUNG", None)],
        "Stall": [("INC-CARERS", None), ("INC-MIGRANTS", None)],  # "Bingo club" left empty
        "Walk": [],
    }
    assert ImportMapping.objects.get().values["reach_uncounted"] == {
        "refugees": "Vulnerable migrants and refugees",
        "young people": "Children and young people",
        "bingo club": "",
    }
    # the next file with the same headings and names is read without asking again
    assert _step(_upload(client, _csv(rows[:1], headings=headings))).endswith(
        f"/import/{ImportBatch.objects.latest('uploaded_at').pk}/"
    )
