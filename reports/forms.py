from django import forms

from ccg_involvement.years import ReportingYear, organisation_years
from reports import selectors
from reports.actions import PROFILE_FIELDS
from reports.models import ReportFormat, ReportKind

ASSURANCE_LEVELS = [
    ("significant", "Significant assurance"),
    ("reasonable", "Reasonable assurance"),
    ("limited", "Limited assurance"),
    ("none", "No assurance"),
]
COVER_FIELDS = ("assurance_level", "rationale", "recommendation", "author", "sponsor")


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Document",
        choices=[
            (ReportKind.ANNUAL_REPORT, ReportKind.ANNUAL_REPORT.label),
            (ReportKind.ASSURANCE_PACK, ReportKind.ASSURANCE_PACK.label),
        ],
        widget=forms.RadioSelect,
        initial=ReportKind.ANNUAL_REPORT,
        error_messages={"required": "Select the document to generate"},
    )
    year = forms.ChoiceField(label="Reporting year", error_messages={"required": "Select a reporting year"})
    format = forms.ChoiceField(
        choices=ReportFormat.choices,
        widget=forms.RadioSelect,
        initial=ReportFormat.PDF,
        help_text="Word is available for the annual report section.",
        error_messages={"required": "Select PDF or Word"},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        years = organisation_years(organisation, until=ReportingYear.current())
        self.fields["year"].choices = [(y.slug, y.label) for y in years]
        with_data = [y for y in selectors.years_with_data(organisation) if y in years]
        self.with_data = with_data
        self.fields["year"].initial = (with_data[0] if with_data else ReportingYear.current().previous()).slug
        self.fields["year"].help_text = (
            f"Years with records: {', '.join(y.label for y in with_data)}."
            if with_data
            else "No year has records yet: log completed activities or start a checklist first."
        )

    def clean_year(self):
        year = ReportingYear.from_slug(self.cleaned_data["year"])
        if not selectors.year_has_data(self.organisation, year):
            others = ", ".join(y.label for y in self.with_data[:4])
            raise forms.ValidationError(
                f"There is nothing recorded for {year}: no completed activities and no checklists, so the "
                "document would be empty" + (f". Choose a year with records: {others}" if others else "")
            )
        return year

    assurance_level = forms.ChoiceField(
        label="Overall assurance level (assurance pack)",
        choices=[("", "Choose a level"), *ASSURANCE_LEVELS],
        required=False,
        help_text="Your judgement as the reviewer; it is printed on the cover with your rationale.",
    )
    rationale = forms.CharField(
        label="Why this level (assurance pack)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recommendation = forms.CharField(
        label="What the committee is asked to do (assurance pack)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For example: to note the position and approve the actions for the year ahead.",
    )
    author = forms.CharField(label="Author (assurance pack)", max_length=120, required=False)
    sponsor = forms.CharField(label="Executive sponsor (assurance pack)", max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") != ReportKind.ANNUAL_REPORT and data.get("format") == ReportFormat.DOCX:
            self.add_error("format", "Only the annual report section is available as a Word document")
        if data.get("kind") == ReportKind.ASSURANCE_PACK:
            if not data.get("assurance_level"):
                self.add_error("assurance_level", "Choose the overall assurance level for the assurance pack")
            if not (data.get("rationale") or "").strip():
                self.add_error("rationale", "Give the reason for the assurance level")
        return data

    def request_values(self) -> dict:
        """What ``actions.request_report`` takes: the cover's fields go in ``cover``."""
        data = dict(self.cleaned_data)
        cover = {name: (data.pop(name) or "").strip() for name in COVER_FIELDS}
        if data.get("kind") == ReportKind.ASSURANCE_PACK:
            data["cover"] = cover
        return data


class InvolvementProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        from reports.models import InvolvementProfile

        model = InvolvementProfile
        fields = list(PROFILE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "committee_remit",
                "how_to_get_involved",
                "next_year_priorities",
                "joint_forward_plan",
                "health_and_wellbeing_boards",
            )
        }


class AnnualStatementForm(forms.Form):
    text = forms.CharField(
        label="Statement",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the statement"},
        help_text="In plain English and the first person plural (“we”). A blank line starts a new paragraph.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReminderSettingsForm(forms.Form):
    weekly_digest = forms.BooleanField(
        required=False,
        label="Send me the weekly digest",
        help_text="Every Monday: the checklist items I own, proposals I lead and outcomes to report back.",
    )
    due_soon = forms.BooleanField(
        required=False,
        label="Remind me when an item I own is due soon",
        help_text="A week before its due date, on the day, and the day after if it is still not done.",
    )
