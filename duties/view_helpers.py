"""What the checklist and item pages share: the checklist or item a URL names (404 otherwise), the
checklists breadcrumb of a year and what a locked checklist tells each role."""

from django.urls import reverse
from django.utils.html import format_html_join

from ccg_involvement.permissions import Permission, Role, role_has
from ccg_involvement.tenancy import get_scoped_or_404
from duties.forms import StatusForm
from duties.models import Checklist, ChecklistItem, ItemStatus
from duties.selectors import item_url_maker


def checklist_or_404(request, year, framework):
    """The checklist the URL names; its organisation is the request's (set, not joined)."""
    found = get_scoped_or_404(
        Checklist.objects.for_year(year).select_related("framework", "signed_off_by"),
        request,
        framework__code__iexact=framework,
    )
    found.organisation = request.organisation
    return found


def item_or_404(request, year, framework, item):
    """The item the URL names, with its checklist, framework, duty and people.

    The organisation and the duty's framework are the request's organisation and the checklist's
    framework, so they are set rather than joined: every join makes PostgreSQL's planning of this
    one query (run on every item page) slower than its execution.
    """
    found = get_scoped_or_404(
        ChecklistItem.objects.for_year(year).select_related(
            "checklist__framework",
            "checklist__signed_off_by",
            "duty",
            "owner",
            "reviewed_by",
        ),
        request,
        checklist__framework__code__iexact=framework,
        duty__code__iexact=item,
    )
    found.checklist.organisation = request.organisation
    if found.duty.framework_id == found.checklist.framework_id:
        found.duty.framework = found.checklist.framework
    return found


def checklists_crumb(request, year):
    url = reverse("checklists", kwargs={"org_code": request.organisation.slug}) + f"?year={year.slug}"
    return (f"Checklists {year}", url)


def lock_context(request, checklist) -> dict:
    """On a signed-off checklist: whether this user may reopen it, and else who can (by name)."""
    if not checklist.is_signed_off:
        return {}
    from ccg_involvement.history import display_name
    from ccg_involvement.models import Membership

    may_reopen = role_has(request.membership.role, Permission.REVIEW)
    reopeners = []
    if not may_reopen:
        reviewer_roles = [role for role in Role if role_has(role, Permission.REVIEW)]
        reopeners = [
            display_name(m.user)
            for m in Membership.objects.for_organisation(checklist.organisation)
            .filter(role__in=reviewer_roles, user__is_active=True)
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user__username")
        ]
    return {"may_reopen": may_reopen, "reopeners": reopeners}


def prepare_status_cells(checklist, items) -> None:
    """What ``duties/_status_cell.html`` prints for each item of ``checklist``, its costly parts done
    once per page: ``item.status_url`` (the status form's action) and ``item.status_options`` (the
    select's options with the item's status selected; one string per status, shared by the rows)."""
    status_url = item_url_maker(checklist, "checklist-item-status")
    choices = StatusForm.base_fields["status"].choices
    options = {
        status: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, " selected" if value == status else "", label) for value, label in choices),
        )
        for status in ItemStatus.values
    }
    for item in items:
        item.status_url = status_url(item)
        item.status_options = options[item.status]
