"""Spreadsheet import (upload → preview → commit), the import template and the activity export."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from ccg_involvement.errors import ActionError
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission, permission_flags
from ccg_involvement.tenancy import get_scoped_or_404, requires
from engagements import actions, selectors, spreadsheets
from engagements.filters import ActivityFilterForm, apply_filters
from engagements.models import Activity, ImportBatch

FORMATS = {"csv": spreadsheets.CSV_CONTENT_TYPE, "xlsx": spreadsheets.XLSX_CONTENT_TYPE}
PREVIEW_ERROR_LIMIT = 100


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a spreadsheet",
        help_text=(
            "A CSV or Excel (.xlsx) file: the template, or your own log. Common headings such as "
            "“Date of event” are recognised; other columns are left out and listed."
        ),
        error_messages={
            "required": "Select a CSV or Excel (.xlsx) file",
            "empty": "The selected file is empty.",
        },
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > actions.import_max_bytes():
            raise forms.ValidationError(
                f"The selected file must be smaller than {actions.import_max_bytes() // (1024 * 1024)} MB."
            )
        if spreadsheets.file_extension(uploaded.name) not in {".csv", ".xlsx", ".txt", ".tsv"}:
            raise forms.ValidationError("The selected file must be a CSV or Excel (.xlsx) file.")
        return uploaded


def _format(request) -> str:
    chosen = (request.GET.get("format") or "csv").lower()
    if chosen not in FORMATS:
        raise Http404("Choose csv or xlsx.")
    return chosen


def _download(content: bytes, chosen: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[chosen])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{chosen}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _upload_page(request, form, status=200):
    org_code = request.organisation.slug
    template_url = reverse("activity-import-template", kwargs={"org_code": org_code})
    context = {
        "form": form,
        "columns": spreadsheets.FIXED_COLUMNS,
        "reach_example": spreadsheets.REACH_PREFIX + "Carers",
        "max_rows": actions.import_max_rows(),
        "max_size_mb": actions.import_max_bytes() // (1024 * 1024),
        "csv_template_url": f"{template_url}?format=csv",
        "xlsx_template_url": f"{template_url}?format=xlsx",
        **permission_flags(request.membership),
        "breadcrumbs": breadcrumbs(request.organisation, "activities"),
    }
    return render(request, "engagements/import_upload.html", context, status=status)


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def activity_import(request, org_code):
    if request.method != "POST":
        return _upload_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            uploaded.seek(0)
            data = uploaded.read()
            batch = actions.create_import_batch(
                organisation=request.organisation, by=request.user, file_name=uploaded.name, data=data
            )
        except spreadsheets.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("activity-import-preview", org_code=request.organisation.slug, pk=batch.pk)
    return _upload_page(request, form, status=400)


@require_safe
def import_template(request, org_code):
    chosen = _format(request)
    columns = spreadsheets.columns(selectors.audience_groups())
    if chosen == "csv":
        content = spreadsheets.write_csv(columns, [])
    else:
        content = spreadsheets.write_xlsx(
            columns, [], lists=selectors.import_template_lists(request.organisation)
        )
    return _download(content, chosen, "activities-import-template")


def _preview_rows(batch, columns):
    """Rows as cells in the order of ``columns``, for the template."""
    rows = []
    for row in batch.rows:
        values, errors = row.get("values", {}), row.get("errors", {})
        rows.append(
            {
                "number": row["number"],
                "row_error": errors.get(spreadsheets.ROW_ERROR),
                "warnings": row.get("warnings", []),
                "has_errors": bool(errors),
                "cells": [
                    {"value": values.get(c.heading, ""), "error": errors.get(c.heading)} for c in columns
                ],
            }
        )
    return rows


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request, org_code, pk):
    batch = get_scoped_or_404(ImportBatch, request, pk=pk)
    if request.method == "POST":
        try:
            count = actions.commit_import_batch(batch=batch, by=request.user)
        except ActionError as exc:
            messages.error(request, str(exc))
            return redirect("activity-import-preview", org_code=request.organisation.slug, pk=batch.pk)
        messages.success(
            request, f"Imported {count} activit{'y' if count == 1 else 'ies'} from “{batch.file_name}”."
        )
        return redirect("activity-list", org_code=request.organisation.slug)
    present = {h for row in batch.rows for h in row.get("values", {})}
    columns = [c for c in spreadsheets.columns(selectors.audience_groups()) if c.heading in present]
    rows = _preview_rows(batch, columns)
    error_rows = [r for r in rows if r["has_errors"]]
    error_list = [
        {
            "number": row["number"],
            "heading": "" if heading == spreadsheets.ROW_ERROR else heading,
            "message": message,
        }
        for row in batch.rows
        for heading, message in row.get("errors", {}).items()
    ]
    context = {
        "batch": batch,
        "columns": columns,
        "rows": rows,
        "row_count": len(rows),
        "error_row_count": len(error_rows),
        "warning_row_count": sum(1 for r in rows if r["warnings"]),
        "error_list": error_list[:PREVIEW_ERROR_LIMIT],
        "more_errors": max(0, len(error_list) - PREVIEW_ERROR_LIMIT),
        "can_commit": (
            has_permission(request.membership, Permission.EDIT, batch)
            and batch.committed_at is None
            and not error_rows
            and bool(rows)
        ),
        "upload_url": reverse("activity-import", kwargs={"org_code": request.organisation.slug}),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            "activities",
            ("Import activities", reverse("activity-import", kwargs={"org_code": request.organisation.slug})),
        ),
    }
    return render(request, "engagements/import_preview.html", context)


@require_safe
def activity_export(request, org_code):
    organisation = request.organisation
    chosen = _format(request)
    duties = selectors.duty_choices(organisation)
    form = ActivityFilterForm(request.GET, organisation=organisation, duties=duties)
    queryset, _ = apply_filters(Activity.objects.for_organisation(organisation), form)
    queryset = queryset.select_related("lead").prefetch_related(
        "methods", "partners", "adjustments", "duty_links__duty", "reach__group"
    )
    columns = spreadsheets.columns(selectors.audience_groups())
    rows = (spreadsheets.activity_cells(activity, columns) for activity in queryset)
    if chosen == "csv":
        content = spreadsheets.write_csv(columns, rows)
    else:
        content = spreadsheets.write_xlsx(columns, rows)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return _download(content, chosen, f"activities-{organisation.slug}-{stamp}")
