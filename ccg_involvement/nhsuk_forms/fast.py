"""The pack's commonest components written in Python: input, textarea, select, radios, date input
and file upload.

``templates/nhsuk/fields/input.html``, ``textarea.html``, ``select.html``, ``radios.html``,
``date_input.html`` and ``file_upload.html`` (with the label, legend, hint, error, choice and
aria-describedby partials and the date boxes of ``widgets/date_input.html``) stay the reference:
``component_html`` writes exactly what they render, character for character, and
``tests/test_fast.py`` compares the two over every case the templates distinguish. Rendering those
templates costs about ten includes and sixty variable lookups per field (more for each radio and date
box), which on a form-heavy page (a filter of eight selects, an assessment form) is a large share of
the server's time; the Python here does the same in a tenth of it. Any other widget, a widget class
of the project's own, a textarea with a character count, a file input showing a current file, or
``FAST = False`` falls back to the templates; so does everything when a project overrides one of
those templates in its own ``templates/nhsuk/`` (its template then renders, as before). A field
revealed under a radio renders through ``nhsuk/field.html``, as the radios template has it.
"""

import functools
from pathlib import Path

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.template.context import BaseContext
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .templatetags.nhsuk_forms import extra_attrs, revealed_field, select_options
from .widgets import NHSDateInput

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
FILES = frozenset([forms.FileInput, forms.ClearableFileInput])


OWN = Path(__file__).resolve().parent / "templates"
WRITTEN_HERE = [
    "nhsuk/fields/input.html",
    "nhsuk/fields/textarea.html",
    "nhsuk/fields/select.html",
    "nhsuk/field.html",
    "nhsuk/fields/dispatch.html",
    "nhsuk/partials/label.html",
    "nhsuk/partials/hint.html",
    "nhsuk/partials/error_message.html",
    "nhsuk/partials/describedby.html",
    "nhsuk/fields/radios.html",
    "nhsuk/fields/date_input.html",
    "nhsuk/fields/file_upload.html",
    "nhsuk/partials/legend.html",
    "nhsuk/partials/choice_item.html",
    "nhsuk/widgets/date_input.html",
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


def field_html(context, field) -> str | None:
    """What ``field.html`` renders for ``field`` (a visible field through ``fields/dispatch.html``),
    or None where the templates must render it: the same id and errors, and the newlines of the two
    templates around the component."""
    if not FAST or field.is_hidden:
        return None
    errors = None if _is_false(context.get("form_show_errors")) else field.errors
    with context.push(id=field.field.widget.attrs.get("id") or field.auto_id, errors=errors):
        component = component_html(context, field)
    if component is None:
        return None
    return mark_safe(f"\n\n\n\n\n\n\n{component}\n\n\n\n\n\n")


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
    if kind is forms.RadioSelect:
        return _radios(context, field)
    if kind is NHSDateInput and widget.template_name == NHSDateInput.template_name:
        return _date_input(context, field)
    if kind in FILES:
        return _file_upload(context, field)
    return None


def _radios(context, field) -> str | None:
    """fields/radios.html: the radios in a fieldset, a revealed field after its radio."""
    cls = field.field.widget.attrs.get("class")
    items = []
    for option in field.subwidgets:
        revealed = revealed_field(option, field)
        data = option.data
        option_id = conditional_escape(data["attrs"].get("id", ""))
        items.append("\n      " + _choice_item("radios", option, revealed) + "\n      ")
        if revealed:
            nested = _nested_field(context, revealed)
            if nested is None:
                return None
            items.append(
                '<div class="nhsuk-radios__conditional'
                + ("" if data["selected"] else " nhsuk-radios__conditional--hidden")
                + f'" id="conditional-{option_id}">\n        {nested}\n      </div>'
            )
        items.append("\n      ")
    return mark_safe(
        "\n"
        + _group_open(context)
        + '<fieldset class="nhsuk-fieldset"'
        + _described_by(context, field)
        + ">\n    "
        + _intro(context, field, legend=True)
        + '<div class="nhsuk-radios'
        + (f" {conditional_escape(cls)}" if cls else "")
        + '" data-module="nhsuk-radios">\n      '
        + "".join(items)
        + "\n    </div>\n  </fieldset>\n</div>\n"
    )


def _choice_item(kind, option, conditional) -> str:
    """partials/choice_item.html: one radio or checkbox with its label."""
    data = option.data
    option_id = conditional_escape(data["attrs"].get("id", ""))
    return (
        f'\n<div class="nhsuk-{kind}__item">\n'
        + f'  <input class="nhsuk-{kind}__input" id="{option_id}" name="{conditional_escape(data["name"])}"'
        + f' type="{conditional_escape(data["type"])}" value="{escape(str(data["value"]))}"'
        + (" checked" if data["selected"] else "")
        + (f' data-app-reveals="conditional-{option_id}"' if conditional else "")
        + extra_attrs(data["attrs"])
        + f'>\n  <label class="nhsuk-label nhsuk-{kind}__label" for="{option_id}">\n'
        + f"    {conditional_escape(option.choice_label)}\n  </label>\n</div>\n"
    )


def _nested_field(context, field) -> str | None:
    """``{% include "nhsuk/field.html" with field=field in_conditional=True %}``, or None outside a
    template's context (the caller then falls back to the templates)."""
    if not isinstance(context, BaseContext) or context.template is None:
        return None
    template = context.template.engine.get_template("nhsuk/field.html")
    with context.push(field=field, in_conditional=True):
        return template.render(context)


def _date_input(context, field) -> str:
    """fields/date_input.html: the day, month and year boxes in a fieldset with role="group"."""
    if context.get("errors"):
        boxes = "\n    " + conditional_escape(field) + "\n    "  # the widget, as Django renders it
    else:
        boxes = "\n    \n    " + _date_boxes(field.subwidgets[0].data) + "\n    "
    return mark_safe(
        "\n"
        + _group_open(context)
        + '<fieldset class="nhsuk-fieldset" role="group"'
        + _described_by(context, field)
        + ">\n    "
        + _intro(context, field, legend=True)
        + boxes
        + "\n  </fieldset>\n</div>\n"
    )


def _date_boxes(widget) -> str:
    """widgets/date_input.html with hide_errors (no error styling on the boxes)."""
    widget_id = widget["attrs"].get("id")
    parts = ['\n\n<div class="nhsuk-date-input"']
    if widget_id:
        parts.append(f' id="{conditional_escape(widget_id)}"')
    parts.append(">\n  ")
    for box in widget["subwidgets"]:
        box_id = conditional_escape(box["attrs"].get("id", ""))
        value = box["value"]
        parts.append(
            '\n  <div class="nhsuk-date-input__item">\n    <div class="nhsuk-form-group">\n'
            + f'      <label class="nhsuk-label nhsuk-date-input__label" for="{box_id}">\n'
            + f"        {conditional_escape(box['label'])}\n      </label>\n"
            + f'      <input class="nhsuk-input nhsuk-input--width-{conditional_escape(box["width"])}'
            + f' nhsuk-date-input__input" id="{box_id}" name="{conditional_escape(box["name"])}"'
            + f' type="{conditional_escape(box["type"])}"'
            + (f' value="{escape(str(value))}"' if value is not None else "")
            + extra_attrs(box["attrs"])
            + ">\n    </div>\n  </div>\n  "
        )
    parts.append("\n</div>\n")
    return "".join(parts)


def _file_upload(context, field) -> str | None:
    """fields/file_upload.html, for an input with no current file (one with a file: the template)."""
    w = field.subwidgets[0].data
    if w.get("is_initial"):
        return None
    cls = w["attrs"].get("class")
    wrapper = context.get("wrapper_class")
    return mark_safe(
        "\n\n\n\n\n"
        + f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if context.get("errors") else ""}'
        + " nhsuk-file-upload"
        + (f" {conditional_escape(wrapper)}" if wrapper else "")
        + '"'
        + (' data-module="nhsuk-file-upload"' if context.get("enhance_file_uploads") else "")
        + ">\n  "
        + _intro(context, field)
        + '<input class="nhsuk-file-upload__input'
        + (f" {conditional_escape(cls)}" if cls else "")
        + f'" id="{conditional_escape(context.get("id"))}" name="{conditional_escape(w["name"])}" type="file"'
        + _described_by(context, field)
        + extra_attrs(w["attrs"])
        + ">\n</div>\n\n\n"
    )


def _group_open(context) -> str:
    wrapper = context.get("wrapper_class")
    return (
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if context.get("errors") else ""}'
        + (f" {conditional_escape(wrapper)}" if wrapper else "")
        + '">\n  '
    )


def _intro(context, field, legend=False) -> str:
    """The label (or, for a fieldset, legend), hint and error message partials, each followed by the
    indent of the line after it in the template (two spaces, or four inside a fieldset)."""
    field_id = conditional_escape(context.get("id"))
    indent = "    " if legend else "  "
    parts = ["\n"]  # partials/label.html or legend.html
    if field.label:
        optional = (
            not field.field.required
            and getattr(field.form, "mark_optional", None) is not False
            and not context.get("in_conditional")
        )
        hidden = " nhsuk-u-visually-hidden" if _is_false(context.get("form_show_labels")) else ""
        text = conditional_escape(field.label) + (f" {gettext('(optional)')}" if optional else "")
        if legend:
            legend_class = context.get("legend_class")
            parts.append(
                '\n<legend class="nhsuk-fieldset__legend'
                + (f" {conditional_escape(legend_class)}" if legend_class else "")
                + f'{hidden}">\n  {text}\n</legend>\n'
            )
        else:
            label_class = context.get("label_class")
            parts.append(
                '\n<label class="nhsuk-label'
                + (f" {conditional_escape(label_class)}" if label_class else "")
                + f'{hidden}" for="{field_id}">\n  {text}\n</label>\n'
            )
    parts.append(f"\n\n{indent}")
    if field.help_text:  # partials/hint.html
        parts.append(f'\n<div class="nhsuk-hint" id="{field_id}-hint">\n  {field.help_text}\n</div>\n')
    parts.append(f"\n\n{indent}\n")  # partials/error_message.html
    errors = context.get("errors")
    if errors:
        hidden = f'<span class="nhsuk-u-visually-hidden">{gettext("Error")}: </span>'
        shown = "<br>".join(hidden + conditional_escape(error) for error in errors)
        parts.append(f'\n<span class="nhsuk-error-message" id="{field_id}-error">\n  {shown}\n</span>\n')
    parts.append(f"\n\n{indent}")
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
