from django.urls import NoReverseMatch

from ccg_involvement.permissions import Permission, has_permission
from ccg_involvement.reversing import reverse

# (label, URL name, first path segment after /<org>/). A section whose URL is not installed
# is left out of the navigation rather than linking to an error.
NAVIGATION = [
    ("Dashboard", "dashboard", ""),
    ("Checklists", "checklists", "duties"),
    ("Activities", "activity-list", "activities"),
    ("Proposals", "proposal-list", "proposals"),
    ("Reports", "report-list", "reports"),
    ("Members", "members", "members"),  # organisation administrators only (MANAGE_MEMBERS)
]
NEEDS = {"members": Permission.MANAGE_MEMBERS}


def navigation(request):
    """The header's organisation switcher and primary navigation."""
    organisation = getattr(request, "organisation", None)
    user = getattr(request, "user", None)
    if organisation is None or user is None or not user.is_authenticated:
        return {}
    parts = request.path.strip("/").split("/")
    segment = parts[1] if len(parts) > 1 else ""
    items = []
    for label, url_name, key in NAVIGATION:
        if url_name in NEEDS and not has_permission(request.membership, NEEDS[url_name]):
            continue
        try:
            href = reverse(url_name, kwargs={"org_code": organisation.slug})
        except NoReverseMatch:
            continue
        items.append(
            {"label": label, "href": href, "current": href == request.path, "active": key == segment}
        )
    return {
        "current_organisation": organisation,
        "current_membership": request.membership,
        "primary_navigation": items,
        # annotated on the membership by OrganisationMiddleware, which set request.organisation
        "has_other_organisations": request.membership.has_other_organisations,
    }
