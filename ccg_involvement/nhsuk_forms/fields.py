"""Form fields for NHS.UK patterns."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dates import PART_NAMES, DateParts, parse
from .widgets import NHSDateInput

__all__ = ["NHSDateField"]


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
        date, problem = parse(DateParts.from_value(value))
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
            "missing": str(_(" and ")).join(str(PART_NAMES[part]) for part in missing),
        }
