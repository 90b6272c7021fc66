"""Steps 5 and 6: the proportionate approach, and a substantial development or variation (the local authority)."""

from crispy_forms.layout import Layout
from django import forms

from ccg_involvement.models import OrganisationKind
from ccg_involvement.nhsuk_forms import NHSDateField
from engagements.models import Method
from engagements.proposals.forms.base import (
    Section,
    StepForm,
    _key,
    _not_in_future,
    _textarea,
)
from engagements.proposals.models import InvolvementLevel, Reconfiguration, SubstantialAnswer, TestResult
from engagements.proposals.wording import (
    RECONFIGURATION_START_NOTE,
    service_change_tests,
    source_text,
)


def reconfiguration_applies_to(organisation) -> bool:
    """The question is asked of ICBs only (never CCGs); the decision date is checked on saving."""
    return organisation.kind == OrganisationKind.ICB


LEVEL_HINTS = {
    InvolvementLevel.INFORM: "tell people about the change; they cannot shape it",
    InvolvementLevel.ENGAGE: "an ongoing conversation while the options are still being developed",
    InvolvementLevel.CONSULT: "ask for views on defined options over a set period",
    InvolvementLevel.FORMAL: "a full public consultation run to the Gunning principles (consulting the local authority on a substantial change is a separate question, at step 6)",
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
RECONFIGURATION_CHOICES = [("", "Not decided yet"), *Reconfiguration.choices]


class Step6Form(StepForm):
    substantial = forms.ChoiceField(
        choices=SubstantialAnswer.choices,
        widget=forms.RadioSelect,
        label="Is this a substantial development or variation of the health service?",
        help_text="If yes, the local authority must be consulted (regulation 23), whatever level of "
        "public involvement step 5 chose",
        error_messages={"required": "Select yes, no or not yet known"},
    )
    substantial_reason = forms.CharField(
        widget=_textarea(3),
        label="Reasoning",
        help_text="For example, the effect on access (location, opening hours) and on the wider community (transport, local economy). Say whether the local authority agreed.",
        error_messages={"required": "Enter the reasoning for your answer"},
    )
    osc_consulted_on = NHSDateField(
        required=False,
        label="Date the local authority (overview and scrutiny committee) was consulted",
        help_text="For example, 14 10 2025",
    )
    osc_decision_date_given = NHSDateField(
        required=False,
        label="Proposed decision date given to the local authority",
        help_text="Regulation 23 asks you to tell the authority when you propose to decide",
    )
    osc_joint = forms.BooleanField(
        required=False,
        label="More than one local authority: consulted through a joint committee",
    )
    osc_response = forms.CharField(
        widget=_textarea(3),
        required=False,
        label="The local authority's response",
        help_text="What the committee said, including any recommendations",
    )
    osc_response_on = NHSDateField(
        required=False, label="Date of the response", help_text="For example, 2 12 2025"
    )
    urgent_exception = forms.BooleanField(
        required=False,
        label="The decision had to be taken without consulting the local authority (regulation 24)",
        help_text="Only where a risk to the safety or welfare of patients or staff left no time to consult",
    )
    urgent_reason = forms.CharField(
        widget=_textarea(3),
        required=False,
        label="The risk that meant there was no time to consult",
        error_messages={"required": "Enter the risk that meant there was no time to consult"},
    )
    urgent_la_told_on = NHSDateField(
        required=False,
        label="Date the local authority was told of the decision and the reasons",
    )

    def setup(self):
        if reconfiguration_applies_to(self.organisation):
            self.fields["reconfiguration"] = forms.ChoiceField(
                choices=RECONFIGURATION_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                label="Is this a notifiable reconfiguration?",
                help_text="ICB decisions on or after " + RECONFIGURATION_START_NOTE + ". Check the "
                "exemptions in the DHSC guidance before answering.",
            )
            self.fields["reconfiguration_reason"] = forms.CharField(
                widget=_textarea(2),
                required=False,
                label="Reasoning",
                help_text="For an exempt change, which exemption applies",
            )
            self.fields["reconfiguration_notified_on"] = NHSDateField(
                required=False, label="Date the Secretary of State was notified"
            )
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

    def clean_osc_response_on(self):
        value = self.cleaned_data.get("osc_response_on")
        _not_in_future(value, "Date of the response")
        return value

    def clean(self):
        data = super().clean()
        if data.get("urgent_exception") and not (data.get("urgent_reason") or "").strip():
            self.add_error("urgent_reason", "Enter the risk that meant there was no time to consult")
        return data

    def layout(self):
        sections = [
            Section("Substantial development or variation", "substantial", "substantial_reason"),
            Section(
                "Consulting the local authority (regulation 23)",
                "osc_consulted_on",
                "osc_decision_date_given",
                "osc_joint",
                "osc_response",
                "osc_response_on",
                hint="Separate from any public consultation. Source: " + source_text("REG23") + ".",
            ),
            Section(
                "Urgent decisions (regulation 24)",
                "urgent_exception",
                "urgent_reason",
                "urgent_la_told_on",
                hint="Source: " + source_text("REG24") + ".",
            ),
        ]
        if "reconfiguration" in self.fields:
            sections.append(
                Section(
                    "Reconfiguration notification",
                    "reconfiguration",
                    "reconfiguration_reason",
                    "reconfiguration_notified_on",
                    hint="Source: " + source_text("SCH10A") + ".",
                )
            )
        return Layout(
            *sections,
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
        initial = {**super().initial_for(proposal)}
        for name in STEP6_FIELDS:
            initial[name] = getattr(proposal, name)
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
        values = {name: data[name] for name in STEP6_FIELDS if name in self.fields}
        if not data["urgent_exception"]:
            values |= {"urgent_reason": "", "urgent_la_told_on": None}
        return {**values, "service_change_tests": tests}


STEP6_FIELDS = (
    "substantial",
    "substantial_reason",
    "osc_consulted_on",
    "osc_decision_date_given",
    "osc_joint",
    "osc_response",
    "osc_response_on",
    "urgent_exception",
    "urgent_reason",
    "urgent_la_told_on",
    "reconfiguration",
    "reconfiguration_reason",
    "reconfiguration_notified_on",
)


# ------------------------------------------------------------------ step 7
