"""Template helpers for the NHS.UK crispy template pack."""

from django import forms, template

from ccg_involvement.forms import NHSDateInput

register = template.Library()

CONTROL_CLASSES = [
    (forms.Textarea, "nhsuk-textarea"),
    (forms.Select, "nhsuk-select"),
    (forms.ClearableFileInput, "nhsuk-file-upload"),
    (forms.FileInput, "nhsuk-file-upload"),
]


def field_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, NHSDateInput):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "control"


@register.simple_tag
def nhsuk_field(field):
    """What the field template needs: its kind, ids for hint and error, and aria-describedby."""
    hint_id = f"{field.auto_id}-hint" if field.help_text else ""
    error_id = f"{field.auto_id}-error" if field.errors else ""
    return {
        "kind": field_kind(field),
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": " ".join(x for x in (hint_id, error_id) if x),
        "optional": not field.field.required and field_kind(field) != "checkbox",
    }


@register.simple_tag
def nhsuk_control(field, describedby=""):
    """Render an input, textarea, select or file control with NHS.UK classes."""
    widget = field.field.widget
    css = "nhsuk-input"
    for widget_class, name in CONTROL_CLASSES:
        if isinstance(widget, widget_class):
            css = name
            break
    if field.errors:
        css += f" {css}--error"
    existing = widget.attrs.get("class", "")
    attrs = {"class": f"{css} {existing}".strip()}
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.filter
def error_anchor(field) -> str:
    """The id an error summary link should point to (the first input of a group)."""
    kind = field_kind(field)
    if kind in {"date", "radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    return field.auto_id
