from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ccg_involvement.confirmation import confirm_page
from ccg_involvement.errors import ActionError
from ccg_involvement.history import VersionConflict
from ccg_involvement.models import Document
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, Role, has_permission, permission_flags, role_has
from ccg_involvement.redirects import safe_next
from ccg_involvement.tenancy import get_scoped_or_404, requires
from ccg_involvement.years import ReportingYear
from duties import actions, selectors
from duties.evidence import evidence_counts, evidence_for
from duties.forms import (
    AttachForm,
    BulkChangeForm,
    DocumentForm,
    ItemFilterForm,
    ItemForm,
    ReopenForm,
    ReviewForm,
    SignOffForm,
    StartChecklistsForm,
    StatusForm,
)
from duties.models import Checklist, ChecklistItem, Framework, ItemStatus


def _checklist(request, year, framework):
    return get_scoped_or_404(
        Checklist.objects.for_year(year).select_related("framework", "organisation", "signed_off_by"),
        request,
        framework__code__iexact=framework,
    )


def _item(request, year, framework, item):
    return get_scoped_or_404(
        ChecklistItem.objects.for_year(year).select_related(
            "checklist__framework",
            "checklist__organisation",
            "checklist__signed_off_by",
            "duty",
            "owner",
            "reviewed_by",
        ),
        request,
        checklist__framework__code__iexact=framework,
        duty__code__iexact=item,
    )


def _checklists_crumb(request, year):
    url = reverse("checklists", kwargs={"org_code": request.organisation.slug}) + f"?year={year.slug}"
    return (f"Checklists {year}", url)


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_list(request, org_code):
    organisation = request.organisation
    frameworks = list(Framework.objects.applying_to(organisation.kind))
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
        **permission_flags(request.membership),
        "breadcrumbs": breadcrumbs(request.organisation),
    }
    return render(request, "duties/checklist_list.html", context)


@require_safe
def checklist_detail(request, org_code, year, framework):
    checklist = _checklist(request, year, framework)
    items = selectors.checklist_items(checklist)
    item_filter = ItemFilterForm(request.GET or None, items=items)
    next_year_exists = (
        Checklist.objects.for_organisation(request.organisation)
        .for_year(year.next())
        .filter(framework__code=checklist.framework.code)
        .exists()
    )
    context = {
        "checklist": checklist,
        "items": item_filter.apply(items, timezone.localdate()),
        "item_total": len(items),
        "item_filter": item_filter,
        "bulk_form": BulkChangeForm(checklist=checklist),
        "progress": selectors.progress_of(checklist, items),
        "status_form": StatusForm(),
        **_lock_context(request, checklist),
        **permission_flags(request.membership, checklist),
        "can_start_next_year": has_permission(request.membership, Permission.EDIT) and not next_year_exists,
        "breadcrumbs": breadcrumbs(request.organisation, _checklists_crumb(request, year)),
    }
    return render(request, "duties/checklist_detail.html", context)


def _lock_context(request, checklist) -> dict:
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


def _neighbours(item) -> dict:
    """The previous and next items of the checklist (by number), as links for the item page."""
    checklist = item.checklist
    rows = list(
        checklist.items.order_by("duty__number").values_list("duty__code", "duty__number", "duty__title")
    )
    codes = [code for code, _, _ in rows]
    at = codes.index(item.duty.code)

    def link(index):
        if not 0 <= index < len(rows):
            return None
        code, number, title = rows[index]
        url = reverse(
            "checklist-item",
            kwargs={
                "org_code": checklist.organisation.slug,
                "year": checklist.reporting_year,
                "framework": checklist.framework.slug,
                "item": code.lower(),
            },
        )
        return {"url": url, "label": f"{number}. {title}"}

    return {"previous_item": link(at - 1), "next_item": link(at + 1)}


def _item_context(request, item, *, form=None, review_form=None, document_form=None, conflict=None):
    checklist = item.checklist
    evidence = evidence_for(checklist.organisation, checklist.reporting_year, [item.duty_id])
    activity_total = evidence_counts(checklist.organisation, checklist.reporting_year, [item.duty_id])
    return {
        "item": item,
        "checklist": checklist,
        "duty": item.duty,
        "documents": list(item.documents.current().select_related("uploaded_by")),
        "activities": evidence.get(item.duty_id, []),
        "activity_total": activity_total.get(item.duty_id, 0),
        "history": selectors.item_history(item),
        "form": form or ItemForm(item=item, initial=_initial(item)),
        "review_form": review_form or ReviewForm(initial={"comment": item.review_comment}),
        "document_form": document_form or DocumentForm(),
        # the assessment form carries an optional document, so one Save keeps what was typed
        "attach_form": document_form if document_form is not None and document_form.prefix else AttachForm(),
        **_neighbours(item),
        "status_form": StatusForm(initial={"status": item.status}),
        "conflict": conflict,
        **_lock_context(request, checklist),
        **permission_flags(request.membership, item),
        # four eyes: a reviewer who last changed the assessment is told why they cannot review it
        "own_assessment": has_permission(request.membership, Permission.REVIEW)
        and not item.checklist.is_signed_off
        and item.is_own_assessment(request.user.pk),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            _checklists_crumb(request, checklist.reporting_year),
            (checklist.framework.short_title, checklist.get_absolute_url()),
        ),
    }


def _initial(item):
    return {
        "verdict": item.verdict,
        "not_applicable_reason": item.not_applicable_reason,
        "score": item.score,
        "narrative": item.narrative,
        "planned_actions": item.planned_actions,
        "owner": item.owner_id,
        "due_date": item.due_date,
        "version": item.version,
    }


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def item_detail(request, org_code, year, framework, item):
    item = _item(request, year, framework, item)
    if request.method != "POST":
        return render(request, "duties/item_detail.html", _item_context(request, item))
    form = ItemForm(request.POST, item=item)
    # The same Save may carry a document: what was typed and the file go together, so choosing a
    # file never throws away the verdict and narrative (and there is no second form to lose them).
    attach = AttachForm(request.POST, request.FILES)
    has_file = attach.has_file()
    item_ok = form.is_valid()
    attach_ok = attach.is_valid() if has_file else True
    if item_ok and attach_ok:
        try:
            item = actions.update_item(
                item=item, expected_version=form.cleaned_data["version"], by=request.user, **form.changes()
            )
        except VersionConflict as conflict:
            # Keep what this user typed, and let the next save go through now they have seen the changes.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = ItemForm(data, item=conflict.current)
            form.is_valid()
            attach = AttachForm(request.POST, request.FILES)
            if has_file:
                attach.is_valid()
                attach.add_error("file", AttachForm.CHOOSE_AGAIN)
            context = _item_context(
                request, conflict.current, form=form, conflict=conflict, document_form=attach
            )
            return render(request, "duties/item_detail.html", context, status=409)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            saved = f"Saved {item.duty.code}."
            if has_file:
                problem = _attach(request, item, attach)
                if problem:
                    messages.success(request, saved)
                    attach.add_error("file", f"{problem} The assessment was saved; choose the file again.")
                    return render(
                        request,
                        "duties/item_detail.html",
                        _item_context(request, item, document_form=attach),
                        status=400,
                    )
                saved = f"Saved {item.duty.code} and attached “{attach.cleaned_data['title'] or attach.cleaned_data['file'].name}”."
            messages.success(request, saved)
            return redirect(item.get_absolute_url())
    if has_file and attach_ok:
        attach.add_error("file", AttachForm.CHOOSE_AGAIN)  # browsers never keep a chosen file
    return render(
        request,
        "duties/item_detail.html",
        _item_context(request, item, form=form, document_form=attach if has_file else None),
        status=400,
    )


def _attach(request, item, attach) -> str | None:
    """Attach the document of a valid AttachForm; the reason it was refused, or None."""
    from django.core.exceptions import ValidationError

    try:
        actions.attach_document(
            item=item,
            uploaded_file=attach.cleaned_data["file"],
            title=attach.cleaned_data["title"],
            evidence_date=attach.cleaned_data["evidence_date"],
            by=request.user,
        )
    except ActionError as exc:
        return str(exc)
    except ValidationError as exc:
        return exc.messages[0]
    return None


@require_POST
@requires(Permission.EDIT)
def item_status(request, org_code, year, framework, item):
    item = _item(request, year, framework, item)
    form = StatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            item = actions.set_status(item=item, status=form.cleaned_data["status"], by=request.user)
        except ActionError as exc:
            error = str(exc)
    else:
        error = "Choose a status"
    if request.htmx:
        item.refresh_from_db()
        return render(
            request,
            "duties/_status_cell.html",
            {
                "item": item,
                "status_form": StatusForm(),
                **permission_flags(request.membership, item),
                "status_error": error,
                "announce": True,
            },
        )
    if error:
        messages.error(request, f"{item.duty.code}: {error}")
    else:
        messages.success(request, f"{item.duty.code} is now “{item.get_status_display().lower()}”.")
    return HttpResponseRedirect(safe_next(request, item.checklist.get_absolute_url()))


@require_POST
@requires(Permission.REVIEW)
def item_review(request, org_code, year, framework, item):
    item = _item(request, year, framework, item)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_item(item=item, comment=form.cleaned_data["comment"], by=request.user)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{item.duty.code} reviewed.")
            return redirect(item.get_absolute_url())
    return render(
        request, "duties/item_detail.html", _item_context(request, item, review_form=form), status=400
    )


@require_POST
@requires(Permission.EDIT)
def item_document_upload(request, org_code, year, framework, item):
    item = _item(request, year, framework, item)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = actions.attach_document(
                item=item,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                evidence_date=form.cleaned_data["evidence_date"],
                by=request.user,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        except Exception as exc:
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            form.add_error("file", exc.messages[0])
        else:
            messages.success(request, f"Attached “{document.title}”.")
            return redirect(item.get_absolute_url())
    return render(
        request, "duties/item_detail.html", _item_context(request, item, document_form=form), status=400
    )


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def item_document_remove(request, org_code, year, framework, item, pk):
    item = _item(request, year, framework, item)
    document = get_scoped_or_404(Document, request, pk=pk)
    if request.method != "POST":
        return confirm_page(
            request,
            title=f"Remove “{document.title}”?",
            caption=f"{item.duty.code} {item.duty.title}",
            body="It is taken off this item and no longer counts as evidence. The file is kept, and the "
            "item's history records who removed it and when.",
            button="Yes, remove it",
            back_url=item.get_absolute_url(),
        )
    try:
        actions.remove_item_document(item=item, document=document, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed “{document.title}”. It stays in the history.")
    return redirect(item.get_absolute_url())


@requires(Permission.REVIEW, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_sign_off(request, org_code, year, framework):
    checklist = _checklist(request, year, framework)
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
            _checklists_crumb(request, year),
            (checklist.framework.short_title, checklist.get_absolute_url()),
        ),
    }
    return render(request, "duties/sign_off.html", context, status=400 if form.errors else 200)


@requires(Permission.REVIEW, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_reopen(request, org_code, year, framework):
    checklist = _checklist(request, year, framework)
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
        **_lock_context(request, checklist),
        **permission_flags(request.membership, checklist),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            _checklists_crumb(request, year),
            (checklist.framework.short_title, checklist.get_absolute_url()),
        ),
    }
    return render(request, "duties/reopen.html", context, status=400 if form.errors else 200)


@require_POST
@requires(Permission.EDIT)
def checklist_bulk(request, org_code, year, framework):
    """Apply a new owner and/or status to the ticked items (a plain POST; back to the checklist)."""
    checklist = _checklist(request, year, framework)
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
    checklist = _checklist(request, year, framework)
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
