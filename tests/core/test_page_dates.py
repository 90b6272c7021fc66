"""Every page type shows dates in NHS style ("4 February 2027"), never 04/02/2027, 22/09/26 or 4 Feb 2027."""

import datetime
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


def test_the_import_preview_shows_how_each_date_was_read_in_nhs_style(editor, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ccg_involvement.formats import nhs_date
    from tests.factories.engagements import activity_for

    assert nhs_date(datetime.date(2027, 2, 4)) == "4 February 2027"
    activity_for(editor, title="Drop-in", start=datetime.date(2025, 10, 14))
    client = login(editor)
    data = b"Title,Start date\r\nDrop-in,14/10/25\r\nLate one,1/1/1999\r\n"
    response = client.post("/qrv/activities/import/", {"file": SimpleUploadedFile("log.csv", data)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "14 October 2025" in page  # the date as it will be saved, next to "14/10/25" as written
    assert "starting on 14 October 2025 is already in the log" in page
    assert "(1 January 1999)" in page
    assert "14/10/2025" not in page
