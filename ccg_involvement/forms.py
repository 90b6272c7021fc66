"""Shared form building blocks for NHS.UK design-system forms.

The markup itself lives in the crispy-forms template pack in ``templates/nhsuk/``
(see its README). This module adds what the templates cannot do on their own:

* :class:`NHSDateField` / :class:`NHSDateInput` – the NHS.UK "date input" pattern:
  separate day, month and year boxes, the design system's error messages, and
  highlighting of only the box that is wrong.
* :func:`nhsuk_helper` – a :class:`~crispy_forms.helper.FormHelper` with the
  defaults our pages want.
"""

import calendar
import datetime
import re
from typing import NamedTuple

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

__all__ = ["DateParts", "NHSDateField", "NHSDateInput", "nhsuk_helper"]

PARTS = ("day", "month", "year")


class DateParts(NamedTuple):
    """What the user typed into the day, month and year boxes (``""`` for a blank box)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def from_value(cls, value) -> "DateParts":
        """Build from a date, an ISO ``"YYYY-MM-DD"`` string, a 3-item sequence or a dict."""
        if isinstance(value, cls):
            return value
        if isinstance(value, datetime.date):
            return cls(str(value.day), str(value.month), str(value.year))
        if isinstance(value, dict):
            return cls(*(_text(value.get(part)) for part in PARTS))
        if isinstance(value, list | tuple):
            return cls(*(_text(item) for item in value[:3]))
        if isinstance(value, str) and value.strip():
            try:
                return cls.from_value(datetime.date.fromisoformat(value.strip()))
            except ValueError:
                pass
        return cls()


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class _Problem(NamedTuple):
    code: str  # a key of NHSDateField.default_error_messages
    parts: tuple[str, ...]  # the boxes to highlight
    missing: tuple[str, ...] = ()


_PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}

_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}


def _parse_day(text: str) -> int | None:
    match = re.fullmatch(r"([0-9]{1,2})(?:st|nd|rd|th)?", text, re.IGNORECASE)
    return int(match[1]) if match and 1 <= int(match[1]) <= 31 else None


def _parse_month(text: str) -> int | None:
    if re.fullmatch(r"[0-9]{1,2}", text):
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTH_NAMES.get(text.lower().rstrip("."))


def _parse_year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{4}", text) and int(text) >= 1 else None


def _parse(parts: DateParts) -> tuple[datetime.date | None, _Problem | None]:
    """Turn typed parts into a date, or say what is wrong and which boxes to highlight.

    Follows the design system: missing information is reported before information that
    cannot be correct; if more than one box is at fault the whole date is highlighted.
    All boxes blank gives ``(None, None)``: whether that is allowed is the field's call.
    """
    blank = tuple(part for part, text in zip(PARTS, parts, strict=True) if not text)
    if len(blank) == len(PARTS):
        return None, None
    if blank:
        return None, _Problem("incomplete", blank if len(blank) == 1 else PARTS, missing=blank)

    day, month, year = _parse_day(parts.day), _parse_month(parts.month), _parse_year(parts.year)
    wrong = tuple(part for part, number in zip(PARTS, (day, month, year), strict=True) if number is None)
    if wrong == ("year",) and re.fullmatch(r"[0-9]+", parts.year) and len(parts.year) != 4:
        return None, _Problem("year_length", ("year",))
    if wrong:
        return None, _Problem("invalid", wrong if len(wrong) == 1 else PARTS)
    try:
        return datetime.date(year, month, day), None
    except ValueError:  # a day this month does not have, such as 30 February
        return None, _Problem("invalid", ("day",))


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
            problem = _parse(DateParts.from_value(value))[1]
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

    def _render(self, template_name, context, renderer=None):
        # The template lives in the project's TEMPLATES directories, which Django's
        # default form renderer does not search.
        return super()._render(template_name, context, TemplatesSetting())


class NHSDateField(forms.Field):
    """A date entered in separate day, month and year boxes; cleans to ``datetime.date``.

    Error messages follow the NHS.UK date input guidance, for example with
    ``label="Date of birth"``:

    * nothing entered (and required): "Enter date of birth"
    * part missing: "Date of birth must include a month" / "… must include a day and year"
    * impossible date (13 as a month, 30 February, letters): "Date of birth must be a real date"
    * year not 4 numbers: "Year must include 4 numbers"

    Days may have ordinals ("1st"); months may be names or abbreviations ("Jan").
    On error the boxes redisplay exactly what was typed.

    ``error_name`` is the wording used in messages when it should differ from the label
    (``"your date of birth"``). Messages can be overridden through ``error_messages`` with
    the placeholders ``%(label)s`` (mid-sentence), ``%(Label)s`` (starting a sentence) and,
    for ``incomplete``, ``%(missing)s``.
    """

    widget = NHSDateInput
    default_error_messages = {
        "required": _("Enter %(label)s"),
        "incomplete": _("%(Label)s must include a %(missing)s"),
        "invalid": _("%(Label)s must be a real date"),
        "year_length": _("Year must include 4 numbers"),
    }

    def __init__(self, *, error_name=None, **kwargs):
        self.error_name = error_name
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        date, problem = _parse(DateParts.from_value(value))
        if problem:
            raise ValidationError(
                self.error_messages[problem.code], code=problem.code, params=self._params(problem.missing)
            )
        return date

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise ValidationError(self.error_messages["required"], code="required", params=self._params())

    def _params(self, missing=()):
        name = str(self.error_name or self.label or _("the date"))
        # Lower-case the first letter mid-sentence, unless it starts an acronym ("NHS ...").
        mid_sentence = name if name[1:2].isupper() else name[:1].lower() + name[1:]
        return {
            "label": mid_sentence,
            "Label": name[:1].upper() + name[1:],
            "missing": str(_(" and ")).join(str(_PART_NAMES[part]) for part in missing),
        }


def nhsuk_helper(submit_text=None, *, form_tag=False, layout=None, submit_name="save"):
    """A FormHelper for the ``nhsuk`` pack.

    ``form_tag`` is off by default: templates write their own ``<form>`` (with
    ``novalidate`` and ``{% csrf_token %}``). ``submit_text`` adds a primary
    ``nhsuk-button`` after the fields, named ``submit_name`` (``"save"`` rather than
    ``"submit"``, which would shadow ``form.submit()`` in scripts).
    """
    helper = FormHelper()
    helper.form_tag = form_tag
    if layout is not None:
        helper.layout = layout
    if submit_text:
        helper.add_input(Submit(submit_name, submit_text))
    return helper
