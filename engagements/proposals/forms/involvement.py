"""Steps 5 to 8: the proportionate approach, substantial variation, the consultation, the decision."""

from crispy_forms.layout import Layout
from django import forms

from ccg_involvement.models import OrganisationKind
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
from engagements.proposals.models import InvolvementLevel, Reconfiguration, SubstantialAnswer, TestResult
from engagements.proposals.warnings import warnings_for
from engagements.proposals.wording import (
    RECONFIGURATION_START_NOTE,
    consultation_guide_weeks,
    gunning_principles,
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

        if "gun_3" in self.fields:
            self.fields["gun_3"].label = "Why the period is adequate"
            self.fields["gun_3"].help_text = (
                "The subject, who is affected and how they can take part. This organisation's guide "
                f"period is {consultation_guide_weeks()} weeks: a guide, not a legal minimum (no statute sets one)."
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


STEP8_FIELDS = (
    "decided_by",
    "decision_date",
    "board_paper_ref",
    "minute_ref",
    "decision",
    "decision_reasons",
    "alternatives",
    "consultation_responses",
    "consultation_themes",
    "involvement_influence",
    "due_regard_by",
    "due_regard_on",
    "due_regard_statement",
)


class Step8Form(StepForm):
    decided_by = forms.CharField(
        max_length=200,
        label="Who made the decision?",
        help_text="The board or committee, for example the ICB board",
        error_messages={"required": "Enter who made the decision"},
    )
    decision_date = NHSDateField(label="Decision date", help_text="For example, 27 3 2026")
    board_paper_ref = forms.CharField(
        max_length=200,
        required=False,
        label="Board paper reference",
        help_text="For example, Paper 7, item 4.2",
    )
    minute_ref = forms.CharField(
        max_length=200, required=False, label="Minute reference", help_text="For example, Minute 2025/112"
    )
    decision = forms.CharField(
        widget=_textarea(4),
        label="What was decided?",
        error_messages={"required": "Enter what was decided"},
    )
    decision_reasons = forms.CharField(
        widget=_textarea(4),
        label="Reasons for the decision",
        error_messages={"required": "Enter the reasons for the decision"},
    )
    alternatives = forms.CharField(
        widget=_textarea(3),
        required=False,
        label="Alternatives considered",
        help_text="The other options and why they were not chosen",
    )
    consultation_responses = forms.IntegerField(
        required=False,
        min_value=0,
        label="Number of responses",
        help_text="To the consultation or engagement, if counted",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"invalid": "Number of responses must be a whole number, like 240"},
    )
    consultation_themes = forms.CharField(
        widget=_textarea(4), required=False, label="Main themes of the responses"
    )
    involvement_influence = forms.CharField(
        widget=_textarea(4),
        label="What changed because of what people said?",
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
    due_regard_by = forms.CharField(
        max_length=200,
        label="Who considered the equality and health inequalities analysis?",
        help_text="The decision-maker: for example, the ICB board",
        error_messages={"required": "Enter who considered the equality analysis"},
    )
    due_regard_on = NHSDateField(
        label="When did they consider it?",
        help_text="Before or at the time of the decision. For example, 27 3 2026",
    )
    due_regard_statement = forms.CharField(
        widget=_textarea(4),
        required=False,
        label="How the decision-maker had due regard",
        help_text="The impacts put before them, the mitigations agreed, and how the aims of the equality duty and reducing inequalities were weighed",
    )

    def setup(self):
        self.fields["outcomes"].queryset = self.proposal.citable_outcomes()
        self.raised = [] if self.proposal is None else warnings_for(self.proposal)
        responses = (self.proposal.warning_responses or {}) if self.proposal is not None else {}
        for code, message in self.raised:
            self.fields[_warning_key(code)] = forms.CharField(
                widget=_textarea(2),
                required=False,
                label=message,
                help_text="How this was addressed, or why it does not affect the decision",
                initial=responses.get(code, ""),
            )

    def layout(self):
        sections = [
            Section(
                "The decision", "decided_by", "decision_date", "board_paper_ref", "minute_ref", "decision"
            ),
            Section("Reasons", "decision_reasons", "alternatives"),
            Section(
                "What people said",
                "consultation_responses",
                "consultation_themes",
                "involvement_influence",
                "outcomes",
            ),
            Section(
                "Equality and health inequalities: due regard",
                "due_regard_by",
                "due_regard_on",
                "due_regard_statement",
                hint="Source: " + source_text("PSED") + "; " + source_text("S14T") + ".",
            ),
        ]
        if self.raised:
            sections.append(
                Section(
                    "Warnings raised by the screening",
                    *(_warning_key(code) for code, _ in self.raised),
                    hint="The full decision record shows each warning and how it was addressed.",
                )
            )
        return Layout(*sections)

    def clean_decision_date(self):
        value = self.cleaned_data.get("decision_date")
        _not_in_future(value, "Decision date")
        return value

    def clean_due_regard_on(self):
        value = self.cleaned_data.get("due_regard_on")
        _not_in_future(value, "The date the equality analysis was considered")
        return value

    @classmethod
    def initial_for(cls, proposal):
        return {
            **super().initial_for(proposal),
            **{name: getattr(proposal, name) for name in STEP8_FIELDS},
            "outcomes": [o.pk for o in proposal.outcomes.all()],
        }

    def values(self):
        data = self.cleaned_data
        responses = dict(self.proposal.warning_responses or {})
        for code, _ in self.raised:
            text = (data.get(_warning_key(code)) or "").strip()
            if text:
                responses[code] = text
            else:
                responses.pop(code, None)
        return {
            **{name: data[name] for name in STEP8_FIELDS},
            "warning_responses": responses,
            "outcomes": list(data["outcomes"]),
        }


def _warning_key(code: str) -> str:
    return "warning_" + code.replace("-", "_")


# ------------------------------------------------------------------ step 9
class Step9Form(StepForm):
    feedback_on = NHSDateField(
        label="When were the people involved told the outcome?", help_text="For example, 12 5 2026"
    )
    feedback_how = forms.CharField(
        widget=_textarea(4),
        label="How were they told?",
        help_text="For example, a “you said, we did” page, letters to respondents, a meeting with the groups involved",
        error_messages={"required": "Enter how the people involved were told the outcome"},
    )

    def clean_feedback_on(self):
        value = self.cleaned_data.get("feedback_on")
        _not_in_future(value, "The date people were told")
        return value

    @classmethod
    def initial_for(cls, proposal):
        return {
            **super().initial_for(proposal),
            "feedback_on": proposal.feedback_on,
            "feedback_how": proposal.feedback_how,
        }

    def values(self):
        return {
            "feedback_on": self.cleaned_data["feedback_on"],
            "feedback_how": self.cleaned_data["feedback_how"],
        }
