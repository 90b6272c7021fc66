"""The import's mapping step, as actions: read an upload (with a saved mapping when its headings fit
one), choose the sheet and heading row, map the columns, map the list values, and keep named mappings
per organisation. Keyword-only, atomic. The reading itself is pure (``engagements.spreadsheets``).
"""

from django.conf import settings
from django.db import IntegrityError, transaction

from ccg_involvement.documents import sanitise_filename
from ccg_involvement.errors import ActionError
from engagements import spreadsheets
from engagements.import_changes import update_changes
from engagements.models import ImportBatch, ImportMapping, ImportStage, ReadState
from engagements.selectors import existing_duplicate_keys, import_context
from engagements.spreadsheets.columns import match_headings, normalise_heading
from engagements.spreadsheets.layout import Layout, layout_at, mapped_columns, read_layout
from engagements.spreadsheets.mapping import heading_keys, is_the_template, unmatched_values
from engagements.spreadsheets.reading import SPARE_ROWS, Table, is_blank


def import_max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 10_000)


def import_max_bytes() -> int:
    return settings.MAX_UPLOAD_SIZE_MB * 1024 * 1024


def _fitting(mappings: list[ImportMapping], headings) -> ImportMapping | None:
    keys = heading_keys(headings)
    return next((m for m in mappings if m.fits(keys)), None)


def fitting_mapping(organisation, headings) -> ImportMapping | None:
    """The organisation's most recently changed mapping made for exactly these headings."""
    return _fitting(
        list(ImportMapping.objects.for_organisation(organisation).order_by("-updated_at")), headings
    )


def mapped_layout(
    layout: Layout, mappings: list[ImportMapping], read_sheet
) -> tuple[ImportMapping, Layout] | None:
    """A saved mapping whose headings are elsewhere in the file than where they were found, and the
    file read with them: in another of the sheet's first rows (title rows above them, or headings not
    recognised as such), else in the sheet a mapping was saved from (``read_sheet(name)`` reads it).
    The row a mapping's headings were in before is looked at first."""

    def tables():
        yield layout.table
        for sheet in dict.fromkeys(m.sheet for m in mappings if m.sheet):
            if sheet != layout.table.sheet and sheet in layout.table.sheets:
                try:
                    yield read_sheet(sheet)
                except spreadsheets.SpreadsheetError:
                    continue

    for table in tables():
        before = {m.heading_row for m in mappings if m.sheet == table.sheet and m.heading_row}
        first = sorted(range(min(len(table.rows), SPARE_ROWS)), key=lambda i: table.rows[i][0] not in before)
        for at in first:
            candidate = layout_at(table, at)
            mapping = _fitting(mappings, candidate.headings)
            if mapping is not None:
                return mapping, candidate
    return None


def _sheet_reader(name: str, data: bytes, context):
    def read_sheet(sheet: str) -> Table:
        return read_layout(
            name=name,
            data=data,
            groups=context.groups,
            max_rows=import_max_rows(),
            sheet=sheet,
            heading_row=None,
        ).table

    return read_sheet


def column_map_from(mapping: ImportMapping, headings) -> dict[str, str]:
    """A saved mapping's choices as ``{position: field key}`` for this file's headings."""
    return {
        str(i): mapping.columns.get(normalise_heading(h), "")
        for i, h in enumerate(headings)
        if not is_blank(h)
    }


def template_column_map(headings, all_columns) -> dict[str, str]:
    """The template's own headings as ``{position: field key}`` (what the mapping step would choose)."""
    matched, _ = match_headings(headings, all_columns, ignore_unknown=True)
    return {str(i): c.key for i, c in enumerate(matched) if c is not None}


def mapping_columns(headings, column_map: dict) -> dict[str, str]:
    """A batch's column choices as a mapping keeps them: ``{heading as normalised: field key}``."""
    keys = set(heading_keys(headings))  # the error download's own columns aside
    return {
        key: column_map.get(str(i), "")
        for i, h in enumerate(headings)
        if (key := normalise_heading(h)) in keys
    }


def batch_layout(batch: ImportBatch, context) -> Layout:
    """The file of ``batch`` read again with its chosen sheet and heading row."""
    return read_layout(
        name=batch.file_name,
        data=bytes(batch.data),
        groups=context.groups,
        max_rows=import_max_rows(),
        sheet=batch.sheet or None,
        heading_row=batch.heading_row,
    )


def check_batch(batch: ImportBatch, context, layout: Layout, *, column_map=None, progress=None) -> None:
    """Check every row with the batch's choices, keep them, and decide its stage (not saved here).

    ``progress(checked, total)`` is told how far the checks have got (the background reading)."""
    all_columns = spreadsheets.import_columns(context.groups)
    parsed = spreadsheets.read_spreadsheet(
        name=batch.file_name,
        data=b"",
        context=context,
        max_rows=import_max_rows(),
        column_map=column_map,
        value_map=batch.value_map,
        layout=layout,
        progress=progress,
    )
    rows = parsed.rows
    if (  # “you said, we did” on their own sheet
        spreadsheets.file_extension(batch.file_name) == ".xlsx"
        and layout.table.sheet != spreadsheets.OUTCOMES_SHEET
    ):
        outcomes = spreadsheets.read_outcomes(
            bytes(batch.data), max_rows=import_max_rows(), sheets=layout.table.sheets
        )
        if outcomes:
            spreadsheets.attach_outcomes(rows, outcomes)
            parsed.notices.append(
                f"Read {len(outcomes)} outcome{'' if len(outcomes) == 1 else 's'} from the "
                f"“{spreadsheets.OUTCOMES_SHEET}” sheet."
            )
    spreadsheets.mark_duplicates(rows, existing_duplicate_keys(batch.organisation, rows))
    update_changes(batch.organisation, rows)
    batch.rows, batch.notices = rows, parsed.notices
    batch.error_count = sum(1 for r in rows if r["errors"])
    batch.sheet, batch.heading_row = parsed.sheet, parsed.heading_row
    if column_map is not None:
        matched = mapped_columns(layout.headings, column_map, all_columns)
        batch.unmatched = unmatched_values(
            (row for _, row in layout.data_rows), matched, context, batch.value_map
        )
        batch.stage = ImportStage.VALUES if batch.unmatched else ImportStage.READY


def check_meanwhile(batch, context, layout, progress=None) -> None:
    """Before the columns are chosen: the rows as the headings recognised read them, if they can be."""
    try:
        check_batch(batch, context, layout, progress=progress)
    except spreadsheets.SpreadsheetError:  # such as no heading recognised as the title
        if not layout.data_rows:
            raise
        if len(layout.data_rows) > import_max_rows():
            raise spreadsheets.reading.too_many_rows(import_max_rows()) from None
        batch.rows, batch.error_count = [], 0


def new_batch(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """An upload's batch holding its file, not read yet (nor saved)."""
    return ImportBatch(
        organisation=organisation, uploaded_by=by, file_name=sanitise_filename(file_name)[:200], data=data
    )


def read_upload(batch: ImportBatch, *, progress=None) -> None:
    """An upload read once (not saved here): with a saved mapping that fits its headings, or the
    template's own headings, it goes straight on (to its values if some are new, else to the
    preview); any other headings go to the mapping step, with the rows read by the headings
    recognised meanwhile. ``progress(checked, total)``: see ``check_batch``."""
    organisation, file_name, data = batch.organisation, batch.file_name, bytes(batch.data)
    context = import_context(organisation)
    layout = read_layout(name=file_name, data=data, groups=context.groups, max_rows=import_max_rows())
    batch.sheet, batch.heading_row = layout.table.sheet, layout.heading_number
    mappings = list(ImportMapping.objects.for_organisation(organisation).order_by("-updated_at"))
    mapping = _fitting(mappings, layout.headings)
    is_template = mapping is None and is_the_template(
        layout.headings, spreadsheets.import_columns(context.groups)
    )
    if mapping is None and not is_template and mappings:  # a mapping's headings elsewhere in the file
        found = mapped_layout(layout, mappings, _sheet_reader(file_name, data, context))
        if found is not None:
            mapping, layout = found
    if mapping is not None:
        batch.mapping, batch.value_map = mapping, dict(mapping.values)
        batch.column_map = column_map_from(mapping, layout.headings)
        check_batch(batch, context, layout, column_map=batch.column_map, progress=progress)
        batch.notices.insert(0, f"Read with your saved mapping “{mapping.name}”.")
    elif is_template:  # its unknown list values can still be mapped: the preview offers the values page
        batch.column_map = template_column_map(layout.headings, spreadsheets.import_columns(context.groups))
        check_batch(batch, context, layout, column_map=batch.column_map, progress=progress)
        batch.stage = ImportStage.READY
    else:
        batch.stage = ImportStage.COLUMNS
        check_meanwhile(batch, context, layout, progress)


def start_batch(*, organisation, by, file_name: str, data: bytes) -> ImportBatch:
    """A new upload, read and saved (``read_upload``)."""
    batch = new_batch(organisation=organisation, by=by, file_name=file_name, data=data)
    read_upload(batch)
    batch.save()
    return batch


def _editable(batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk, organisation=batch.organisation)
    if batch.committed_at is not None or not batch.data:
        raise ActionError(
            f"“{batch.file_name}” was already imported. Upload the file again to import it again."
        )
    return batch


@transaction.atomic
def choose_layout(
    *, batch: ImportBatch, by, sheet: str, heading_row: int, later: bool = False
) -> ImportBatch:
    """Read the file's headings from another sheet or row (the columns are matched again).
    ``later``: as ``map_columns``' (the rows read by the headings recognised are checked by a task)."""
    batch = _editable(batch)
    context = import_context(batch.organisation)
    batch.sheet, batch.heading_row = sheet, heading_row
    try:
        layout = batch_layout(batch, context)
        if later:
            batch.read_state, batch.read_error = ReadState.QUEUED, ""
        else:
            check_meanwhile(batch, context, layout)
    except spreadsheets.SpreadsheetError as exc:
        raise ActionError(str(exc)) from None
    batch.stage, batch.column_map = ImportStage.COLUMNS, {}
    batch.save()
    return batch


def save_mapping(
    *,
    organisation,
    by,
    name: str,
    columns: dict,
    values: dict,
    mapping=None,
    sheet: str | None = None,
    heading_row: int | None = None,
) -> ImportMapping:
    """Create or change a named mapping (a name already used by another mapping is refused); with
    ``sheet`` and ``heading_row``, where its file's headings were (kept as they are otherwise)."""
    name = " ".join(name.split())[:100]
    if not name:
        raise ActionError("Enter a name for the mapping.")
    clash = ImportMapping.objects.for_organisation(organisation).filter(name__iexact=name)
    if mapping is not None:
        clash = clash.exclude(pk=mapping.pk)
    if clash.exists():
        raise ActionError(f"There is already a mapping called “{name}”. Choose another name.")
    if mapping is None:
        mapping = ImportMapping(organisation=organisation, created_by=by)
    mapping.name, mapping.columns, mapping.values = name, columns, values
    if heading_row is not None:
        mapping.sheet, mapping.heading_row = sheet or "", heading_row
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError:  # pragma: no cover - the same name saved at the same moment
        raise ActionError(f"There is already a mapping called “{name}”. Choose another name.") from None
    return mapping


@transaction.atomic
def map_columns(
    *, batch: ImportBatch, by, column_map: dict[str, str], save_as: str = "", later: bool = False
) -> ImportBatch:
    """Read every row with the columns chosen; on to the values step if list values need mapping.

    ``save_as`` names a mapping to keep (a new one, or the batch's own renamed) for the next file
    with the same headings. ``later``: keep the choices and leave the rows to be checked by a task
    (``read_state`` queued: ``import_reading.recheck_in_background``), for a large file.
    """
    batch = _editable(batch)
    context = import_context(batch.organisation)
    layout = batch_layout(batch, context)
    column_map = {str(i): key for i, key in column_map.items()}
    try:
        if later:
            mapped_columns(layout.headings, column_map, spreadsheets.import_columns(context.groups))
            batch.read_state, batch.read_error = ReadState.QUEUED, ""
        else:
            check_batch(batch, context, layout, column_map=column_map)
    except spreadsheets.SpreadsheetError as exc:
        raise ActionError(str(exc)) from None
    batch.column_map = column_map
    if save_as.strip():
        batch.mapping = save_mapping(
            organisation=batch.organisation,
            by=by,
            name=save_as,
            columns=mapping_columns(layout.headings, column_map),
            values=batch.mapping.values if batch.mapping else {},
            mapping=batch.mapping,
            sheet=batch.sheet,
            heading_row=batch.heading_row,
        )
    batch.save()
    return batch


@transaction.atomic
def map_values(
    *,
    batch: ImportBatch,
    by,
    value_map: dict[str, dict[str, str]],
    later: bool = False,
    save_as: str = "",
) -> ImportBatch:
    """Read every row again with the list values chosen (``{field: {value as written: value}}``); the
    batch's saved mapping keeps them too. ``later``: as ``map_columns``'. ``save_as`` names a new
    mapping keeping the batch's columns and values (a batch read with none: the template's headings)
    for the next file with these headings."""
    batch = _editable(batch)
    context = import_context(batch.organisation)
    merged = {key: dict(batch.value_map.get(key, {})) for key in batch.value_map}
    for key, chosen in value_map.items():
        merged.setdefault(key, {}).update({w.casefold(): v for w, v in chosen.items()})
    batch.value_map = merged
    layout = batch_layout(batch, context) if not later or save_as.strip() else None
    if later:
        batch.read_state, batch.read_error = ReadState.QUEUED, ""
    else:
        check_batch(batch, context, layout, column_map=batch.column_map)
        batch.stage = ImportStage.READY
    if batch.mapping is None and save_as.strip():
        batch.mapping = save_mapping(
            organisation=batch.organisation,
            by=by,
            name=save_as,
            columns=mapping_columns(layout.headings, batch.column_map),
            values=merged,
            sheet=batch.sheet,
            heading_row=batch.heading_row,
        )
    elif batch.mapping is not None:
        mapping = ImportMapping.objects.select_for_update().get(pk=batch.mapping.pk)
        values = {key: dict(v) for key, v in mapping.values.items()}
        for key, chosen in merged.items():
            values.setdefault(key, {}).update(chosen)
        mapping.values = values
        mapping.save(update_fields=["values", "updated_at"])
    batch.save()
    return batch


@transaction.atomic
def delete_mapping(*, mapping: ImportMapping, by) -> None:
    """Remove a saved mapping; uploads read with it keep their choices."""
    ImportMapping.objects.filter(pk=mapping.pk).delete()
