from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccg_involvement.errors import ActionError, add_to_form
from ccg_involvement.history import VersionConflict, history_events
from ccg_involvement.models import Membership
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission
from ccg_involvement.tenancy import get_scoped_or_404, requires
from ccg_involvement.years import ReportingYear
from engagements.proposals.models import Proposal
from reports import actions, content, reminders, selectors, statement
from reports.dashboard import cache, overview
from reports.forms import AnnualStatementForm, InvolvementProfileForm, ReminderSettingsForm, ReportRequestForm
from reports.models import AnnualStatement, Report, ReportKind, ReportStatus
from reports.my_work import DUE_SOON_DAYS, work_for


@require_safe
def dashboard(request, org_code):
    organisation = request.organisation
    year, year_error = ReportingYear.chosen(request.GET.get("year"))
    context = {
        "body": cache.dashboard_body(organisation, year),
        "organisation": organisation,
        "year": year,
        "year_error": year_error,
        "year_choices": ReportingYear.choices(),
        # has_predecessors: annotated by OrganisationMiddleware (tenancy.membership_at)
        "predecessors": list(organisation.predecessors.all()) if organisation.has_predecessors else [],
    }
    template = "reports/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#dashboard-body"
    return render(request, template, context)


@require_safe
def assurance_overview(request):
    year, year_error = ReportingYear.chosen(request.GET.get("year"))
    organisations = [m.organisation for m in Membership.objects.for_user(request.user)]
    rows = overview.rows(organisations, year)
    sort = request.GET.get("sort", "name")
    rows = overview.sort_rows(rows, sort)
    context = {
        "rows": rows,
        "year": year,
        "year_error": year_error,
        "sort": sort,
        "sorts": overview.SORTS,
        "year_choices": ReportingYear.choices(),
    }
    return render(request, "reports/assurance_overview.html", context)


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request, org_code):
    """Editors generate drafts (marked "Draft" on every page); reviewers generate final versions."""
    organisation = request.organisation
    form = ReportRequestForm(request.POST or None, organisation=organisation)
    final = has_permission(request.membership, Permission.REVIEW)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.request_report(
                organisation=organisation, by=request.user, draft=not final, **form.request_values()
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(report)
    context = {
        "form": form,
        "reports": selectors.recent_reports(organisation),
        "can_generate": has_permission(request.membership, Permission.EDIT),
        "generates_drafts": not final,
        "statement_year": form.with_data[0] if form.with_data else ReportingYear.current().previous(),
        "breadcrumbs": breadcrumbs(organisation),
    }
    return render(request, "reports/report_list.html", context, status=400 if form.errors else 200)


@require_safe
def report_detail(request, org_code, pk):
    report = get_scoped_or_404(Report.objects.select_related("requested_by", "organisation"), request, pk=pk)
    context = {
        "report": report,
        "can_supersede": has_permission(request.membership, Permission.REVIEW)
        and report.status == ReportStatus.DONE
        and not report.is_superseded,
        "breadcrumbs": breadcrumbs(request.organisation, "reports"),
    }
    template = "reports/report_detail.html"
    if request.htmx:
        template += "#report-status"
    return render(request, template, context)


@require_safe
def report_download(request, org_code, pk):
    report = get_scoped_or_404(Report, request, pk=pk, status=ReportStatus.DONE)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from the store.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=report.file_name, content_type=report.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@requires(Permission.EDIT)
def decision_record_request(request, org_code, proposal_pk):
    proposal = get_scoped_or_404(Proposal, request, pk=proposal_pk)
    public = request.POST.get("version") == "public"
    report = actions.request_report(
        organisation=request.organisation,
        kind=ReportKind.PUBLIC_DECISION if public else ReportKind.DECISION_RECORD,
        format="pdf",
        subject_id=proposal.pk,
        subject_title=proposal.title,
        draft=not has_permission(request.membership, Permission.REVIEW),
        by=request.user,
    )
    return redirect(report)


def _conflict_form(form_class, request, conflict, **kwargs):
    data = request.POST.copy()
    data["version"] = conflict.current.version
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


@requires(Permission.MANAGE_MEMBERS, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def involvement_profile(request, org_code):
    """The organisation's involvement profile: governance, seats, how to get involved, next year."""
    organisation = request.organisation
    profile = content.profile_for(organisation)
    form = InvolvementProfileForm(
        request.POST or None, instance=profile, initial={"version": profile.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.save_involvement_profile(
                organisation=organisation,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **values,
            )
        except VersionConflict as exc:
            conflict = exc
            form = _conflict_form(InvolvementProfileForm, request, exc, instance=exc.current)
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Involvement profile saved.")
            return redirect("involvement-profile", org_code=organisation.slug)
    context = {
        "form": form,
        "profile": profile,
        "conflict": conflict,
        "can_edit": has_permission(request.membership, Permission.MANAGE_MEMBERS),
        "history": history_events(profile, list(actions.PROFILE_FIELDS)) if profile.pk else [],
        "breadcrumbs": breadcrumbs(organisation, "reports"),
    }
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "reports/involvement_profile.html", context, status=status)


@requires(Permission.REVIEW, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def annual_statement(request, org_code, year):
    """The year's plain-English statement: drafted from the data, edited before the document is built."""
    organisation = request.organisation
    try:
        year = ReportingYear.from_slug(year)
    except ValueError:
        raise Http404("Not a reporting year.") from None
    text, edited = statement.statement_for(organisation, year)
    saved = AnnualStatement.objects.for_organisation(organisation).filter(year=year.start_year).first()
    form = AnnualStatementForm(
        request.POST or None, initial={"text": text, "version": saved.version if saved else None}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_annual_statement(
                organisation=organisation,
                year=year,
                text=form.cleaned_data["text"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except VersionConflict as exc:
            conflict = exc
            form = _conflict_form(AnnualStatementForm, request, exc)
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Statement for {year} saved.")
            return redirect("annual-statement", org_code=organisation.slug, year=year.slug)
    context = {
        "form": form,
        "year": year,
        "edited": edited,
        "draft": statement.draft_statement(organisation, year),
        "conflict": conflict,
        "can_edit": has_permission(request.membership, Permission.REVIEW),
        "history": history_events(saved, ["text"]) if saved else [],
        "breadcrumbs": breadcrumbs(organisation, "reports"),
    }
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "reports/annual_statement.html", context, status=status)


@require_safe
def my_work(request):
    """Across the user's organisations: items they own, proposals they lead, outcomes to report back."""
    preference = reminders.reminder_settings(request.user)
    context = {
        "work": work_for(request.user, timezone.localdate()),
        "due_soon_days": DUE_SOON_DAYS,
        "preference": preference,
    }
    return render(request, "reports/my_work.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request):
    preference = reminders.reminder_settings(request.user)
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,  # both boxes unticked posts nothing
        initial={"weekly_digest": preference.weekly_digest, "due_soon": preference.due_soon},
    )
    if request.method == "POST" and form.is_valid():
        preference.weekly_digest = form.cleaned_data["weekly_digest"]
        preference.due_soon = form.cleaned_data["due_soon"]
        preference.save(update_fields=["weekly_digest", "due_soon"])
        messages.success(request, "Reminder settings saved.")
        return redirect("my-work")
    return render(request, "reports/reminder_settings.html", {"form": form, "email": request.user.email})


class SupersedeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is it superseded?",
        help_text="For example, replaced by the version approved at the March board.",
        error_messages={"required": "Enter why the report is superseded"},
    )


@requires(Permission.REVIEW)
@require_http_methods(["GET", "HEAD", "POST"])
def report_supersede(request, org_code, pk):
    """Confirmation page: mark a built report superseded (kept and downloadable, shown as superseded)."""
    report = get_scoped_or_404(Report.objects.select_related("organisation"), request, pk=pk)
    form = SupersedeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.supersede_report(report=report, reason=form.cleaned_data["reason"], by=request.user)
        except ActionError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, f"Marked “{report.title}” as superseded. It can still be downloaded.")
            return redirect(report)
    context = {
        "report": report,
        "form": form,
        "breadcrumbs": breadcrumbs(request.organisation, "reports", report),
    }
    return render(request, "reports/report_supersede.html", context, status=400 if form.errors else 200)
