"""Logging an activity in steps (issue 17, item 8): what and when; who took part; duties and outcomes.

Each step is saved on its own, the summary ("check your answers") shows each step's state with a
change link, editing goes to the step that asks the answer, and the rules are ActivityForm's and
the action's (``engagements.inputs``), whichever step asks them.
"""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements import actions
from engagements.forms import ActivityForm
from engagements.models import Activity, Method, Partner
from engagements.steps import STEPS, ActivityStepForm, StepStatus, step_of_field, step_states
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for, group

pytestmark = pytest.mark.django_db


def _step_1(**overrides):
    return {
        "title": "Maternity listening event",
        "summary": "Heard from new parents.",
        "start_date_0": "14",
        "start_date_1": "10",
        "start_date_2": "2025",
        "status": "completed",
        "service_area": "Maternity",
        "lead": "",
        **overrides,
    }


def test_every_field_of_the_activity_form_is_asked_by_exactly_one_step(organisation):
    whole = ActivityForm(organisation=organisation)
    asked = {}
    for step in STEPS.values():
        for name in ActivityStepForm(organisation=organisation, step=step).fields:
            if name != "version":
                asked.setdefault(name, []).append(step.number)
    assert set(asked) == set(whole.fields) - {"version"}
    assert all(len(steps) == 1 for steps in asked.values()), asked
    reach = [name for name in whole.fields if name.startswith("reach_")]
    assert reach and all(asked[name] == [2] for name in reach)  # the reach counts are step 2, as a unit
    assert step_of_field("reach") == 2 and step_of_field("title") == 1 and step_of_field("duties") == 3
    assert step_of_field("total_participants") == 2 and step_of_field("is_highlight") == 3


def test_an_activity_is_logged_step_by_step_each_step_saved(editor, login):
    client = login(editor)
    page = client.get("/qrv/activities/new/").content.decode()
    assert "Step 1 of 3" in page and "<h1>What and when</h1>" in page
    assert 'name="duties"' not in page and 'name="total_participants"' not in page  # later steps

    response = client.post("/qrv/activities/new/", _step_1())
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == f"/qrv/activities/{activity.pk}/steps/2/"
    assert activity.title == "Maternity listening event" and activity.start_date == datetime.date(
        2025, 10, 14
    )
    assert [s.status for s in step_states(activity)] == [
        StepStatus.ANSWERED,
        StepStatus.MISSING,
        StepStatus.MISSING,
    ]

    step_2 = client.get(response.url).content.decode()
    assert "Step 2 of 3" in step_2 and "Who was reached" in step_2 and 'name="title"' not in step_2
    carers = group("INC-CARERS")
    response = client.post(
        f"/qrv/activities/{activity.pk}/steps/2/",
        {
            "methods": [Method.objects.get(code="METHOD-FOCUS").pk],
            "partners": [Partner.objects.get(code="PARTNER-HW").pk],
            "total_participants": "40",
            f"reach_g{carers.pk}": "7",
            "version": str(activity.version),
        },
    )
    assert response.status_code == 302 and response.url == f"/qrv/activities/{activity.pk}/steps/3/"
    activity.refresh_from_db()
    assert activity.total_participants == 40 and activity.reach.get().group == carers
    assert activity.title == "Maternity listening event"  # step 1's answers are kept as they were

    response = client.post(
        f"/qrv/activities/{activity.pk}/steps/3/",
        {"duties": [wppc(2).pk], "duty_limb": "proposals", "version": str(activity.version)},
    )
    assert response.status_code == 302 and response.url == f"/qrv/activities/{activity.pk}/steps/"
    activity.refresh_from_db()
    assert [d.number for d in activity.duties.all()] == [2]
    assert activity.total_participants == 40 and activity.methods.count() == 1  # step 2's kept
    assert all(state.status == StepStatus.ANSWERED for state in step_states(activity))
    # each step saved is one entry in the history
    assert activity.history.count() == 3


def test_the_summary_shows_each_step_with_its_state_and_a_change_link(editor, viewer, login):
    activity = activity_for(editor, title="Walk and talk", total_participants=12)
    page = login(editor).get(f"/qrv/activities/{activity.pk}/steps/").content.decode()
    doc = lxml.html.fromstring(page)
    cards = doc.xpath("//li[contains(@class, 'app-step-card')]")
    assert [c.xpath("string(.//h2/span)") for c in cards] == [
        "1. What and when",
        "2. Who took part",
        "3. Duties and outcomes",
    ]
    assert [c.xpath("string(.//strong[contains(@class, 'nhsuk-tag')])").strip() for c in cards] == [
        "Answered",
        "Answered",
        "Missing",
    ]
    links = [c.xpath(".//a[contains(., 'Change') or contains(., 'Answer')]/@href")[0] for c in cards]
    assert links == [f"/qrv/activities/{activity.pk}/steps/{n}/" for n in (1, 2, 3)]
    assert 'Answer<span class="nhsuk-u-visually-hidden"> step 3: duties and outcomes' in page
    assert "Walk and talk" in page and "12" in page
    # a viewer sees the answers, not the change links
    seen = login(viewer).get(f"/qrv/activities/{activity.pk}/steps/").content.decode()
    assert "Duties and outcomes" in seen and "/steps/1/" not in seen


def test_editing_an_activity_goes_to_the_step_that_asks_the_answer(editor, login):
    activity = activity_for(editor, duties=[wppc(2)])
    client = login(editor)
    edit = client.get(f"/qrv/activities/{activity.pk}/edit/")
    assert edit.status_code == 302 and edit.url == f"/qrv/activities/{activity.pk}/steps/"
    page = client.get(activity.get_absolute_url()).content.decode()
    for number, text in ((1, "Change what and when"), (2, "Change who took part"), (3, "Change the duties")):
        assert f'href="/qrv/activities/{activity.pk}/steps/{number}/">{text}' in page
    step_3 = client.get(f"/qrv/activities/{activity.pk}/steps/3/").content.decode()
    checked = lxml.html.fromstring(step_3).xpath("//input[@name='duties'][@checked]/@value")
    assert checked == [str(wppc(2).pk)]  # the step shows the activity's answers


def test_a_stale_step_answers_409_and_keeps_what_was_typed(editor, reviewer, login):
    activity = activity_for(editor, total_participants=10)
    stale = activity.version
    from dataclasses import replace

    from engagements.inputs import ActivityInput

    actions.save_activity(
        organisation=activity.organisation,
        by=reviewer.user,
        activity=activity,
        data=replace(ActivityInput.from_activity(activity), total_participants=11),
    )
    client = login(editor)
    data = {"methods": [], "total_participants": "25", "version": str(stale)}
    response = client.post(f"/qrv/activities/{activity.pk}/steps/2/", data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this activity while you were editing it" in page
    assert 'value="25"' in page  # what this user typed is kept
    assert Activity.objects.get().total_participants == 11
    again = client.post(f"/qrv/activities/{activity.pk}/steps/2/", {**data, "version": str(stale + 1)})
    assert again.status_code == 302 and Activity.objects.get().total_participants == 25


def test_save_and_return_goes_to_the_summary(editor, login):
    activity = activity_for(editor)
    response = login(editor).post(
        f"/qrv/activities/{activity.pk}/steps/1/",
        _step_1(title="Renamed", version=str(activity.version), **{"return": ""}),
    )
    assert response.status_code == 302 and response.url == f"/qrv/activities/{activity.pk}/steps/"
    assert Activity.objects.get().title == "Renamed"


def test_steps_are_refused_to_viewers_outsiders_and_on_a_withdrawn_activity(editor, viewer, outsider, login):
    activity = activity_for(editor)
    assert login(viewer).get(f"/qrv/activities/{activity.pk}/steps/1/").status_code == 403
    assert login(viewer).get(f"/qrv/activities/{activity.pk}/steps/").status_code == 200  # reading is fine
    assert login(outsider).get(f"/qrv/activities/{activity.pk}/steps/1/").status_code == 404
    assert login(editor).get(f"/qrv/activities/{activity.pk}/steps/4/").status_code == 404
    actions.withdraw_activity(activity=activity, reason="Logged twice", by=editor.user)
    response = login(editor).post(
        f"/qrv/activities/{activity.pk}/steps/1/", _step_1(version=str(activity.version + 1))
    )
    assert response.status_code == 403
    assert Activity.objects.get().title == "Listening event"


def test_step_pages_and_the_summary_take_the_same_queries_however_much_is_recorded(editor, login):
    client = login(editor)
    small = activity_for(
        editor, title="Small", duties=[wppc(1)], total_participants=5, reach={group("INC-CARERS"): 1}
    )
    large = activity_for(
        editor,
        title="Large",
        duties=[wppc(1), wppc(2), wppc(4)],
        methods=list(Method.objects.all()[:4]),
        partners=list(Partner.objects.all()[:3]),
        total_participants=50,
        reach={group("INC-CARERS"): 3, group("INC-HOMELESS"): 2},
    )
    client.get("/qrv/activities/")  # the session's first request does its own work
    for path in ("steps/", "steps/1/", "steps/2/", "steps/3/"):
        counts = []
        for activity in (small, large):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"/qrv/activities/{activity.pk}/{path}").status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], (path, counts)
        assert counts[0] <= 16, (path, counts)


# ------------------------------------------------------------------ the activity page: one form each


def test_the_activity_page_has_one_form_and_outcomes_and_rationales_have_pages_of_their_own(editor, login):
    activity = activity_for(editor, duties=[wppc(2)])
    client = login(editor)
    page = client.get(activity.get_absolute_url()).content.decode()
    main = lxml.html.fromstring(page).xpath("//main")[0]
    forms = main.xpath(".//form")
    assert [f.get("action") for f in forms] == [f"/qrv/activities/{activity.pk}/documents/"]  # the upload
    link = activity.duty_links.get()
    assert f'href="/qrv/activities/{activity.pk}/outcomes/">Add an outcome' in page
    assert f'href="/qrv/activities/{activity.pk}/duties/{link.pk}/">Say why it evidences this duty' in page

    outcome_page = client.get(f"/qrv/activities/{activity.pk}/outcomes/").content.decode()
    assert "Add an outcome" in outcome_page and 'name="what_we_heard"' in outcome_page
    refused = client.post(f"/qrv/activities/{activity.pk}/outcomes/", {"what_we_heard": "Buses"})
    assert refused.status_code == 400 and "Buses</textarea>" in refused.content.decode()

    rationale_page = client.get(f"/qrv/activities/{activity.pk}/duties/{link.pk}/").content.decode()
    assert "Why it evidences WPPC" in rationale_page or "Why it evidences" in rationale_page
    too_long = client.post(f"/qrv/activities/{activity.pk}/duties/{link.pk}/", {"rationale": "x" * 201})
    assert too_long.status_code == 400
    assert "Why it evidences this duty must be 200 characters or fewer" in too_long.content.decode()
    assert "x" * 201 in too_long.content.decode()  # what was typed is kept
    saved = client.post(f"/qrv/activities/{activity.pk}/duties/{link.pk}/", {"rationale": "Heard parents."})
    assert saved.status_code == 302 and saved.url.endswith("#duties")
    link.refresh_from_db()
    assert link.rationale == "Heard parents."
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Change why it evidences this duty" in page


def test_step_3_asks_the_duties_first_and_can_save_then_open_the_outcome_page(editor, login):
    activity = activity_for(editor)
    client = login(editor)
    page = client.get(f"/qrv/activities/{activity.pk}/steps/3/").content.decode()
    assert page.index('name="duties"') < page.index('name="duty_limb"') < page.index('name="cycle_stage"')
    assert "Save and add an outcome" in page
    response = client.post(
        f"/qrv/activities/{activity.pk}/steps/3/",
        {"duties": [wppc(4).pk], "version": str(activity.version), "add_outcome": ""},
    )
    assert response.status_code == 302 and response.url == f"/qrv/activities/{activity.pk}/outcomes/"
    assert [d.number for d in Activity.objects.get().duties.all()] == [4]  # saved before leaving


def test_a_step_saved_without_a_change_records_no_history_and_moves_on(editor, login):
    activity = activity_for(editor, total_participants=9)
    before = (activity.version, activity.history.count())
    page = login(editor).get(f"/qrv/activities/{activity.pk}/steps/2/").content.decode()
    form = lxml.html.fromstring(page).xpath("//main//form")[0]
    data = dict(form.form_values())
    data.update(
        {
            "methods": [m.pk for m in activity.methods.all()],
            "partners": [p.pk for p in activity.partners.all()],
        }
    )
    response = login(editor).post(f"/qrv/activities/{activity.pk}/steps/2/", data)
    assert response.status_code == 302 and response.url == f"/qrv/activities/{activity.pk}/steps/3/"
    activity.refresh_from_db()
    assert (activity.version, activity.history.count()) == before
