from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Framework


def framework(code="WPPC22"):
    return Framework.objects.get(code=code, is_current=True)


def checklist_for(membership, code="WPPC22", year=None):
    """A started checklist (through the action, as users do) for the member's organisation."""
    return actions.start_checklist(
        organisation=membership.organisation,
        framework=framework(code),
        year=year or ReportingYear(2025),
        by=membership.user,
    )


def wppc(number):
    """Principle ``number`` of the current s14Z45 framework (the ICB duties)."""
    from duties.models import Duty

    return Duty.objects.get(framework__code="WPPC22", framework__is_current=True, number=number)
