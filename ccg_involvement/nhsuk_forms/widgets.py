"""Widgets for NHS.UK components that Django has no widget for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import PARTS, DateParts, parse

__all__ = ["NHSDateInput"]


class NHSDateInput(forms.MultiWidget):
    """Day, month and year boxes rendered as the NHS.UK ``nhsuk-date-input`` component.

    Inputs are ``type="text" inputmode="numeric"``, as the design system specifies (not
    ``type="number"``). They keep Django's MultiWidget names and ids: for a field ``dob``
    they post ``dob_0``, ``dob_1`` and ``dob_2`` (day, month, year) and have the ids
    ``id_dob_0``, ``id_dob_1`` and ``id_dob_2``.

    ``autocomplete`` is an autofill prefix: ``NHSDateInput(autocomplete="bday")`` gives the
    boxes ``bday-day``, ``bday-month`` and ``bday-year``.

    When the bound field has errors (Django passes ``aria-invalid``), only the boxes at
    fault are given error styling, or all three if the problem is with the date as a whole.
    The widget context gains ``error_target_id``: the box an error summary should link to.
    """

    template_name = "nhsuk/widgets/date_input.html"
    labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
    widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None, autocomplete=None):
        boxes = []
        for part in PARTS:
            box_attrs = {"inputmode": "numeric"}
            if autocomplete:
                box_attrs["autocomplete"] = f"{autocomplete}-{part}"
            boxes.append(forms.TextInput(attrs=box_attrs))
        super().__init__(boxes, attrs)  # a list, so the boxes are named <name>_0, _1, _2

    def decompress(self, value):
        return DateParts.from_value(value)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def value_from_datadict(self, data, files, name):
        return DateParts.from_value(super().value_from_datadict(data, files, name))

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        has_errors = attrs.pop("aria-invalid", None) == "true"
        # The enclosing fieldset carries the description; validation is done on the server.
        attrs.pop("aria-describedby", None)
        attrs.pop("required", None)
        context = super().get_context(name, value, attrs)
        widget = context["widget"]

        error_parts = ()
        if has_errors:
            problem = parse(DateParts.from_value(value))[1]
            # An error raised elsewhere (say "must be in the past") is about the whole date.
            error_parts = problem.parts if problem else PARTS

        boxes = []
        for part, box in zip(PARTS, widget["subwidgets"], strict=True):
            boxes.append(
                {
                    **box,
                    "part": part,
                    "label": self.labels[part],
                    "width": self.widths[part],
                    "has_error": part in error_parts,
                }
            )
        widget["subwidgets"] = boxes
        target = next((box for box in boxes if box["has_error"]), boxes[0])
        widget["error_target_id"] = target["attrs"].get("id", "")
        return context
