"""The checklist pages: the year's checklists, one checklist, sign-off, reopening, bulk changes and next year.

The item pages are in ``duties.item_views``; what both share in ``duties.view_helpers``.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccg_involvement.confirmation import confirm_page
from ccg_involvement.errors import ActionError
from ccg_involvement.models import OrganisationKind
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission, permission_flags
from ccg_involvement.redirects import safe_next
from ccg_involvement.tenancy import requires
from ccg_involvement.years import ReportingYear
from duties import actions, selectors
from duties.forms import (
    BulkChangeForm,
    ItemFilterForm,
    ReopenForm,
    SignOffForm,
    StartChecklistsForm,
)
from duties.models import Checklist, Framework, FrameworkChoice, ItemStatus
from duties.view_helpers import (
    checklist_or_404,
    checklists_crumb,
    lock_context,
    prepare_status_cells,
)


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_list(request, org_code):
    organisation = request.organisation
    frameworks = list(Framework.objects.applying_to_organisation(organisation))
    year, year_error = ReportingYear.chosen(request.GET.get("year"))
    if year_error:
        messages.error(request, year_error)
    form = StartChecklistsForm(request.POST or None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        chosen = [f for f in frameworks if f.code in form.cleaned_data["frameworks"]]
        started, refused = [], []
        for framework in chosen:
            try:
                actions.start_checklist(
                    organisation=organisation,
                    framework=framework,
                    year=form.cleaned_data["year"],
                    by=request.user,
                )
                started.append(framework.short_title)
            except ActionError as exc:
                refused.append(str(exc))
        if started:
            messages.success(request, f"Started {', '.join(started)} for {form.cleaned_data['year']}.")
        for message in refused:
            messages.warning(request, message)
        return redirect(
            reverse("checklists", kwargs={"org_code": org_code}) + f"?year={form.cleaned_data['year'].slug}"
        )
    years = selectors.years_with_checklists(organisation)
    context = {
        "year": year,
        "checklists": list(selectors.checklists_for(organisation, year)),
        "years": [ReportingYear(y) for y in years],
        "form": form,
        "frameworks": frameworks,
        "is_other": organisation.kind == OrganisationKind.OTHER,
        "choice": FrameworkChoice.objects.for_organisation(organisation).select_related("changed_by").first()
        if organisation.kind == OrganisationKind.OTHER
        else None,
        **permission_flags(request.membership),
        "breadcrumbs": breadcrumbs(request.organisation),
    }
    return render(request, "duties/checklist_list.html", context)


@require_safe
def checklist_detail(request, org_code, year, framework):
    checklist = checklist_or_404(request, year, framework)
    items = selectors.checklist_items(checklist)
    item_filter = ItemFilterForm(request.GET or None, items=items)
    next_year_exists = (
        Checklist.objects.for_organisation(request.organisation)
        .for_year(year.next())
        .filter(framework__code=checklist.framework.code)
        .exists()
    )
    shown = item_filter.apply(items, timezone.localdate())
    flags = permission_flags(request.membership, checklist)
    if flags["can_edit"]:
        prepare_status_cells(checklist, shown)
    context = {
        "checklist": checklist,
        "items": shown,
        "item_total": len(items),
        "item_filter": item_filter,
        # only an editor sees the bulk form; its items are the checklist's, already read
        "bulk_form": BulkChangeForm(checklist=checklist, item_ids=[item.pk for item in items])
        if flags["can_edit"]
        else None,
        "progress": selectors.progress_of(checklist, items),
        **lock_context(request, checklist),
        **flags,
        "can_start_next_year": has_permission(request.membership, Permission.EDIT) and not next_year_exists,
        "breadcrumbs": breadcrumbs(request.organisation, checklists_crumb(request, year)),
    }
    return render(request, "duties/checklist_detail.html", context)


@requires(Permission.REVIEW, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_sign_off(request, org_code, year, framework):
    checklist = checklist_or_404(request, year, framework)
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.sign_off(checklist=checklist, by=request.user, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{checklist} signed off. It is now locked.")
            return redirect(checklist)
    context = {
        "checklist": checklist,
        "form": form,
        # what stands in the way, listed (and linked) before any form
        "waiting": list(
            checklist.items.exclude(status=ItemStatus.REVIEWED)
            .select_related("duty")
            .order_by("duty__number")
        ),
        "self_reviewed": list(checklist.self_reviewed_items()),
        **permission_flags(request.membership, checklist),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            checklists_crumb(request, year),
            (checklist.framework.short_title, checklist.get_absolute_url()),
        ),
    }
    return render(request, "duties/sign_off.html", context, status=400 if form.errors else 200)


@requires(Permission.REVIEW, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_reopen(request, org_code, year, framework):
    checklist = checklist_or_404(request, year, framework)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reopen(checklist=checklist, by=request.user, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{checklist} reopened.")
            return redirect(checklist)
    context = {
        "checklist": checklist,
        "form": form,
        **lock_context(request, checklist),
        **permission_flags(request.membership, checklist),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            checklists_crumb(request, year),
            (checklist.framework.short_title, checklist.get_absolute_url()),
        ),
    }
    return render(request, "duties/reopen.html", context, status=400 if form.errors else 200)


@require_POST
@requires(Permission.EDIT)
def checklist_bulk(request, org_code, year, framework):
    """Apply a new owner and/or status to the ticked items (a plain POST; back to the checklist)."""
    checklist = checklist_or_404(request, year, framework)
    form = BulkChangeForm(request.POST, checklist=checklist)
    back = safe_next(request, checklist.get_absolute_url())
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(back)
    try:
        count = actions.bulk_change(
            checklist=checklist,
            item_ids=[int(pk) for pk in form.cleaned_data["items"]],
            by=request.user,
            owner=form.owner_value(),
            status=form.cleaned_data["status"],
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Changed {count} {checklist.framework.item_label}{'s' if count != 1 else ''}."
        )
    return HttpResponseRedirect(back)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_next_year(request, org_code, year, framework):
    checklist = checklist_or_404(request, year, framework)
    if request.method != "POST":
        return confirm_page(
            request,
            title=f"Start {checklist.reporting_year.next()} from this checklist?",
            caption=str(checklist),
            body=f"A new {checklist.framework.short_title} checklist for {checklist.reporting_year.next()} is "
            "created. Narrative, owners and planned actions are carried forward; every status and verdict "
            "starts again, so each item needs re-checking. This cannot be undone.",
            button=f"Start {checklist.reporting_year.next()}",
            back_url=checklist.get_absolute_url(),
            warning=False,
        )
    try:
        new = actions.start_next_year(checklist=checklist, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect(checklist)
    messages.success(
        request,
        f"Started {new}. Narrative, owners and planned actions were carried forward; every item needs re-checking.",
    )
    return redirect(new)
