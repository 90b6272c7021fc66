"""Every page with errors says so first ("Error: " in the title), with a specific message per field."""

import re

import pytest
from django.test import Client

from ccg_involvement.templatetags.components import error_title
from tests.factories.duties import checklist_for

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_an_empty_login_names_each_field_and_the_title_starts_with_error():
    page = Client().post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert _title(page).startswith("Error: Log in")
    assert "Enter your username" in page and "Enter your password" in page
    assert "This field is required" not in page


def test_a_page_without_errors_has_a_plain_title(editor, login):
    assert _title(Client().get("/accounts/login/").content.decode()).startswith("Log in")
    assert _title(login(editor).get("/qrv/").content.decode()).startswith("Dashboard")


def test_sign_off_with_nothing_filled_in_says_what_is_missing(editor, reviewer, login):
    from tests.duties.test_views import _review_all

    checklist = checklist_for(editor)
    _review_all(checklist, editor, reviewer)
    page = (
        login(reviewer)
        .post(checklist.get_absolute_url() + "sign-off/", {"approving_body": ""})
        .content.decode()
    )
    assert _title(page).startswith("Error: Sign off")
    assert "Enter the committee or board that approved the checklist" in page
    assert "This field is required" not in page


def test_an_empty_outcome_names_each_field(editor, login):
    from tests.factories.engagements import activity_for

    activity = activity_for(editor)
    page = login(editor).post(activity.get_absolute_url() + "outcomes/", {}, follow=True).content.decode()
    assert _title(page).startswith("Error: ")
    assert "Enter what people told you (you said)" in page
    assert "Enter what you did or will do about it (we did)" in page


def test_the_prefix_is_added_once():
    assert error_title("Error: Log in", True) == "Error: Log in"
    assert error_title("Log in", True) == "Error: Log in"
    assert error_title("Log in", False) == "Log in"


def test_the_glossary_explains_each_term_and_the_pages_link_to_it(editor, login):
    client = login(editor)
    page = client.get("/help/").content.decode()
    for anchor in (
        "duties",
        "verdicts",
        "importance",
        "part-of-the-duty",
        "loop-closure",
        "iaf",
        "small-numbers",
    ):
        assert f'id="{anchor}"' in page
    assert "working-in-partnership-with-people-and-communities-statutory-guidance" in page  # the source
    assert page.count("<strong>unverified</strong>") + page.count("<strong>Unverified</strong>") >= 3
    checklist = checklist_for(editor)
    item = checklist.items.get(duty__number=1)
    assert 'href="/help/#importance"' in client.get(item.get_absolute_url()).content.decode()
    assert 'href="/help/#loop-closure"' in client.get("/qrv/").content.decode()
    from tests.factories.engagements import activity_for

    duties_step = f"/qrv/activities/{activity_for(editor).pk}/steps/3/"  # logging an activity, step 3
    assert 'href="/help/#part-of-the-duty"' in client.get(duties_step).content.decode()
