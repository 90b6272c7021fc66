"""The annual report's "You said, we did": every outcome counted, at most a page or two listed."""

import datetime

from ccg_involvement.years import ReportingYear
from engagements import actions
from reports import content
from reports.you_said import YOU_SAID_LIMIT
from tests.factories.engagements import activity_for

YEAR = ReportingYear(2025)


def _log(editor, count: int, *, highlighted_day: int | None = None):
    """``count`` completed activities a day apart from 1 April 2025, each with its own outcome."""
    for n in range(count):
        activity = activity_for(
            editor,
            title=f"Activity {n}",
            start=datetime.date(2025, 4, 1) + datetime.timedelta(days=n),
            is_highlight=n == highlighted_day,
        )
        actions.add_outcome(
            activity=activity,
            by=editor.user,
            what_we_heard=f"Heard {n}",
            what_we_did=f"Did {n}",
            status="not_possible" if n % 10 == 0 else "done",
            reason_not_possible="No budget" if n % 10 == 0 else "",
        )


def _section(organisation):
    blocks = content.annual_report_document(organisation, YEAR).blocks
    start = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.text == "You said, we did")
    end = next(i for i, b in enumerate(blocks[start + 1 :], start + 1) if b.kind == "heading")
    return blocks[start:end]


def test_a_year_within_the_limit_lists_every_outcome(editor, organisation):
    _log(editor, 3)
    section = _section(organisation)
    table = next(b for b in section if b.kind == "table")
    assert [row[0] for row in table.rows] == ["Heard 0", "Heard 1", "Heard 2"]
    assert table.rows[0][2] == "Not possible: No budget" and table.rows[1][2] == "Done"
    assert not any(b.kind == "paragraph" and "This table shows" in b.text for b in section)


def test_a_long_year_lists_highlighted_then_recent_outcomes_and_counts_them_all(editor, organisation):
    count = YOU_SAID_LIMIT + 15
    _log(editor, count, highlighted_day=2)
    section = _section(organisation)
    table = next(b for b in section if b.kind == "table")
    heard = [row[0] for row in table.rows]
    assert len(heard) == YOU_SAID_LIMIT
    recent = [f"Heard {n}" for n in range(count - YOU_SAID_LIMIT + 1, count)]
    assert heard == ["Heard 2", *recent]  # the highlighted activity's, then the most recent, in date order
    note = next(b.text for b in section if b.kind == "paragraph" and "This table shows" in b.text)
    assert f"We recorded {count} things we did or decided after hearing from people in 2025/26" in note
    assert "(49 done, 6 not possible)" in note and f"shows {YOU_SAID_LIMIT} of them" in note
