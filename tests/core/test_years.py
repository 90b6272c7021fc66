"""The year a page was asked for, and the years a picker offers."""

import datetime

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
