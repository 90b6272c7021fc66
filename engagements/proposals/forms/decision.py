"""Steps 7 to 9: public consultation and the Gunning principles, the decision, and telling people."""

from crispy_forms.layout import Layout
from django import forms

from ccg_involvement.nhsuk_forms import NHSDateField
from engagements.proposals.forms.base import (
    Section,
    StepForm,
    UploadMixin,
    _key,
    _not_in_future,
    _textarea,
    _upload_fields,
)
from engagements.proposals.warnings import warnings_for
from engagements.proposals.wording import (
    consultation_guide_weeks,
    gunning_principles,
    source_text,
)


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
        help_text="The board or committee that decided, for example the board meeting in public",
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
        help_text="The decision-maker: for example, the board meeting in public",
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
