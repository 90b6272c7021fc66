"""Steps 5 to 8: the proportionate approach, substantial variation, the consultation, the decision."""

from crispy_forms.layout import Layout
from django import forms

from ccg_involvement.nhsuk_forms import NHSDateField
from engagements.models import Method
from engagements.proposals.forms.base import (
    Section,
    StepForm,
    UploadMixin,
    _key,
    _not_in_future,
    _textarea,
    _upload_fields,
)
from engagements.proposals.models import InvolvementLevel, SubstantialAnswer, TestResult
from engagements.proposals.wording import gunning_principles, service_change_tests

LEVEL_HINTS = {
    InvolvementLevel.INFORM: "tell people about the change; they cannot shape it",
    InvolvementLevel.ENGAGE: "an ongoing conversation while the options are still being developed",
    InvolvementLevel.CONSULT: "ask for views on defined options over a set period",
    InvolvementLevel.FORMAL: "the statutory consultation for a substantial development or variation",
}


# ------------------------------------------------------------------ step 5
class Step5Form(StepForm):
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

    def layout(self):
        return Layout(
            "substantial",
            "substantial_reason",
            "osc_consulted_on",
            "notifiable",
            *(
                Section(
                    f"Service change test {test.code}: {test.name}",
                    f"{_key(test.code)}_result",
                    f"{_key(test.code)}_evidence",
                    hint=test.description,
                )
                for test in service_change_tests()
            ),
        )

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

    def layout(self):
        return Layout(
            Section("Consultation dates", "consultation_opens", "consultation_closes"),
            *(Section(f"{p.code} {p.name}", _key(p.code), hint=p.description) for p in gunning_principles()),
            Section("Consultation documents", "upload", "upload_title"),
        )

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
        self.fields["outcomes"].queryset = self.proposal.citable_outcomes()

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
