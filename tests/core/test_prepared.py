"""Values prepared once per page (``ccg_involvement.prepared``) print as the template tags would."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from ccg_involvement.prepared import date_formatter, url_maker


@pytest.mark.parametrize("pk", [1, 42, 10**9])
def test_url_maker_gives_what_reverse_gives(pk):
    make = url_maker("activity-detail", org_code="qrv")
    assert make(pk) == reverse("activity-detail", kwargs={"org_code": "qrv", "pk": pk})


def test_url_maker_fills_a_text_part():
    kwargs = {"org_code": "qrv", "year": "2025-26", "framework": "wppc22"}
    make = url_maker("checklist-item", key="item", **kwargs)
    assert make("wppc-p01") == reverse("checklist-item", kwargs={**kwargs, "item": "wppc-p01"})


@pytest.mark.parametrize(
    "day", [datetime.date(2026, 4, 1), datetime.date(2025, 12, 31), datetime.date(2026, 2, 9), None]
)
def test_date_formatter_writes_what_the_date_filter_writes(day):
    expected = Template('{{ day|date:"j F Y" }}').render(Context({"day": day}))
    assert date_formatter()(day) == expected
