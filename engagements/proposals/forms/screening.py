"""Steps 1 to 4: the proposal, whether the duty applies, the existing insight, who is affected."""

from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth import get_user_model

from ccg_involvement.history import display_name
from ccg_involvement.nhsuk_forms import NHSDateField
from engagements.models import AudienceGroup, AudienceKind
from engagements.proposals.forms.base import (
    Section,
    StepForm,
    UploadMixin,
    _members,
    _not_in_future,
    _textarea,
    _upload_fields,
)
from engagements.proposals.models import Answer, EhiaAnswer, InsightSource, Trigger
from engagements.proposals.wording import LIMBS


# ------------------------------------------------------------------ step 1
class Step1Form(StepForm):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title for the proposal"}, label="Title"
    )
    description = forms.CharField(
        widget=_textarea(4),
        required=False,
        label="What is changing",
        help_text="The change in commissioning, in plain English",
    )
    service_area = forms.CharField(max_length=120, required=False, label="Programme or service area")
    trigger = forms.ModelChoiceField(
        queryset=Trigger.objects.none(),
        widget=forms.RadioSelect,
        label="What kind of commissioning activity is it?",
        help_text="Screen every commissioning activity on this list as early as you can",
        error_messages={"required": "Select the kind of commissioning activity"},
    )
    expected_decision_date = NHSDateField(
        required=False, label="Expected decision date", help_text="For example, 31 3 2026"
    )
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="No owner",
        label="Owner",
        help_text="The member of staff who answers for the screening",
    )

    def setup(self):
        self.fields["trigger"].queryset = Trigger.objects.filter(is_active=True)
        if self.proposal is not None and self.proposal.trigger_id:
            self.fields["trigger"].queryset = Trigger.objects.filter(is_active=True) | Trigger.objects.filter(
                pk=self.proposal.trigger_id
            )
        self.fields["owner"].queryset = _members(self.organisation)
        self.fields["owner"].label_from_instance = display_name

    @classmethod
    def initial_for(cls, proposal):
        return {
            **super().initial_for(proposal),
            "title": proposal.title,
            "description": proposal.description,
            "service_area": proposal.service_area,
            "trigger": proposal.trigger_id,
            "expected_decision_date": proposal.expected_decision_date,
            "owner": proposal.owner_id,
        }

    def values(self):
        return {
            name: self.cleaned_data[name]
            for name in ("title", "description", "service_area", "trigger", "expected_decision_date", "owner")
        }


# ------------------------------------------------------------------ step 2
class Step2Form(StepForm):
    def setup(self):
        for limb in LIMBS:
            short, question = self.wording.limbs[limb]
            self.fields[f"applies_{limb}"] = forms.ChoiceField(
                choices=Answer.choices,
                widget=forms.RadioSelect,
                label=question,
                error_messages={"required": f"Select yes, no or not sure for {short.lower()}"},
            )
            self.fields[f"applies_{limb}_reason"] = forms.CharField(
                widget=_textarea(3),
                label="Reasoning",
                help_text="Needed whatever the answer: it is the record a court or scrutiny committee would ask for",
                error_messages={"required": f"Enter the reasoning for {short.lower()}"},
            )

    def layout(self):
        return Layout(
            *(
                Section(f"{n}. {self.wording.limbs[limb][0]}", f"applies_{limb}", f"applies_{limb}_reason")
                for n, limb in enumerate(LIMBS, start=1)
            )
        )

    @classmethod
    def initial_for(cls, proposal):
        initial = super().initial_for(proposal)
        for limb in LIMBS:
            initial[f"applies_{limb}"] = getattr(proposal, f"applies_{limb}")
            initial[f"applies_{limb}_reason"] = getattr(proposal, f"applies_{limb}_reason")
        return initial

    def values(self):
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


# ------------------------------------------------------------------ step 3
class Step3Form(StepForm):
    insight_sources = forms.ModelMultipleChoiceField(
        queryset=InsightSource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which existing insight have you reviewed?",
    )
    insight_summary = forms.CharField(
        widget=_textarea(6),
        label="What does it tell you?",
        help_text="What people have already said about this service or change. If nothing relevant exists, say so and what you looked for.",
        error_messages={"required": "Enter what the existing insight tells you"},
    )

    def setup(self):
        self.fields["insight_sources"].queryset = InsightSource.objects.filter(is_active=True)

    @classmethod
    def initial_for(cls, proposal):
        return {
            **super().initial_for(proposal),
            "insight_sources": list(proposal.insight_sources.all()),
            "insight_summary": proposal.insight_summary,
        }

    def values(self):
        return {
            "insight_sources": list(self.cleaned_data["insight_sources"]),
            "insight_summary": self.cleaned_data["insight_summary"],
        }


# ------------------------------------------------------------------ step 4
class Step4Form(UploadMixin, StepForm):
    protected_groups = forms.ModelMultipleChoiceField(
        queryset=AudienceGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Protected characteristics",
        help_text="Select all that apply",
    )
    inclusion_groups = forms.ModelMultipleChoiceField(
        queryset=AudienceGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Inclusion health, seldom-heard groups and communities",
        help_text="Select all that apply",
    )
    other_affected = forms.CharField(
        widget=_textarea(3),
        required=False,
        label="Anyone else affected",
        help_text="For example, staff, people in a neighbouring area, local voluntary groups",
    )
    ehia_done = forms.ChoiceField(
        choices=EhiaAnswer.choices,
        widget=forms.RadioSelect,
        label="Has an equality and health inequalities impact assessment been done?",
        error_messages={
            "required": "Select yes if an equality and health inequalities impact assessment was done"
        },
    )
    ehia_date = NHSDateField(
        label="Date of the impact assessment",
        help_text="Needed if it was done. For example, 14 10 2025",
    )
    ehia_reference = forms.CharField(
        max_length=100,
        required=False,
        label="Reference of the impact assessment",
        help_text="For example, EHIA-2025-014, version 2",
    )
    ehia_impacts = forms.CharField(
        widget=_textarea(4),
        label="Impacts found",
        help_text="On people with protected characteristics, and on inequalities in access and outcomes",
        error_messages={"required": "Enter the impacts the assessment found"},
    )
    ehia_mitigations = forms.CharField(
        widget=_textarea(3),
        required=False,
        label="Mitigations",
        help_text="What will be done about each negative impact, or why none is needed",
    )
    upload, upload_title = _upload_fields("Impact assessment document")

    def setup(self):
        groups = AudienceGroup.objects.filter(is_active=True)
        self.fields["protected_groups"].queryset = groups.filter(kind=AudienceKind.PROTECTED_CHARACTERISTIC)
        self.fields["inclusion_groups"].queryset = groups.exclude(kind=AudienceKind.PROTECTED_CHARACTERISTIC)
        if self.proposal is not None and self.proposal.ehia_document_id:
            self.fields["upload"].label = "Replace the impact assessment document"

    def relax(self):
        self._optional_unless(
            ["ehia_date", "ehia_impacts"], self.data.get(self.add_prefix("ehia_done")) == EhiaAnswer.YES
        )

    def layout(self):
        return Layout(
            Section("Who is affected", "protected_groups", "inclusion_groups", "other_affected"),
            Section(
                "Equality and health inequalities impact assessment",
                "ehia_done",
                "ehia_date",
                "ehia_reference",
                "ehia_impacts",
                "ehia_mitigations",
                "upload",
                "upload_title",
                hint="The equality duty (Equality Act 2010, s149) and the duty to have regard to reducing "
                "inequalities (NHS Act 2006 s14T for CCGs, s14Z35 for ICBs) apply to every decision, "
                "whether or not the involvement duty applies.",
            ),
        )

    def clean_ehia_date(self):
        value = self.cleaned_data.get("ehia_date")
        _not_in_future(value, "Date of the impact assessment")
        return value

    def clean(self):
        data = super().clean()
        if (
            not data.get("protected_groups")
            and not data.get("inclusion_groups")
            and not (data.get("other_affected") or "").strip()
            and "protected_groups" not in self.errors
        ):
            self.add_error("protected_groups", "Select the groups affected, or describe who else is affected")
        return data

    @classmethod
    def initial_for(cls, proposal):
        groups = list(proposal.affected_groups.all())
        return {
            **super().initial_for(proposal),
            "protected_groups": [g for g in groups if g.kind == AudienceKind.PROTECTED_CHARACTERISTIC],
            "inclusion_groups": [g for g in groups if g.kind != AudienceKind.PROTECTED_CHARACTERISTIC],
            "other_affected": proposal.other_affected,
            "ehia_done": proposal.ehia_done,
            "ehia_date": proposal.ehia_date,
            "ehia_reference": proposal.ehia_reference,
            "ehia_impacts": proposal.ehia_impacts,
            "ehia_mitigations": proposal.ehia_mitigations,
        }

    def values(self):
        data = self.cleaned_data
        done = data["ehia_done"] == EhiaAnswer.YES
        return {
            "affected_groups": [*data["protected_groups"], *data["inclusion_groups"]],
            "other_affected": data["other_affected"],
            "ehia_done": data["ehia_done"],
            "ehia_date": data["ehia_date"] if done else None,
            "ehia_reference": data["ehia_reference"] if done else "",
            "ehia_impacts": data["ehia_impacts"] if done else "",
            "ehia_mitigations": data["ehia_mitigations"] if done else "",
        }
