"""Logging and editing an activity in steps (``engagements.steps``): one page per step, and a summary.

Step 1 of a new activity creates it (after the duplicate warning); each later step saves its answers
on the activity with the version the page was loaded with, so a stale step answers 409 with what
changed and keeps what was typed. Every page works without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from ccg_involvement.errors import ActionError, add_to_form
from ccg_involvement.history import VersionConflict
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission, permission_flags
from ccg_involvement.tenancy import get_scoped_or_404, requires
from engagements import actions, selectors, steps
from engagements.forms import activity_initial
from engagements.models import Activity


def step_url(activity, step: int) -> str:
    return reverse(
        "activity-step", kwargs={"org_code": activity.organisation.slug, "pk": activity.pk, "step": step}
    )


def summary_url(activity) -> str:
    return reverse("activity-steps", kwargs={"org_code": activity.organisation.slug, "pk": activity.pk})


def _step_page(request, step, form, activity=None, *, status=200, **extra):
    context = {
        "activity": activity,
        "form": form,
        "step": step,
        "step_count": steps.STEP_COUNT,
        "last": step.number == steps.LAST,
        "previous_step": steps.previous_step(step.number),
        "breadcrumbs": breadcrumbs(request.organisation, "activities", *([activity] if activity else [])),
        **extra,
    }
    if activity is not None and step.number == steps.LAST:
        context["outcomes"] = list(activity.outcomes.all())
    return render(request, "engagements/activity_step.html", context, status=status)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_create(request, org_code):
    """Step 1 of a new activity: what and when. Saving it logs the activity."""
    first = steps.STEPS[steps.FIRST]
    form = steps.ActivityStepForm(
        request.POST if request.method == "POST" else None, organisation=request.organisation, step=first
    )
    duplicates = []
    if request.method == "POST" and form.is_valid() and not request.POST.get("confirm_duplicate"):
        # the import refuses duplicates; a hand-logged one that looks the same warns before saving
        duplicates = selectors.similar_activities(
            request.organisation, form.cleaned_data["title"], form.cleaned_data["start_date"]
        )
    if request.method == "POST" and form.is_valid() and not duplicates:
        try:
            activity = actions.save_activity(
                organisation=request.organisation, by=request.user, data=form.activity_input()
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Logged “{activity.title}”. Now say who took part.")
            return redirect(step_url(activity, steps.next_step(first.number)))
    return _step_page(
        request, first, form, creating=True, duplicates=duplicates, status=400 if form.errors else 200
    )


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_step(request, org_code, pk, step):
    if step not in steps.STEPS:
        raise Http404("No such step.")
    described = steps.STEPS[step]
    activity = get_scoped_or_404(Activity.objects.select_related("organisation"), request, pk=pk)
    if not has_permission(request.membership, Permission.EDIT, activity):
        raise PermissionDenied("A withdrawn activity is kept as it was: it cannot be changed.")
    kwargs = {"organisation": request.organisation, "step": described}
    if request.method != "POST":
        form = steps.ActivityStepForm(initial=activity_initial(activity), **kwargs)
        return _step_page(request, described, form, activity)
    form = steps.ActivityStepForm(request.POST, **kwargs)
    if form.is_valid() and not form.changes(activity):  # nothing to save: on to where the person asked
        return _after_step(request, activity, step, "Nothing changed in step {step}.")
    if form.is_valid():
        try:
            saved = actions.save_activity(
                organisation=request.organisation,
                by=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"],
                data=form.activity_input(activity),
            )
        except VersionConflict as conflict:
            # Keep what this user typed; the next save goes through now they have seen the changes.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = steps.ActivityStepForm(data, **kwargs)
            form.is_valid()
            return _step_page(request, described, form, conflict.current, conflict=conflict, status=409)
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            return _after_step(request, saved, step, f"Saved step {step}: {described.title.lower()}.")
    return _step_page(request, described, form, activity, status=400)


def _after_step(request, activity, step: int, message: str):
    """Where a saved step goes: the outcome page, the summary, or the next step, as the button said."""
    messages.success(request, message.format(step=step))
    following = steps.next_step(step)
    if "add_outcome" in request.POST:  # saved first: nothing typed is lost on the way
        return redirect(
            reverse("outcome-create", kwargs={"org_code": activity.organisation.slug, "pk": activity.pk})
        )
    if "return" in request.POST or following is None:
        return redirect(summary_url(activity))
    return redirect(step_url(activity, following))


@require_safe
def activity_steps(request, org_code, pk):
    """The activity's answers step by step, each with its state and a change link (check your answers)."""
    get_scoped_or_404(Activity, request, pk=pk)
    activity = selectors.activity_detail(request.organisation, pk)
    context = {
        "activity": activity,
        "states": steps.step_states(activity),
        "step_count": steps.STEP_COUNT,
        "reach": list(activity.reach.all()),
        "duty_links": list(activity.duty_links.select_related("duty__framework")),
        "outcomes": list(activity.outcomes.all()),
        **permission_flags(request.membership, activity),
        "breadcrumbs": breadcrumbs(request.organisation, "activities", activity),
    }
    return render(request, "engagements/activity_steps.html", context)


@requires(Permission.EDIT)
@require_safe
def activity_edit(request, org_code, pk):
    """Editing an activity starts from its steps' summary, where each step has its change link."""
    activity = get_scoped_or_404(Activity.objects.select_related("organisation"), request, pk=pk)
    return redirect(summary_url(activity))
