"""The import's mapping step (columns, then list values) and the organisation's saved mappings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ccg_involvement.confirmation import confirm_page
from ccg_involvement.errors import ActionError
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, permission_flags
from ccg_involvement.tenancy import get_scoped_or_404, requires
from engagements import import_mapping, selectors, spreadsheets, tasks
from engagements.mapping_forms import ColumnsForm, LayoutForm, MappingForm, ValuesForm
from engagements.models import ImportBatch, ImportMapping, ImportStage, ReadState
from engagements.spreadsheets.columns import normalise_heading
from engagements.spreadsheets.mapping import suggest_columns, suggest_value
from engagements.spreadsheets.reading import cell_text, is_blank

SAMPLES = 3


def _crumbs(request, *trail):
    import_url = reverse("activity-import", kwargs={"org_code": request.organisation.slug})
    return breadcrumbs(request.organisation, "activities", ("Import activities", import_url), *trail)


def _to_preview(request, batch):
    return redirect("activity-import-preview", org_code=request.organisation.slug, pk=batch.pk)


def _next_step(request, batch):
    name = {
        ImportStage.COLUMNS: "activity-import-columns",
        ImportStage.VALUES: "activity-import-values",
    }.get(batch.stage, "activity-import-preview")
    return redirect(name, org_code=request.organisation.slug, pk=batch.pk)


def _checked_later(request, batch):
    """A large file's rows checked again by a task, followed on the progress page (None otherwise)."""
    if batch.read_state != ReadState.QUEUED:
        return None
    tasks.recheck_import.enqueue(batch.pk)
    return redirect("activity-import-progress", org_code=request.organisation.slug, pk=batch.pk)


def _mappable(batch) -> bool:
    """Not imported, and read (a large upload being read goes to its progress page, by the preview)."""
    return batch.committed_at is None and bool(batch.data) and not batch.read_state


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def import_columns(request, org_code, pk):
    """Choose the sheet and heading row, and what each column holds."""
    batch = get_scoped_or_404(ImportBatch, request, pk=pk)
    if not _mappable(batch):
        return _to_preview(request, batch)
    if request.method == "POST" and request.POST.get("action") == "layout":
        try:
            batch = import_mapping.choose_layout(
                batch=batch,
                by=request.user,
                sheet=request.POST.get("sheet") or batch.sheet,
                heading_row=int(request.POST.get("heading_row") or batch.heading_row),
                later=batch.row_set.count() > tasks.background_rows(),  # a large file: by a task
            )
        except (ActionError, ValueError) as exc:
            messages.error(request, str(exc) if isinstance(exc, ActionError) else "Choose a row.")
        return _checked_later(request, batch) or redirect(
            "activity-import-columns", org_code=org_code, pk=batch.pk
        )
    context = selectors.import_context(request.organisation)
    try:
        layout = import_mapping.batch_layout(batch, context)
    except spreadsheets.SpreadsheetError as exc:  # a heading row that no longer suits: start again
        messages.error(request, str(exc))
        return redirect("activity-import", org_code=org_code)
    all_columns = spreadsheets.import_columns(context.groups)
    headings = [cell_text(h) for h in layout.headings]
    saved = [
        m.columns
        for m in [batch.mapping] * bool(batch.mapping)
        + list(selectors.import_mappings(request.organisation).order_by("-updated_at"))
    ]
    suggestions = suggest_columns(headings, all_columns, saved)
    if batch.column_map:  # the choices already made for this upload
        suggestions = [(batch.column_map.get(str(i), ""), "your choice") for i in range(len(headings))]
    samples = [
        [cell_text(row[i]) for _, row in layout.data_rows[:20] if i < len(row) and not is_blank(row[i])][
            :SAMPLES
        ]
        for i in range(len(headings))
    ]
    layout_form = LayoutForm(
        initial={"sheet": layout.table.sheet, "heading_row": layout.heading_number},
        sheets=layout.table.sheets,
        rows=layout.first_rows(),
    )
    kwargs = {
        "headings": headings,
        "suggestions": suggestions,
        "samples": samples,
        "all_columns": all_columns,
        "mapping_name": batch.mapping.name if batch.mapping else "",
    }
    status = 200
    if request.method == "POST":
        form = ColumnsForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                batch = import_mapping.map_columns(
                    batch=batch,
                    by=request.user,
                    column_map=form.column_map(),
                    save_as=form.cleaned_data["save_as"],
                    later=len(layout.data_rows) > tasks.background_rows(),  # a large file: by a task
                )
            except ActionError as exc:
                form.add_error("save_as" if "mapping called" in str(exc) else None, str(exc))
            else:
                if batch.mapping and form.cleaned_data["save_as"]:
                    messages.success(request, f"Saved the mapping “{batch.mapping.name}”.")
                return _checked_later(request, batch) or _next_step(request, batch)
        status = 400
    else:
        form = ColumnsForm(**kwargs)
    context = {
        "batch": batch,
        "layout_form": layout_form,
        "form": form,
        "ignored_count": sum(1 for h, (k, _) in zip(headings, suggestions, strict=True) if h and not k),
        "heading_row": layout.heading_number,
        "headings_joined": layout.joined,  # a two-row heading block (merged cells)
        "sheet": layout.table.sheet,
        "breadcrumbs": _crumbs(request),
    }
    return render(request, "engagements/import_columns.html", context, status=status)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def import_values(request, org_code, pk):
    """Each value of a list column that names nothing allowed: choose an allowed value or leave it empty."""
    batch = get_scoped_or_404(ImportBatch, request, pk=pk)
    if not _mappable(batch) or batch.stage == ImportStage.COLUMNS:
        return _next_step(request, batch) if _mappable(batch) else _to_preview(request, batch)
    options = selectors.mapping_options(request.organisation)
    kwargs = {
        "unmatched": batch.unmatched,
        "options": options,
        "suggest": suggest_value,
        "can_save": batch.mapping is None,
    }
    form = ValuesForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_mapping.map_values(
                batch=batch,
                by=request.user,
                value_map=form.value_map(),
                later=batch.row_set.count() > tasks.background_rows(),  # a large file: by a task
                save_as=form.cleaned_data.get("save_as", ""),
            )
        except ActionError as exc:
            if "mapping called" not in str(exc):
                messages.error(request, str(exc))
                return _checked_later(request, batch) or _next_step(request, batch)
            form.add_error("save_as", str(exc))
        else:
            if batch.mapping and form.cleaned_data.get("save_as"):
                messages.success(request, f"Saved the mapping “{batch.mapping.name}”.")
            return _checked_later(request, batch) or _next_step(request, batch)
    context = {
        "batch": batch,
        "form": form,
        "columns_url": reverse("activity-import-columns", kwargs={"org_code": org_code, "pk": batch.pk}),
        "preview_url": reverse("activity-import-preview", kwargs={"org_code": org_code, "pk": batch.pk}),
        "breadcrumbs": _crumbs(request),
    }
    return render(request, "engagements/import_values.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
def import_mappings(request, org_code):
    """The organisation's saved mappings."""
    mappings = selectors.import_mappings(request.organisation).select_related("created_by")
    context = {
        "mappings": [
            {
                "mapping": m,
                "heading_count": len(m.columns),
                "value_count": sum(len(v) for v in m.values.values()),
            }
            for m in mappings
        ],
        **permission_flags(request.membership),
        "breadcrumbs": _crumbs(request),
    }
    return render(request, "engagements/import_mappings.html", context)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def import_mapping_edit(request, org_code, pk):
    mapping = get_scoped_or_404(ImportMapping, request, pk=pk)
    context = selectors.import_context(request.organisation)
    kwargs = {
        "mapping": mapping,
        "all_columns": spreadsheets.import_columns(context.groups),
        "options": selectors.mapping_options(request.organisation),
    }
    form = MappingForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            import_mapping.save_mapping(
                organisation=request.organisation,
                by=request.user,
                name=form.cleaned_data["name"],
                columns={normalise_heading(h): k for h, k in form.columns().items()},
                values=form.values(),
                mapping=mapping,
            )
        except ActionError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Saved the mapping “{form.cleaned_data['name']}”.")
            return redirect("activity-import-mappings", org_code=org_code)
    list_url = reverse("activity-import-mappings", kwargs={"org_code": org_code})
    page = {
        "mapping": mapping,
        "form": form,
        "list_url": list_url,
        "breadcrumbs": _crumbs(request, ("Saved mappings", list_url)),
    }
    return render(request, "engagements/import_mapping_edit.html", page, status=400 if form.errors else 200)


@requires(Permission.EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def import_mapping_delete(request, org_code, pk):
    list_url = reverse("activity-import-mappings", kwargs={"org_code": org_code})
    mapping = selectors.import_mappings(request.organisation).filter(pk=pk).first()
    if mapping is None:  # deleted already (a second click, or by a colleague)
        messages.info(request, "That mapping has already been deleted.")
        return redirect(list_url)
    if request.method == "POST":
        import_mapping.delete_mapping(mapping=mapping, by=request.user)
        messages.success(request, f"Deleted the mapping “{mapping.name}”.")
        return redirect(list_url)
    return confirm_page(
        request,
        title=f"Delete the mapping “{mapping.name}”?",
        body="Files with its headings will go through the mapping step again. Activities already "
        "imported with it are not changed.",
        button="Delete the mapping",
        back_url=list_url,
        caption="Saved mappings",
        crumbs=_crumbs(request, ("Saved mappings", list_url)),
    )
