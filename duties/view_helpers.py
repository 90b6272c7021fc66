"""What the checklist and item pages share: the checklist or item a URL names (404 otherwise), the
checklists breadcrumb of a year and what a locked checklist tells each role."""

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html_join

from ccg_involvement import statements
from ccg_involvement.permissions import Permission, Role, role_has
from duties.forms import StatusForm
from duties.models import Checklist, ChecklistItem, Duty, Framework, ItemStatus
from duties.selectors import item_url_maker


def checklist_or_404(request, year, framework):
    """The checklist the URL names (framework code in any case), with its framework and signer, as
    ``Checklist.objects.for_year(year).for_organisation(…).select_related("framework",
    "signed_off_by")`` would give it; its organisation is the request's (set, not joined). Written
    out as one statement, as ``item_or_404`` is: every checklist page and change reads it.
    """
    if request.organisation is None:
        raise Http404("No such checklist.")
    user = get_user_model()
    connection = connections[router.db_for_read(Checklist)]
    qn, column = statements.quoted(connection.alias)
    selected = statements.columns(connection.alias, (Checklist, "c"), (Framework, "f"), (user, "signer"))
    sql = (
        f"SELECT {selected.sql} FROM {qn(Checklist._meta.db_table)} c "
        f"INNER JOIN {qn(Framework._meta.db_table)} f ON {column(Framework, 'f', 'id')} = {column(Checklist, 'c', 'framework')} "
        f"LEFT JOIN {qn(user._meta.db_table)} signer ON {column(user, 'signer', user._meta.pk.name)} = {column(Checklist, 'c', 'signed_off_by')} "
        f"WHERE {column(Checklist, 'c', 'organisation')} = %s AND {column(Checklist, 'c', 'year')} = %s "
        f"AND UPPER({column(Framework, 'f', 'code')}) = UPPER(%s) LIMIT 2"
    )
    (checklist, framework_, signer), _ = _one(
        connection, selected, sql, [request.organisation.pk, year.start_year, framework], Checklist
    )
    checklist.framework, checklist.signed_off_by = framework_, signer
    checklist.organisation = request.organisation
    return checklist


def _one(connection, selected, sql, params, model):
    """The one row ``sql`` finds, read back (``statements.Columns.read``); 404 for none, and the
    ORM's ``MultipleObjectsReturned`` for more than one (as ``get_object_or_404`` would)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        raise Http404(f"No such {model._meta.verbose_name}.")
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(f"More than one {model._meta.verbose_name} matches.")
    return selected.read(rows[0], connection)


def item_or_404(request, year, framework, item):
    """The item the URL names (framework and duty codes in any case), with its checklist, framework,
    duty and people, as ``ChecklistItem.objects.for_year(year).for_organisation(…)
    .select_related("checklist__framework", "checklist__signed_off_by", "duty", "owner",
    "reviewed_by")`` would give it; 404 when the organisation has no such item.

    Written out as one statement (``ccg_involvement.statements``): every item page and every change
    to an item reads it, and the ORM took ten times its execution to compile the five joins. The
    organisation and the duty's framework are the request's organisation and the checklist's
    framework, so they are set rather than joined.
    """
    if request.organisation is None:
        raise Http404("No such checklist item.")
    user = get_user_model()
    connection = connections[router.db_for_read(ChecklistItem)]
    qn, column = statements.quoted(connection.alias)
    selected = statements.columns(
        connection.alias,
        (ChecklistItem, "i"),
        (Checklist, "c"),
        (Framework, "f"),
        (Duty, "d"),
        (user, "owner"),
        (user, "reviewer"),
        (user, "signer"),
    )
    user_table, user_pk = qn(user._meta.db_table), user._meta.pk.name
    sql = (
        f"SELECT {selected.sql} FROM {qn(ChecklistItem._meta.db_table)} i "
        f"INNER JOIN {qn(Checklist._meta.db_table)} c ON {column(Checklist, 'c', 'id')} = {column(ChecklistItem, 'i', 'checklist')} "
        f"INNER JOIN {qn(Framework._meta.db_table)} f ON {column(Framework, 'f', 'id')} = {column(Checklist, 'c', 'framework')} "
        f"INNER JOIN {qn(Duty._meta.db_table)} d ON {column(Duty, 'd', 'id')} = {column(ChecklistItem, 'i', 'duty')} "
        f"LEFT JOIN {user_table} owner ON {column(user, 'owner', user_pk)} = {column(ChecklistItem, 'i', 'owner')} "
        f"LEFT JOIN {user_table} reviewer ON {column(user, 'reviewer', user_pk)} = {column(ChecklistItem, 'i', 'reviewed_by')} "
        f"LEFT JOIN {user_table} signer ON {column(user, 'signer', user_pk)} = {column(Checklist, 'c', 'signed_off_by')} "
        f"WHERE {column(Checklist, 'c', 'organisation')} = %s AND {column(Checklist, 'c', 'year')} = %s "
        f"AND UPPER({column(Framework, 'f', 'code')}) = UPPER(%s) AND UPPER({column(Duty, 'd', 'code')}) = UPPER(%s) "
        "LIMIT 2"
    )
    (found, checklist, framework_, duty, owner, reviewer, signer), _ = _one(
        connection, selected, sql, [request.organisation.pk, year.start_year, framework, item], ChecklistItem
    )
    checklist.framework = framework_
    checklist.signed_off_by = signer
    checklist.organisation = request.organisation
    if duty.framework_id == checklist.framework_id:
        duty.framework = framework_
    found.checklist, found.duty, found.owner, found.reviewed_by = checklist, duty, owner, reviewer
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
