import datetime

from engagements import actions
from engagements.inputs import ActivityInput
from engagements.models import AudienceGroup, Method, Partner


def activity_for(membership, *, title="Listening event", start=datetime.date(2025, 6, 1), **values):
    """An activity logged through the action, as users do."""
    values.setdefault("methods", [Method.objects.get(code="METHOD-PUBMEET")])
    values.setdefault("partners", [Partner.objects.get(code="PARTNER-HW")])
    values.setdefault("status", "completed")
    return actions.save_activity(
        organisation=membership.organisation,
        by=membership.user,
        data=ActivityInput(title=title, start_date=start, **values),
    )


def group(code):
    return AudienceGroup.objects.get(code=code)


def category(code):
    """A category within a protected characteristic ("ETH-A", "AGE-65-74"), with its group."""
    from engagements.models import AudienceCategory

    return AudienceCategory.objects.select_related("group").get(code=code)
