import datetime

from engagements import actions
from engagements.models import AudienceGroup, Method, Partner


def activity_for(membership, *, title="Listening event", start=datetime.date(2025, 6, 1), **values):
    """An activity logged through the action, as users do."""
    reach = values.pop("reach", None)
    methods = values.pop("methods", [Method.objects.get(code="METHOD-PUBMEET")])
    partners = values.pop("partners", [Partner.objects.get(code="PARTNER-HW")])
    duties = values.pop("duties", [])
    return actions.save_activity(
        organisation=membership.organisation,
        by=membership.user,
        values={"title": title, "start_date": start, "status": "completed", **values},
        methods=methods,
        partners=partners,
        duties=duties,
        reach=reach,
    )


def group(code):
    return AudienceGroup.objects.get(code=code)
