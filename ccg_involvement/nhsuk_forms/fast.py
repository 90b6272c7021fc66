"""The pack's three commonest components written in Python: input, textarea and select.

``templates/nhsuk/fields/input.html``, ``textarea.html`` and ``select.html`` (with the label, hint,
error and aria-describedby partials) stay the reference: ``component_html`` writes exactly what they
render, character for character, and ``tests/test_fast.py`` compares the two over every case the
templates distinguish. Rendering those templates costs about ten includes and sixty variable lookups
per field, which on a form-heavy page (a filter of eight selects, an assessment form) is a large share
of the server's time; the Python here does the same in a tenth of it. Any other widget, a widget
class of the project's own, a textarea with a character count, or ``FAST = False`` falls back to the
templates; so does everything when a project overrides one of those templates in its own
``templates/nhsuk/`` (its template then renders, as before).
"""

import functools
from pathlib import Path

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .templatetags.nhsuk_forms import extra_attrs, select_options

FAST = True
"""Switch the Python components off (the tests do, to render the templates for comparison)."""

INPUTS = frozenset(
    [
        forms.TextInput,
        forms.EmailInput,
        forms.NumberInput,
        forms.URLInput,
        forms.PasswordInput,
        forms.SearchInput,
        forms.TelInput,
        forms.ColorInput,
    ]
)
SELECTS = frozenset([forms.Select, forms.SelectMultiple])
TEXTAREAS = frozenset([forms.Textarea])


OWN = Path(__file__).resolve().parent / "templates"
WRITTEN_HERE = [
    "nhsuk/fields/input.html",
    "nhsuk/fields/textarea.html",
    "nhsuk/fields/select.html",
    "nhsuk/partials/label.html",
    "nhsuk/partials/hint.html",
    "nhsuk/partials/error_message.html",
    "nhsuk/partials/describedby.html",
]


@functools.cache
def _templates_are_the_packs() -> bool:
    """True unless the project overrides one of the templates this module stands in for."""
    try:
        engine = engines["django"]
    except KeyError:  # the Django template engine under another alias: use the templates
        return False
    return all(
        Path(engine.get_template(name).origin.name).resolve().is_relative_to(OWN) for name in WRITTEN_HERE
    )


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting == "TEMPLATES":
        _templates_are_the_packs.cache_clear()


def _is_false(value) -> bool:
    return value is False


def component_html(context, field) -> str | None:
    """What ``fields/dispatch.html`` would render for ``field`` through the input, textarea or select
    template, or None where the templates must render it. ``context`` holds ``id``, ``errors`` and
    the crispy-forms variables the templates read."""
    if not FAST or not _templates_are_the_packs():
        return None
    widget = field.field.widget
    kind = type(widget)
    if kind in SELECTS:
        cls = widget.attrs.get("class")
        return mark_safe(
            "\n\n"
            + _group_open(context)
            + _intro(context, field)
            + f'<select class="nhsuk-select{" nhsuk-select--error" if context.get("errors") else ""}'
            + (f" {conditional_escape(cls)}" if cls else "")
            + f'" id="{conditional_escape(context.get("id"))}" name="{conditional_escape(field.html_name)}"'
            + (" multiple" if widget.allow_multiple_selected else "")
            + (" disabled" if field.field.disabled else "")
            + _described_by(context, field)
            + extra_attrs(widget.attrs)
            + f">\n    {select_options(field)}\n  </select>\n</div>\n"
        )
    if kind in INPUTS:
        w = field.subwidgets[0].data
        cls = w["attrs"].get("class")
        value = w["value"]
        return mark_safe(
            "\n\n"
            + _group_open(context)
            + _intro(context, field)
            + f'<input class="nhsuk-input{" nhsuk-input--error" if context.get("errors") else ""}'
            + (f" {conditional_escape(cls)}" if cls else "")
            + f'" id="{conditional_escape(context.get("id"))}" name="{conditional_escape(w["name"])}"'
            + f' type="{conditional_escape(w["type"])}"'
            + (f' value="{escape(str(value))}"' if value is not None else "")
            + _described_by(context, field)
            + extra_attrs(w["attrs"])
            + ">\n</div>\n\n"
        )
    if kind in TEXTAREAS:
        w = field.subwidgets[0].data
        attrs = w["attrs"]
        if attrs.get("maxlength"):
            return None  # the character count: its message is translated by the template
        cls = attrs.get("class")
        rows = "5" if attrs.get("rows") == "10" and attrs.get("cols") == "40" else (attrs.get("rows") or 5)
        value = w["value"]
        return mark_safe(
            "\n\n\n\n"
            + _group_open(context)
            + _intro(context, field)
            + "\n  "
            + f'<textarea class="nhsuk-textarea{" nhsuk-textarea--error" if context.get("errors") else ""}'
            + (f" {conditional_escape(cls)}" if cls else "")
            + f'" id="{conditional_escape(context.get("id"))}" name="{conditional_escape(w["name"])}"'
            + f' rows="{conditional_escape(rows)}"'
            + _described_by(context, field)
            + extra_attrs(attrs)
            + f">\n{conditional_escape(value) if value else ''}</textarea>\n  \n</div>\n\n"
        )
    return None


def _group_open(context) -> str:
    wrapper = context.get("wrapper_class")
    return (
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if context.get("errors") else ""}'
        + (f" {conditional_escape(wrapper)}" if wrapper else "")
        + '">\n  '
    )


def _intro(context, field) -> str:
    """The label, hint and error message partials, each followed by the two spaces of the template."""
    field_id = conditional_escape(context.get("id"))
    parts = ["\n"]  # partials/label.html
    if field.label:
        label_class = context.get("label_class")
        optional = (
            not field.field.required
            and getattr(field.form, "mark_optional", None) is not False
            and not context.get("in_conditional")
        )
        parts.append(
            '\n<label class="nhsuk-label'
            + (f" {conditional_escape(label_class)}" if label_class else "")
            + (" nhsuk-u-visually-hidden" if _is_false(context.get("form_show_labels")) else "")
            + f'" for="{field_id}">\n  {conditional_escape(field.label)}'
            + (f" {gettext('(optional)')}" if optional else "")
            + "\n</label>\n"
        )
    parts.append("\n\n  ")
    if field.help_text:  # partials/hint.html
        parts.append(f'\n<div class="nhsuk-hint" id="{field_id}-hint">\n  {field.help_text}\n</div>\n')
    parts.append("\n\n  \n")  # partials/error_message.html
    errors = context.get("errors")
    if errors:
        hidden = f'<span class="nhsuk-u-visually-hidden">{gettext("Error")}: </span>'
        shown = "<br>".join(hidden + conditional_escape(error) for error in errors)
        parts.append(f'\n<span class="nhsuk-error-message" id="{field_id}-error">\n  {shown}\n</span>\n')
    parts.append("\n\n  ")
    return "".join(parts)


def _described_by(context, field) -> str:
    """partials/describedby.html: an info id (if the context has one), the hint, then the error."""
    errors, info_id = context.get("errors"), context.get("info_id")
    if not (info_id or field.help_text or errors):
        return ""
    field_id = conditional_escape(context.get("id"))
    ids = [conditional_escape(info_id)] if info_id else []
    ids += ([f"{field_id}-hint"] if field.help_text else []) + ([f"{field_id}-error"] if errors else [])
    return f' aria-describedby="{" ".join(ids)}"'
