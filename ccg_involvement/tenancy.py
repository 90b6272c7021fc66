"""Tenancy: the one place that turns ``/<ods code>/…`` into an organisation the user may see.

Every organisation URL carries an ``org_code`` keyword. ``OrganisationMiddleware`` resolves it
against the user's memberships before any view runs:

* no membership (or no such organisation) → 404, so the existence of an organisation or an
  object is never revealed;
* a member → ``request.organisation`` and ``request.membership`` are set;
* a member whose role lacks the floor permission of the method — ``VIEW`` to read, ``EDIT`` for
  any unsafe method (POST, …) → 403: viewers never write, whatever the view.

A view asks for more with ``@requires(Permission.X)``; ``permissions_for(view, method)`` says what
a request needs (the URL-walk test reads it to build its role × organisation matrix). Every check
is ``has_permission`` (``ccg_involvement.permissions``). Views fetch rows through the models'
``for_organisation`` querysets (``ccg_involvement.scoping``), one object with ``get_scoped_or_404``.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccg_involvement import statements
from ccg_involvement.models import Membership, Organisation
from ccg_involvement.permissions import Permission, has_permission

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def floor_permission(method: str) -> Permission:
    """What any organisation URL needs, whatever the view: to read, VIEW; to write, EDIT."""
    return Permission.VIEW if method in SAFE_METHODS else Permission.EDIT


def permissions_for(view, method: str) -> frozenset[Permission]:
    """Every permission a ``method`` request to ``view`` needs: the floor and its ``@requires``."""
    needed = {floor_permission(method)}
    declared = getattr(view, "required_permission", None)
    methods = getattr(view, "required_methods", None)
    if declared is not None and (methods is None or method in methods):
        needed.add(declared)
    return frozenset(needed)


class OrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        code = view_kwargs.get("org_code")
        if code is None:
            return None
        if not request.user.is_authenticated:
            return None  # LoginRequiredMiddleware has already redirected anonymous users
        membership = membership_at(request.user, code)
        if membership is None:
            raise Http404("No such organisation.")
        request.organisation = membership.organisation
        request.membership = membership
        if not has_permission(membership, floor_permission(request.method)):
            raise PermissionDenied("Your role in this organisation can only view.")
        return None


def membership_at(user, code: str) -> Membership | None:
    """The membership of an active ``user`` at the organisation whose ODS code is ``code`` (any
    case), its ``organisation`` attached, or ``None``; as
    ``Membership.objects.for_user(user).get(organisation__ods_code=code.upper())`` would find it.

    Annotated: ``membership.has_other_organisations`` (does the user belong to another
    organisation? the header's switcher) and ``organisation.has_predecessors`` (the dashboard
    names them only then). One query written out rather than built by the ORM: it runs on every
    organisation page, and building the same query with ``Exists`` costs about 1 ms of processor
    time a request, ten times its execution. The columns are the models' own, read through the
    same converters as a queryset's (``ccg_involvement.statements``).
    """
    connection = connections[router.db_for_read(Membership)]
    qn, column = statements.quoted(connection.alias)
    m, o, u = Membership, Organisation, get_user_model()
    selected = statements.columns(connection.alias, (m, "m"), (o, "o"))
    sql = (
        f"SELECT {selected.sql}, "
        f"EXISTS(SELECT 1 FROM {qn(m._meta.db_table)} m2 "
        f"WHERE {column(m, 'm2', 'user')} = {column(m, 'm', 'user')} AND {column(m, 'm2', 'id')} <> {column(m, 'm', 'id')}), "
        f"EXISTS(SELECT 1 FROM {qn(o._meta.db_table)} p WHERE {column(o, 'p', 'successor')} = {column(o, 'o', 'id')}) "
        f"FROM {qn(m._meta.db_table)} m "
        f"INNER JOIN {qn(o._meta.db_table)} o ON {column(o, 'o', 'id')} = {column(m, 'm', 'organisation')} "
        f"INNER JOIN {qn(u._meta.db_table)} u ON {column(u, 'u', u._meta.pk.name)} = {column(m, 'm', 'user')} "
        f"WHERE {column(m, 'm', 'user')} = %s AND {column(u, 'u', 'is_active')} = %s "
        f"AND {column(o, 'o', 'ods_code')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, True, code.upper()])
        row = cursor.fetchone()
    if row is None:
        return None
    (membership, organisation), (others, predecessors) = selected.read(row, connection)
    membership.organisation = organisation
    membership.has_other_organisations = bool(others)
    organisation.has_predecessors = bool(predecessors)
    return membership


def requires(permission: Permission, *, methods: set[str] | None = None):
    """Refuse (403) unless the member's role grants ``permission``.

    With ``methods`` the check applies only to those HTTP methods (e.g. ``{"POST"}`` for a page
    that everyone may read and only some may change). The declaration stays on the view
    (``required_permission``, ``required_methods``) for ``permissions_for``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            applies = methods is None or request.method in methods
            if applies and not has_permission(getattr(request, "membership", None), permission):
                raise PermissionDenied(f"You need the “{permission}” permission for this.")
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        wrapper.required_methods = frozenset(methods) if methods is not None else None
        return wrapper

    return decorator


def get_scoped_or_404(model_or_queryset, request, **lookup):
    """The one object matching ``lookup`` among the request organisation's rows, or 404."""
    queryset = getattr(model_or_queryset, "_default_manager", model_or_queryset).all()
    return get_object_or_404(queryset.for_organisation(request.organisation), **lookup)
