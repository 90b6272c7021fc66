"""``ActivityInput``: the one description of an activity, and its rules checked in one place."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from ccg_involvement.errors import InvalidInput, Problem, add_to_form
from engagements import spreadsheets
from engagements.forms import ActivityForm, OutcomeForm, activity_initial
from engagements.inputs import (
    COMPLETED_NOT_ENDED,
    END_BEFORE_START,
    FIELDS,
    NEGATIVE_REACH,
    NEGATIVE_TOTAL,
    NO_REASON_NOT_POSSIBLE,
    REACH_ABOVE_TOTAL,
    RELATED_FIELDS,
    SCALAR_FIELDS,
    ActivityInput,
    activity_problems,
    outcome_problems,
)
from engagements.models import Activity, Method
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for, group

START = datetime.date(2025, 10, 14)


def test_the_field_list_is_the_activity_model_and_the_spreadsheet_columns():
    model_fields = {f.name for f in Activity._meta.get_fields()}
    assert set(FIELDS) - {"reach"} <= model_fields
    assert [c.key for c in spreadsheets.FIXED_COLUMNS] == [name for name in FIELDS if name != "reach"]
    assert set(SCALAR_FIELDS) | set(RELATED_FIELDS) | {"reach"} == set(FIELDS)


def test_defaults_are_the_models():
    data = ActivityInput(title="Drop-in", start_date=START)
    activity = Activity(title="Drop-in", start_date=START)
    assert data.scalars() == {name: getattr(activity, name) for name in SCALAR_FIELDS}
    assert data.methods == () and data.reach == {}


def test_lists_become_tuples_and_not_recorded_reach_is_dropped(db):
    carers, homeless = group("INC-CARERS"), group("INC-HOMELESS")
    data = ActivityInput(
        title="Drop-in", start_date=START, methods=[Method.objects.first()], reach={carers: 3, homeless: None}
    )
    assert isinstance(data.methods, tuple)
    assert data.reach == {carers: 3}
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.title = "Changed"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"start_date": START, "end_date": START}, []),
        ({"start_date": START, "end_date": START - datetime.timedelta(days=1)}, [END_BEFORE_START]),
        ({"start_date": None, "end_date": START}, []),  # an unknown start is refused elsewhere
        ({"total_participants": -1}, [NEGATIVE_TOTAL]),
        ({"total_participants": 0, "reach": {"carers": 0}}, []),
        ({"reach": {"carers": 2, "homeless": -1}}, [NEGATIVE_REACH]),
    ],
)
def test_activity_rules(values, expected):
    assert activity_problems(**values) == expected


def test_each_rule_names_its_field_with_a_form_message_and_a_sentence():
    assert END_BEFORE_START.field == "end_date"
    assert END_BEFORE_START.message == "End date must be the same as or after the start date"
    assert END_BEFORE_START.sentence == "The end date must be the same as or after the start date."
    assert Problem("title", "Enter a title").sentence == "Enter a title"


def test_outcome_rule():
    assert outcome_problems(status="not_possible", reason_not_possible="  ") == [NO_REASON_NOT_POSSIBLE]
    assert outcome_problems(status="not_possible", reason_not_possible="No budget") == []
    assert outcome_problems(status="done") == []


def test_invalid_input_reads_as_sentences_and_shows_on_form_fields(db, organisation):
    error = InvalidInput([END_BEFORE_START, NEGATIVE_REACH])
    assert str(error) == (
        "The end date must be the same as or after the start date. Counts of people cannot be negative."
    )
    form = ActivityForm({}, organisation=organisation)
    form.is_valid()
    add_to_form(form, error)
    assert "End date must be the same as or after the start date" in form.errors["end_date"]
    assert "Counts of people cannot be negative" in form.non_field_errors()  # no field called "reach"


def test_outcome_form_and_action_share_the_rule():
    form = OutcomeForm({"what_we_heard": "a", "what_we_did": "b", "status": "not_possible"})
    assert not form.is_valid()
    assert form.errors["reason_not_possible"] == [NO_REASON_NOT_POSSIBLE.message]


def test_from_activity_round_trips_through_the_action_and_the_edit_form(editor):
    carers = group("INC-CARERS")
    activity = activity_for(
        editor, lead=editor.user, duties=[wppc(2)], reach={carers: 5}, total_participants=9
    )
    data = ActivityInput.from_activity(activity)
    assert data.lead == editor.user and data.duties == (wppc(2),) and data.reach == {carers: 5}
    initial = activity_initial(activity)
    assert initial["title"] == activity.title and initial[f"reach_g{carers.pk}"] == 5
    assert initial["version"] == activity.version
    form = ActivityForm(
        {
            **{k: v for k, v in initial.items() if k not in {"start_date", "end_date", "lead"}},
            "start_date_0": "1",
            "start_date_1": "6",
            "start_date_2": "2025",
            "lead": editor.user.pk,
            "methods": [m.pk for m in initial["methods"]],
            "partners": [p.pk for p in initial["partners"]],
            "adjustments": [],
            "duties": [d.pk for d in initial["duties"]],
        },
        organisation=editor.organisation,
    )
    assert form.is_valid(), form.errors
    assert form.activity_input() == data


def test_any_other_refusal_is_shown_at_the_top_of_the_form(db, organisation):
    from ccg_involvement.errors import ActionError

    form = ActivityForm({}, organisation=organisation)
    form.is_valid()
    add_to_form(form, ActionError("That activity has been removed."))
    assert form.non_field_errors() == ["That activity has been removed."]


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
