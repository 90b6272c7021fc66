"""Form building blocks for the NHS.UK crispy template pack (``templates/nhsuk/``).

* ``NHSDateInput`` / ``NHSDateField``: the NHS.UK day / month / year date input, with the
  design system's error messages, and the user's typing redisplayed on error.
"""

import datetime

from django import forms


class NHSDateInput(forms.MultiWidget):
    template_name = "nhsuk/widgets/date_input.html"

    def __init__(self, attrs=None):
        # A list (not a dict) so the inputs post as <name>_0, <name>_1, <name>_2: day, month, year.
        widgets = [
            forms.TextInput(attrs={"class": "nhsuk-input nhsuk-date-input__input nhsuk-input--width-2"}),
            forms.TextInput(attrs={"class": "nhsuk-input nhsuk-date-input__input nhsuk-input--width-2"}),
            forms.TextInput(attrs={"class": "nhsuk-input nhsuk-date-input__input nhsuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class NHSDateField(forms.MultiValueField):
    """A date typed as day, month and year, validated with NHS.UK style messages."""

    widget = NHSDateInput

    def __init__(self, *args, **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, *args, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        return str(self.label or "Date")

    def clean(self, value):
        parts = [str(p).strip() if p is not None else "" for p in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter {self._name().lower()}", code="required")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                f"{self._name()} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(f"{self._name()} must be a real date", code="invalid")
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            result = datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{self._name()} must be a real date", code="invalid") from None
        self.run_validators(result)
        return result

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list
