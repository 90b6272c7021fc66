"""The dashboard's blocks written in Python (``report_tags``) write exactly what their template did.

Each reference below is the markup the dashboard's template had before the block moved to Python.
"""

import datetime

import pytest
from django.template import Context, Template

from ccg_involvement.years import ReportingYear
from duties.models import Verdict
from reports.dashboard.figures import ChecklistPosition, CoverageCell, CoverageRow, GroupReach, Reached, gaps
from reports.small_numbers import people

COVERAGE_TEMPLATE = Template(
    """{% for row in coverage %}
<table class="nhsuk-table app-coverage">
  <caption class="nhsuk-table__caption nhsuk-table__caption--s"><a href="{{ row.checklist_url }}">{{ row.framework }}</a></caption>
  <thead class="nhsuk-table__head"><tr><th scope="col">No.</th>{% for cell in row.cells %}<th scope="col" class="app-coverage__number">{{ cell.number }}</th>{% endfor %}</tr></thead>
  <tbody class="nhsuk-table__body"><tr><th scope="row" class="app-coverage__row-header">Verdict and evidence</th>
  {% for cell in row.cells %}
    <td class="app-coverage__cell app-coverage__cell--{{ cell.verdict|default:'undecided' }}">
      <a href="{{ cell.url }}" title="{{ cell.code }} {{ cell.title }}"><span class="app-coverage__label">{{ cell.code }} {{ cell.title }}: </span><span class="app-coverage__part">{{ cell.verdict_label }}</span> <span class="app-coverage__part">{{ cell.evidence }} evidence</span>{% if cell.latest_evidence %} <span class="app-coverage__part">{{ cell.latest_evidence|date:"j F Y" }}</span>{% endif %}</a>
    </td>
  {% endfor %}
  </tr></tbody>
</table>
{% endfor %}"""
)
COVERAGE_PYTHON = Template(
    """{% load report_tags %}{% for row in coverage %}
{{ row|coverage_table }}
{% endfor %}"""
)
GAPS_TEMPLATE = Template(
    """<ul id="gaps-no-evidence">{% for framework, c in gaps.no_evidence %}<li><a href="{{ c.url }}">{{ framework }} {{ c.number }}. {{ c.title }}</a></li>{% empty %}<li>None</li>{% endfor %}</ul>
<ul id="gaps-overdue">{% for framework, c in gaps.overdue %}<li><a href="{{ c.url }}">{{ framework }} {{ c.number }}. {{ c.title }}</a> – due {{ c.due_date|date:"j F Y" }}</li>{% empty %}<li>None</li>{% endfor %}</ul>
<ul id="gaps-no-owner">{% for framework, c in gaps.no_owner %}<li><a href="{{ c.url }}">{{ framework }} {{ c.number }}. {{ c.title }}</a></li>{% empty %}<li>None</li>{% endfor %}</ul>"""
)
GAPS_PYTHON = Template(
    """{% load report_tags %}<ul id="gaps-no-evidence">{{ gaps.no_evidence|gap_items }}</ul>
<ul id="gaps-overdue">{{ gaps.overdue|gap_items:"due" }}</ul>
<ul id="gaps-no-owner">{{ gaps.no_owner|gap_items }}</ul>"""
)


def cell(number, **values):
    defaults = {
        "item_id": number,
        "duty_id": number,
        "number": number,
        "code": f"WPPC22-{number}",
        "title": "Involve people",
        "url": f"/qrv/duties/7/items/{number}/",
        "verdict": "",
        "verdict_label": "Not decided",
        "status": "not_started",
        "owner": "",
        "due_date": None,
        "activities": 0,
        "documents": 0,
        "latest_evidence": None,
    }
    return CoverageCell(**{**defaults, **values})


ROWS = [
    CoverageRow(
        "Working in partnership <with people> & communities",
        "WPPC22",
        "/qrv/duties/7/?a=1&b=2",
        [
            cell(1),
            cell(
                2,
                title="Say what you did: “you said, we did” & <why> for O'Brien",
                verdict=Verdict.MET,
                verdict_label="Met",
                status="reviewed",
                owner="Rita O'Brien",
                due_date=datetime.date(2020, 1, 1),
                activities=1200,
                documents=3,
                latest_evidence=datetime.date(2025, 9, 1),
            ),
            cell(
                10,
                verdict=Verdict.NOT_MET,
                verdict_label="Not met",
                due_date=datetime.date(2020, 2, 29),
                documents=1,
                latest_evidence=datetime.date(2026, 3, 31),
            ),
        ],
    ),
    CoverageRow("Empty", "E", "/qrv/duties/8/", []),
]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []], ids=["two", "one", "none"])
def test_the_coverage_tables_are_the_template_s(rows):
    context = {"coverage": rows}
    python = COVERAGE_PYTHON.render(Context(context))
    assert python == COVERAGE_TEMPLATE.render(Context(context))
    if rows:
        assert "&lt;with people&gt; &amp; communities" in python and "1 September 2025" in python


@pytest.mark.parametrize("rows", [ROWS, []], ids=["some", "none"])
def test_the_gap_lists_are_the_template_s(rows):
    context = {"gaps": gaps(rows)}
    python = GAPS_PYTHON.render(Context(context))
    assert python == GAPS_TEMPLATE.render(Context(context))
    assert ("due 29 February 2020" in python) == bool(rows)


CHARACTERISTICS_TEMPLATE = Template(
    """<table class="nhsuk-table nhsuk-table--responsive" id="characteristics">
  <caption class="nhsuk-table__caption nhsuk-table__caption--s">Equality monitoring by protected characteristic, {{ year }}</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th scope="col" class="nhsuk-table__header">Characteristic</th><th scope="col" class="nhsuk-table__header">Recorded by category</th><th scope="col" class="nhsuk-table__header">Counted without a category</th><th scope="col" class="nhsuk-table__header app-table-numeric">Activities</th></tr></thead>
  <tbody class="nhsuk-table__body">
  {% for g in characteristics %}
    <tr class="nhsuk-table__row">
      <th scope="row" class="nhsuk-table__header"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Characteristic </span>{% if g.by_category %}<a href="#reach-{{ g.code|lower }}">{{ g.name }}</a>{% else %}{{ g.name }}{% endif %}</th>
      <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Recorded by category </span>{% if g.by_category %}{{ g.categories_recorded }} of {{ g.categories|length }} categories{% elif g.recorded %}No{% else %}Not recorded{% endif %}</td>
      <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Counted without a category </span>{% if g.uncategorised.recorded %}{{ g.uncategorised.display }}{% else %}—{% endif %}</td>
      <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Activities </span>{{ g.activities }}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>
{% for g in characteristics %}{% if g.by_category %}
<details class="nhsuk-details" id="reach-{{ g.code|lower }}">
  <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{{ g.name }} by category</span></summary>
  <div class="nhsuk-details__text">
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-table__caption--s">People who took part by {{ g.name|lower }}, {{ year }}</caption>
      <thead class="nhsuk-table__head"><tr><th scope="col">Category</th><th scope="col">People</th><th scope="col" class="app-table-numeric">Activities</th></tr></thead>
      <tbody class="nhsuk-table__body">
      {% for c in g.categories %}<tr><th scope="row">{{ c.name }}</th><td>{{ c.display }}</td><td class="app-table-numeric">{{ c.activities }}</td></tr>{% endfor %}
      {% if g.uncategorised.recorded %}<tr><th scope="row">Category not recorded</th><td>{{ g.uncategorised.display }}</td><td class="app-table-numeric">{{ g.uncategorised.activities }}</td></tr>{% endif %}
      </tbody>
    </table>
    <p class="nhsuk-body-s app-muted">Categories: {{ g.categories_source }}. {% if g.categories_verified %}Checked against the source.{% else %}<strong>Not verified:</strong> {{ g.categories_note }}{% endif %}</p>
  </div>
</details>
{% endif %}{% endfor %}"""
)
CHARACTERISTICS_PYTHON = Template("{% load report_tags %}{% characteristics_tables characteristics year %}")


def reached(code, name, value=None, **values):
    return Reached(code, name, people(value, 5), **values)


CHARACTERISTICS = [
    GroupReach(
        "PC-AGE",
        "Age",
        people(1300, 5),
        activities=12,
        recorded=True,
        kind="protected_characteristic",
        categories=[
            reached("PC-AGE-1", "Under 18 <young> & O'Brien's", 3, activities=1, recorded=True),
            reached("PC-AGE-2", "18 to 64", 1200, activities=9, recorded=True, uncounted=2),
            reached("PC-AGE-3", "65 and over"),
            reached("PC-AGE-4", "85 and over", 0, activities=0, recorded=True),
        ],
        uncategorised=reached("PC-AGE-X", "Category not recorded", 97, activities=4, recorded=True),
        categories_source="ONS 2021 & census",
        categories_verified=True,
    ),
    GroupReach(
        "PC-SEX",
        "Sex <at birth>",
        people(40, 5),
        activities=2,
        recorded=True,
        categories=[reached("PC-SEX-F", "Female", 40, activities=2, recorded=True)],
        uncategorised=reached("PC-SEX-X", "Category not recorded"),
        categories_source="Equality Act 2010",
        categories_note="The guidance's <own> list & more",
    ),
    GroupReach(
        "PC-REL",
        "Religion",
        people(0, 5),
        recorded=True,
        categories=[reached("PC-REL-1", "Christian")],
        uncategorised=reached("PC-REL-X", "Category not recorded", 0, recorded=True),
    ),
    GroupReach("PC-MAR", "Marriage", people(None, 5), categories=[reached("PC-MAR-1", "Married")]),
    GroupReach("PC-X", "No categories", people(7, 5), activities=1, recorded=True, uncategorised=None),
]


@pytest.mark.parametrize("groups", [CHARACTERISTICS, CHARACTERISTICS[3:]], ids=["all", "no-details"])
def test_the_characteristics_tables_are_the_template_s(groups):
    context = {"characteristics": groups, "year": ReportingYear(2025)}
    python = CHARACTERISTICS_PYTHON.render(Context(context))
    assert python == CHARACTERISTICS_TEMPLATE.render(Context(context))
    assert ("Under 18 &lt;young&gt; &amp; O&#x27;Brien&#x27;s" in python) == (groups is CHARACTERISTICS)


POSITIONS_TEMPLATE = Template(
    """<tbody class="nhsuk-table__body">
  {% for p in positions %}
  <tr class="nhsuk-table__row">
    <td class="nhsuk-table__cell"><span class="nhsuk-table__heading" aria-hidden="true">Framework </span><span class="app-table-value"><a href="{{ p.url }}">{{ p.framework }}</a></span></td>
    <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table__heading" aria-hidden="true">Met </span><span class="app-table-value">{{ p.by_verdict.met }}</span></td>
    <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table__heading" aria-hidden="true">Partially met </span><span class="app-table-value">{{ p.by_verdict.partially_met }}</span></td>
    <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table__heading" aria-hidden="true">Not met </span><span class="app-table-value">{{ p.by_verdict.not_met }}</span></td>
    <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table__heading" aria-hidden="true">Not applicable </span><span class="app-table-value">{{ p.by_verdict.not_applicable }}</span></td>
    <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table__heading" aria-hidden="true">Not decided </span><span class="app-table-value">{{ p.undecided }}</span></td>
    <td class="nhsuk-table__cell app-table-numeric"><span class="nhsuk-table__heading" aria-hidden="true">% met </span><span class="app-table-value">{% if p.percent_met is None %}—{% else %}{{ p.percent_met }}%{% endif %}</span></td>
    <td class="nhsuk-table__cell"><span class="nhsuk-table__heading" aria-hidden="true">Review </span><span class="app-table-value">{{ p.reviewed }} of {{ p.items }} reviewed</span></td>
    <td class="nhsuk-table__cell"><span class="nhsuk-table__heading" aria-hidden="true">Sign-off </span><span class="app-table-value">{% if p.signed_off_at %}<strong class="nhsuk-tag nhsuk-tag--green">Signed off</strong> {{ p.signed_off_at|date:"j F Y" }}{% if p.approving_body %} by {{ p.approving_body }}{% endif %}{% else %}<strong class="nhsuk-tag nhsuk-tag--grey">Not signed off</strong>{% endif %}</span></td>
  </tr>
  {% endfor %}
  </tbody>"""
)
POSITIONS_PYTHON = Template(
    """{% load report_tags %}<tbody class="nhsuk-table__body">
  {{ positions|position_rows }}
  </tbody>"""
)


def position(code, signed_off_at=None, approving_body="", **verdicts):
    by_verdict = dict.fromkeys(Verdict, 0) | {Verdict(k): v for k, v in verdicts.items()}
    items = sum(by_verdict.values()) + 2
    return ChecklistPosition(
        checklist_id=1,
        framework_code=code,
        framework=f"{code} <framework> & duties",
        legal_basis="s14Z45",
        url=f"/qrv/duties/2025-26/{code.lower()}/?a=1&b=2",
        items=items,
        by_verdict=by_verdict,
        undecided=2,
        reviewed=1,
        signed_off_at=signed_off_at,
        signed_off_by="Asha Patel",
        approving_body=approving_body,
    )


# 31 March 2026, 23:30 UTC is 1 April 2026, 00:30 in London (BST): the date written is London's
LATE = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
POSITIONS = [
    position("WPPC22", LATE, "Board <of> the ICB & partners", met=7, partially_met=1, not_met=1234),
    position("S14Z2", LATE, "", not_applicable=10),  # nothing assessable: "—"
    position("PPV22"),  # not signed off
]


@pytest.mark.parametrize("positions", [POSITIONS, POSITIONS[2:], []], ids=["three", "one", "none"])
def test_the_checklist_position_rows_are_the_template_s(positions):
    context = {"positions": positions}
    python = POSITIONS_PYTHON.render(Context(context))
    assert python == POSITIONS_TEMPLATE.render(Context(context))
    if len(positions) == 3:
        assert "1 234" not in python and ">1234<" in python  # as {{ }} writes it: no separator
        assert "1 April 2026 by Board &lt;of&gt; the ICB &amp; partners" in python
