"""The annual report's appendix of activities: listed one by one, or summarised when there are many.

Up to ``APPENDIX_LIMIT`` activities, the appendix lists each (dates, title, methods, partners,
people). Beyond it a list would run to dozens of pages that no reader goes through, and laying it out
is most of the document's build time; the appendix then counts the activities by month and by method
instead, and says where the full list is kept. Every figure in the document counts all activities
either way.
"""

import datetime

from django.utils.dates import MONTHS

from ccg_involvement.years import ReportingYear
from reports.document import Heading, Paragraph, Table
from reports.small_numbers import people

APPENDIX_LIMIT = 500
"""The appendix lists at most this many activities; beyond it, a summary by month and method."""


def _dates(activity) -> str:
    if activity.end_date and activity.end_date != activity.start_date:
        return f"{activity.start_date:%-d %B %Y} to {activity.end_date:%-d %B %Y}"  # NHS style
    return f"{activity.start_date:%-d %B %Y}"


def appendix_blocks(activities: list, year: ReportingYear) -> list:
    """The appendix for ``activities`` (with their methods and partners prefetched), in date order."""
    blocks = [Heading(f"Appendix: activities in {year}", anchor="appendix", new_page=True)]
    if len(activities) <= APPENDIX_LIMIT:
        blocks.append(
            Table(
                f"Involvement activities completed in {year}",
                ["Dates", "Activity", "Methods", "Partners", "People"],
                [
                    [
                        _dates(a),
                        a.title + (" (case study)" if a.is_case_study else ""),
                        ", ".join(m.name for m in a.methods.all()),
                        ", ".join(p.name for p in a.partners.all()),
                        people(a.total_participants).display,
                    ]
                    for a in activities
                ],
                (4,),
            )
        )
        return blocks
    blocks.append(
        Paragraph(
            f"We completed {len(activities):,} involvement activities in {year}, too many to list one by "
            "one here. This appendix counts them by month and by method. The full list, with each "
            "activity's dates, methods, partners and the number of people who took part, is kept in our "
            "engagement log and is available on request."
        )
    )
    blocks.append(
        Table(
            f"Involvement activities completed in {year}, by month",
            ["Month", "Activities", "People"],
            _by_month(activities, year),
            (1, 2),
        )
    )
    blocks.append(
        Table(
            f"Involvement activities completed in {year}, by method",
            ["Method", "Activities"],
            _by_method(activities),
            (1,),
        )
    )
    blocks.append(Paragraph("An activity that used several methods is counted under each of them."))
    return blocks


def _by_month(activities: list, year: ReportingYear) -> list[list[str]]:
    """Each month of the year (April to March): activities that started in it, and people recorded."""
    started: dict[tuple[int, int], list] = {}
    for activity in activities:
        started.setdefault((activity.start_date.year, activity.start_date.month), []).append(activity)
    rows = []
    for offset in range(12):
        first = datetime.date(
            year.start.year + (year.start.month - 1 + offset) // 12,
            (year.start.month - 1 + offset) % 12 + 1,
            1,
        )
        in_month = started.get((first.year, first.month), [])
        recorded = [a.total_participants for a in in_month if a.total_participants is not None]
        rows.append(
            [
                f"{MONTHS[first.month]} {first.year}",
                f"{len(in_month):,}",
                people(sum(recorded) if recorded else None).display,
            ]
        )
    return rows


def _by_method(activities: list) -> list[list[str]]:
    """Activities per method, most used first; those with none recorded last."""
    counts: dict[str, int] = {}
    none = 0
    for activity in activities:
        names = {m.name for m in activity.methods.all()}
        none += not names
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    rows = [[name, f"{n:,}"] for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if none:
        rows.append(["No method recorded", f"{none:,}"])
    return rows
