"""One form per screening step (by step group), and the forms that link activities."""

from engagements.proposals.forms.decision import Step7Form, Step8Form, Step9Form
from engagements.proposals.forms.filters import ProposalFilterForm
from engagements.proposals.forms.involvement import Step5Form, Step6Form
from engagements.proposals.forms.links import LinkActivityForm, LinkToProposalForm
from engagements.proposals.forms.screening import Step1Form, Step2Form, Step3Form, Step4Form

__all__ = [
    "LinkActivityForm",
    "LinkToProposalForm",
    "ProposalFilterForm",
    "Step1Form",
    "Step2Form",
    "Step3Form",
    "Step4Form",
    "Step5Form",
    "Step6Form",
    "Step7Form",
    "Step8Form",
    "Step9Form",
]
