"""What the checklist pages write in Python is what their templates write: the status cell
({% status_cell %} against duties/_status_cell.html, in every state a row can be in) and the item
page's evidence links ({{ activities|evidence_items }} against the template loop)."""

import pytest
from django.template import Context, Template

from duties import selectors
from duties.models import ItemStatus
from duties.view_helpers import prepare_status_cells

PYTHON = Template("{% load checklist_cells %}{% for item in items %}{% status_cell %}{% endfor %}")
TEMPLATE = Template('{% for item in items %}{% include "duties/_status_cell.html" %}{% endfor %}')


def _items(checklist):
    items = selectors.checklist_items(checklist)
    for item, status in zip(
        items, [ItemStatus.TODO, ItemStatus.IN_PROGRESS, ItemStatus.REVIEWED], strict=False
    ):
        item.status = status  # the reviewed one can no longer change its status here
    prepare_status_cells(checklist, items)
    return items


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("csrf_token", ["t0ken<&>", None])
def test_the_python_cell_is_the_template_s_cell(checklist, can_edit, csrf_token):
    context = {"items": _items(checklist), "can_edit": can_edit, "csrf_token": csrf_token}
    python, template = PYTHON.render(Context(context)), TEMPLATE.render(Context(context))
    assert python == template
    assert ('name="status"' in python) == can_edit


def test_a_signed_off_checklist_s_cells_have_no_form(checklist):
    items = _items(checklist)
    checklist.signed_off_at = checklist.created_at
    context = {"items": items, "can_edit": True, "csrf_token": "t"}
    python = PYTHON.render(Context(context))
    assert python == TEMPLATE.render(Context(context)) and 'name="status"' not in python


@pytest.mark.parametrize("extra", [{"announce": True}, {"status_error": "Choose a status"}])
def test_an_announcement_or_an_error_renders_the_template(checklist, extra):
    context = {"items": _items(checklist)[:1], "can_edit": True, "csrf_token": "t", **extra}
    python = PYTHON.render(Context(context))
    assert python == TEMPLATE.render(Context(context))
    assert 'role="status"' in python or 'role="alert"' in python


def test_the_evidence_items_are_the_template_loop_s():
    from datetime import date

    from duties.evidence import EvidenceLink
    from duties.templatetags.checklist_cells import EVIDENCE_ITEM

    links = [
        EvidenceLink(
            "activity", "Carers <drop-in> & tea", "/qrv/activities/1/", date(2025, 6, 1), "", "1 June 2025"
        ),
        EvidenceLink("activity", "Survey", "/qrv/activities/2/?a=1&b=2", None, 'Why "this" <b>', ""),
    ]
    python = Template("{% load checklist_cells %}{{ activities|evidence_items }}").render(
        Context({"activities": links})
    )
    assert python == Template(EVIDENCE_ITEM).render(Context({"activities": links}))
    assert "Carers &lt;drop-in&gt; &amp; tea" in python and " · Why &quot;this&quot; &lt;b&gt;" in python
