"""Find proposals on the list page (GET, no JavaScript): words in the title or service area, and
where the decision has got to."""

from django import forms
from django.db.models import Q


class ProposalFilterForm(forms.Form):
    DECISIONS = [
        ("", "Any"),
        ("decided", "Decided"),
        ("expected", "Decision expected (date set)"),
        ("undated", "No decision date yet"),
    ]

    q = forms.CharField(
        required=False, max_length=100, label="Search", help_text="Words in the title or service area"
    )
    decision = forms.ChoiceField(choices=DECISIONS, required=False, label="Decision")
    mark_optional = False

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def apply(self, proposals):
        if not self.is_bound or not self.is_valid():
            return proposals
        data = self.cleaned_data
        for word in data["q"].split():
            proposals = proposals.filter(Q(title__icontains=word) | Q(service_area__icontains=word))
        if data["decision"] == "decided":
            proposals = proposals.filter(decision_date__isnull=False)
        elif data["decision"] == "expected":
            proposals = proposals.filter(decision_date__isnull=True, expected_decision_date__isnull=False)
        elif data["decision"] == "undated":
            proposals = proposals.filter(decision_date__isnull=True, expected_decision_date__isnull=True)
        return proposals
