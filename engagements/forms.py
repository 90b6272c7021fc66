from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from ccg_involvement.history import display_name
from ccg_involvement.nhsuk_forms import NHSDateField
from engagements.inputs import (
    RELATED_FIELDS,
    SCALAR_FIELDS,
    ActivityInput,
    activity_problems,
    outcome_problems,
)
from engagements.models import (
    ActivityStatus,
    Adjustment,
    CycleStage,
    DutyLimb,
    Method,
    OutcomeStatus,
    Partner,
)
from engagements.reach_form import (
    add_reach_fields,
    clean_reach,
    is_reach_field,
    reach_initial,
    reach_sections,
)
from engagements.selectors import duty_choices


class DutyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, duty):
        return f"{duty.framework.short_title} – {duty.number}. {duty.title}"


class ActivityForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title for the activity"})
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    start_date = NHSDateField(
        label="Start date", help_text="Puts the activity in a reporting year. For example, 14 10 2025"
    )
    end_date = NHSDateField(label="End date", required=False)
    status = forms.ChoiceField(
        choices=ActivityStatus.choices,
        widget=forms.RadioSelect,
        initial=ActivityStatus.PLANNED,
        error_messages={"required": "Select whether the activity is planned, under way or completed"},
    )
    cycle_stage = forms.ChoiceField(
        label="Commissioning cycle stage", choices=[("", "Not set"), *CycleStage.choices], required=False
    )
    duty_limb = forms.ChoiceField(
        label="Part of the duty it serves",
        choices=[("", "Not set"), *DutyLimb.choices],
        required=False,
        help_text=format_lazy(
            '<a href="{}#part-of-the-duty">What the parts of the duty are</a>', reverse_lazy("help")
        ),
    )
    service_area = forms.CharField(label="Programme or service area", max_length=120, required=False)
    lead = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="No lead"
    )
    methods = forms.ModelMultipleChoiceField(
        queryset=Method.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple, required=False
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple, required=False
    )
    adjustments = forms.ModelMultipleChoiceField(
        label="Reasonable adjustments offered",
        queryset=Adjustment.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    duties = DutyChoiceField(
        label="Duties this activity evidences",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    total_participants = forms.IntegerField(
        min_value=0,
        required=False,
        label="Total participants",
        help_text="Leave empty if not recorded. 0 means nobody took part.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
    )
    is_highlight = forms.BooleanField(required=False, label="Highlight this activity in the annual report")
    is_case_study = forms.BooleanField(
        required=False,
        label="Use as a case study in the annual report",
        help_text="The case study is written from the activity's outcomes: what people said, what changed "
        "and the decision it informed. Record those as outcomes.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        users = get_user_model().objects.filter(memberships__organisation=organisation, is_active=True)
        self.fields["lead"].queryset = users.order_by("first_name", "last_name", "username")
        self.fields["lead"].label_from_instance = display_name
        self.fields["duties"].queryset = duty_choices(organisation)
        add_reach_fields(self)

    def reach_sections(self):
        """The reach fields by kind and group, as ``engagements/_reach_fields.html`` draws them."""
        return reach_sections(self)

    def main_fields(self):
        return [self[name] for name in self.fields if not is_reach_field(name) and name != "version"]

    def clean(self):
        data = super().clean()
        total = data.get("total_participants")
        self.reach = clean_reach(self, data, total)
        # The activity's own rules, as the action checks them; a value already refused is not
        # checked, and the reach rules are already on each group's own field.
        for problem in activity_problems(
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            status=data.get("status"),
            total_participants=total,
        ):
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return data

    def activity_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            **{name: data[name] for name in (*SCALAR_FIELDS, *RELATED_FIELDS)}, reach=self.reach
        )


def activity_initial(activity) -> dict:
    """The edit form's initial values: the activity as an ``ActivityInput``, its reach per group, its version."""
    data = ActivityInput.from_activity(activity)
    initial = {name: getattr(data, name) for name in (*SCALAR_FIELDS, *RELATED_FIELDS)}
    initial.update(reach_initial(data.reach))
    initial["version"] = activity.version
    return initial


class OutcomeForm(forms.Form):
    what_we_heard = forms.CharField(
        label="You said (what we heard)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what people told you (you said)"},
    )
    what_we_did = forms.CharField(
        label="We did (or will do)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what you did or will do about it (we did)"},
    )
    status = forms.ChoiceField(
        choices=OutcomeStatus.choices,
        widget=forms.RadioSelect,
        initial=OutcomeStatus.IN_PROGRESS,
        error_messages={"required": "Select where the outcome has got to"},
    )
    reason_not_possible = forms.CharField(
        label="Why it was not possible", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decision_influenced = forms.CharField(max_length=300, required=False, label="Decision it influenced")
    reported_back_on = NHSDateField(required=False, label="Date reported back to participants")
    published_where = forms.CharField(
        max_length=300,
        required=False,
        label="Where it was published",
        help_text="A web address or publication",
    )

    def clean(self):
        data = super().clean()
        for problem in outcome_problems(
            status=data.get("status"), reason_not_possible=data.get("reason_not_possible")
        ):
            self.add_error(problem.field, problem.message)
        return data


class RationaleForm(forms.Form):
    rationale = forms.CharField(
        max_length=200,
        required=False,
        label="Why it evidences this duty",
        help_text="Up to 200 characters. Leave empty to remove it.",
        error_messages={"max_length": "Why it evidences this duty must be 200 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
