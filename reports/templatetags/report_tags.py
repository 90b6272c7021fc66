import html

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from ccg_involvement.prepared import date_formatter
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
    """A value as ``{{ value }}`` writes it (localised, escaped).

    Plain strings and whole numbers, nearly every value, take a short cut: ``localize`` leaves a
    string as it is and writes a whole number as ``str`` does unless thousands are separated, and
    ``escape`` is ``html.escape``."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(str(localize(value)))


_LONG_DATES = {}


def _long_date():
    """``prepared.date_formatter()`` for the active language, made once per language."""
    language = get_language()
    if language not in _LONG_DATES:
        _LONG_DATES[language] = date_formatter()
    return _LONG_DATES[language]


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


def _position_row(p, long_date) -> str:
    def cell(heading, value, numeric=True):
        kind = "nhsuk-table__cell app-table-numeric" if numeric else "nhsuk-table__cell"
        return (
            f'    <td class="{kind}"><span class="nhsuk-table__heading" aria-hidden="true">{heading} </span>'
            f'<span class="app-table-value">{value}</span></td>\n'
        )

    percent = "—" if p.percent_met is None else f"{_cell(p.percent_met)}%"
    if p.signed_off_at:
        body = f" by {_cell(p.approving_body)}" if p.approving_body else ""
        signed = (
            '<strong class="nhsuk-tag nhsuk-tag--green">Signed off</strong> '
            f"{long_date(template_localtime(p.signed_off_at))}{body}"
        )
    else:
        signed = '<strong class="nhsuk-tag nhsuk-tag--grey">Not signed off</strong>'
    verdicts = p.by_verdict
    return (
        '\n  <tr class="nhsuk-table__row">\n'
        + cell("Framework", f'<a href="{_cell(p.url)}">{_cell(p.framework)}</a>', numeric=False)
        + cell("Met", _cell(verdicts["met"]))
        + cell("Partially met", _cell(verdicts["partially_met"]))
        + cell("Not met", _cell(verdicts["not_met"]))
        + cell("Not applicable", _cell(verdicts["not_applicable"]))
        + cell("Not decided", _cell(p.undecided))
        + cell("% met", percent)
        + cell("Review", f"{_cell(p.reviewed)} of {_cell(p.items)} reviewed", numeric=False)
        + cell("Sign-off", signed, numeric=False)
        + "  </tr>\n  "
    )


@register.filter
def position_rows(positions):
    """The rows of the dashboard's checklist position table (``figures.ChecklistPosition``s)."""
    long_date = _long_date()
    return mark_safe("".join(_position_row(p, long_date) for p in positions))


# The dashboard's repeated blocks below are written in Python, as chart_figure is: a template spends
# some microseconds on every value of every row, and the coverage matrix alone is eight values a
# duty. ``tests/reports/test_dashboard_blocks.py`` holds the template markup each one replaces
# and compares the two.


def _coverage_cell(cell, long_date) -> str:
    label = f"{_cell(cell.code)} {_cell(cell.title)}"
    latest = (
        f' <span class="app-coverage__part">{long_date(cell.latest_evidence)}</span>'
        if cell.latest_evidence
        else ""
    )
    return (
        f'\n    <td class="app-coverage__cell app-coverage__cell--{_cell(cell.verdict or "undecided")}">\n'
        f'      <a href="{_cell(cell.url)}" title="{label}"><span class="app-coverage__label">{label}: </span>'
        f'<span class="app-coverage__part">{_cell(cell.verdict_label)}</span> '
        f'<span class="app-coverage__part">{_cell(cell.evidence)} evidence</span>{latest}</a>\n'
        "    </td>\n  "
    )


@register.filter
def coverage_table(row):
    """One framework's row of the coverage matrix (``figures.CoverageRow``) as its table."""
    long_date = _long_date()
    numbers = "".join(
        f'<th scope="col" class="app-coverage__number">{_cell(c.number)}</th>' for c in row.cells
    )
    cells = "".join(_coverage_cell(cell, long_date) for cell in row.cells)
    return mark_safe(
        '<table class="nhsuk-table app-coverage">\n'
        f'  <caption class="nhsuk-table__caption nhsuk-table__caption--s"><a href="{_cell(row.checklist_url)}">'
        f"{_cell(row.framework)}</a></caption>\n"
        f'  <thead class="nhsuk-table__head"><tr><th scope="col">No.</th>{numbers}</tr></thead>\n'
        '  <tbody class="nhsuk-table__body"><tr><th scope="row" class="app-coverage__row-header">'
        f"Verdict and evidence</th>\n  {cells}\n"
        "  </tr></tbody>\n"
        "</table>"
    )


@register.filter
def gap_items(gaps, due=""):
    """The ``<li>`` items of one list of gaps (``figures.Gaps``: ``(framework, cell)`` pairs); with
    ``"due"``, each with its due date. No gap: one item, "None"."""
    long_date = _long_date()
    items = "".join(
        f'<li><a href="{_cell(c.url)}">{_cell(framework)} {_cell(c.number)}. {_cell(c.title)}</a>'
        f"{f' – due {long_date(c.due_date)}' if due else ''}</li>"
        for framework, c in gaps
    )
    return mark_safe(items or "<li>None</li>")


def _characteristic_row(g) -> str:
    name = _cell(g.name)
    uncategorised = g.uncategorised is not None and g.uncategorised.recorded
    if g.by_category:
        name = f'<a href="#reach-{_cell(g.code.lower())}">{name}</a>'
        recorded = f"{_cell(g.categories_recorded)} of {_cell(len(g.categories))} categories"
    else:
        recorded = "No" if g.recorded else "Not recorded"
    heading = '<span class="nhsuk-table-responsive__heading" aria-hidden="true">'
    return (
        '\n    <tr class="nhsuk-table__row">\n'
        f'      <th scope="row" class="nhsuk-table__header">{heading}Characteristic </span>{name}</th>\n'
        f'      <td class="nhsuk-table__cell">{heading}Recorded by category </span>{recorded}</td>\n'
        f'      <td class="nhsuk-table__cell">{heading}Counted without a category </span>'
        f"{_cell(g.uncategorised.display) if uncategorised else '—'}</td>\n"
        f'      <td class="nhsuk-table__cell app-table-numeric">{heading}Activities </span>{_cell(g.activities)}</td>\n'
        "    </tr>\n  "
    )


def _characteristic_details(g, year) -> str:
    categories = "".join(
        f'<tr><th scope="row">{_cell(c.name)}</th><td>{_cell(c.display)}</td>'
        f'<td class="app-table-numeric">{_cell(c.activities)}</td></tr>'
        for c in g.categories
    )
    u = g.uncategorised
    uncategorised = (
        f'<tr><th scope="row">Category not recorded</th><td>{_cell(u.display)}</td>'
        f'<td class="app-table-numeric">{_cell(u.activities)}</td></tr>'
        if u is not None and u.recorded
        else ""
    )
    verified = (
        "Checked against the source."
        if g.categories_verified
        else f"<strong>Not verified:</strong> {_cell(g.categories_note)}"
    )
    return (
        f'\n<details class="nhsuk-details" id="reach-{_cell(g.code.lower())}">\n'
        '  <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">'
        f"{_cell(g.name)} by category</span></summary>\n"
        '  <div class="nhsuk-details__text">\n'
        '    <table class="nhsuk-table">\n'
        '      <caption class="nhsuk-table__caption nhsuk-table__caption--s">People who took part by '
        f"{_cell(g.name.lower())}, {_cell(str(year))}</caption>\n"
        '      <thead class="nhsuk-table__head"><tr><th scope="col">Category</th><th scope="col">People</th>'
        '<th scope="col" class="app-table-numeric">Activities</th></tr></thead>\n'
        '      <tbody class="nhsuk-table__body">\n'
        f"      {categories}\n"
        f"      {uncategorised}\n"
        "      </tbody>\n"
        "    </table>\n"
        f'    <p class="nhsuk-body-s app-muted">Categories: {_cell(g.categories_source)}. {verified}</p>\n'
        "  </div>\n"
        "</details>\n"
    )


@register.simple_tag
def characteristics_tables(characteristics, year):
    """The protected characteristics' table (``figures.equality_reach``'s groups of that kind) and,
    for each recorded by category, its table of categories in a details element."""
    rows = "".join(_characteristic_row(g) for g in characteristics)
    details = "".join(_characteristic_details(g, year) for g in characteristics if g.by_category)
    return mark_safe(
        '<table class="nhsuk-table nhsuk-table--responsive" id="characteristics">\n'
        '  <caption class="nhsuk-table__caption nhsuk-table__caption--s">Equality monitoring by protected '
        f"characteristic, {_cell(str(year))}</caption>\n"
        '  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">'
        '<th scope="col" class="nhsuk-table__header">Characteristic</th>'
        '<th scope="col" class="nhsuk-table__header">Recorded by category</th>'
        '<th scope="col" class="nhsuk-table__header">Counted without a category</th>'
        '<th scope="col" class="nhsuk-table__header app-table-numeric">Activities</th></tr></thead>\n'
        '  <tbody class="nhsuk-table__body">\n'
        f"  {rows}\n"
        "  </tbody>\n"
        f"</table>\n{details}"
    )
