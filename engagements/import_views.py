"""Spreadsheet import (upload → preview → commit), the import template and the activity export."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from ccg_involvement.errors import ActionError
from ccg_involvement.navigation import breadcrumbs
from ccg_involvement.permissions import Permission, has_permission, permission_flags
from ccg_involvement.tenancy import get_scoped_or_404, requires
from engagements import (
    import_actions,
    import_errors,
    import_mapping,
    import_skips,
    selectors,
    spreadsheets,
    tasks,
)
from engagements.filters import ActivityFilterForm, apply_filters
from engagements.import_preview_rows import preview_rows
from engagements.models import Activity, CommitState, ImportBatch, ImportStage, ReadState
from engagements.spreadsheets.mapping import LIST_FIELDS

FORMATS = {"csv": spreadsheets.CSV_CONTENT_TYPE, "xlsx": spreadsheets.XLSX_CONTENT_TYPE}
PREVIEW_ERROR_LIMIT = 100
PREVIEW_PAGE_SIZE = 100


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
        if uploaded.size > import_mapping.import_max_bytes():
            raise forms.ValidationError(
                f"The selected file must be smaller than {import_mapping.import_max_bytes() // (1024 * 1024)} MB."
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
        "extra_columns": [c for c in spreadsheets.columns([]) if c not in spreadsheets.FIXED_COLUMNS],
        "reach_example": spreadsheets.REACH_PREFIX + "Carers",
        "outcome_columns": spreadsheets.OUTCOME_COLUMNS,
        "reach_category_example": spreadsheets.REACH_PREFIX + "Age: 65 to 74",
        "max_rows": import_mapping.import_max_rows(),
        "max_size_mb": import_mapping.import_max_bytes() // (1024 * 1024),
        "csv_template_url": f"{template_url}?format=csv",
        "xlsx_template_url": f"{template_url}?format=xlsx",
        **permission_flags(request.membership),
        "mapping_count": selectors.import_mappings(request.organisation).count(),
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
            batch = tasks.upload(
                organisation=request.organisation, by=request.user, file_name=uploaded.name, data=data
            )
        except spreadsheets.SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            if batch.read_state:  # a large file: read in the background, followed on its progress page
                return redirect("activity-import-progress", org_code=request.organisation.slug, pk=batch.pk)
            step = {
                ImportStage.COLUMNS: "activity-import-columns",
                ImportStage.VALUES: "activity-import-values",
            }.get(batch.stage, "activity-import-preview")
            return redirect(step, org_code=request.organisation.slug, pk=batch.pk)
    return _upload_page(request, form, status=400)


@require_safe
def import_template(request, org_code):
    chosen = _format(request)
    columns = spreadsheets.columns(selectors.audience_groups())
    if chosen == "csv":
        content = spreadsheets.write_csv(columns, [])
    else:
        content = spreadsheets.write_xlsx(
            columns,
            [],
            lists=selectors.import_template_lists(request.organisation),
            sheets=[(spreadsheets.OUTCOMES_SHEET, spreadsheets.OUTCOME_COLUMNS, [])],
        )
    return _download(content, chosen, "activities-import-template")


def _error_download(batch) -> HttpResponse:
    """The rows with errors as a spreadsheet: the file's own headings and cells, and what to fix."""
    if not batch.data:  # imported already (a file with errors is not): nothing to correct
        raise Http404("This upload has no rows to correct.")
    stem = batch.file_name.rsplit(".", 1)[0][:100] or "import"
    return _download(import_errors.error_rows_xlsx(batch), "xlsx", f"{stem}-errors")


def _unmatched_examples(batch) -> list[str]:
    """The list values written that name nothing the log knows (not mapped yet), for the preview's offer
    of the values page; none once imported."""
    if batch.committed_at is not None or not batch.unmatched:
        return []
    fields = [key for key in LIST_FIELDS if key in batch.unmatched]  # a JSON object keeps no order
    return [written for key in fields for written, *_ in batch.unmatched[key]]


DUPLICATE_CHOICES = {"skip": True, "import": False, "skip-all": True, "import-all": False}
"""The preview's buttons for possible duplicates: skip one row, import it anyway, or all of them."""


def _choose_duplicates(request, batch):
    """Keep the choice for one possible duplicate (``row``) or all of them, and show the same page."""
    action, row = request.POST["action"], request.POST.get("row", "")
    page = request.POST.get("page", "")
    try:
        numbers = None if action.endswith("-all") else [int(row)]
        count = import_skips.choose_duplicates(
            batch=batch, by=request.user, skip=DUPLICATE_CHOICES[action], numbers=numbers
        )
    except ValueError:
        messages.error(request, "Choose a row to skip or import.")
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        if numbers is None:
            messages.success(
                request,
                ("The possible duplicate" if count == 1 else f"All {count} possible duplicates")
                + (" will be skipped." if DUPLICATE_CHOICES[action] else " will be imported."),
            )
    url = reverse("activity-import-preview", kwargs={"org_code": request.organisation.slug, "pk": batch.pk})
    query = f"?page={page}" if page.isdigit() else ""
    return redirect(f"{url}{query}" + (f"#row-{row}" if row.isdigit() else ""))


@requires(Permission.EDIT, methods={"POST"})
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request, org_code, pk):
    batch = get_scoped_or_404(ImportBatch, request, pk=pk)
    if batch.read_state:  # still being read (or failed): its progress page says
        return redirect("activity-import-progress", org_code=request.organisation.slug, pk=batch.pk)
    if batch.stage != ImportStage.READY and batch.committed_at is None:  # the mapping step comes first
        step = "activity-import-columns" if batch.stage == ImportStage.COLUMNS else "activity-import-values"
        return redirect(step, org_code=request.organisation.slug, pk=batch.pk)
    stored = batch.row_set.all()  # a row each (ImportRow): counted and read a page at a time
    counts = stored.aggregate(
        total=Count("pk"),
        errors=Count("pk", filter=Q(has_errors=True)),
        warnings=Count("pk", filter=Q(has_warnings=True)),
        duplicates=Count("pk", filter=Q(data__duplicate=True)),
        skipped=Count("pk", filter=Q(data__duplicate=True, skip=True)),
        updates=Count("pk", filter=Q(data__clean__has_key="id")),
        changed=Count("pk", filter=Q(data__changes__0__isnull=False)),
        errors_updating=Count("pk", filter=Q(data__clean__has_key="id", has_errors=True)),
    )
    if request.method == "POST" and request.POST.get("action") in DUPLICATE_CHOICES:
        return _choose_duplicates(request, batch)
    if request.method == "POST" and counts["total"] > tasks.background_rows():
        try:  # a large file is imported in the background (leaving out the rows chosen to skip)
            tasks.queue_commit(batch=batch, by=request.user)
        except ActionError as exc:
            messages.error(request, str(exc))
            return redirect("activity-import-preview", org_code=request.organisation.slug, pk=batch.pk)
        return redirect("activity-import-progress", org_code=request.organisation.slug, pk=batch.pk)
    if request.method == "POST":
        try:
            count = import_actions.commit_import_batch(batch=batch, by=request.user)
        except ActionError as exc:
            messages.error(request, str(exc))
            return redirect("activity-import-preview", org_code=request.organisation.slug, pk=batch.pk)
        skipped = counts["total"] - count
        messages.success(
            request,
            f"Imported {count} activit{'y' if count == 1 else 'ies'} from “{batch.file_name}”."
            + (f" Skipped {skipped} duplicate row{'' if skipped == 1 else 's'}." if skipped else ""),
        )
        return redirect("activity-list", org_code=request.organisation.slug)
    first = stored.order_by("number").values_list("data", flat=True).first() or {}
    present = set(first.get("values", {}))  # every row has the same columns
    all_columns = spreadsheets.import_columns(selectors.audience_groups())
    columns = [c for c in all_columns if c.heading in present]
    if request.GET.get("errors") == "xlsx":
        return _error_download(batch)
    # Errors first, then warnings, then the rest, each in the file's order; a page at a time.
    ordered = stored.order_by("-has_errors", "-has_warnings", "number")
    page = Paginator(ordered.values_list("data", "skip"), PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    group_names = {  # reach key → "Carers", "Age: 65 to 74"
        f"c{c.category_id}" if c.category_id else f"g{c.group_id}": c.heading.removeprefix(
            spreadsheets.REACH_PREFIX
        )
        for c in all_columns
        if c.is_reach
    }
    rows = preview_rows(page.object_list, columns, group_names)
    error_row_count = counts["errors"]
    error_list = [  # the error rows come first: the nth is on page n // page size + 1
        {
            "number": row["number"],
            "page": index // PREVIEW_PAGE_SIZE + 1,
            "heading": "" if heading == spreadsheets.ROW_ERROR else heading,
            "message": message,
        }
        for index, row in enumerate(ordered.filter(has_errors=True).values_list("data", flat=True))
        for heading, message in row["errors"].items()
    ]
    context = {
        "batch": batch,
        "columns": columns,
        "rows": rows,
        "page": page,
        "row_count": counts["total"],
        "error_row_count": error_row_count,
        "warning_row_count": counts["warnings"],
        "duplicate_count": counts["duplicates"],
        "skipped_count": counts["skipped"],
        "import_count": counts["total"] - counts["skipped"],
        "new_import_count": counts["total"] - counts["updates"] - counts["skipped"],
        "update_count": counts["updates"],
        "new_count": counts["total"] - counts["updates"],
        "unchanged_count": counts["updates"] - counts["changed"] - counts["errors_updating"],
        "error_list": error_list[:PREVIEW_ERROR_LIMIT],
        "unmatched_examples": (
            _unmatched_examples(batch) if has_permission(request.membership, Permission.EDIT, batch) else []
        ),
        "more_errors": max(0, len(error_list) - PREVIEW_ERROR_LIMIT),
        "can_commit": (
            has_permission(request.membership, Permission.EDIT, batch)
            and batch.committed_at is None
            and not error_row_count
            and bool(counts["total"])
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
def import_progress(request, org_code, pk):
    """Where a large upload's reading, or a large import, has got to; the page refreshes itself
    until it is done, then goes on to the upload's next step."""
    batch = get_scoped_or_404(ImportBatch, request, pk=pk)
    if batch.committed_at is None and not batch.commit_state and not batch.read_state:  # read: go on
        preview = reverse("activity-import-preview", kwargs={"org_code": org_code, "pk": batch.pk})
        return HttpResponseClientRedirect(preview) if request.htmx else redirect(preview)
    reading = batch.read_state not in {ReadState.NONE, ReadState.FAILED}
    context = {
        "batch": batch,
        "reading": reading,
        "read_failed": batch.read_state == ReadState.FAILED,
        "progress": (
            f"{batch.progress_done:,} of {batch.progress_total:,} rows "
            f"({batch.progress_done * 100 // batch.progress_total}%)"
            if batch.progress_total
            else ""
        ),
        "waiting": reading
        or (batch.committed_at is None and batch.commit_state in {CommitState.QUEUED, CommitState.RUNNING}),
        "row_count": 0 if batch.read_state or request.htmx else batch.row_set.count(),
        "upload_url": reverse("activity-import", kwargs={"org_code": org_code}),
        "breadcrumbs": breadcrumbs(
            request.organisation,
            "activities",
            ("Import activities", reverse("activity-import", kwargs={"org_code": org_code})),
        ),
    }
    if request.htmx:  # the page's own polling: the status, or the whole page once it has changed
        if not context["waiting"]:
            return HttpResponseClientRedirect(request.path)
        return render(request, "engagements/import_progress.html#import-status", context)
    return render(request, "engagements/import_progress.html", context)


@require_safe
def activity_export(request, org_code):
    organisation = request.organisation
    chosen = _format(request)
    duties = selectors.duty_choices(organisation)
    form = ActivityFilterForm(request.GET, organisation=organisation, duties=duties)
    queryset, _ = apply_filters(Activity.objects.for_organisation(organisation), form)
    queryset = queryset.select_related("lead").prefetch_related(
        "methods", "partners", "adjustments", "duty_links__duty", "reach__group", "reach__category"
    )
    columns = spreadsheets.columns(selectors.audience_groups())
    if chosen == "csv":  # one sheet: the activities (outcomes travel in the workbook only)
        content = spreadsheets.write_csv(columns, (spreadsheets.activity_cells(a, columns) for a in queryset))
    else:
        activities = list(queryset.prefetch_related(selectors.counted_outcomes_prefetch()))
        outcomes = [spreadsheets.outcome_cells(o, a) for a in activities for o in a.counted_outcomes]
        content = spreadsheets.write_xlsx(
            columns,
            (spreadsheets.activity_cells(a, columns) for a in activities),
            sheets=[(spreadsheets.OUTCOMES_SHEET, spreadsheets.OUTCOME_COLUMNS, outcomes)],
        )
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return _download(content, chosen, f"activities-{organisation.slug}-{stamp}")
