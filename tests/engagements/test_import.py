"""Spreadsheet import (upload → preview → commit), the import template and the activity export."""

import csv
import dataclasses
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ccg_involvement.permissions import Role
from engagements import actions, selectors, spreadsheets
from engagements.inputs import ActivityInput
from engagements.models import (
    NUMBER_NOT_RECORDED,
    Activity,
    Adjustment,
    AudienceGroup,
    ImportBatch,
    ImportRow,
    Method,
    Outcome,
    Partner,
)
from tests.factories.core import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for, category, group

IMPORT = "/qrv/activities/import/"
HEADINGS = [
    "Title",
    "Start date",
    "End date",
    "Status",
    "Methods",
    "Partners",
    "Duties evidenced",
    "Total participants",
    "Reached: Carers",
    "Reached: People experiencing homelessness",
]


# ------------------------------------------------------------------ URLs
# ------------------------------------------------------------------ helpers


def _csv_bytes(rows, headings=HEADINGS, encoding="utf-8"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx_bytes(rows, headings=HEADINGS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Activities"
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read_xlsx(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}
    finally:
        workbook.close()


def _upload(client, data, name="activities.csv", org="qrv"):
    return client.post(f"/{org}/activities/import/", {"file": SimpleUploadedFile(name, data)})


def _batch_from(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return ImportBatch.objects.get(pk=pk)


GOOD_ROWS = [
    [
        "Maternity listening event",
        "14/10/2025",
        "15/10/2025",
        "completed",
        "Focus group; public meeting or event",
        "Local Healthwatch",
        "WPPC-P01; wppc-p04",
        "40",
        "7",
        "0",
    ],
    ["", "", "", "", "", "", "", "", "", ""],  # blank rows are skipped
    ["Carers’ forum", "1/4/2025", "", "", "METHOD-FOCUS", "", "", "", "", ""],
]


# ------------------------------------------------------------------ template
def test_csv_template_has_every_column(editor, login):
    response = login(editor).get("/qrv/activities/import/template/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    headings = [c.heading for c in spreadsheets.columns(selectors.audience_groups())]
    assert rows == [headings]
    assert headings[:3] == ["Title", "Summary", "Start date"]
    expected = []
    for g in AudienceGroup.objects.order_by("position").prefetch_related("categories"):
        expected.append(f"Reached: {g.name}")
        expected += [f"Reached: {g.name}: {c.name}" for c in g.categories.order_by("position")]
    expected.append("Groups reached (number not recorded)")
    assert headings[-len(expected) - 3 : -3] == expected
    assert "Reached: Race: White: British" in headings and "Reached: Carers" in headings
    assert headings[-3:] == [
        "Duty rationales",
        "ID",
        "Version",
    ]  # blank for new activities; the export fills them in


def test_xlsx_template_has_a_lists_sheet(editor, login):
    response = login(editor).get("/qrv/activities/import/template/?format=xlsx")
    assert response.status_code == 200
    sheets = _read_xlsx(response.content)
    assert list(sheets) == ["Activities", "Outcomes", "Lists"]
    assert sheets["Outcomes"] == [[c.heading for c in spreadsheets.OUTCOME_COLUMNS]]
    assert sheets["Activities"] == [[c.heading for c in spreadsheets.columns(selectors.audience_groups())]]
    lists = sheets["Lists"]
    by_heading = {
        h: [row[i] for row in lists[1:] if i < len(row) and row[i] is not None]
        for i, h in enumerate(lists[0])
    }
    assert "Focus group" in by_heading["Methods"]
    assert "Local Healthwatch" in by_heading["Partners"]
    assert "Easy Read" in by_heading["Reasonable adjustments"]
    assert "WPPC-P01" in by_heading["Duty codes"]
    assert not any(code.startswith("PPP17") for code in by_heading["Duty codes"])  # ICB: WPPC only


def test_template_in_an_unknown_format_is_not_found(editor, login):
    assert login(editor).get("/qrv/activities/import/template/?format=pdf").status_code == 404


def test_upload_page_explains_the_columns(viewer, login):
    page = login(viewer).get(IMPORT)
    assert page.status_code == 200
    text = page.content.decode()
    assert "template/?format=xlsx" in text and "template/?format=csv" in text
    assert "Total participants" in text
    assert 'type="file"' not in text  # viewers read the page but cannot upload


# ------------------------------------------------------------------ the happy path
def test_good_csv_import_end_to_end(editor, login):
    client = login(editor)
    upload_page = client.get(IMPORT)
    assert 'enctype="multipart/form-data"' in upload_page.content.decode()

    batch = _batch_from(_upload(client, _csv_bytes(GOOD_ROWS)))
    assert batch.organisation == editor.organisation and batch.uploaded_by == editor.user
    assert [r["number"] for r in batch.rows] == [2, 4]
    assert batch.error_count == 0
    first = batch.rows[0]
    assert first["values"]["Title"] == "Maternity listening event"
    assert first["clean"]["start_date"] == "2025-10-14"
    assert first["clean"]["reach"] == {
        f"g{group('INC-CARERS').pk}": 7,
        f"g{group('INC-HOMELESS').pk}": 0,
    }
    assert not Activity.objects.exists()  # nothing is saved before the commit

    preview = client.get(f"{IMPORT}{batch.pk}/")
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "2 rows: 2 new, 0 updates; 0 with errors, 1 with warning." in page  # no status: from dates
    assert "Maternity listening event" in page
    assert "Import 2 activities" in page

    response = client.post(f"{IMPORT}{batch.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/qrv/activities/"
    batch.refresh_from_db()
    assert batch.committed_at is not None and batch.committed_count == 2

    event = Activity.objects.get(title="Maternity listening event")
    assert event.organisation == editor.organisation and event.created_by == editor.user
    assert (event.start_date, event.end_date) == (datetime.date(2025, 10, 14), datetime.date(2025, 10, 15))
    assert event.status == "completed"
    assert {m.code for m in event.methods.all()} == {"METHOD-FOCUS", "METHOD-PUBMEET"}
    assert {p.code for p in event.partners.all()} == {"PARTNER-HW"}
    assert {d.code for d in event.duties.all()} == {"WPPC-P01", "WPPC-P04"}
    assert event.total_participants == 40
    counts = {r.group.code: r.count for r in event.reach.select_related("group")}
    assert counts == {"INC-CARERS": 7, "INC-HOMELESS": 0}  # 0 stays 0; other groups: no row

    forum = Activity.objects.get(title="Carers’ forum")
    assert forum.start_date == datetime.date(2025, 4, 1)
    assert forum.status == "completed"  # no status given: it ended before today
    assert forum.total_participants is None  # blank = not recorded
    assert not forum.reach.exists()
    assert forum.history.first().history_user == editor.user

    listing = client.get("/qrv/activities/")
    assert "Imported 2 activities" in listing.content.decode()


def test_windows_1252_csv(editor, login):
    rows = [["Café drop-in: £5 vouchers", "02/05/2025", "", "Under way", "", "", "", "", "", ""]]
    data = _csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    client = login(editor)
    batch = _batch_from(_upload(client, data))
    assert batch.rows[0]["clean"]["title"] == "Café drop-in: £5 vouchers"
    assert batch.rows[0]["clean"]["status"] == "under_way"
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    assert Activity.objects.get().title == "Café drop-in: £5 vouchers"


def test_csv_with_a_byte_order_mark(editor, login):
    data = "\ufeff".encode() + _csv_bytes([["Naïve survey £", "2025-06-01", "", "", "", "", "", "", "", ""]])
    batch = _batch_from(_upload(login(editor), data))
    assert batch.error_count == 0
    assert batch.rows[0]["clean"]["title"] == "Naïve survey £"
    assert batch.rows[0]["clean"]["start_date"] == "2025-06-01"


def test_xlsx_with_real_excel_dates_and_numbers(editor, login):
    rows = [
        [
            "Youth panel",
            datetime.datetime(2025, 9, 3),
            datetime.datetime(2025, 9, 30),
            "Completed",
            "Focus group",
            "",
            "WPPC-P02",
            12.0,
            3,
            0,
        ],
        ["Text dates too", "3/9/2025", "", "", "", "", "", None, None, None],
    ]
    client = login(editor)
    batch = _batch_from(_upload(client, _xlsx_bytes(rows), name="Activities 2025.xlsx"))
    assert batch.error_count == 0, batch.rows
    assert batch.rows[0]["values"]["Start date"] == "03/09/2025"
    assert batch.rows[0]["values"]["Total participants"] == "12"
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    panel = Activity.objects.get(title="Youth panel")
    assert (panel.start_date, panel.end_date) == (datetime.date(2025, 9, 3), datetime.date(2025, 9, 30))
    assert panel.total_participants == 12
    assert Activity.objects.get(title="Text dates too").start_date == datetime.date(2025, 9, 3)


def test_headings_are_matched_loosely(editor, login):
    data = _csv_bytes([["Drop-in", "01/05/2025", "yes"]], headings=["  TITLE* ", "start   date", "Highlight"])
    batch = _batch_from(_upload(login(editor), data))
    assert batch.rows[0]["clean"]["is_highlight"] is True


# ------------------------------------------------------------------ problems in rows
def _row(**overrides):
    values = dict(zip(HEADINGS, GOOD_ROWS[0], strict=True))
    values.update(overrides)
    return [values[h] for h in HEADINGS]


def test_one_bad_row_saves_nothing_and_shows_the_error_per_column(editor, login):
    rows = [_row(Title="Good one"), _row(Title="Bad one", **{"Start date": "31/02/2025"}), _row(Title="Fine")]
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(rows)))
    assert batch.error_count == 1
    assert list(batch.rows[1]["errors"]) == ["Start date"]
    assert batch.rows[1]["number"] == 3

    preview = client.get(f"{IMPORT}{batch.pk}/")
    page = preview.content.decode()
    assert "3 rows: 3 new, 0 updates; 1 with errors" in page
    assert "“31/02/2025” is not a real date" in page
    assert "nhsuk-error-message" in page and "nhsuk-error-summary" in page
    assert 'href="#row-3"' in page and 'id="row-3"' in page
    assert "Import 3 activities" not in page and 'method="post"' not in page.split("</header>")[1]

    response = client.post(f"{IMPORT}{batch.pk}/")  # committing anyway is refused
    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert "Fix the rows with errors" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"Total participants": "-3"}, "Total participants", "cannot be negative"),
        ({"Reached: Carers": "-1"}, "Reached: Carers", "cannot be negative"),
        ({"Total participants": "lots"}, "Total participants", "Enter a number of people"),
        ({"Total participants": "12.5"}, "Total participants", "whole number"),
        ({"End date": "13/10/2025"}, "End date", "must be the same as or after the start date"),
        (
            {"Methods": "Focus group; Telepathy"},
            "Methods",
            "Unknown method “Telepathy”. Use one of the names on the Lists sheet",
        ),
        ({"Partners": "The Moon"}, "Partners", "Unknown partner “The Moon”"),
        ({"Duties evidenced": "WPPC-P99"}, "Duties evidenced", "Unknown duty code “WPPC-P99”"),
        ({"Duties evidenced": "PPP17-A01"}, "Duties evidenced", "not a duty of the frameworks"),
        (
            {"Status": "Cancelled"},
            "Status",
            "Unknown status “Cancelled”. Use Planned, Under way or Completed",
        ),
        ({"Title": ""}, "Title", "Enter a title"),
        ({"Start date": ""}, "Start date", "Enter the start date"),
        (
            {"Start date": "next Tuesday"},
            "Start date",
            "Enter the start date as a date, for example 14/10/2025",
        ),
        ({"Start date": "10/14/2025"}, "Start date", "looks like a month-first (American) date"),
        ({"Start date": "14 October"}, "Start date", "has no year"),
        # the activity's own rules (ActivityInput's), as the form applies them
        (
            {"Start date": "14/10/2099", "End date": "15/10/2099"},
            "Status",
            "cannot be marked completed before it has ended",
        ),
        (
            {"Total participants": "5", "Reached: Carers": "7"},
            "Total participants",
            "cannot be more than the activity",
        ),
    ],
)
def test_row_errors_name_the_column(editor, login, overrides, column, message):
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes([_row(**overrides)])))
    errors = batch.rows[0]["errors"]
    assert list(errors) == [column]
    assert message in errors[column]
    assert message in client.get(f"{IMPORT}{batch.pk}/").content.decode()


def test_lead_must_be_a_member(editor, outsider, login):
    headings = ["Title", "Start date", "Lead"]
    rows = [
        ["Ours", "01/05/2025", editor.user.email.upper()],
        ["Theirs", "01/05/2025", outsider.user.username],
    ]
    batch = _batch_from(_upload(login(editor), _csv_bytes(rows, headings=headings)))
    assert batch.rows[0]["clean"]["lead"] == editor.user.pk
    assert "No member of this organisation" in batch.rows[1]["errors"]["Lead"]


def test_values_without_a_heading_are_an_error(editor, login):
    data = _csv_bytes([["Drop-in", "01/05/2025", "", "stray"]], headings=["Title", "Start date", "", ""])
    batch = _batch_from(_upload(login(editor), data))
    assert "without a heading (D)" in batch.rows[0]["errors"]["Row"]


# ------------------------------------------------------------------ files refused whole
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("activities.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "is an image"),
        ("activities.xlsx", b"this is not a workbook at all", "is not an Excel (.xlsx) workbook"),
        ("activities.xlsx", b"PK\x03\x04" + bytes(200), "could not be read"),
        ("activities.csv", b"", "is empty"),
        ("activities.json", b"Title,Start date\r\nA,01/01/2025\r\n", "must be a CSV or Excel"),
        ("activities.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "must be a CSV or Excel"),
        ("activities.csv", b"Title,Start date\r\n", "no activities"),
        ("activities.csv", b"Title,Summary\r\nA,B\r\n", "must have a column called “Start date”"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_clearly(editor, login, name, data, message):
    response = _upload(login(editor), data, name=name)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "nhsuk-error-summary" in page
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "data", [b"Name,Colour\r\nA,01/01/2025\r\n", b"Title,Start date,Title\r\nA,01/01/2025,B\r\n"]
)
def test_headings_that_are_not_the_templates_go_to_the_mapping_step(editor, login, data):
    response = _upload(login(editor), data)
    assert response.status_code == 302
    assert response["Location"].endswith("/columns/")
    assert ImportBatch.objects.get().stage == "columns"


def test_corrupt_xlsx_is_refused(editor, login):
    good = _xlsx_bytes([["Drop-in", "01/05/2025"]])
    response = _upload(login(editor), good[: len(good) // 2], name="activities.xlsx")
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_xlsx_that_expands_too_far_is_refused(editor, login, monkeypatch):
    monkeypatch.setattr(spreadsheets.reading, "MAX_XLSX_EXPANDED_BYTES", 1000)
    response = _upload(login(editor), _xlsx_bytes([["Drop-in", "01/05/2025"]]), name="a.xlsx")
    assert response.status_code == 400
    assert "too big to import once opened" in response.content.decode()


def test_too_many_rows_are_refused(editor, login, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["Event", f"0{n}/05/2025", "", "", "", "", "", "", "", ""] for n in range(1, 5)]
    client = login(editor)
    response = _upload(client, _csv_bytes(rows))
    assert response.status_code == 400
    assert "more than 3 rows of activities" in response.content.decode()
    response = _upload(client, _xlsx_bytes(rows), name="a.xlsx")
    assert response.status_code == 400
    assert "Split it into files" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert _upload(client, _csv_bytes(rows[:3])).status_code == 302


def test_oversized_file_is_refused(editor, login, settings):
    settings.MAX_UPLOAD_SIZE_MB = 0
    response = _upload(login(editor), _csv_bytes(GOOD_ROWS))
    assert response.status_code == 400
    assert "must be smaller than 0 MB" in response.content.decode()


def test_no_file_chosen(editor, login):
    response = login(editor).post(IMPORT, {})
    assert response.status_code == 400
    assert "Select a CSV or Excel (.xlsx) file" in response.content.decode()


# ------------------------------------------------------------------ duplicates and double commits
def test_likely_duplicates_are_warned_about(editor, login):
    activity_for(editor, title="Maternity Listening Event", start=datetime.date(2025, 10, 14))
    rows = [_row(), _row(Title="maternity listening event  "), _row(Title="Something else")]
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(rows)))
    assert batch.error_count == 0
    first, second, third = (r["warnings"] for r in batch.rows)
    assert len(first) == 1 and "already in the log" in first[0]
    assert any("Row 2 has the same title and start date" in w for w in second)
    assert third == []
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert "Check the warnings" in page and "Import 3 activities" in page  # a warning does not block
    assert "2 rows may repeat an activity already in the log" in page  # each skipped or not: see
    assert page.count(">Skip this row<") == 2  # test_import_duplicates


def test_committing_twice_imports_once(editor, login):
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(GOOD_ROWS)))
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    again = client.post(f"{IMPORT}{batch.pk}/", follow=True)
    assert Activity.objects.count() == 2
    page = again.content.decode()
    assert "was already imported" in page and "Nothing was imported again" in page
    assert "Import 2 activities" not in page


def test_a_row_refused_at_commit_saves_nothing(editor, make_member, login):
    colleague = make_member(Role.EDITOR, editor.organisation, username="cara.colleague")
    rows = [["First", "01/05/2025", ""], ["Second", "02/05/2025", "cara.colleague"]]
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes(rows, headings=["Title", "Start date", "Lead"])))
    colleague.delete()  # left the organisation between the upload and the commit
    response = client.post(f"{IMPORT}{batch.pk}/", follow=True)
    assert "Row 3: The lead must be a member of this organisation." in response.content.decode()
    assert not Activity.objects.exists()
    batch.refresh_from_db()
    assert batch.committed_at is None


# ------------------------------------------------------------------ who may do what
def test_viewer_cannot_upload_or_commit(editor, viewer, login):
    batch = _batch_from(_upload(login(editor), _csv_bytes(GOOD_ROWS)))
    client = login(viewer)
    assert _upload(client, _csv_bytes(GOOD_ROWS)).status_code == 403
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 403
    preview = client.get(f"{IMPORT}{batch.pk}/")
    assert preview.status_code == 200 and "Import 2 activities" not in preview.content.decode()
    assert ImportBatch.objects.count() == 1
    assert not Activity.objects.exists()


def test_outsider_cannot_see_or_commit_the_batch(editor, outsider, login):
    batch = _batch_from(_upload(login(editor), _csv_bytes(GOOD_ROWS)))
    client = login(outsider)
    assert client.get(f"{IMPORT}{batch.pk}/").status_code == 404
    assert client.get(f"/qht/activities/import/{batch.pk}/").status_code == 404  # their own organisation
    assert client.post(f"/qht/activities/import/{batch.pk}/").status_code == 404
    assert not Activity.objects.exists()


# ------------------------------------------------------------------ export and the round trip
def _snapshot(activity):
    return {
        "title": activity.title,
        "summary": activity.summary,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "status": activity.status,
        "cycle_stage": activity.cycle_stage,
        "duty_limb": activity.duty_limb,
        "service_area": activity.service_area,
        "lead": activity.lead_id,
        "total_participants": activity.total_participants,
        "is_highlight": activity.is_highlight,
        "is_case_study": activity.is_case_study,
        "methods": sorted(m.code for m in activity.methods.all()),
        "partners": sorted(p.code for p in activity.partners.all()),
        "adjustments": sorted(a.code for a in activity.adjustments.all()),
        "duties": sorted(d.code for d in activity.duties.all()),
        "rationales": {link.duty.code: link.rationale for link in activity.duty_links.all()},
        "reach": {
            (r.group.code, r.category.code if r.category else None): r.count
            for r in activity.reach.select_related("group", "category")
        },
        "outcomes": [
            (
                o.what_we_heard,
                o.what_we_did,
                o.status,
                o.reason_not_possible,
                o.decision_influenced,
                o.reported_back_on,
                o.published_where,
            )
            for o in activity.outcomes.filter(withdrawn_at__isnull=True)
        ],
    }


@pytest.fixture
def three_activities(editor, make_member):
    lead = make_member(Role.EDITOR, editor.organisation, username="lee.lead").user
    save = lambda **kwargs: actions.save_activity(  # noqa: E731
        organisation=editor.organisation, by=editor.user, data=ActivityInput(**kwargs)
    )
    save(
        title="Maternity listening event",
        summary='Heard from new parents, in "their" words.\nSecond line: £10 vouchers, café.',
        start_date=datetime.date(2025, 10, 14),
        end_date=datetime.date(2025, 10, 16),
        status="completed",
        cycle_stage="planning",
        duty_limb="proposals",
        service_area="Maternity",
        lead=lead,
        total_participants=40,
        is_highlight=True,
        is_case_study=True,
        methods=list(Method.objects.filter(code__in=["METHOD-FOCUS", "METHOD-PUBMEET"])),
        partners=list(Partner.objects.filter(code__in=["PARTNER-HW", "PARTNER-VCSE"])),
        adjustments=list(Adjustment.objects.filter(code__in=["ADJ-BSL", "ADJ-EASYREAD"])),
        duties=[wppc(1), wppc(4)],
        reach={
            group("INC-CARERS"): 7,
            group("INC-HOMELESS"): 0,
            group("PC-AGE"): None,  # not recorded
            category("AGE-65-74"): 12,
            category("AGE-16-24"): 0,
            category("ETH-N"): NUMBER_NOT_RECORDED,
            group("PC-SEX"): 5,  # sex, category not recorded
            group("INC-OLDER"): NUMBER_NOT_RECORDED,
            group("INC-GRT"): NUMBER_NOT_RECORDED,  # a name with a comma in the list column
        },
    )
    first = Activity.objects.get(organisation=editor.organisation, title="Maternity listening event")
    actions.add_outcome(
        activity=first,
        by=editor.user,
        what_we_heard="Evening sessions, please;\nparents work in the day.",
        what_we_did="Two evening sessions added: 6pm and 7pm.",
        status="done",
        decision_influenced="Maternity service specification",
        reported_back_on=datetime.date(2025, 11, 2),
        published_where="Newsletter, November",
    )
    actions.add_outcome(
        activity=first,
        by=editor.user,
        what_we_heard="A crèche",
        what_we_did="Asked the venue",
        status="not_possible",
        reason_not_possible="No room at the venue",
    )
    withdrawn = actions.add_outcome(
        activity=first, by=editor.user, what_we_heard="Withdrawn", what_we_did="Withdrawn", status="done"
    )
    Outcome.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now(), withdrawn_reason="Duplicate")
    link = first.duty_links.get(duty=wppc(4))
    actions.set_duty_rationale(  # with a colon and a semicolon: the column's own separators
        activity=first, duty_link_id=link.pk, rationale="Reached parents: carers; and others", by=editor.user
    )
    save(
        title='=HYPERLINK("http://example.com") survey',
        start_date=datetime.date(2024, 4, 1),
        status="planned",
        total_participants=0,
        methods=list(Method.objects.filter(code="METHOD-SURVEY")),
        reach={},
    )
    save(
        title="Residents' panel; autumn",
        start_date=datetime.date(2025, 1, 31),
        status="under_way",
        cycle_stage="monitoring",
        duty_limb="individual",
        duties=[wppc(10)],
        reach={group("PC-SEXUAL-ORIENTATION"): 3},
    )
    return lead


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_reproduces_the_activities(
    editor, login, three_activities, file_format, django_assert_max_num_queries
):
    lead = three_activities
    exporter = login(editor)
    exporter.get("/qrv/activities/import/")  # the session is saved; the export's queries are its own
    with django_assert_max_num_queries(16):  # no query per row
        response = exporter.get(f"/qrv/activities/export/?format={file_format}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        assert rows[0] == [c.heading for c in spreadsheets.columns(selectors.audience_groups())]
        assert any(r[0].startswith("'=HYPERLINK") for r in rows[1:])  # not run as a formula by Excel
    else:
        sheet = _read_xlsx(response.content)["Activities"]
        assert sheet[0] == [c.heading for c in spreadsheets.columns(selectors.audience_groups())]
        assert isinstance(sheet[1][2], datetime.datetime)  # real dates for Excel
    assert len(rows if file_format == "csv" else sheet) == 4

    other = OrganisationFactory(ods_code="QBB")  # an integrated care board too
    importer = MembershipFactory(organisation=other, role=Role.EDITOR, user=UserFactory(username="bea.b"))
    MembershipFactory(organisation=other, user=lead)
    client = login(importer)
    batch = _batch_from(_upload(client, response.content, name=f"export.{file_format}", org="qbb"))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    # the IDs are another organisation's: said once, not as a warning on every row
    assert "each row will be added as a new activity" in " ".join(batch.notices)
    assert not any(r["warnings"] for r in batch.rows)
    assert client.post(f"/qbb/activities/import/{batch.pk}/").status_code == 302

    original = sorted(
        (_snapshot(a) for a in Activity.objects.filter(organisation=editor.organisation)),
        key=lambda s: s["title"],
    )
    copied = sorted(
        (_snapshot(a) for a in Activity.objects.filter(organisation=other)), key=lambda s: s["title"]
    )
    assert len(copied) == 3
    if file_format == "csv":
        original = [{**o, "outcomes": []} for o in original]
    assert copied == original
    assert original[1]["reach"] == {  # PC-AGE without a category: not recorded
        ("INC-CARERS", None): 7,
        ("INC-HOMELESS", None): 0,
        ("PC-AGE", "AGE-65-74"): 12,
        ("PC-AGE", "AGE-16-24"): 0,
        ("PC-RACE", "ETH-N"): None,  # reached, number not recorded
        ("PC-SEX", None): 5,
        ("INC-OLDER", None): None,
        ("INC-GRT", None): None,
    }
    assert original[1]["rationales"] == {"WPPC-P01": "", "WPPC-P04": "Reached parents: carers; and others"}
    if file_format == "xlsx":  # outcomes travel in the workbook's Outcomes sheet
        assert len(original[1]["outcomes"]) == 2 and original[1]["outcomes"][1][2] == "not_possible"
        assert "Read 2 outcomes from the “Outcomes” sheet." in batch.notices
    else:  # a CSV file has no outcomes
        assert all(not c["outcomes"] for c in copied)


def test_export_follows_the_list_filters(editor, login, three_activities):
    client = login(editor)
    response = client.get("/qrv/activities/export/?format=csv&year=2025-26&status=completed")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["Maternity listening event"]
    response = client.get("/qrv/activities/export/?format=csv&sort=title")
    titles = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))][1:]
    assert len(titles) == 3


def test_export_is_for_members_of_the_organisation(editor, viewer, outsider, login, three_activities):
    assert login(viewer).get("/qrv/activities/export/?format=xlsx").status_code == 200
    assert login(outsider).get("/qrv/activities/export/?format=csv").status_code == 404


def test_the_preview_is_paged_with_errors_first_and_the_errors_download_as_a_spreadsheet(editor, login):
    client = login(editor)
    good = [_row(Title=f"Row {n}") for n in range(130)]
    bad = _row(Title="Broken", **{"Start date": "next Tuesday"})
    batch = _batch_from(_upload(client, _csv_bytes([*good, bad])))
    url = f"{IMPORT}{batch.pk}/"
    page = client.get(url).content.decode()
    assert "Broken" in page and "Row 129" not in page  # the error row first, 100 rows a page
    assert "1 to 100 of 131, errors first" in page and "Rows page 2 of 2" in page
    assert f'href="#row-{batch.rows[-1]["number"]}"' in page
    assert f'href="?page=1#row-{batch.rows[-1]["number"]}"' in client.get(url + "?page=2").content.decode()
    assert "Row 129" in client.get(url + "?page=2").content.decode()
    response = client.get(url + "?errors=xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    sheet = _read_xlsx(response.content)["Activities"]
    assert sheet[0][:3] == ["Upload row", "Errors to fix", "Title"]
    assert len(sheet) == 2 and sheet[1][2] == "Broken"
    assert sheet[1][1].startswith("Start date: Enter the start date as a date")


def test_purge_import_previews_removes_uploads_older_than_30_days(editor):
    from django.core.management import call_command
    from django.utils import timezone

    old = ImportBatch.objects.create(
        organisation=editor.organisation,
        uploaded_by=editor.user,
        file_name="old.csv",
        rows=[{"number": 2, "values": {}, "clean": {}, "errors": {}, "warnings": []}],
    )
    assert ImportRow.objects.filter(batch=old).count() == 1  # a row each, not one growing value
    new = ImportBatch.objects.create(
        organisation=editor.organisation, uploaded_by=editor.user, file_name="new.csv"
    )
    ImportBatch.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=31))
    out = io.StringIO()
    call_command("purge_import_previews", stdout=out)
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [new.pk]
    assert not ImportRow.objects.filter(batch_id=old.pk).exists()  # its rows go with it
    assert out.getvalue() == "Removed 1 upload older than 30 days.\n"


def test_the_preview_reads_one_page_of_rows_in_a_fixed_number_of_queries(
    editor, login, django_assert_max_num_queries
):
    client = login(editor)
    rows = [_row(Title=f"Event {n}", **{"Start date": "01/05/2025"}) for n in range(250)]
    rows[200] = _row(Title="", **{"Start date": "01/05/2025"})  # an error: shown first
    batch = _batch_from(_upload(client, _csv_bytes(rows)))
    assert batch.row_set.count() == 250
    client.get(f"{IMPORT}{batch.pk}/")  # the session and caches warmed
    with django_assert_max_num_queries(14):  # with one for each kind of list value shown by name
        page = client.get(f"{IMPORT}{batch.pk}/?page=3").content.decode()  # (methods, partners, duties)
    assert "201 to 250 of 250" in page or "Rows page 2 of 3" in page
    first = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert first.index('id="row-202"') < first.index('id="row-2"')  # the error row first


def test_reimporting_an_export_with_ids_updates_instead_of_duplicating(editor, login, three_activities):
    client = login(editor)
    rows = list(
        csv.reader(io.StringIO(client.get("/qrv/activities/export/?format=csv").content.decode("utf-8-sig")))
    )
    headings = rows[0]
    assert headings[-2:] == ["ID", "Version"]
    title_at = headings.index("Title")
    first = rows[1]
    activity = Activity.objects.get(pk=int(first[-2]))
    first[title_at] = "Renamed in the spreadsheet"
    new_row = [""] * len(headings)
    new_row[title_at], new_row[headings.index("Start date")] = "A new one", "01/05/2025"
    new_row[headings.index("ID")] = "999999"  # deleted since, or never ours: added as a new activity
    batch = _batch_from(_upload(client, _csv_bytes([*rows[1:], new_row], headings=headings)))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert (
        "No activity in this log has the ID 999999: the row will be added as a new activity."
        in (batch.rows[-1]["warnings"])
    )
    assert batch.rows[0]["warnings"] == [] and batch.rows[0]["updates"] == activity.title  # not a warning
    assert not any(r.get("duplicate") for r in batch.rows)  # updates are not duplicates of themselves
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed in the spreadsheet" and activity.version == int(first[-1]) + 1
    assert Activity.objects.for_organisation(editor.organisation).count() == 4  # three updated, one new


def test_reimporting_over_a_change_made_since_the_export_is_refused(editor, login, three_activities):
    client = login(editor)
    rows = list(
        csv.reader(io.StringIO(client.get("/qrv/activities/export/?format=csv").content.decode("utf-8-sig")))
    )
    activity = Activity.objects.get(pk=int(rows[1][-2]))
    actions.save_activity(
        organisation=editor.organisation,
        by=editor.user,
        data=dataclasses.replace(ActivityInput.from_activity(activity), summary="Changed meanwhile"),
        activity=activity,
        expected_version=activity.version,
    )
    batch = _batch_from(_upload(client, _csv_bytes(rows[1:], headings=rows[0])))
    response = client.post(f"{IMPORT}{batch.pk}/", follow=True)
    page = response.content.decode()
    assert "Row 2:" in page and "Nothing was imported." in page
    activity.refresh_from_db()
    assert activity.summary == "Changed meanwhile"
    assert Activity.objects.for_organisation(editor.organisation).count() == 3
    assert batch.rows[0]["clean"]["id"] == activity.pk


def _workbook_with(content: bytes, edit) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_outcomes_in_a_reimported_export_update_by_id_and_add_new_ones(editor, login, three_activities):
    client = login(editor)
    exported = client.get("/qrv/activities/export/?format=xlsx").content
    first = Activity.objects.get(organisation=editor.organisation, title="Maternity listening event")
    done = first.outcomes.get(status="done", withdrawn_at__isnull=True)

    def edit(workbook):
        sheet = workbook["Outcomes"]
        headings = [c.value for c in sheet[1]]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[headings.index("Outcome ID")].value == done.pk)
        row[headings.index("We did (or will do)")].value = "Three evening sessions."
        sheet.append([first.pk, "", "Parking", "Asked the council", "In progress"])

    batch = _batch_from(_upload(client, _workbook_with(exported, edit), name="export.xlsx"))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert "With 3 outcomes" in client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    counted = first.outcomes.filter(withdrawn_at__isnull=True).order_by("pk")
    assert [(o.what_we_heard[:7], o.what_we_did, o.status) for o in counted] == [
        ("Evening", "Three evening sessions.", "done"),
        ("A crèch", "Asked the venue", "not_possible"),
        ("Parking", "Asked the council", "in_progress"),
    ]
    assert Activity.objects.filter(organisation=editor.organisation).count() == 3  # updated, not added


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["999", "", "Parking", "Asked"],
            "Row 2 of the Outcomes sheet has the Activity ID “999”, which no row",
        ),
        (["", "", "Parking", "Asked"], "Row 2 of the Outcomes sheet has no Activity ID"),
    ],
)
def test_an_outcome_without_its_activity_is_refused(editor, login, row, message):
    def edit(workbook):
        workbook["Activities"].append(["Drop-in", "", "01/05/2025"])
        workbook["Outcomes"].append(row)

    template = login(editor).get("/qrv/activities/import/template/?format=xlsx").content
    response = _upload(login(editor), _workbook_with(template, edit), name="log.xlsx")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_outcomes_problems_are_its_activity_rows_errors(editor, login):
    def edit(workbook):
        headings = [c.value for c in workbook["Activities"][1]]
        values = {"Title": "Drop-in", "Start date": "01/05/2025", "ID": "7"}
        workbook["Activities"].append([values.get(h, "") for h in headings])
        workbook["Outcomes"].append(["7", "", "Parking", "", "Not possible", "", "", "31/02/2025"])

    template = login(editor).get("/qrv/activities/import/template/?format=xlsx").content
    batch = _batch_from(_upload(login(editor), _workbook_with(template, edit), name="log.xlsx"))
    assert batch.rows[0]["errors"] == {
        "Outcomes row 2, We did (or will do)": "Enter what was done.",
        "Outcomes row 2, Why it was not possible": "Give the reason it was not possible.",
        "Outcomes row 2, Date reported back": "“31/02/2025” is not a real date. Check the day and month of the date reported back.",
    }


def test_the_preview_shows_what_an_update_changes_field_by_field(editor, login, three_activities):
    client = login(editor)
    exported = client.get("/qrv/activities/export/?format=xlsx").content
    first = Activity.objects.get(organisation=editor.organisation, title="Maternity listening event")

    def edit(workbook):
        sheet = workbook["Activities"]
        headings = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[headings.index("ID")].value == first.pk:
                row[headings.index("Status")].value = "Under way"
                row[headings.index("Total participants")].value = 30
                row[headings.index("Partners")].value = "Local Healthwatch"
                row[headings.index("Reached: Carers")].value = None

    batch = _batch_from(_upload(client, _workbook_with(exported, edit), name="export.xlsx"))
    changed = next(r for r in batch.rows if r["clean"].get("id") == first.pk)
    assert changed["changes"] == [
        ["Status", "Completed", "Under way"],
        [
            "Partners",
            "Local Healthwatch; Voluntary, community and social enterprise organisations",
            "Local Healthwatch",
        ],
        ["Total participants", "40", "30"],
        ["Reached: Carers", "7", "not recorded"],
    ]
    assert [r["changes"] for r in batch.rows if r["clean"].get("id") != first.pk] == [[], []]
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert "4 changes" in page and "Status: Completed → Under way" in page
    assert "3 rows update activities already in the log; 2 of them change nothing." in page
    assert "3 rows: 0 new, 3 updates; 0 with errors, 0 with warnings." in page  # updates are no warnings
    assert "Import 3 activities (0 new, 3 updates)</button>" in page
    assert page.count('nhsuk-tag--blue">Update<') == 3 and f"Updates “{first.title}” (ID {first.pk})." in page


def test_a_large_import_runs_in_the_background_with_a_progress_page(editor, login, settings):
    client = login(editor)
    rows = [_row(Title=f"Event {n}", **{"Start date": f"0{n}/05/2025"}) for n in range(1, 4)]
    batch = _batch_from(_upload(client, _csv_bytes(rows)))
    settings.IMPORT_BACKGROUND_ROWS = 2  # after the upload, read in the request
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}  # not run yet
    response = client.post(f"{IMPORT}{batch.pk}/")
    progress = f"{IMPORT}{batch.pk}/progress/"
    assert response["Location"] == progress
    page = client.get(progress).content.decode()
    assert "Importing 3 activities" in page and 'http-equiv="refresh"' in page
    assert 'data-testid="import-progress" role="status">Waiting to start.' in page
    assert "is already being imported" in client.post(f"{IMPORT}{batch.pk}/", follow=True).content.decode()
    assert not Activity.objects.filter(organisation=editor.organisation).exists()

    from engagements.tasks import commit_import

    assert commit_import.call(batch.pk, editor.user.pk, False) == "imported 3"
    page = client.get(progress).content.decode()
    assert "Imported" in page and "3 activities from" in page and "refresh" not in page
    assert Activity.objects.filter(organisation=editor.organisation).count() == 3
    assert commit_import.call(batch.pk, editor.user.pk, False) == "not queued"  # never twice


def test_a_background_import_that_is_refused_says_why(
    editor, login, settings, django_capture_on_commit_callbacks
):
    client = login(editor)
    batch = _batch_from(_upload(client, _csv_bytes([_row()])))
    settings.IMPORT_BACKGROUND_ROWS = 0  # after the upload, read in the request
    activity = Activity.objects.create(
        organisation=editor.organisation,
        title="x",
        start_date=datetime.date(2025, 1, 1),
        created_by=editor.user,
    )
    batch.rows[0]["clean"]["id"] = activity.pk + 1000  # deleted since the upload
    batch.save()
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs it then
        assert client.post(f"{IMPORT}{batch.pk}/")["Location"].endswith("/progress/")
    page = client.get(f"{IMPORT}{batch.pk}/progress/").content.decode()
    assert (
        "The activities were not imported" in page and "has been deleted since the file was uploaded" in page
    )
    assert not Activity.objects.filter(organisation=editor.organisation).exclude(pk=activity.pk).exists()


def test_the_update_preview_shows_reach_changes_per_category_and_number_not_recorded(
    editor, login, three_activities
):
    client = login(editor)
    exported = client.get("/qrv/activities/export/?format=xlsx").content
    first = Activity.objects.get(organisation=editor.organisation, title="Maternity listening event")

    def edit(workbook):
        sheet = workbook["Activities"]
        headings = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[headings.index("ID")].value == first.pk:
                assert "Older people" in row[headings.index("Groups reached (number not recorded)")].value
                row[headings.index("Reached: Age: 65 to 74")].value = 10
                row[headings.index("Reached: Age: 16 to 24")].value = "reached"
                row[headings.index("Groups reached (number not recorded)")].value = "Older people"

    batch = _batch_from(_upload(client, _workbook_with(exported, edit), name="export.xlsx"))
    changed = next(r for r in batch.rows if r["clean"].get("id") == first.pk)
    assert sorted(changed["changes"]) == sorted(
        [
            ["Reached: Age: 65 to 74", "12", "10"],
            ["Reached: Age: 16 to 24", "0", "reached, number not recorded"],
            [
                "Reached: Race: Black or Black British: African",
                "reached, number not recorded",
                "not recorded",
            ],
            [
                "Reached: Gypsy, Roma and Traveller communities",
                "reached, number not recorded",
                "not recorded",
            ],
        ]
    )


# ------------------------------------------------------------------ reach as logs keep it (ADR 0008)
REACH_HEADINGS = [
    "Title",
    "Start date",
    "Status",
    "Total participants",
    "Reached: Age: 16 to 24",
    "Reached: Age: 65 to 74",
    "Reached: Carers",
    "Groups reached (number not recorded)",
]


def test_groups_listed_without_numbers_are_reached_number_not_recorded(editor, login):
    client = login(editor)
    rows = [
        [
            "Drop-in",
            "01/05/2025",
            "Completed",
            "30",
            "6",
            "yes",
            "",
            "Older people; Gypsy, Roma and Traveller communities, Christian",
        ],
        ["Stall", "02/05/2025", "Completed", "10", "", "", "0", ""],
    ]
    batch = _batch_from(_upload(client, _csv_bytes(rows, REACH_HEADINGS)))
    assert batch.error_count == 0, [r["errors"] for r in batch.rows]
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    drop_in = Activity.objects.get(title="Drop-in")
    assert {
        (r.group.code, r.category.code if r.category else None): r.count
        for r in drop_in.reach.select_related("group", "category")
    } == {
        ("PC-AGE", "AGE-16-24"): 6,
        ("PC-AGE", "AGE-65-74"): None,  # "yes" in a count column
        ("INC-OLDER", None): None,
        ("INC-GRT", None): None,  # the comma in its name is not a separator
        ("PC-RELIGION", "REL-CHRISTIAN"): None,  # a category's own name, where only one has it
    }
    stall = Activity.objects.get(title="Stall")
    assert [(r.group.code, r.count) for r in stall.reach.select_related("group")] == [("INC-CARERS", 0)]


def test_reach_rules_and_unknown_groups_are_row_errors(editor, login):
    client = login(editor)
    rows = [
        ["Over", "01/05/2025", "Completed", "10", "6", "6", "", ""],
        ["Unknown", "01/05/2025", "Completed", "10", "", "", "", "Carers; Vets"],
        ["Both", "01/05/2025", "Completed", "10", "", "", "4", "Carers"],
    ]
    batch = _batch_from(_upload(client, _csv_bytes(rows, REACH_HEADINGS)))
    errors = [r["errors"] for r in batch.rows]
    assert "add up to 12, more than the activity's 10 total participants" in " ".join(errors[0].values())
    assert "Unknown group “Vets”" in errors[1]["Groups reached (number not recorded)"]
    assert "also has a number in its own column" in errors[2]["Groups reached (number not recorded)"]
    assert not Activity.objects.exists()


def test_logs_own_heading_for_groups_engaged_means_the_list_column():
    from engagements.spreadsheets.columns import alias_columns

    found = alias_columns(spreadsheets.columns([]))
    assert found["who did we engage"].key == found["groups engaged"].key == "reach_uncounted"


def test_an_update_without_some_columns_keeps_those_fields(editor, login, three_activities):
    """A file with only some columns changes those and keeps the rest: nothing is emptied."""
    client = login(editor)
    first = Activity.objects.get(organisation=editor.organisation, title="Maternity listening event")
    before = ActivityInput.from_activity(first)
    assert before.summary and before.methods and before.total_participants == 40 and before.reach
    data = (f"Title,Start date,ID,Version\r\nRenamed,14/10/2025,{first.pk},{first.version}\r\n").encode()
    batch = _batch_from(_upload(client, data))
    assert batch.rows[0]["changes"] == [["Title", "Maternity listening event", "Renamed"]]
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    first.refresh_from_db()
    after = ActivityInput.from_activity(first)
    assert after.title == "Renamed"
    assert dataclasses.replace(after, title=before.title) == before  # summary, methods, total, reach kept


def test_an_update_with_a_groups_count_column_changes_only_that_group(editor, login, three_activities):
    client = login(editor)
    first = Activity.objects.get(organisation=editor.organisation, title="Maternity listening event")
    carers = first.reach.get(group__name="Carers")
    others = {(r.group_id, r.category_id, r.count) for r in first.reach.exclude(pk=carers.pk)}
    data = (
        f"Title,Start date,ID,Version,Reached: Carers\r\n"
        f"{first.title},{first.start_date:%d/%m/%Y},{first.pk},{first.version},9\r\n"
    ).encode()
    batch = _batch_from(_upload(client, data))
    assert batch.rows[0]["changes"] == [["Reached: Carers", "7", "9"]]
    assert client.post(f"{IMPORT}{batch.pk}/").status_code == 302
    assert first.reach.get(group__name="Carers").count == 9
    assert {(r.group_id, r.category_id, r.count) for r in first.reach.exclude(group__name="Carers")} == others
