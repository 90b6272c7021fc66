"""One form per screening step. Each validates its own fields with NHS.UK style messages.

Every step form takes ``proposal`` (None only for step 1 when creating) and ``organisation``,
offers ``sections()`` for the step template (fieldsets of bound fields), ``initial_for(proposal)``
and ``values()`` (what ``proposal_actions.save_step`` takes).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccg_involvement.documents import ACCEPTED_DESCRIPTION, validate_upload
from ccg_involvement.forms import NHSDateField
from engagements.models import Activity, AudienceGroup, AudienceKind, Method
from engagements.proposal_actions import outcome_choices
from engagements.proposal_models import (
    Answer,
    EhiaAnswer,
    InsightSource,
    InvolvementLevel,
    SubstantialAnswer,
    TestResult,
    Trigger,
)
from engagements.proposal_screening import (
    LIMBS,
    framework_wording,
    gunning_principles,
    service_change_tests,
)

LEVEL_HINTS = {
    InvolvementLevel.INFORM: "tell people about the change; they cannot shape it",
    InvolvementLevel.ENGAGE: "an ongoing conversation while the options are still being developed",
    InvolvementLevel.CONSULT: "ask for views on defined options over a set period",
    InvolvementLevel.FORMAL: "the statutory consultation for a substantial development or variation",
}


def _key(code: str) -> str:
    return code.lower().replace("-", "_")


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def _not_in_future(value, label):
    if value is not None and value > timezone.localdate():
        raise ValidationError(f"{label} must be today or in the past")


class UploadMixin:
    """An optional evidence file with a title, checked by content as the document store does."""

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if uploaded:
            try:
                validate_upload(uploaded)
            except ValidationError as exc:
                raise ValidationError(exc.messages[0]) from None
        return uploaded


def _upload_fields(label):
    return (
        forms.FileField(
            label=label,
            required=False,
            help_text=f"{ACCEPTED_DESCRIPTION}. If the page shows an error, choose the file again.",
        ),
        forms.CharField(
            label="Document title",
            max_length=200,
            required=False,
            help_text="Leave empty to use the file name",
        ),
    )


class StepForm(forms.Form):
    step: int = 0
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, proposal=None, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.organisation = organisation
        self.wording = framework_wording(organisation)
        self.setup()
        if self.is_bound:
            self.relax()

    def setup(self):
        """Add fields that depend on the organisation, the proposal or reference data."""

    def relax(self):
        """Make conditional fields optional for this submission (they render as required)."""

    def _optional_unless(self, names, condition: bool):
        if not condition:
            for name in names:
                self.fields[name].required = False

    def sections(self):
        """[(legend, hint, [bound fields])]; a section with no legend is not a fieldset."""
        return [(None, None, [self[name] for name in self.fields if name != "version"])]

    @classmethod
    def initial_for(cls, proposal) -> dict:
        return {"version": proposal.version}

    def values(self) -> dict:
        raise NotImplementedError

    @property
    def uploaded_file(self):
        return self.cleaned_data.get("upload") if "upload" in self.fields else None

    @property
    def upload_title(self) -> str:
        return self.cleaned_data.get("upload_title", "") if "upload" in self.fields else ""


def _members(organisation):
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


# ------------------------------------------------------------------ step 1
class Step1Form(StepForm):
    step = 1
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
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username

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
    step = 2

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

    def sections(self):
        return [
            (
                f"{n}. {self.wording.limbs[limb][0]}",
                None,
                [self[f"applies_{limb}"], self[f"applies_{limb}_reason"]],
            )
            for n, limb in enumerate(LIMBS, start=1)
        ]

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
    step = 3
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
    step = 4
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
        label="Inclusion health and seldom-heard groups",
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
    upload, upload_title = _upload_fields("Impact assessment document")

    def setup(self):
        groups = AudienceGroup.objects.filter(is_active=True)
        self.fields["protected_groups"].queryset = groups.filter(kind=AudienceKind.PROTECTED_CHARACTERISTIC)
        self.fields["inclusion_groups"].queryset = groups.filter(kind=AudienceKind.INCLUSION_GROUP)
        if self.proposal is not None and self.proposal.ehia_document_id:
            self.fields["upload"].label = "Replace the impact assessment document"

    def relax(self):
        self._optional_unless(["ehia_date"], self.data.get(self.add_prefix("ehia_done")) == EhiaAnswer.YES)

    def sections(self):
        return [
            (
                "Who is affected",
                None,
                [self["protected_groups"], self["inclusion_groups"], self["other_affected"]],
            ),
            (
                "Equality and health inequalities impact assessment",
                None,
                [self["ehia_done"], self["ehia_date"], self["upload"], self["upload_title"]],
            ),
        ]

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
            "inclusion_groups": [g for g in groups if g.kind == AudienceKind.INCLUSION_GROUP],
            "other_affected": proposal.other_affected,
            "ehia_done": proposal.ehia_done,
            "ehia_date": proposal.ehia_date,
        }

    def values(self):
        data = self.cleaned_data
        return {
            "affected_groups": [*data["protected_groups"], *data["inclusion_groups"]],
            "other_affected": data["other_affected"],
            "ehia_done": data["ehia_done"],
            "ehia_date": data["ehia_date"] if data["ehia_done"] == EhiaAnswer.YES else None,
        }


# ------------------------------------------------------------------ step 5
class Step5Form(StepForm):
    step = 5
    level = forms.ChoiceField(
        choices=[(level.value, f"{level.label}: {LEVEL_HINTS[level]}") for level in InvolvementLevel],
        widget=forms.RadioSelect,
        label="How far will you involve people?",
        help_text="In proportion to the size of the change and the number of people it affects",
        error_messages={"required": "Select the level of involvement"},
    )
    methods = forms.ModelMultipleChoiceField(
        queryset=Method.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Methods",
        help_text="A mix of methods reaches more people",
        error_messages={"required": "Select at least one method"},
    )
    timing = forms.CharField(
        widget=_textarea(3),
        label="Timing",
        help_text="When involvement starts and ends, and how it fits the decision timetable. If the decision is urgent, say why involvement is limited.",
        error_messages={"required": "Enter the timing of the involvement"},
    )
    budget = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label="Budget (£)",
        help_text="For example, 2500",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Budget must be a number, like 2500 or 2500.50",
            "min_value": "Budget must be £0 or more",
            "max_digits": "Budget must be less than £10,000,000,000",
            "max_decimal_places": "Budget must have no more than 2 numbers after the decimal point",
            "max_whole_digits": "Budget must be less than £10,000,000,000",
        },
    )

    def setup(self):
        self.fields["methods"].queryset = Method.objects.filter(is_active=True)

    @classmethod
    def initial_for(cls, proposal):
        return {
            **super().initial_for(proposal),
            "level": proposal.level,
            "methods": list(proposal.methods.all()),
            "timing": proposal.timing,
            "budget": proposal.budget,
        }

    def values(self):
        data = self.cleaned_data
        return {
            "level": data["level"],
            "methods": list(data["methods"]),
            "timing": data["timing"],
            "budget": data["budget"],
        }


# ------------------------------------------------------------------ step 6
class Step6Form(StepForm):
    step = 6
    substantial = forms.ChoiceField(
        choices=SubstantialAnswer.choices,
        widget=forms.RadioSelect,
        label="Is this a substantial development or variation of the health service?",
        error_messages={"required": "Select yes, no or not yet known"},
    )
    substantial_reason = forms.CharField(
        widget=_textarea(3),
        label="Reasoning",
        help_text="For example, the effect on access (location, opening hours) and on the wider community (transport, local economy)",
        error_messages={"required": "Enter the reasoning for your answer"},
    )
    osc_consulted_on = NHSDateField(
        required=False,
        label="Date the local authority (overview and scrutiny committee) was consulted",
        help_text="For example, 14 10 2025",
    )
    notifiable = forms.BooleanField(
        required=False,
        label="Notifiable reconfiguration",
        help_text="Set automatically when the change is a substantial development or variation",
    )

    def setup(self):
        for test in service_change_tests():
            key = _key(test.code)
            self.fields[f"{key}_result"] = forms.ChoiceField(
                choices=TestResult.choices,
                widget=forms.RadioSelect,
                initial=TestResult.NOT_ASSESSED,
                label=f"Result for {test.code}",
                error_messages={"required": f"Select a result for {test.code}"},
            )
            self.fields[f"{key}_evidence"] = forms.CharField(
                widget=_textarea(2),
                label="Evidence",
                help_text="Needed when the test is met or not met",
                error_messages={"required": f"Enter the evidence for {test.code}"},
            )

    def relax(self):
        for test in service_change_tests():
            key = _key(test.code)
            result = self.data.get(self.add_prefix(f"{key}_result"))
            self._optional_unless([f"{key}_evidence"], result in {TestResult.MET, TestResult.NOT_MET})

    def clean_osc_consulted_on(self):
        value = self.cleaned_data.get("osc_consulted_on")
        _not_in_future(value, "Date the local authority was consulted")
        return value

    def sections(self):
        sections = [
            (
                None,
                None,
                [
                    self["substantial"],
                    self["substantial_reason"],
                    self["osc_consulted_on"],
                    self["notifiable"],
                ],
            )
        ]
        for test in service_change_tests():
            key = _key(test.code)
            sections.append(
                (
                    f"Service change test {test.code}: {test.name}",
                    test.description,
                    [self[f"{key}_result"], self[f"{key}_evidence"]],
                )
            )
        return sections

    @classmethod
    def initial_for(cls, proposal):
        initial = {
            **super().initial_for(proposal),
            "substantial": proposal.substantial,
            "substantial_reason": proposal.substantial_reason,
            "osc_consulted_on": proposal.osc_consulted_on,
            "notifiable": proposal.notifiable,
        }
        for test in service_change_tests():
            entry = (proposal.service_change_tests or {}).get(test.code) or {}
            initial[f"{_key(test.code)}_result"] = entry.get("result", TestResult.NOT_ASSESSED)
            initial[f"{_key(test.code)}_evidence"] = entry.get("evidence", "")
        return initial

    def values(self):
        data = self.cleaned_data
        tests = {}
        for test in service_change_tests():
            key = _key(test.code)
            tests[test.code] = {"result": data[f"{key}_result"], "evidence": data[f"{key}_evidence"].strip()}
        return {
            "substantial": data["substantial"],
            "substantial_reason": data["substantial_reason"],
            "osc_consulted_on": data["osc_consulted_on"],
            "notifiable": data["notifiable"] or data["substantial"] == SubstantialAnswer.YES,
            "service_change_tests": tests,
        }


# ------------------------------------------------------------------ step 7
class Step7Form(UploadMixin, StepForm):
    step = 7
    consultation_opens = NHSDateField(label="Consultation opens", help_text="For example, 1 9 2025")
    consultation_closes = NHSDateField(label="Consultation closes", help_text="For example, 24 11 2025")
    upload, upload_title = _upload_fields("Add a consultation document")

    def setup(self):
        for principle in gunning_principles():
            self.fields[f"{_key(principle.code)}"] = forms.CharField(
                widget=_textarea(3),
                required=False,
                label="Evidence",
                help_text=f"Record: {principle.what_to_record[0].lower()}{principle.what_to_record[1:]}"
                if principle.what_to_record
                else None,
            )

    def sections(self):
        sections = [
            (
                "Consultation dates",
                None,
                [self["consultation_opens"], self["consultation_closes"]],
            )
        ]
        for principle in gunning_principles():
            sections.append(
                (f"{principle.code} {principle.name}", principle.description, [self[_key(principle.code)]])
            )
        sections.append(("Consultation documents", None, [self["upload"], self["upload_title"]]))
        return sections

    def clean(self):
        data = super().clean()
        opens, closes = data.get("consultation_opens"), data.get("consultation_closes")
        if opens and closes and closes <= opens:
            self.add_error("consultation_closes", "Consultation closes must be after the date it opens")
        return data

    @classmethod
    def initial_for(cls, proposal):
        initial = {
            **super().initial_for(proposal),
            "consultation_opens": proposal.consultation_opens,
            "consultation_closes": proposal.consultation_closes,
        }
        for principle in gunning_principles():
            initial[_key(principle.code)] = (proposal.gunning_evidence or {}).get(principle.code, "")
        return initial

    def values(self):
        data = self.cleaned_data
        return {
            "consultation_opens": data["consultation_opens"],
            "consultation_closes": data["consultation_closes"],
            "gunning_evidence": {
                p.code: data[_key(p.code)].strip() for p in gunning_principles() if data[_key(p.code)].strip()
            },
        }


# ------------------------------------------------------------------ step 8
class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, outcome):
        return f"{outcome.activity.title}: you said “{outcome.what_we_heard[:90]}”, we did “{outcome.what_we_did[:90]}”"


class Step8Form(StepForm):
    step = 8
    decided_by = forms.CharField(
        max_length=200,
        label="Who made the decision?",
        help_text="The board or committee, for example the ICB board",
        error_messages={"required": "Enter who made the decision"},
    )
    decision_date = NHSDateField(label="Decision date", help_text="For example, 27 3 2026")
    decision = forms.CharField(
        widget=_textarea(4),
        label="What was decided?",
        error_messages={"required": "Enter what was decided"},
    )
    involvement_influence = forms.CharField(
        widget=_textarea(4),
        label="How did involvement change the decision?",
        help_text="What people told you and what changed because of it. If nothing changed, say why.",
        error_messages={"required": "Enter how involvement changed the decision"},
    )
    outcomes = OutcomeChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Outcomes that shaped the decision",
        help_text="“You said, we did” outcomes of the activities linked to this proposal",
    )

    def setup(self):
        self.fields["outcomes"].queryset = outcome_choices(self.proposal)

    def clean_decision_date(self):
        value = self.cleaned_data.get("decision_date")
        _not_in_future(value, "Decision date")
        return value

    @classmethod
    def initial_for(cls, proposal):
        return {
            **super().initial_for(proposal),
            "decided_by": proposal.decided_by,
            "decision_date": proposal.decision_date,
            "decision": proposal.decision,
            "involvement_influence": proposal.involvement_influence,
            "outcomes": [o.pk for o in proposal.outcomes.all()],
        }

    def values(self):
        data = self.cleaned_data
        return {
            "decided_by": data["decided_by"],
            "decision_date": data["decision_date"],
            "decision": data["decision"],
            "involvement_influence": data["involvement_influence"],
            "outcomes": list(data["outcomes"]),
        }


STEP_FORMS = {
    form.step: form
    for form in (Step1Form, Step2Form, Step3Form, Step4Form, Step5Form, Step6Form, Step7Form, Step8Form)
}


# ------------------------------------------------------------------ linking activities
class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, activity):
        return f"{activity.title} ({activity.start_date:%d/%m/%Y})"


class LinkActivityForm(forms.Form):
    activity = ActivityChoiceField(
        queryset=Activity.objects.none(),
        label="Activity from the engagement log",
        empty_label="Choose an activity",
        error_messages={
            "required": "Select an activity to link",
            "invalid_choice": "Select an activity to link",
        },
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.filter(organisation_id=proposal.organisation_id)
            .exclude(proposals=proposal)
            .order_by("-start_date", "-pk")
        )


class ProposalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, proposal):
        return proposal.title


class LinkToProposalForm(forms.Form):
    proposal = ProposalChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label="Which proposal did this activity involve people in?",
        error_messages={"required": "Select a proposal", "invalid_choice": "Select a proposal"},
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        from engagements.proposal_models import Proposal

        self.fields["proposal"].queryset = (
            Proposal.objects.filter(organisation_id=activity.organisation_id)
            .exclude(activities=activity)
            .order_by("title")
        )
