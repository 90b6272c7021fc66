from django import forms

from ccg_involvement.years import ReportingYear
from reports.models import ReportFormat, ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Document",
        choices=[
            (ReportKind.ANNUAL_REPORT, ReportKind.ANNUAL_REPORT.label),
            (ReportKind.ASSURANCE_PACK, ReportKind.ASSURANCE_PACK.label),
        ],
        widget=forms.RadioSelect,
        initial=ReportKind.ANNUAL_REPORT,
    )
    year = forms.ChoiceField(label="Reporting year")
    format = forms.ChoiceField(
        choices=ReportFormat.choices,
        widget=forms.RadioSelect,
        initial=ReportFormat.PDF,
        help_text="Word is available for the annual report section.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = ReportingYear.current()
        years = [current, *(ReportingYear(current.start_year - n) for n in range(1, 13))]
        self.fields["year"].choices = [(y.slug, y.label) for y in years]
        self.fields["year"].initial = current.previous().slug

    def clean_year(self):
        return ReportingYear.from_slug(self.cleaned_data["year"])

    def clean(self):
        data = super().clean()
        if data.get("kind") != ReportKind.ANNUAL_REPORT and data.get("format") == ReportFormat.DOCX:
            self.add_error("format", "Only the annual report section is available as a Word document")
        return data


class InvolvementProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        from reports.models import InvolvementProfile

        model = InvolvementProfile
        fields = [
            "lead_name",
            "lead_role",
            "committee",
            "committee_remit",
            "patient_seats",
            "healthwatch_seats",
            "vcse_seats",
            "how_to_get_involved",
            "next_year_priorities",
            "joint_forward_plan",
            "health_and_wellbeing_boards",
        ]
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
        help_text="In plain English and the first person plural (“we”). A blank line starts a new paragraph.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
