"""The annual report's appendix: each activity listed up to the limit, counted by month and method beyond it."""

import datetime

from ccg_involvement.years import ReportingYear
from engagements.models import Method
from reports import appendix
from reports.document import Heading, Paragraph, Table
from reports.statement import year_activities
from tests.factories.engagements import activity_for

YEAR = ReportingYear(2025)


def _year_of_three(editor):
    survey, meeting = Method.objects.get(code="METHOD-SURVEY"), Method.objects.get(code="METHOD-PUBMEET")
    activity_for(
        editor, title="April one", start=datetime.date(2025, 4, 3), total_participants=12, methods=[survey]
    )
    activity_for(
        editor,
        title="April two",
        start=datetime.date(2025, 4, 20),
        end_date=datetime.date(2025, 4, 21),
        total_participants=None,
        methods=[survey, meeting],
        is_case_study=True,
    )
    activity_for(editor, title="March", start=datetime.date(2026, 3, 31), total_participants=3, methods=[])
    return survey, meeting


def test_up_to_the_limit_every_activity_is_listed(editor):
    _year_of_three(editor)
    heading, table = appendix.appendix_blocks(year_activities(editor.organisation, YEAR), YEAR)
    assert isinstance(heading, Heading) and heading.anchor == "appendix"
    assert table.caption == "Involvement activities completed in 2025/26"
    assert [row[:2] for row in table.rows] == [
        ["3 April 2025", "April one"],
        ["20 April 2025 to 21 April 2025", "April two (case study)"],
        ["31 March 2026", "March"],
    ]
    assert [row[4] for row in table.rows] == ["12", "not recorded", "fewer than 5"]


def test_beyond_the_limit_activities_are_counted_by_month_and_method(editor, monkeypatch):
    survey, meeting = _year_of_three(editor)
    monkeypatch.setattr(appendix, "APPENDIX_LIMIT", 2)
    blocks = appendix.appendix_blocks(year_activities(editor.organisation, YEAR), YEAR)
    intro, by_month, by_method, note = blocks[1:]
    assert isinstance(intro, Paragraph) and "We completed 3 involvement activities in 2025/26" in intro.text
    assert "available on request" in intro.text
    assert isinstance(by_month, Table) and by_month.headers == ["Month", "Activities", "People"]
    assert [row[0] for row in by_month.rows] == [
        "April 2025", "May 2025", "June 2025", "July 2025", "August 2025", "September 2025",
        "October 2025", "November 2025", "December 2025", "January 2026", "February 2026", "March 2026",
    ]  # fmt: skip
    assert by_month.rows[0][1:] == ["2", "12"]  # people: only the recorded count
    assert by_month.rows[1][1:] == ["0", "not recorded"]
    assert by_month.rows[11][1:] == ["1", "fewer than 5"]  # small numbers stay suppressed
    assert by_method.rows == [[survey.name, "2"], [meeting.name, "1"], ["No method recorded", "1"]]
    assert "counted under each" in note.text
