"""Charts built from the dashboard's figures (shared by the dashboard page and the PDF reports)."""

from engagements.models import KIND_HEADINGS, AudienceKind
from reports.charts import Chart, Series
from reports.dashboard.activity_years import QuarterFigures


def quarter_chart(
    year, quarters: list[QuarterFigures], previous_year, previous: list[QuarterFigures]
) -> Chart:
    names = ["April to June", "July to September", "October to December", "January to March"]
    return Chart(
        slug="activities-by-quarter",
        title=f"Activities per quarter, {year} against {previous_year}",
        description="Number of engagement activities started in each quarter of the reporting year, "
        "this year as solid bars and last year as hatched bars.",
        categories=names,
        series=[
            Series(str(year), [q.activities for q in quarters], [str(q.activities) for q in quarters]),
            Series(
                str(previous_year), [q.activities for q in previous], [str(q.activities) for q in previous]
            ),
        ],
    )


def participants_chart(year, quarters, previous_year, previous) -> Chart:
    names = ["April to June", "July to September", "October to December", "January to March"]
    return Chart(
        slug="participants-by-quarter",
        title=f"Participants per quarter, {year} against {previous_year}",
        description="People who took part in activities started in each quarter (where recorded). "
        "Small numbers are shown as 'fewer than' and drawn as empty bars.",
        categories=names,
        series=[
            Series(
                str(year),
                [q.participants.chart_value for q in quarters],
                [q.participants.display for q in quarters],
            ),
            Series(
                str(previous_year),
                [q.participants.chart_value for q in previous],
                [q.participants.display for q in previous],
            ),
        ],
    )


def count_chart(slug, title, description, rows: list[tuple[str, int]], series_name: str) -> Chart:
    return Chart(
        slug=slug,
        title=title,
        description=description,
        categories=[label for label, _ in rows],
        series=[Series(series_name, [n for _, n in rows], [str(n) for _, n in rows])],
    )


def reach_chart(year, groups) -> Chart:
    """People reached in each group of one kind (inclusion health, communities)."""
    kind = groups[0].kind if groups else "none"
    return Chart(
        slug=f"reach-{kind}",
        title=f"People reached: {KIND_HEADINGS.get(kind, 'groups')}, {year}",
        description="People reached in each group, as recorded at each activity. Groups with no record "
        "show 'not recorded'; groups reached without a number show 'reached, number not recorded' and "
        "are drawn as 0; small numbers are shown as 'fewer than'.",
        categories=[g.name for g in groups],
        series=[Series(str(year), [g.people.chart_value for g in groups], [g.display for g in groups])],
    )


def charts_for(data: dict) -> dict:
    year, previous = data["year"], data["previous_year"]
    return {
        "quarters": quarter_chart(year, data["quarters"], previous, data["previous_quarters"]),
        "participants": participants_chart(year, data["quarters"], previous, data["previous_quarters"]),
        "methods": count_chart(
            "activities-by-method",
            f"Activities by method, {year}",
            "Number of activities that used each engagement method (an activity can use several).",
            data["methods"],
            str(year),
        ),
        "partners": count_chart(
            "activities-by-partner",
            f"Activities by kind of partner, {year}",
            "Number of activities run with each kind of partner, such as Healthwatch, VCSE and PPGs.",
            data["partners"],
            str(year),
        ),
        "reach": {
            kind: reach_chart(year, groups)
            for kind, groups in data["reach"].items()
            if groups and kind != AudienceKind.PROTECTED_CHARACTERISTIC
        },
    }
