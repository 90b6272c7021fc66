from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from engagements.models import KIND_HEADINGS
from reports.dashboard.figures import reach_lists as _reach_lists

register = template.Library()


@register.filter
def kind_heading(kind):
    """The heading for a kind of audience group ("Inclusion health and Core20PLUS groups")."""
    return KIND_HEADINGS.get(kind, kind)


@register.filter
def reach_lists(reach):
    """``figures.reach_lists``: recorded as 0, reached with no number, no record."""
    return _reach_lists(reach)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


def _cell(value) -> str:
    """A value as ``{{ value }}`` writes it (localised, escaped)."""
    return conditional_escape(str(localize(value)))


@register.filter
def chart_figure(chart):
    """``{% include "reports/_chart.html" %}`` for ``chart`` (``reports.charts.Chart``), written in
    Python: the dashboard has six or more, each with its data table. The template stays the
    reference (``tests/reports/test_chart_figure.py`` compares the two); no chart writes nothing."""
    if chart is None:
        return ""
    table = chart.table
    title = conditional_escape(chart.title)
    headers = "".join(f'<th scope="col">{_cell(h or "Category")}</th>' for h in table["headers"])
    rows = (
        "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{_cell(cell)}</th>'
                if n == 0
                else f'<td class="app-table-numeric">{_cell(cell)}</td>'
                for n, cell in enumerate(row)
            )
            + "</tr>"
            for row in table["rows"]
        )
        or f'<tr><td colspan="{len(table["headers"])}">No data this year.</td></tr>'
    )
    return mark_safe(
        '<figure class="app-figure">\n'
        f'  <figcaption class="nhsuk-heading-s nhsuk-u-margin-bottom-2" aria-hidden="true">{title}</figcaption>\n'
        f"  {conditional_escape(chart.svg)}\n"
        '  <details class="nhsuk-details">\n'
        '    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Show the data: '
        f"{conditional_escape(str(chart.title).lower())}</span></summary>\n"
        '    <div class="nhsuk-details__text">\n'
        '      <table class="nhsuk-table">\n'
        f'        <caption class="nhsuk-table__caption nhsuk-table__caption--s">{title}</caption>\n'
        f'        <thead class="nhsuk-table__head"><tr>{headers}</tr></thead>\n'
        f'        <tbody class="nhsuk-table__body">{rows}</tbody>\n'
        "      </table>\n"
        "    </div>\n"
        "  </details>\n"
        "</figure>\n"
    )
