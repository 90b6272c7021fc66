"""{{ chart|chart_figure }} writes exactly what reports/_chart.html renders for the dashboard's charts."""

import pytest
from django.template import Context, Template

from ccg_involvement.years import ReportingYear
from reports.charts import Chart, Series
from reports.dashboard.charts import count_chart

PYTHON = Template("{% load report_tags %}{{ chart|chart_figure }}")
TEMPLATE = Template('{% include "reports/_chart.html" %}')
YEAR = ReportingYear(2025)

CHARTS = [
    count_chart(
        "by-method",
        f"Activities by method, {YEAR}",
        "How many",
        [("Focus <group>", 3), ("Survey", 1200)],
        "2025/26",
    ),
    count_chart("empty", "Nothing & more", "None", [], "2025/26"),
    Chart(
        slug="two",
        title="People reached: Carers, 2025/26",
        description="d",
        categories=["Carers", "Young carers"],
        series=[
            Series("2025/26", [4, 0], ["fewer than 5", "not recorded"]),
            Series("2024/25", [9, 1], [9, 1]),
        ],
    ),
]


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.slug)
def test_the_python_figure_is_the_template_s(chart):
    python = PYTHON.render(Context({"chart": chart}))
    assert python == TEMPLATE.render(Context({"chart": chart}))
    assert "<svg" in python and "Show the data" in python
