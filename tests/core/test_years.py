"""Reporting years: April to March, slugs, quarters, the year a page was asked for and the years a picker offers."""

import datetime

import pytest

from ccg_involvement.years import ReportingYear


def test_chosen_year_defaults_to_the_current_one_and_explains_a_bad_value(settings):
    assert ReportingYear.chosen("2024-25") == (ReportingYear(2024), "")
    assert ReportingYear.chosen(None) == (ReportingYear.current(), "")
    year, error = ReportingYear.chosen("2024")
    assert year == ReportingYear.current() and "is not a reporting year such as 2025/26" in error


def test_choices_run_from_next_year_back(monkeypatch):
    monkeypatch.setattr(ReportingYear, "current", classmethod(lambda cls: cls(2026)))
    choices = ReportingYear.choices(back=2)
    assert [str(y) for y in choices] == ["2027/28", "2026/27", "2025/26", "2024/25"]
    assert choices[1].contains(datetime.date(2026, 11, 25))


def test_reporting_year_runs_april_to_march():
    year = ReportingYear.containing(datetime.date(2026, 3, 31))
    assert year.label == "2025/26"
    assert year.slug == "2025-26"
    assert year.start == datetime.date(2025, 4, 1)
    assert year.end == datetime.date(2026, 3, 31)
    assert ReportingYear.containing(datetime.date(2026, 4, 1)).label == "2026/27"
    assert ReportingYear.from_slug("2025/26") == year


@pytest.mark.parametrize("text", ["2025-27", "2025", "25-26", "2025/2026", "abcd-ef"])
def test_reporting_year_rejects_nonsense(text):
    with pytest.raises(ValueError, match="is not a reporting year"):
        ReportingYear.from_slug(text)


def test_reporting_year_quarters():
    year = ReportingYear(2025)
    assert year.quarter_of(datetime.date(2025, 4, 1)) == 1
    assert year.quarter_of(datetime.date(2025, 12, 31)) == 3
    assert year.quarter_of(datetime.date(2026, 3, 1)) == 4
