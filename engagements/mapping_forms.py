"""Forms of the import's mapping step and of saved mappings: plain selects, so they work without
JavaScript."""

from django import forms

from engagements.spreadsheets.mapping import LIST_FIELDS

NOT_IMPORTED = "Do not import"
LEAVE_EMPTY = "Leave empty"
NONE = "-"
"""The choice "do not import" / "leave empty" (a select always has a choice, so none is optional)."""
FIELD_LABELS = {
    "status": "Status",
    "cycle_stage": "Commissioning cycle stage",
    "duty_limb": "Part of the duty it serves",
    "methods": "Methods",
    "partners": "Partners",
    "adjustments": "Reasonable adjustments",
    "reach_uncounted": "Groups reached (number not recorded)",
    "duties": "Duties evidenced",
    "lead": "Lead",
}


def _column_required(heading) -> str:
    return f"Choose what the column “{heading}” holds, or {NOT_IMPORTED}"


def _value_required(written) -> str:
    return f"Choose what “{written}” means, or {LEAVE_EMPTY}"


class LayoutForm(forms.Form):
    """Which sheet, and which of its first rows has the headings."""

    def __init__(self, *args, sheets: list[str], rows: list[tuple[int, list[str]]], **kwargs):
        super().__init__(*args, **kwargs)
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label="Sheet",
                choices=[(s, s) for s in sheets],
                help_text="The sheet with the activities.",
                error_messages={"required": "Choose the sheet with the activities"},
            )
        self.fields["heading_row"] = forms.TypedChoiceField(
            label="Row with the column headings",
            coerce=int,
            choices=[
                (n, f"Row {n}: {', '.join(v for v in values if v)[:80] or '(blank)'}") for n, values in rows
            ],
            help_text="Rows above it are not imported.",
            error_messages={"required": "Choose the row with the column headings"},
        )


class ColumnsForm(forms.Form):
    """Each of the file's columns: the field it holds, or not imported; and a name to save the choices."""

    def __init__(self, *args, headings, suggestions, samples, all_columns, mapping_name="", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(NONE, NOT_IMPORTED)] + [(c.key, c.heading) for c in all_columns]
        self.headings = {}
        self.required_columns = [c for c in all_columns if c.required]
        for index, heading in enumerate(headings):
            if not heading:
                continue
            key, why = suggestions[index]
            hint = [f"Suggested from {why}." if why else "No field suggested."]
            if samples[index]:
                hint.append("First values: " + "; ".join(f"“{v[:40]}”" for v in samples[index]) + ".")
            name = f"column_{index}"
            self.headings[name] = heading
            self.fields[name] = forms.ChoiceField(
                label=f"“{heading}”",
                choices=choices,
                initial=key or NONE,
                help_text=" ".join(hint),
                error_messages={"required": _column_required(heading)},
            )
        self.fields["save_as"] = forms.CharField(
            label="Save these choices as",
            required=False,
            max_length=100,
            initial=mapping_name,
            help_text="A name such as “Our engagement log”. A file with the same headings will then be "
            "read the same way, without this step.",
        )
        self.labels = {c.key: c.heading for c in all_columns}

    def clean(self):
        cleaned = super().clean()
        first: dict[str, str] = {}
        for name in self.headings:
            key = cleaned.get(name)
            if not key or key == NONE:
                continue
            if key in first:
                self.add_error(
                    name,
                    f"{self.labels[key]} is already chosen for “{self.headings[first[key]]}”: choose another "
                    "field, or Do not import",
                )
            first.setdefault(key, name)
        missing = [c.heading for c in self.required_columns if c.key not in first]
        if missing and not self.errors:
            raise forms.ValidationError(
                "Choose the column with the " + " and the column with the ".join(m.lower() for m in missing)
            )
        return cleaned

    def column_map(self) -> dict[str, str]:
        return {
            name.removeprefix("column_"): "" if self.cleaned_data[name] == NONE else self.cleaned_data[name]
            for name in self.headings
        }


class ValuesForm(forms.Form):
    """Each value written in a list column that names nothing allowed: an allowed value, or left empty."""

    def __init__(self, *args, unmatched, options, suggest, can_save=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups, self.written = [], {}
        for key in LIST_FIELDS:
            if key not in unmatched:
                continue
            names = []
            for n, (written, rows, *note) in enumerate(unmatched[key]):
                name = f"value_{key}_{n}"
                suggestion = suggest(key, written, options[key])
                why = note[0] if note and note[0] and not suggestion else ""
                self.fields[name] = forms.ChoiceField(
                    label=f"“{written}”",
                    choices=[(NONE, LEAVE_EMPTY)] + list(options[key]),
                    initial=suggestion or NONE,
                    error_messages={"required": _value_required(written)},
                    help_text=f"In {rows} row{'' if rows == 1 else 's'}. "
                    + (
                        "Suggested from a similar name."
                        if suggestion
                        else f"{why} Choose the one it means, or leave empty."
                        if why
                        else "Nothing similar: choose one, or leave empty."
                    ),
                )
                self.written[name] = (key, written)
                names.append(name)
            self.groups.append((FIELD_LABELS[key], [self[n] for n in names]))
        if can_save:  # read with no saved mapping (such as the template's headings): one can be made
            self.fields["save_as"] = forms.CharField(
                label="Save these choices as",
                required=False,
                max_length=100,
                help_text="A name such as “Our engagement log”. A file with the same headings will then be "
                "read with these choices.",
            )

    def value_map(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for name, (key, written) in self.written.items():
            value = self.cleaned_data[name]
            chosen.setdefault(key, {})[written.casefold()] = "" if value == NONE else value
        return chosen


class MappingForm(forms.Form):
    """A saved mapping changed: its name, each heading's field, each value's meaning."""

    def __init__(self, *args, mapping, all_columns, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.CharField(
            label="Name", max_length=100, initial=mapping.name, error_messages={"required": "Enter a name"}
        )
        keys = {c.key for c in all_columns}
        choices = [(NONE, NOT_IMPORTED)] + [(c.key, c.heading) for c in all_columns]
        self.headings, self.written = {}, {}
        for n, (heading, key) in enumerate(sorted(mapping.columns.items())):
            name = f"column_{n}"
            self.headings[name] = heading
            self.fields[name] = forms.ChoiceField(
                label=f"“{heading}”",
                choices=choices,
                initial=key if key in keys else NONE,
                error_messages={"required": _column_required(heading)},
            )
        self.groups = []
        for key in LIST_FIELDS:
            names = []
            for n, (written, value) in enumerate(sorted(mapping.values.get(key, {}).items())):
                name = f"value_{key}_{n}"
                self.written[name] = (key, written)
                self.fields[name] = forms.ChoiceField(
                    label=f"“{written}”",
                    choices=[(NONE, LEAVE_EMPTY)] + list(options.get(key, [])),
                    initial=value or NONE,
                    error_messages={"required": _value_required(written)},
                )
                names.append(name)
            if names:
                self.groups.append((FIELD_LABELS[key], [self[n] for n in names]))
        self.labels = {c.key: c.heading for c in all_columns}

    def column_fields(self):
        return [self[n] for n in self.headings]

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, str] = {}
        for name in self.headings:
            key = cleaned.get(name)
            if key and key != NONE:
                if key in chosen:
                    self.add_error(
                        name,
                        f"{self.labels[key]} is already chosen for “{chosen[key]}”: choose another field",
                    )
                chosen.setdefault(key, self.headings[name])
        return cleaned

    def columns(self) -> dict[str, str]:
        return {
            h: "" if self.cleaned_data[n] == NONE else self.cleaned_data[n] for n, h in self.headings.items()
        }

    def values(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for name, (key, written) in self.written.items():
            chosen.setdefault(key, {})[written] = (
                "" if self.cleaned_data[name] == NONE else self.cleaned_data[name]
            )
        return chosen
