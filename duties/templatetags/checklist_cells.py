"""The checklist table's status cell written in Python: ``{% status_cell %}``; and the item page's
evidence links, ``{{ activities|evidence_items }}``.

``duties/_status_cell.html`` stays the reference: the tag writes exactly what it renders for a row
(``tests/duties/test_status_cell.py`` compares the two), and includes the template itself for an
HTMX answer that announces a change or shows an error. A template render per row of the checklist
costs far more than the markup (as ``ccg_involvement.templatetags.components`` notes for its tags).
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ccg_involvement.templatetags.components import status_tag

register = template.Library()

TEMPLATE = "duties/_status_cell.html"


@register.simple_tag(takes_context=True)
def status_cell(context):
    """``{% include "duties/_status_cell.html" %}`` for the context's ``item``, ``can_edit`` and
    ``csrf_token`` (``item.status_url`` and ``item.status_options``: ``prepare_status_cells``)."""
    if context.get("announce") or context.get("status_error"):
        return context.template.engine.get_template(TEMPLATE).render(context)
    item = context["item"]
    pk = conditional_escape(item.pk)
    parts = [f'<div id="status-{pk}">\n  {status_tag(item.status_choice)}\n  \n  \n  ']
    if context.get("can_edit") and item.status_can_change():
        url = conditional_escape(item.status_url)
        code = conditional_escape(item.duty.code)
        parts.append(
            f'\n  <form method="post" action="{url}"\n        data-hx-post="{url}"\n'
            f'        data-hx-target="#status-{pk}" data-hx-swap="outerHTML" class="app-status-form"'
            f" novalidate>\n    {CsrfTokenNode().render(context)}\n"
            f'    <label class="nhsuk-u-visually-hidden" for="status-select-{pk}">Change status of {code}'
            f'</label>\n    <select class="nhsuk-select app-select-s" id="status-select-{pk}" name="status">\n'
            f"      {conditional_escape(item.status_options)}\n    </select>\n"
            '    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-button-inline"'
            f' type="submit">Change<span class="nhsuk-u-visually-hidden"> status of {code}</span></button>\n'
            "  </form>\n  "
        )
    parts.append("\n</div>\n")
    return mark_safe("".join(parts))


EVIDENCE_ITEM = (
    '{% for link in activities %}<li><a href="{{ link.url }}">{{ link.title }}</a> <span class="app-muted">'
    "{{ link.on_label }}{% if link.detail %} · {{ link.detail }}{% endif %}</span></li>{% endfor %}"
)
"""What ``evidence_items`` writes, as a template loop (the tests compare the two)."""


@register.filter
def evidence_items(links):
    """The ``<li>`` of each evidence link (``duties.evidence.EvidenceLink``): up to fifty on an item
    page, four values each, so written here rather than by a template loop."""
    return mark_safe(
        "".join(
            f'<li><a href="{conditional_escape(link.url)}">{conditional_escape(link.title)}</a>'
            f' <span class="app-muted">{conditional_escape(link.on_label)}'
            + (f" · {conditional_escape(link.detail)}" if link.detail else "")
            + "</span></li>"
            for link in links
        )
    )
