"""Every page type shows dates in NHS style ("4 February 2027"), never 04/02/2027, 22/09/26 or 4 Feb 2027."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.formats import date_format

from tests.page_types import page_types

NUMERIC = re.compile(r"(?<![\w/.-])\d{1,2}/\d{1,2}/\d{2,4}(?![\w/])")
# The import page says how a spreadsheet's cells may be written ("14/5/25"): input, not a date shown.
WRITTEN_AS_INPUT = {"import activities"}
SHORT_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{4}\b")


def _visible_text(html: str) -> str:
    """The page's text and attribute values, without scripts and styles."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)


def test_dates_without_a_format_of_their_own_are_in_nhs_style():
    import datetime

    day = datetime.date(2027, 2, 4)
    assert date_format(day) == "4 February 2027"
    assert date_format(day, "SHORT_DATE_FORMAT") == "4 February 2027"
    moment = datetime.datetime(2027, 2, 4, 14, 5)
    assert date_format(moment, "DATETIME_FORMAT") == "4 February 2027, 14:05"


@pytest.mark.django_db
def test_no_page_shows_a_date_as_numbers_or_with_a_short_month():
    from django.contrib.auth import get_user_model

    call_command("load_demo_data", verbosity=0)
    clients = {None: Client()}
    found = []
    for label, username, path in page_types():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        text = _visible_text(clients[username].get(path).content.decode())
        if label not in WRITTEN_AS_INPUT:
            found += [f"{label}: {m.group(0)}" for m in NUMERIC.finditer(text)]
        found += [f"{label}: {m.group(0)}" for m in SHORT_MONTH.finditer(text)]
    assert not found, "Dates not in NHS style:\n" + "\n".join(found)
