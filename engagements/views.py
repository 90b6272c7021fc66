from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccg_involvement.confirmation import confirm_page
from ccg_involvement.errors import ActionError, add_to_form
from ccg_involvement.models import Document
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.pagination import OneStatementPaginator
from ccg_involvement.permissions import Permission, permission_flags
from ccg_involvement.tenancy import get_scoped_or_404, requires
from ccg_involvement.withdrawal import withdraw_page
from duties.forms import DocumentForm
from engagements import actions, selectors
from engagements.filters import ActivityFilterForm, apply_filters, with_list_annotations
from engagements.forms import OutcomeForm, RationaleForm
from engagements.models import Activity, Outcome

PAGE_SIZE = 25


def _activity(request, pk):
    return get_scoped_or_404(Activity.objects.select_related("organisation"), request, pk=pk)


@require_safe
def activity_list(request, org_code):
    organisation = request.organisation
    duties = selectors.duty_filter_choices(organisation)
    form = ActivityFilterForm(request.GET or None, organisation=organisation, duties=duties)
    queryset, applied = apply_filters(Activity.objects.for_organisation(organisation), form)
    listed = with_list_annotations(queryset)
    if applied.searched:  # every candidate row is read anyway: the total comes with the page
        paginator = OneStatementPaginator(listed.values(*selectors.LIST_FIELDS), PAGE_SIZE)
    else:
        paginator = Paginator(listed, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": form,
        "page": page,
        "rows": selectors.activity_rows(organisation, page.object_list),
        "applied": applied,
        "query": query.urlencode(),
        **permission_flags(request.membership),
        "breadcrumbs": breadcrumbs(organisation),
    }
    template = "engagements/activity_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _detail_context(request, activity_pk, *, document_form=None):
    activity = selectors.activity_detail(request.organisation, activity_pk)
    return {
        "activity": activity,
        "reach": list(activity.reach.all()),
        "duty_links": list(activity.duty_links.select_related("duty__framework")),
        "documents": list(activity.documents.current().select_related("uploaded_by")),
        "outcomes": list(activity.outcomes.all()),
        "history": selectors.activity_history(activity),
        "document_form": document_form or DocumentForm(),
        **permission_flags(request.membership, activity),
        "breadcrumbs": breadcrumbs(request.organisation, "activities"),
    }


@require_safe
def activity_detail(request, org_code, pk):
    _activity(request, pk)
    return render(request, "engagements/activity_detail.html", _detail_context(request, pk))


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def outcome_create(request, org_code, pk):
    """Add one "you said, we did" outcome, on a page of its own (one form, one Save)."""
    activity = _activity(request, pk)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_outcome(activity=activity, by=request.user, **form.cleaned_data)
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Outcome added.")
            return redirect(activity.get_absolute_url() + "#outcomes")
    context = {
        "form": form,
        "activity": activity,
        "breadcrumbs": breadcrumbs(request.organisation, "activities", activity),
    }
    return render(request, "engagements/outcome_form.html", context, status=400 if form.errors else 200)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def outcome_edit(request, org_code, pk, outcome_pk):
    activity = _activity(request, pk)
    outcome = get_object_or_404(Outcome, activity=activity, pk=outcome_pk)
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                actions.update_outcome(outcome=outcome, by=request.user, **form.cleaned_data)
            except ActionError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, "Outcome saved.")
                return redirect(activity.get_absolute_url() + "#outcomes")
    else:
        form = OutcomeForm(initial={name: getattr(outcome, name) for name in OutcomeForm.base_fields})
    context = {
        "form": form,
        "activity": activity,
        "outcome": outcome,
        "breadcrumbs": breadcrumbs(request.organisation, "activities", activity),
    }
    return render(request, "engagements/outcome_form.html", context, status=400 if form.errors else 200)


@require_POST
@requires(Permission.EDIT)
def activity_document_upload(request, org_code, pk):
    activity = _activity(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = actions.attach_activity_document(
                activity=activity,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                evidence_date=form.cleaned_data["evidence_date"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            messages.success(request, f"Attached “{document.title}”.")
            return redirect(activity.get_absolute_url() + "#documents")
    context = _detail_context(request, pk, document_form=form)
    return render(request, "engagements/activity_detail.html", context, status=400)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_document_remove(request, org_code, pk, document_pk):
    activity = _activity(request, pk)
    document = get_scoped_or_404(Document, request, pk=document_pk)
    if request.method != "POST":
        return confirm_page(
            request,
            title=f"Remove “{document.title}”?",
            caption=activity.title,
            body="It is taken off this activity. The file is kept, and the activity's history records who "
            "removed it and when.",
            button="Yes, remove it",
            back_url=activity.get_absolute_url() + "#documents",
        )
    try:
        actions.remove_activity_document(activity=activity, document=document, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed “{document.title}”. It stays in the history.")
    return redirect(activity.get_absolute_url() + "#documents")


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_duty_rationale(request, org_code, pk, link_pk):
    """Why the activity evidences one duty, on a page of its own (one form, one Save)."""
    activity = _activity(request, pk)
    link = get_object_or_404(activity.duty_links.select_related("duty__framework"), pk=link_pk)
    form = RationaleForm(
        request.POST if request.method == "POST" else None, initial={"rationale": link.rationale}
    )
    if request.method == "POST" and form.is_valid():
        actions.set_duty_rationale(
            activity=activity, duty_link_id=link_pk, rationale=form.cleaned_data["rationale"], by=request.user
        )
        messages.success(request, "Rationale saved.")
        return redirect(activity.get_absolute_url() + "#duties")
    context = {
        "form": form,
        "activity": activity,
        "link": link,
        "breadcrumbs": breadcrumbs(request.organisation, "activities", activity),
    }
    return render(request, "engagements/rationale_form.html", context, status=400 if form.errors else 200)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_withdraw(request, org_code, pk):
    activity = _activity(request, pk)
    return withdraw_page(
        request,
        activity,
        noun="activity",
        title=activity.title,
        back_url=activity.get_absolute_url(),
        done_url=activity.get_absolute_url(),
        withdraw=lambda **kw: actions.withdraw_activity(activity=activity, **kw),
        crumbs=breadcrumbs(request.organisation, "activities", activity),
    )


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def outcome_withdraw(request, org_code, pk, outcome_pk):
    activity = _activity(request, pk)
    outcome = get_object_or_404(Outcome, activity=activity, pk=outcome_pk)
    return withdraw_page(
        request,
        outcome,
        noun="outcome",
        title=outcome.what_we_heard[:80],
        back_url=activity.get_absolute_url() + "#outcomes",
        done_url=activity.get_absolute_url() + "#outcomes",
        withdraw=lambda **kw: actions.withdraw_outcome(outcome=outcome, **kw),
        crumbs=breadcrumbs(request.organisation, "activities", activity),
    )
