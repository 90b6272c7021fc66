"""Only what happened counts: completed activities of the year that had ended by the build day.

The rule is written once (``engagements.models.happened_in``, ``Activity.objects.happened``); the
activity form and action refuse a "completed" activity that has not ended, and a group count above
the activity's total participants.
"""

import datetime

import pytest
from django.utils import timezone

from ccg_involvement.errors import InvalidInput
from ccg_involvement.years import ReportingYear
from engagements import actions
from engagements.inputs import COMPLETED_NOT_ENDED, REACH_ABOVE_TOTAL, ActivityInput, activity_problems
from engagements.models import Activity, Method, Reach
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for, group

YEAR = ReportingYear(2025)


def test_happened_means_completed_in_the_year_and_ended_by_the_day(editor):
    done = activity_for(
        editor, title="Done", start=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 5, 9)
    )
    activity_for(editor, title="Planned", start=datetime.date(2025, 6, 1), status="planned")
    activity_for(editor, title="Under way", start=datetime.date(2025, 7, 1), status="under_way")
    activity_for(editor, title="Last year", start=datetime.date(2025, 3, 31))
    happened = Activity.objects.for_organisation(editor.organisation).happened(YEAR)
    assert list(happened) == [done]
    # on a day before it ended, it had not happened yet
    before = Activity.objects.happened(YEAR, as_of=datetime.date(2025, 5, 8))
    assert not before.exists()
    assert list(Activity.objects.happened(YEAR, as_of=datetime.date(2025, 5, 9))) == [done]
    # the parts of an activity (reach, duty links, outcomes) follow the same rule
    assert not Reach.objects.happened(YEAR).exclude(activity=done).exists()


def test_completed_is_refused_for_an_activity_that_has_not_ended():
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert activity_problems(start_date=tomorrow, status="completed") == [COMPLETED_NOT_ENDED]
    assert activity_problems(start_date=today, end_date=tomorrow, status="completed") == [COMPLETED_NOT_ENDED]
    assert activity_problems(start_date=today, status="completed") == []
    assert activity_problems(start_date=tomorrow, status="planned") == []


def test_a_group_cannot_count_more_people_than_the_total():
    carers = object()
    assert activity_problems(total_participants=10, reach={carers: 11}) == [REACH_ABOVE_TOTAL]
    assert activity_problems(total_participants=10, reach={carers: 10}) == []
    assert activity_problems(total_participants=None, reach={carers: 11}) == []  # total not recorded


def test_the_action_refuses_both_and_saves_nothing(editor):
    future = timezone.localdate() + datetime.timedelta(days=40)
    with pytest.raises(InvalidInput) as refused:
        actions.save_activity(
            organisation=editor.organisation,
            by=editor.user,
            data=ActivityInput(
                title="Future",
                start_date=future,
                status="completed",
                total_participants=300,
                reach={group("INC-CARERS"): 301},
            ),
        )
    assert {p.field for p in refused.value.problems} == {"status", "reach"}
    assert not Activity.objects.exists()


def _form(**overrides):
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


def test_the_form_shows_both_on_their_fields(editor, login):
    carers = group("INC-CARERS")
    response = login(editor).post("/qrv/activities/new/", _form(**{f"reach_{carers.pk}": "301"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "An activity that has not ended yet cannot be completed" in page
    assert "Carers cannot be more than the 300 people who took part in total" in page
    assert "Typed text is kept." in page
    assert not Activity.objects.exists()
    ok = login(editor).post("/qrv/activities/new/", _form(status="planned", **{f"reach_{carers.pk}": "300"}))
    assert ok.status_code == 302
