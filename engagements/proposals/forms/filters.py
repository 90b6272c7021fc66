"""Find proposals on the list page (GET, no JavaScript): words in the title or service area, where
the decision has got to, the proposal's status and its stage (the first screening step still open).

Status and stage are worked out from the screening steps (``steps.py``, which the list page passes
in as ``stages``), so ``apply`` narrows what the database can and the page keeps the proposals whose
steps match (``matches``), over the rows it has already loaded with their lists.
"""

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
    STATUSES = [
        ("", "Any"),
        ("open", "Screening not finished"),
        ("screened", "Screening complete"),
        ("withdrawn", "Withdrawn"),
    ]

    decision = forms.ChoiceField(choices=DECISIONS, required=False, label="Decision")
    status = forms.ChoiceField(choices=STATUSES, required=False, label="Status")
    stage = forms.ChoiceField(
        choices=[("", "Any")],
        required=False,
        label="Stage",
        help_text="The first screening step not yet answered",
    )
    mark_optional = False

    def __init__(self, *args, stages=(), **kwargs):
        """``stages``: ``(step number, title)`` of each screening step."""
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Any"), *((str(n), f"Step {n}: {title}") for n, title in stages)]

    @property
    def by_steps(self) -> bool:
        """Whether the choice needs each proposal's screening steps (``matches``)."""
        return (
            self.is_bound
            and self.is_valid()
            and bool(self.cleaned_data["stage"] or self.cleaned_data["status"] in {"open", "screened"})
        )

    def matches(self, first_open: int | None) -> bool:
        """Whether a proposal whose first open step is ``first_open`` (None: all answered) is wanted."""
        data = self.cleaned_data
        if data["status"] == "open" and first_open is None:
            return False
        if data["status"] == "screened" and first_open is not None:
            return False
        return not data["stage"] or first_open == int(data["stage"])

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
        if data["status"] == "withdrawn":
            proposals = proposals.filter(withdrawn_at__isnull=False)
        elif data["status"] or data["stage"]:  # being screened: not withdrawn
            proposals = proposals.filter(withdrawn_at__isnull=True)
        return proposals
