"""The engagement log: activities, reach, outcomes, documents, history, list filters."""

import datetime
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.inputs import ActivityInput
from engagements.models import Activity, AudienceGroup, Method, Outcome, Reach
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group
from tests.helpers import close_file, log_in_steps


def _form(**overrides):
    data = {
        "title": "Maternity listening event",
        "summary": "Heard from new parents.",
        "start_date_0": "14",
        "start_date_1": "10",
        "start_date_2": "2025",
        "end_date_0": "",
        "end_date_1": "",
        "end_date_2": "",
        "status": "completed",
        "cycle_stage": "planning",
        "duty_limb": "proposals",
        "service_area": "Maternity",
        "lead": "",
        "methods": [Method.objects.get(code="METHOD-FOCUS").pk],
        "partners": [],
        "adjustments": [],
        "duties": [wppc(2).pk, wppc(4).pk],
        "total_participants": "40",
        "version": "",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ create, validation
def test_editor_logs_an_activity_with_reach(editor, login):
    carers = group("INC-CARERS")
    homeless = group("INC-HOMELESS")
    response = log_in_steps(
        login(editor), _form(**{f"reach_g{carers.pk}": "7", f"reach_g{homeless.pk}": "0"})
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert response.url == f"/qrv/activities/{activity.pk}/steps/"  # the last step: check your answers
    assert activity.start_date == datetime.date(2025, 10, 14)
    assert activity.reporting_year == ReportingYear(2025)
    assert {d.number for d in activity.duties.all()} == {2, 4}
    counts = {r.group.code: r.count for r in activity.reach.select_related("group")}
    assert counts == {"INC-CARERS": 7, "INC-HOMELESS": 0}  # every other group: not recorded (no row)
    assert activity.total_participants == 40


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the activity"),
        ({"start_date_0": "", "start_date_1": "", "start_date_2": ""}, "Enter start date"),
        (
            {"start_date_0": "31", "start_date_1": "2", "start_date_2": "2025"},
            "Start date must be a real date",
        ),
        (
            {"end_date_0": "1", "end_date_1": "10", "end_date_2": "2025"},
            "End date must be the same as or after the start date",
        ),
        ({"status": "cancelled"}, "Select a valid choice"),
    ],
)
def test_activity_validation_keeps_input_and_saves_nothing(editor, login, overrides, message):
    response = login(editor).post("/qrv/activities/new/", _form(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "There is a problem" in page
    assert "Heard from new parents." in page  # nothing the user typed is lost
    assert not Activity.objects.exists()


def test_negative_counts_are_refused_on_step_2_and_keep_what_was_typed(editor, login):
    carers = group("INC-CARERS")
    response = log_in_steps(login(editor), _form(**{f"reach_g{carers.pk}": "-1", "total_participants": "41"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Count of people cannot be negative" in page and 'value="41"' in page
    response = log_in_steps(login(editor), _form(title="Another event", total_participants="-3"))
    assert response.status_code == 400 and "greater than or equal to 0" in response.content.decode()
    assert {a.total_participants for a in Activity.objects.all()} == {None}  # step 1 saved, step 2 not


def test_viewer_cannot_log_activities(viewer, login):
    assert login(viewer).post("/qrv/activities/new/", _form()).status_code == 403
    assert not Activity.objects.exists()


# ------------------------------------------------------------------ outcomes
def test_outcome_not_possible_needs_a_reason(editor, login):
    activity = activity_for(editor)
    client = login(editor)
    data = {"what_we_heard": "More buses", "what_we_did": "Asked the council", "status": "not_possible"}
    response = client.post(f"/qrv/activities/{activity.pk}/outcomes/", data)
    assert response.status_code == 400
    assert "Enter why it was not possible" in response.content.decode()
    ok = client.post(
        f"/qrv/activities/{activity.pk}/outcomes/",
        {
            **data,
            "reason_not_possible": "Transport is run by the council",
            "reported_back_on_0": "1",
            "reported_back_on_1": "9",
            "reported_back_on_2": "2025",
        },
    )
    assert ok.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.reported_back_on == datetime.date(2025, 9, 1)


# ------------------------------------------------------------------ documents
def test_document_upload_is_checked_by_content(editor, login):
    activity = activity_for(editor)
    client = login(editor)
    url = f"/qrv/activities/{activity.pk}/documents/"
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff" + bytes(200))
    response = client.post(url, {"file": exe, "title": "Report"})
    assert response.status_code == 400
    assert "must be a PDF, Word, Excel" in response.content.decode()
    assert not activity.documents.exists()

    pdf = SimpleUploadedFile("../../etc/passwd report.pdf", b"%PDF-1.4\nreal enough")
    assert client.post(url, {"file": pdf, "title": ""}).status_code == 302
    document = activity.documents.get()
    assert document.original_name == "passwd report.pdf"
    assert "/" not in document.original_name and ".." not in document.original_name
    assert len(document.sha256) == 64


def test_oversized_upload_is_refused(editor, login, settings):
    settings.MAX_UPLOAD_SIZE_MB = 1
    activity = activity_for(editor)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = login(editor).post(f"/qrv/activities/{activity.pk}/documents/", {"file": big})
    assert response.status_code == 400
    assert "smaller than 1 MB" in response.content.decode()


def test_download_is_an_attachment_for_members_only(editor, viewer, outsider, login):
    activity = activity_for(editor)
    document = actions.attach_activity_document(
        activity=activity,
        uploaded_file=SimpleUploadedFile("notes.txt", b"minutes"),
        title="Notes",
        by=editor.user,
    )
    response = login(viewer).get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"minutes"
    close_file(response)
    assert login(outsider).get(document.get_absolute_url()).status_code == 404


def test_removed_document_stays_in_the_history(editor, login):
    activity = activity_for(editor)
    document = actions.attach_activity_document(
        activity=activity, uploaded_file=SimpleUploadedFile("plan.txt", b"plan"), title="Plan", by=editor.user
    )
    assert (
        login(editor).post(f"/qrv/activities/{activity.pk}/documents/{document.pk}/remove/").status_code
        == 302
    )
    document.refresh_from_db()
    assert document.is_removed
    page = login(editor).get(activity.get_absolute_url()).content.decode()
    assert "Document removed: Plan (plan.txt)" in page


# ------------------------------------------------------------------ history and conflicts
def test_history_of_every_change(editor, reviewer, login):
    activity = activity_for(editor, total_participants=10)
    actions.save_activity(
        organisation=activity.organisation,
        by=reviewer.user,
        activity=activity,
        data=replace(
            ActivityInput.from_activity(activity),
            title="Renamed event",
            total_participants=12,
            methods=[Method.objects.get(code="METHOD-SURVEY")],
            reach={group("INC-CARERS"): 3},
        ),
    )
    page = login(editor).get(activity.get_absolute_url()).content.decode()
    assert "Listening event → Renamed event" in page
    assert "10 → 12" in page
    assert "+Survey or questionnaire" in page
    assert "Carers — → 3" in page


def test_a_stale_edit_form_answers_409_with_what_changed_and_keeps_what_was_typed(editor, reviewer, login):
    activity = activity_for(editor, title="Listening event")
    stale = activity.version
    actions.save_activity(
        organisation=activity.organisation,
        by=reviewer.user,
        activity=activity,
        data=replace(ActivityInput.from_activity(activity), title="Their title"),
    )
    client = login(editor)
    response = client.post(
        f"/qrv/activities/{activity.pk}/steps/1/", _form(title="My title", version=str(stale))
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this activity while you were editing it" in page
    assert "<td>Title</td><td>Listening event</td><td>Their title</td>" in page
    assert 'value="My title"' in page  # what this user typed is kept
    assert Activity.objects.get().title == "Their title"
    resubmitted = client.post(
        f"/qrv/activities/{activity.pk}/steps/1/", _form(title="My title", version=str(stale + 1))
    )
    assert resubmitted.status_code == 302 and Activity.objects.get().title == "My title"
    assert resubmitted.url == f"/qrv/activities/{activity.pk}/steps/2/"


# ------------------------------------------------------------------ evidence on the checklist item page
def test_checklist_item_lists_the_activities_that_evidence_it_in_its_year(editor, login):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2025))
    activity_for(editor, title="In year", start=datetime.date(2025, 5, 1), duties=[wppc(1)])
    activity_for(editor, title="Last year", start=datetime.date(2025, 3, 31), duties=[wppc(1)])
    activity_for(editor, title="Other duty", start=datetime.date(2025, 5, 1), duties=[wppc(2)])
    item = checklist.items.get(duty__number=1)
    page = login(editor).get(item.get_absolute_url()).content.decode()
    assert "In year" in page and "Last year" not in page and "Other duty" not in page
    table = login(editor).get(checklist.get_absolute_url()).content.decode()
    assert (
        table.count(
            '<td class="nhsuk-table__cell app-table-numeric">'
            '<span class="nhsuk-table__heading" aria-hidden="true">Evidence </span>'
            '<span class="app-table-value">1</span></td>'
        )
        == 2
    )


# ------------------------------------------------------------------ list
@pytest.fixture
def many_activities(editor):
    methods = list(Method.objects.all())
    groups = list(AudienceGroup.objects.all())
    rows = []
    for n in range(1000):
        rows.append(
            Activity(
                organisation=editor.organisation,
                title=f"Activity {n}",
                start_date=datetime.date(2024, 4, 1) + datetime.timedelta(days=n % 700),
                status=["planned", "under_way", "completed"][n % 3],
                created_by=editor.user,
                total_participants=n % 50 or None,
            )
        )
    Activity.objects.bulk_create(rows)
    activities = list(Activity.objects.all())
    Activity.methods.through.objects.bulk_create(
        [
            Activity.methods.through(activity_id=a.pk, method_id=methods[i % len(methods)].pk)
            for i, a in enumerate(activities)
        ]
    )
    Reach.objects.bulk_create(
        [Reach(activity=a, group=groups[i % len(groups)], count=i % 4) for i, a in enumerate(activities)]
    )
    return activities


def test_list_query_count_is_bounded_with_1000_activities(
    many_activities, editor, login, django_assert_num_queries
):
    client = login(editor)
    # session, user, membership, duties for the filter, count, page, methods, partners, outcomes
    # counted, the filter's lists (one statement)…
    client.get("/qrv/activities/")  # the session's first page also saves its refresh time
    # session, user, membership, duties for the filter, count, the page's rows, their methods and
    # partners, the filter's three lists (one statement)
    with django_assert_num_queries(9):
        response = client.get("/qrv/activities/")
    assert response.status_code == 200
    assert "1000 activities" in response.content.decode()
    method = Method.objects.first().pk
    with django_assert_num_queries(9):  # filtered without a search: the same nine
        response = client.get(f"/qrv/activities/?year=2024-25&status=completed&method={method}&sort=title")
    assert response.status_code == 200
    # a search: its page and its total in one statement (ccg_involvement.pagination), so eight
    with django_assert_num_queries(8):
        response = client.get("/qrv/activities/?year=2024-25&status=completed&q=Activity&sort=title&page=2")
    assert response.status_code == 200
    searched = Activity.objects.filter(
        start_date__range=(datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)), status="completed"
    ).count()
    assert searched > 50  # so page 2 is a full page inside the list
    page = response.context["page"]
    assert (page.number, len(page.object_list), page.paginator.count) == (2, 25, searched)
    assert f"{searched} activities match the filters" in response.content.decode()
    # past the end of a search that fits on one page: the empty try, then the first page with its
    # total, which is the last page too (as Django's paginator shows it): nine, as before
    with django_assert_num_queries(9):
        response = client.get(
            f"/qrv/activities/?year=2024-25&status=completed&method={method}&q=Activity&sort=title&page=9"
        )
    assert response.status_code == 200


def test_list_filters_and_htmx_partial(editor, login):
    activity_for(
        editor,
        title="Carers drop-in",
        start=datetime.date(2025, 6, 1),
        reach={group("INC-CARERS"): 4},
        duties=[wppc(3)],
    )
    activity_for(
        editor, title="Survey of GP access", start=datetime.date(2024, 6, 1), reach={group("INC-CARERS"): 0}
    )
    client = login(editor)
    carers = group("INC-CARERS").pk
    page = client.get(f"/qrv/activities/?group={carers}").content.decode()
    assert "Carers drop-in" in page and "Survey of GP access" not in page  # 0 reached is not "reached"
    assert "Survey of GP access" in client.get("/qrv/activities/?year=2024-25").content.decode()
    assert "Carers drop-in" in client.get(f"/qrv/activities/?duty={wppc(3).pk}").content.decode()
    assert "Carers drop-in" not in client.get("/qrv/activities/?q=survey").content.decode()
    partial = client.get("/qrv/activities/?q=carers", headers={"HX-Request": "true"}).content.decode()
    assert "Carers drop-in" in partial and "<html" not in partial and 'id="results"' in partial


def test_an_activity_matching_every_many_to_many_filter_is_listed_and_counted_once(editor, login):
    from engagements.models import Partner

    methods = list(Method.objects.order_by("pk")[:2])
    partners = list(Partner.objects.order_by("pk")[:2])
    activity_for(
        editor, title="Joint listening event", methods=methods, partners=partners, duties=[wppc(3), wppc(4)]
    )
    activity_for(editor, title="Other event", methods=methods[1:], partners=partners[1:])
    client = login(editor)
    query = f"method={methods[0].pk}&partner={partners[0].pk}&duty={wppc(3).pk}"
    page = client.get(f"/qrv/activities/?{query}").content.decode()
    assert page.count("Joint listening event") == 1 and "Other event" not in page
    assert "1 activity" in page
    both = client.get(f"/qrv/activities/?method={methods[1].pk}").content.decode()
    assert "Joint listening event" in both and "Other event" in both and "2 activities" in both


def test_activities_of_another_organisation_are_not_found(editor, outsider, login):
    activity = activity_for(editor)
    assert login(outsider).get(activity.get_absolute_url()).status_code == 404
    assert login(outsider).get(f"/qrv/activities/{activity.pk}/edit/").status_code == 404


def test_optional_is_said_once_per_field_except_on_filter_forms(editor, login):
    from engagements.filters import ActivityFilterForm

    assert ActivityFilterForm.mark_optional is False
    page = login(editor).get("/qrv/activities/").content.decode()
    assert "(optional)" not in page
    form_page = login(editor).get("/qrv/activities/new/").content.decode()
    assert "(optional)" in form_page


def _future_form(**overrides):
    future = timezone.localdate() + datetime.timedelta(days=60)
    data = {
        "title": "Future listening event",
        "summary": "Typed text is kept.",
        "start_date_0": str(future.day),
        "start_date_1": str(future.month),
        "start_date_2": str(future.year),
        "end_date_0": "",
        "end_date_1": "",
        "end_date_2": "",
        "status": "completed",
        "cycle_stage": "planning",
        "duty_limb": "proposals",
        "service_area": "Maternity",
        "lead": "",
        "methods": [Method.objects.get(code="METHOD-FOCUS").pk],
        "partners": [],
        "adjustments": [],
        "duties": [wppc(2).pk],
        "total_participants": "300",
        "version": "",
    }
    data.update(overrides)
    return data


def test_the_form_shows_completed_not_ended_and_reach_above_total_on_their_fields(editor, login):
    carers = group("INC-CARERS")
    client = login(editor)
    response = log_in_steps(client, _future_form(**{f"reach_g{carers.pk}": "301"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "An activity that has not ended yet cannot be completed" in page  # step 1
    assert "Typed text is kept." in page
    assert not Activity.objects.exists()
    response = log_in_steps(
        client, _future_form(status="planned", **{f"reach_g{carers.pk}": "301"})
    )  # saves step 1
    assert response.status_code == 400  # step 2
    assert "Carers cannot be more than the 300 people who took part in total" in response.content.decode()
    assert not Activity.objects.get().reach.exists()
    activity = Activity.objects.get()
    ok = client.post(
        f"/qrv/activities/{activity.pk}/steps/2/",
        _future_form(version=str(activity.version), **{f"reach_g{carers.pk}": "300"}),
    )
    assert ok.status_code == 302 and ok.url == f"/qrv/activities/{activity.pk}/steps/3/"
    assert activity.reach.get().count == 300
