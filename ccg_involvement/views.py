from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ccg_involvement.models import Document, Membership
from ccg_involvement.permissions import Role
from ccg_involvement.tenancy import get_scoped_or_404


@require_safe
def home(request):
    """Send a member of one organisation straight there; let a member of several choose."""
    memberships = list(Membership.objects.for_user(request.user))
    if len(memberships) == 1:
        return redirect(memberships[0].organisation)
    return render(request, "ccg_involvement/choose_organisation.html", {"memberships": memberships})


@require_safe
def choose_organisation(request):
    memberships = list(Membership.objects.for_user(request.user))
    return render(request, "ccg_involvement/choose_organisation.html", {"memberships": memberships})


@require_safe
def document_download(request, org_code, pk):
    document = get_scoped_or_404(Document, request, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from the store.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_403(request, exception):
    """Say why, and who can help: the organisation's administrators by name (or the platform's)."""
    organisation = getattr(request, "organisation", None)
    administrators = []
    if organisation is not None:
        administrators = [
            m.display_name
            for m in Membership.objects.for_organisation(organisation)
            .filter(role=Role.ADMIN, user__is_active=True)
            .select_related("user")
        ]
    context = {
        "reason": str(exception) if exception else "",
        "organisation": organisation,
        "administrators": administrators,
        "role": request.membership.get_role_display().lower() if getattr(request, "membership", None) else "",
    }
    return render(request, "403.html", context, status=403)


def error_500(request):
    return render(request, "500.html", status=500)


@require_safe
def help_page(request):
    """Help and glossary: the duties, verdicts, importance, part of the duty, loop closure, the IAF
    indicator and small-number suppression, each with its source (unverified wording says so)."""
    from django.conf import settings

    return render(request, "ccg_involvement/help.html", {"threshold": settings.SMALL_NUMBER_THRESHOLD})
