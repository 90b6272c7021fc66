"""Template filters for the NHS.UK form templates (``templates/nhsuk/``)."""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# Attributes the NHS.UK templates write themselves.
WRITTEN_BY_TEMPLATE = frozenset(
    [
        "id",
        "class",
        "type",
        "name",
        "value",
        "checked",
        "selected",
        "required",
        "aria-describedby",
        "aria-invalid",
        "rows",
        "cols",
        "reveals",
    ]
)


@register.filter
def extra_attrs(attrs, skip=""):
    """A widget's other attributes, for inside a tag: `` name="value"``, or `` name`` when True.

    False and None drop the attribute. ``skip`` names one more to leave out. Done in Python because
    it runs once per option of every select on every form.
    """
    parts = []
    for name, value in (attrs or {}).items():
        if name in WRITTEN_BY_TEMPLATE or name == skip or value is False or value is None:
            continue
        parts.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"')
    return mark_safe("".join(parts))


@register.filter
def select_options(field):
    """The ``<option>`` (and ``<optgroup>``) elements of a bound select field.

    Written in Python rather than as a template loop: a select can hold dozens of options (duties,
    members) and this runs on every form page.
    """
    parts = []
    for group_name, options, _index in optgroups(field):
        if group_name:
            parts.append(f'<optgroup label="{escape(group_name)}">')
        for option in options:
            selected = " selected" if option["selected"] else ""
            parts.append(
                f'<option value="{escape(str(option["value"]))}"{selected}{extra_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("</optgroup>")
    return mark_safe("\n".join(parts))


# Conditional reveals: ``forms.RadioSelect(attrs={"reveals": {"not_applicable": "reason"}})`` shows
# the form's ``reason`` field under the "not_applicable" radio, as NHS.UK conditional radios (shown
# only while that radio is checked when JavaScript runs; always shown, after it, without).


@register.filter
def revealed_field(option, field):
    """The bound field of ``field``'s form that radio ``option`` reveals, or None."""
    reveals = field.field.widget.attrs.get("reveals") or {}
    name = reveals.get(str(option.data["value"]))
    return field.form[name] if name else None


@register.filter
def revealed_names(form) -> frozenset:
    """Names of the fields another field of ``form`` reveals (rendered there, not in the loop)."""
    names = set()
    for field in form.fields.values():
        names.update((field.widget.attrs.get("reveals") or {}).values())
    return frozenset(names)


@register.simple_tag(takes_context=True)
def fast_component(context, field):
    """The input, textarea or select component written in Python (``nhsuk_forms/fast.py``): exactly
    what its template renders, or None where the template must render it."""
    from ..fast import component_html

    return component_html(context, field)


@register.simple_tag(takes_context=True)
def fast_field(context, field):
    """``nhsuk/field.html`` written in Python for a field whose component ``fast.py`` writes, or None
    (the template then renders, including ``fields/dispatch.html``)."""
    from ..fast import field_html

    return field_html(context, field)
