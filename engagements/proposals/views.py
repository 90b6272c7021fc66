"""Proposal pages: list, create, one page per screening step, summary, decision record, links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccg_involvement.confirmation import confirm_page
from ccg_involvement.errors import ActionError
from ccg_involvement.history import VersionConflict
from ccg_involvement.models import Document
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission, permission_flags
from ccg_involvement.tenancy import get_scoped_or_404, requires
from ccg_involvement.withdrawal import withdraw_page
from engagements.models import Activity
from engagements.proposals import actions, selectors, steps
from engagements.proposals.forms import LinkActivityForm, LinkToProposalForm, ProposalFilterForm
from engagements.proposals.models import Proposal
from engagements.proposals.warnings import groups_not_reached, warnings_for
from engagements.proposals.wording import DutyPosition, duty_position, framework_wording

PAGE_SIZE = 25


def _list_url(request):
    return reverse("proposal-list", kwargs={"org_code": request.organisation.slug})


def _step_url(proposal, step):
    return reverse(
        "proposal-step", kwargs={"org_code": proposal.organisation.slug, "pk": proposal.pk, "step": step}
    )


def _proposal(request, pk):
    return get_scoped_or_404(
        Proposal.objects.select_related("organisation", "trigger", "owner", "ehia_document"), request, pk=pk
    )


def _full_proposal(request, pk):
    try:
        return selectors.proposal_for_page(request.organisation, pk)
    except Proposal.DoesNotExist:
        raise Http404("No such proposal.") from None


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
def proposal_list(request, org_code):
    organisation = request.organisation
    filters = ProposalFilterForm(request.GET or None, stages=steps.stage_choices())
    proposals = filters.apply(selectors.proposals_for_list(organisation))
    if filters.by_steps:  # status and stage come from the steps: worked out over the loaded rows
        proposals = [p for p in proposals if filters.matches(steps.first_open_step(p))]
    paginator = Paginator(proposals, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "proposal": proposal,
            "answered": steps.steps_answered(proposal),
            "stage": steps.first_open_step(proposal),
            "warnings": warnings_for(proposal),
            "position": DutyPosition.LABELS[duty_position(proposal)],
        }
        for proposal in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "step_count": steps.STEP_COUNT,
        "filters": filters,
        "query": _query_without_page(request),
        "wording": framework_wording(organisation),
        **permission_flags(request.membership),
        "breadcrumbs": breadcrumbs(organisation),
    }
    return render(request, "engagements/proposals/list.html", context)


def _step_page(request, step: steps.Step, form, proposal=None, *, conflict=None, status=200, **extra):
    context = {
        "proposal": proposal,
        "form": form,
        "step": step,
        "step_count": steps.STEP_COUNT,
        "last": step.number == steps.LAST,
        "wording": framework_wording(request.organisation),
        "conflict": conflict,
        "breadcrumbs": breadcrumbs(request.organisation, "proposals", proposal),
        **extra,
    }
    if proposal is not None:
        context |= {
            "previous_step": steps.previous_step(proposal, step.number),
            "next_step": steps.next_step(proposal, step.number),
            **step.context(proposal),
        }
    return render(request, "engagements/proposals/step.html", context, status=status)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request, org_code):
    first = steps.STEPS[steps.FIRST]
    form = first.form(
        request.POST or None, initial={"owner": request.user.pk}, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.create_proposal(
                organisation=request.organisation, by=request.user, values=form.values()
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added “{proposal.title}”. Now screen it, step by step.")
            return redirect(_step_url(proposal, steps.next_step(proposal, first.number)))
    return _step_page(request, first, form, creating=True, status=400 if form.errors else 200)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_step(request, org_code, pk, step):
    if step not in steps.STEPS:
        raise Http404("No such step.")
    described = steps.STEPS[step]
    proposal = _proposal(request, pk)
    if not described.is_needed(proposal):
        if request.method == "POST":
            return redirect(_step_url(proposal, steps.next_step(proposal, step)))
        return _step_page(request, described, None, proposal, not_needed=True)
    kwargs = {"proposal": proposal, "organisation": request.organisation}
    if request.method != "POST":
        form = described.form(initial=described.form.initial_for(proposal), **kwargs)
        return _step_page(request, described, form, proposal)
    form = described.form(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            saved = actions.save_step(
                proposal=proposal,
                step=step,
                by=request.user,
                values=form.values(),
                expected_version=form.cleaned_data.get("version"),
                upload=form.uploaded_file,
                upload_title=form.upload_title,
            )
        except VersionConflict as conflict:
            # Keep what this user typed; the next save goes through now they have seen the changes.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = described.form(data, **kwargs)
            form.is_valid()
            return _step_page(request, described, form, conflict.current, conflict=conflict, status=409)
        except ValidationError as exc:
            form.add_error("upload" if "upload" in form.fields else None, exc.messages[0])
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Step {step} saved.")
            following = steps.next_step(saved, step)
            if "return" in request.POST or following is None:
                return redirect(saved)
            return redirect(_step_url(saved, following))
    return _step_page(request, described, form, proposal, status=400)


def _page_context(request, proposal):
    return {**selectors.record_context(proposal), **permission_flags(request.membership, proposal)}


@require_safe
def proposal_detail(request, org_code, pk):
    proposal = _full_proposal(request, pk)
    context = {
        **_page_context(request, proposal),
        "history": selectors.proposal_history(proposal),
        "breadcrumbs": breadcrumbs(request.organisation, "proposals"),
    }
    return render(request, "engagements/proposals/detail.html", context)


@require_safe
def proposal_record(request, org_code, pk):
    proposal = _full_proposal(request, pk)
    context = {
        **_page_context(request, proposal),
        "breadcrumbs": breadcrumbs(request.organisation, "proposals", proposal),
        "can_generate": has_permission(request.membership, Permission.EDIT, proposal),  # editors: drafts
    }
    return render(request, "engagements/proposals/record.html", context)


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_activities(request, org_code, pk):
    proposal = _proposal(request, pk)
    form = LinkActivityForm(request.POST or None, proposal=proposal)
    if request.method == "POST" and form.is_valid():
        activity = form.cleaned_data["activity"]
        try:
            actions.link_activity(proposal=proposal, activity=activity, by=request.user)
        except ActionError as exc:
            form.add_error("activity", str(exc))
        else:
            messages.success(request, f"Linked “{activity.title}”.")
            return redirect(reverse("proposal-activities", kwargs={"org_code": org_code, "pk": proposal.pk}))
    full = _full_proposal(request, pk)
    context = {
        "proposal": full,
        "form": form,
        "activities": selectors.linked_activities(full),
        "affected": list(full.affected_groups.all()),
        "warnings": groups_not_reached(full),
        **permission_flags(request.membership, full),
        "breadcrumbs": breadcrumbs(request.organisation, "proposals", full),
    }
    return render(
        request, "engagements/proposals/activities.html", context, status=400 if form.errors else 200
    )


@require_POST
@requires(Permission.EDIT)
def proposal_activity_remove(request, org_code, pk, activity_pk):
    proposal = _proposal(request, pk)
    activity = get_scoped_or_404(Activity, request, pk=activity_pk)
    try:
        actions.unlink_activity(proposal=proposal, activity=activity, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Unlinked “{activity.title}”.")
    return redirect(reverse("proposal-activities", kwargs={"org_code": org_code, "pk": proposal.pk}))


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_document_remove(request, org_code, pk, document_pk):
    proposal = _proposal(request, pk)
    document = get_scoped_or_404(Document, request, pk=document_pk)
    step = request.GET.get("step", "") if request.method != "POST" else ""
    if request.method != "POST":
        return confirm_page(
            request,
            title=f"Remove “{document.title}”?",
            caption=proposal.title,
            body="It is taken off this proposal. The file is kept, and the proposal's history records who "
            "removed it and when.",
            button="Yes, remove it",
            back_url=_step_url(proposal, int(step))
            if step.isdigit() and int(step) in steps.STEPS
            else proposal.get_absolute_url(),
            hidden={"step": step} if step.isdigit() else {},
        )
    try:
        actions.remove_proposal_document(proposal=proposal, document=document, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed “{document.title}”. It stays in the history.")
    # Back to the step the document was removed from (the last step that takes documents if unsaid).
    attaching = [number for number, step in steps.STEPS.items() if step.upload]
    posted = request.POST.get("step", "")
    return redirect(
        _step_url(proposal, int(posted) if posted.isdigit() and int(posted) in attaching else attaching[-1])
    )


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_link_activity(request, org_code, activity_pk):
    """Link an activity to a proposal, starting from the activity (the engagement log links here)."""
    activity = get_scoped_or_404(Activity, request, pk=activity_pk)
    form = LinkToProposalForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        proposal = form.cleaned_data["proposal"]
        try:
            actions.link_activity(proposal=proposal, activity=activity, by=request.user)
        except ActionError as exc:
            form.add_error("proposal", str(exc))
        else:
            messages.success(request, f"Linked “{activity.title}” to “{proposal.title}”.")
            return redirect(activity)
    linked = list(activity.proposals.order_by("title"))
    context = {
        "activity": activity,
        "form": form,
        "linked": linked,
        "has_choices": form.fields["proposal"].queryset.exists(),
        "breadcrumbs": breadcrumbs(request.organisation, "activities", activity),
    }
    return render(
        request, "engagements/proposals/link_activity.html", context, status=400 if form.errors else 200
    )


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_withdraw(request, org_code, pk):
    proposal = _proposal(request, pk)
    return withdraw_page(
        request,
        proposal,
        noun="proposal",
        title=proposal.title,
        back_url=proposal.get_absolute_url(),
        done_url=proposal.get_absolute_url(),
        withdraw=lambda **kw: actions.withdraw_proposal(proposal=proposal, **kw),
        crumbs=breadcrumbs(request.organisation, "proposals", proposal),
    )
