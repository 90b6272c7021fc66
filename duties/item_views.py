"""The checklist item pages: the assessment with its evidence, status, review and documents."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ccg_involvement.confirmation import confirm_page
from ccg_involvement.errors import ActionError
from ccg_involvement.history import VersionConflict
from ccg_involvement.models import Document
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission, permission_flags
from ccg_involvement.redirects import safe_next
from ccg_involvement.tenancy import get_scoped_or_404, requires
from duties import actions, selectors
from duties.evidence import evidence_of
from duties.forms import (
    AttachForm,
    DocumentForm,
    ItemForm,
    ReviewForm,
    StatusForm,
)
from duties.view_helpers import checklists_crumb, item_or_404, lock_context, prepare_status_cells


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
    prepare_status_cells(checklist, [item])
    activities, activity_total = evidence_of(checklist.organisation, checklist.reporting_year, item.duty_id)
    return {
        "item": item,
        "checklist": checklist,
        "duty": item.duty,
        "documents": list(item.documents.current()),
        "activities": activities,
        "activity_total": activity_total,
        "history": selectors.item_history(item),
        "form": form or ItemForm(item=item, initial=_initial(item)),
        "review_form": review_form or ReviewForm(initial={"comment": item.review_comment}),
        "document_form": document_form or DocumentForm(),
        # the assessment form carries an optional document, so one Save keeps what was typed
        "attach_form": document_form if document_form is not None and document_form.prefix else AttachForm(),
        **_neighbours(item),
        "conflict": conflict,
        **lock_context(request, checklist),
        **permission_flags(request.membership, item),
        # four eyes: a reviewer who last changed the assessment is told why they cannot review it
        "own_assessment": has_permission(request.membership, Permission.REVIEW)
        and not item.checklist.is_signed_off
        and item.is_own_assessment(request.user.pk),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            checklists_crumb(request, checklist.reporting_year),
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
    item = item_or_404(request, year, framework, item)
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
    item = item_or_404(request, year, framework, item)
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
        prepare_status_cells(item.checklist, [item])
        return render(
            request,
            "duties/_status_cell.html",
            {
                "item": item,
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
    item = item_or_404(request, year, framework, item)
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
    item = item_or_404(request, year, framework, item)
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
    item = item_or_404(request, year, framework, item)
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
