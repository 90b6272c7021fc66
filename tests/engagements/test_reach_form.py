"""The reach part of the activity form: per category, "reached, number not recorded", and the rules."""

import re

from engagements.models import NUMBER_NOT_RECORDED, Activity, Reach
from tests.factories.engagements import activity_for, category, group
from tests.helpers import log_in_steps


def _step_2(activity) -> str:
    return f"/qrv/activities/{activity.pk}/steps/2/"


def _form(**overrides):
    data = {
        "title": "Carers' listening event",
        "summary": "",
        "start_date_0": "14",
        "start_date_1": "10",
        "start_date_2": "2025",
        "status": "completed",
        "total_participants": "40",
        "version": "",
    }
    data.update(overrides)
    return data


def _errors_on(page: str, field: str) -> list[str]:
    """The error messages shown on one reach field."""
    block = re.search(rf'<div class="app-reach__error" id="id_{field}-error">(.*?)</div>', page)
    if not block:
        return []
    return re.findall(r'<span class="nhsuk-u-visually-hidden">Error:</span> ([^<]*)</span>', block.group(1))


def test_categories_zero_and_number_not_recorded_are_saved_apart(editor, login):
    women, men, indian = category("SEX-WOMEN"), category("SEX-MEN"), category("ETH-H")
    carers, sex = group("INC-CARERS"), group("PC-SEX")
    client = login(editor)
    response = log_in_steps(
        client,
        _form(
            **{
                f"reach_c{women.pk}": "22",
                f"reach_c{men.pk}": "0",
                f"reach_g{sex.pk}": "3",  # sex: category not recorded
                f"reach_c{indian.pk}_reached": "on",
                f"reach_g{carers.pk}_reached": "on",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    page = client.get(_step_2(activity)).content.decode()
    assert f'name="reach_c{women.pk}"' in page and f'name="reach_c{women.pk}_reached"' in page
    assert "Protected characteristics" in page and "Communities of place, identity or interest" in page
    rows = {
        (r.group.code, r.category.code if r.category else None): r.count
        for r in Reach.objects.select_related("group", "category").filter(activity=activity)
    }
    assert rows == {
        ("PC-SEX", "SEX-WOMEN"): 22,
        ("PC-SEX", "SEX-MEN"): 0,
        ("PC-SEX", None): 3,
        ("PC-RACE", "ETH-H"): None,
        ("INC-CARERS", None): None,
    }
    detail = client.get(activity.get_absolute_url()).content.decode()
    table = detail.split('id="reach-table"', 1)[1].split("</table>", 1)[0]
    assert "Sex: Women" in table and "Sex: category not recorded" in table
    assert "Race: Asian or Asian British: Indian" in table
    assert table.count("reached, number not recorded") == 2
    summary = client.get(f"/qrv/activities/{activity.pk}/steps/").content.decode()  # check your answers
    assert "Sex: Women: 22" in summary and "Carers: reached, number not recorded" in summary
    assert "Sex: category not recorded: 3" in summary and ": None" not in summary
    # the edit form shows the same three answers back
    edit = page  # the step that asks the reach shows the three answers back
    assert re.search(rf'name="reach_c{women.pk}" id="id_reach_c{women.pk}" value="22"', edit)
    assert re.search(rf'name="reach_c{men.pk}" id="id_reach_c{men.pk}" value="0"', edit)
    assert re.search(rf'name="reach_g{carers.pk}_reached" id="id_reach_g{carers.pk}_reached" checked', edit)
    assert re.search(rf'name="reach_c{indian.pk}_reached" id="id_reach_c{indian.pk}_reached" checked', edit)
    assert not re.search(rf'name="reach_c{women.pk}_reached" id="id_reach_c{women.pk}_reached" checked', edit)


def test_a_category_above_the_total_is_refused_on_its_own_field(editor, login):
    band = category("AGE-65-74")
    response = log_in_steps(login(editor), _form(**{f"reach_c{band.pk}": "41"}))
    assert response.status_code == 400
    page = response.content.decode()
    # one message: the category above the total (not also "the age counts add up to 41")
    assert _errors_on(page, f"reach_c{band.pk}") == [
        "Age: 65 to 74 cannot be more than the 40 people who took part in total"
    ]
    assert f'href="#id_reach_c{band.pk}"' in page  # the error summary links to the field
    assert 'value="41"' in page  # what was typed is kept
    assert not Reach.objects.exists()  # step 1 saved the activity; step 2 saved nothing


def test_categories_of_one_characteristic_cannot_add_up_above_the_total(editor, login):
    young, old = category("AGE-16-24"), category("AGE-65-74")
    age, carers, older = group("PC-AGE"), group("INC-CARERS"), group("INC-OLDER")
    client = login(editor)
    response = log_in_steps(
        client, _form(**{f"reach_c{young.pk}": "20", f"reach_c{old.pk}": "15", f"reach_g{age.pk}": "6"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The age counts add up to 41, more than the 40 people who took part in total" in page
    assert 'id="reach-pc-age" open' in page  # the characteristic with the error is open
    assert not Reach.objects.exists()
    # groups of different kinds may overlap: 30 carers and 30 older people out of 40 is fine
    activity = Activity.objects.get()
    ok = client.post(
        _step_2(activity),
        _form(
            version=str(activity.version),
            **{
                f"reach_c{young.pk}": "20",
                f"reach_c{old.pk}": "15",
                f"reach_g{carers.pk}": "30",
                f"reach_g{older.pk}": "30",
            },
        ),
    )
    assert ok.status_code == 302


def test_a_number_and_number_not_recorded_together_are_refused(editor, login):
    carers = group("INC-CARERS")
    response = log_in_steps(
        login(editor), _form(**{f"reach_g{carers.pk}": "5", f"reach_g{carers.pk}_reached": "on"})
    )
    assert response.status_code == 400
    assert (
        "Carers: enter a number of people or select “reached, number not recorded”, not both"
        in response.content.decode()
    )
    assert not Reach.objects.exists()


def test_reached_when_nobody_took_part_is_refused(editor, login):
    carers = group("INC-CARERS")
    response = log_in_steps(
        login(editor), _form(total_participants="0", **{f"reach_g{carers.pk}_reached": "on"})
    )
    assert response.status_code == 400
    assert (
        "Carers cannot be reached when nobody took part (total participants is 0)"
        in response.content.decode()
    )


def test_the_action_refuses_categories_above_the_total_too(editor):
    import pytest

    from ccg_involvement.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        activity_for(
            editor,
            total_participants=10,
            reach={
                category("SEX-WOMEN"): 6,
                category("SEX-MEN"): 6,
                group("INC-CARERS"): NUMBER_NOT_RECORDED,
            },
        )
    assert "The counts within sex add up to 12, more than the activity's 10 total participants." in str(
        refused.value
    )
    assert not Activity.objects.exists()
