"""Tenancy: the one place that turns ``/<ods code>/…`` into an organisation the user may see.

Every organisation URL carries an ``org_code`` keyword. ``OrganisationMiddleware`` resolves it
against the user's memberships before any view runs:

* no membership (or no such organisation) → 404, so the existence of an organisation or an
  object is never revealed;
* a member → ``request.organisation`` and ``request.membership`` are set;
* a viewer sending an unsafe method (POST, …) → 403: viewers never write, whatever the view.

Views then fetch objects only through ``scoped(Model, request)`` / ``get_scoped_or_404``, and
declare write permissions with ``@requires(Permission.X)``.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccg_involvement.models import Membership
from ccg_involvement.permissions import Permission

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


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
        others = Membership.objects.for_user(request.user).exclude(pk=OuterRef("pk"))
        membership = (
            Membership.objects.for_user(request.user)
            .filter(organisation__ods_code=code.upper())
            .annotate(has_other_organisations=Exists(others))  # for the header's switcher
            .first()
        )
        if membership is None:
            raise Http404("No such organisation.")
        request.organisation = membership.organisation
        request.membership = membership
        if request.method not in SAFE_METHODS and not membership.can(Permission.EDIT):
            raise PermissionDenied("Your role in this organisation can only view.")
        return None


def requires(permission: Permission, *, methods: set[str] | None = None):
    """Refuse (403) unless the member's role grants ``permission``.

    With ``methods`` the check applies only to those HTTP methods (e.g. ``{"POST"}`` for a page
    that everyone may read and only some may change).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if methods is None or request.method in methods:
                membership = getattr(request, "membership", None)
                if membership is None or not membership.can(permission):
                    raise PermissionDenied(f"You need the “{permission}” permission for this.")
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def scoped(model, request):
    """The model's rows that belong to the request's organisation (always use this)."""
    if request.organisation is None:
        raise Http404
    manager = model._default_manager
    return manager.filter(organisation=request.organisation)


def get_scoped_or_404(model_or_queryset, request, **lookup):
    queryset = model_or_queryset
    if not hasattr(queryset, "filter") or not hasattr(queryset, "model"):
        queryset = scoped(model_or_queryset, request)
    else:
        queryset = queryset.filter(organisation=request.organisation)
    return get_object_or_404(queryset, **lookup)
