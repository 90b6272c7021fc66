"""Linking an activity of the engagement log to a proposal, from either side."""

from django import forms

from engagements.models import Activity
from engagements.proposals.models import Proposal


# ------------------------------------------------------------------ linking activities
class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, activity):
        return f"{activity.title} ({activity.start_date.day} {activity.start_date:%B %Y})"


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
            Activity.objects.for_organisation(proposal.organisation_id)
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
        self.fields["proposal"].queryset = (
            Proposal.objects.for_organisation(activity.organisation_id)
            .exclude(activities=activity)
            .order_by("title")
        )
