import datetime
import functools

from django import forms
from django.contrib.auth import get_user_model

from ccg_involvement.history import display_name
from ccg_involvement.nhsuk_forms import NHSDateField
from ccg_involvement.years import ReportingYear
from duties.models import ItemStatus, Verdict
from duties.selectors import members


def member_choices(organisation):
    users = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("first_name", "last_name", "username")
    )
    return users


def _owner_options(organisation):
    return [("", "No owner"), *((user.pk, display_name(user)) for user in members(organisation))]


class ItemForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[("", "Not decided yet"), *Verdict.choices],
        required=False,
        widget=forms.RadioSelect(attrs={"reveals": {Verdict.NOT_APPLICABLE.value: "not_applicable_reason"}}),
        label="Verdict",
        help_text="Is the duty met this year, on the evidence you hold?",
    )
    not_applicable_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why it does not apply",
    )
    score = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Score")
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label="How we meet it",
        help_text="Plain English, as it could appear in the annual report.",
    )
    planned_actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="No owner"
    )
    due_date = NHSDateField(required=False, label="Due date", help_text="For example, 31 3 2026")
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The page was missing what it needs to save safely: reload it and try again"
        },
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        owner = self.fields["owner"]
        owner.queryset = member_choices(item.checklist.organisation)  # what a chosen owner is checked against
        # what the select shows: the same people, read in one statement and only when it is shown
        owner.widget.choices = functools.cache(functools.partial(_owner_options, item.checklist.organisation))
        framework = item.checklist.framework
        if framework.is_scored:
            levels = {level["score"]: level["label"] for level in framework.scoring.get("levels", [])}
            self.fields["score"].choices = [("", "Not scored yet")] + [
                (score, f"{score} – {levels.get(score, '')}".rstrip(" –"))
                for score in range(framework.scoring["max"], framework.scoring["min"] - 1, -1)
            ]
        else:
            del self.fields["score"]

    def clean(self):
        data = super().clean()
        if (
            data.get("verdict") == Verdict.NOT_APPLICABLE
            and not (data.get("not_applicable_reason") or "").strip()
        ):
            self.add_error("not_applicable_reason", "Enter why this duty does not apply")
        return data

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "version"}
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ItemStatus if s != ItemStatus.REVIEWED],
        label="Status",
        error_messages={"required": "Select a status"},
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Review comment",
        help_text="What you checked, and any challenge to the evidence.",
    )


class SignOffForm(forms.Form):
    approving_body = forms.CharField(
        max_length=200,
        label="Approved by",
        help_text="The committee or board that approved it",
        error_messages={"required": "Enter the committee or board that approved the checklist"},
    )
    meeting_date = NHSDateField(label="Meeting date", help_text="For example, 27 3 2026")
    minute_reference = forms.CharField(max_length=100, required=False, label="Minute reference")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Sign-off note")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why are you reopening it?",
        error_messages={"required": "Enter why you are reopening the checklist"},
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Evidence file",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG",
        error_messages={"required": "Select a file to upload"},
    )
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty to use the file name")
    evidence_date = NHSDateField(
        required=False, label="Date of the evidence", help_text="When it was produced, for example 14 10 2025"
    )


class AttachForm(DocumentForm):
    """The optional document on the item's assessment form: saved with it by the same Save."""

    CHOOSE_AGAIN = "Choose the file again: a file is not kept when the page shows an error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="document", **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = "File"

    def has_file(self) -> bool:
        return bool(self.files.get(self.add_prefix("file")))


class ItemFilterForm(forms.Form):
    """Find items on a checklist page (GET): by owner, status, verdict and due date.

    Owners offered are the ones the checklist's items have, so the form costs no query.
    """

    DUE_CHOICES = [
        ("", "Any"),
        ("overdue", "Overdue"),
        ("soon", "Due in the next 30 days"),
        ("none", "No due date"),
    ]

    owner = forms.ChoiceField(required=False, label="Owner")
    status = forms.ChoiceField(choices=[("", "Any"), *ItemStatus.choices], required=False, label="Status")
    verdict = forms.ChoiceField(
        choices=[("", "Any"), ("undecided", "Not decided"), *Verdict.choices], required=False, label="Verdict"
    )
    due = forms.ChoiceField(choices=DUE_CHOICES, required=False, label="Due")
    mark_optional = False

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        owners = {item.owner.pk: display_name(item.owner) for item in items if item.owner}
        self.fields["owner"].choices = [
            ("", "Anyone"),
            ("none", "No owner"),
            *sorted(((str(pk), name) for pk, name in owners.items()), key=lambda choice: choice[1]),
        ]

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def apply(self, items, today) -> list:
        """The items that match (all of them when nothing is chosen or the choice is not valid)."""
        if not self.is_bound or not self.is_valid():
            return list(items)
        data = self.cleaned_data
        soon = today + datetime.timedelta(days=30)

        def keep(item) -> bool:
            if data["owner"] == "none" and item.owner_id is not None:
                return False
            if data["owner"] not in ("", "none") and str(item.owner_id) != data["owner"]:
                return False
            if data["status"] and item.status != data["status"]:
                return False
            if data["verdict"] == "undecided" and item.verdict:
                return False
            if data["verdict"] not in ("", "undecided") and item.verdict != data["verdict"]:
                return False
            due = item.due_date
            # overdue as on the dashboard: past due and not yet both met and reviewed
            done = item.verdict == Verdict.MET and item.status == ItemStatus.REVIEWED
            if data["due"] == "overdue" and not (due and due < today and not done):
                return False
            if data["due"] == "soon" and not (due and today <= due <= soon):
                return False
            return not (data["due"] == "none" and due)

        return [item for item in items if keep(item)]


class BulkChangeForm(forms.Form):
    """Several items at once: the ticked items get a new owner and/or status."""

    items = forms.MultipleChoiceField(
        widget=forms.MultipleHiddenInput, error_messages={"required": "Select at least one item"}
    )
    owner = forms.ChoiceField(required=False, label="New owner")
    status = forms.ChoiceField(
        required=False,
        label="New status",
        choices=[("", "Keep each status")]
        + [(s.value, s.label) for s in ItemStatus if s != ItemStatus.REVIEWED],
    )
    mark_optional = False

    def __init__(self, *args, checklist, item_ids=None, **kwargs):
        """``item_ids``: the checklist's item ids when the caller has them (else they are read)."""
        super().__init__(*args, prefix="bulk", **kwargs)
        if item_ids is None:
            item_ids = checklist.items.values_list("pk", flat=True)
        self.fields["items"].choices = [(str(pk), str(pk)) for pk in item_ids]
        self.members = {str(u.pk): u for u in members(checklist.organisation)}
        self.fields["owner"].choices = [("", "Keep each owner"), ("none", "No owner")] + [
            (pk, display_name(user)) for pk, user in self.members.items()
        ]

    def owner_value(self):
        from duties.actions import KEEP

        chosen = self.cleaned_data["owner"]
        if not chosen:
            return KEEP
        return None if chosen == "none" else self.members[chosen]


class StartChecklistsForm(forms.Form):
    year = forms.ChoiceField(label="Reporting year", error_messages={"required": "Select a reporting year"})
    frameworks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Frameworks",
        error_messages={"required": "Select at least one framework to start"},
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        current = ReportingYear.current()
        years = [current.next(), current] + [ReportingYear(current.start_year - n) for n in range(1, 13)]
        self.fields["year"].choices = [(y.slug, y.label) for y in years]
        self.fields["year"].initial = current.slug
        self.fields["frameworks"].choices = [(f.code, f"{f.short_title} – {f.title}") for f in frameworks]
        self.fields["frameworks"].initial = [f.code for f in frameworks]

    def clean_year(self):
        return ReportingYear.from_slug(self.cleaned_data["year"])


class FrameworkChoiceForm(forms.Form):
    """An "Other" organisation's choice of frameworks (``actions.choose_frameworks`` keeps the rules)."""

    frameworks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Frameworks that apply to your organisation",
        help_text="Checklists can be started only for the frameworks chosen here. Checklists already "
        "started stay.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Why these frameworks apply",
        help_text="For example, the duty your organisation is under or the commissioner it supports. "
        "Shown with the checklists and kept in the history.",
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        plural = {"CCG": "CCGs", "ICB": "ICBs", "OTHER": "other organisations"}
        self.fields["frameworks"].choices = [
            (
                f.code,
                f"{f.short_title} – {f.title} (written for {' and '.join(plural.get(k, k) for k in f.kinds)}"
                + (f"; {f.years_label} only)" if f.years_label else ")"),
            )
            for f in frameworks
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("frameworks") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why these frameworks apply to your organisation")
        return cleaned
