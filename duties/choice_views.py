"""An "Other" organisation chooses the frameworks it is assessed against (organisation administrators)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ccg_involvement.errors import ActionError
from ccg_involvement.history import history_events
from ccg_involvement.models import OrganisationKind
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission
from ccg_involvement.tenancy import requires
from duties import actions
from duties.forms import FrameworkChoiceForm
from duties.models import Framework, FrameworkChoice


def _show(model_field, value, names) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "none"
    return str(value) if value else "—"


@requires(Permission.MANAGE_MEMBERS)
@require_http_methods(["GET", "HEAD", "POST"])
def framework_choice(request, org_code):
    organisation = request.organisation
    frameworks = list(Framework.objects.current().order_by("code"))
    choice = FrameworkChoice.objects.for_organisation(organisation).first()
    form = FrameworkChoiceForm(
        request.POST if request.method == "POST" else None,
        frameworks=frameworks,
        initial={"frameworks": choice.codes if choice else [], "reason": choice.reason if choice else ""},
    )
    is_other = organisation.kind == OrganisationKind.OTHER
    if request.method == "POST" and is_other and form.is_valid():
        try:
            choice = actions.choose_frameworks(
                organisation=organisation,
                codes=form.cleaned_data["frameworks"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            if choice.codes:
                titles = [f.short_title for f in frameworks if f.code in choice.codes]
                messages.success(request, f"Frameworks chosen: {', '.join(titles)}.")
            else:
                messages.success(request, "No frameworks are chosen now: no new checklists can be started.")
            return redirect("checklists", org_code=org_code)
    context = {
        "form": form,
        "is_other": is_other,
        "choice": choice,
        "history": history_events(choice, ["codes", "reason"], show=_show) if choice else [],
        "breadcrumbs": breadcrumbs(organisation, "checklists", ("Frameworks", request.path)),
    }
    status = 400 if request.method == "POST" and (form.errors or not is_other) else 200
    return render(request, "duties/framework_choice.html", context, status=status)
