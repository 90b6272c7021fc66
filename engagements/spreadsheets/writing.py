"""Writing the activity spreadsheet: the import template, its Lists sheet and the export (CSV, XLSX).

Pure: the caller passes the columns, the rows' cell values and the lists' contents.
"""

import csv
import datetime
import io
from collections.abc import Iterable

from engagements.models import ActivityStatus, CycleStage, DutyLimb
from engagements.spreadsheets.columns import ACTIVITIES_SHEET, LISTS_SHEET, Column
from engagements.spreadsheets.reach_cells import reach_values


def activity_cells(activity, all_columns: list[Column]) -> list:
    """One activity as cell values (dates as dates, counts as ints), in the columns' order.

    Expects ``methods``, ``partners``, ``adjustments``, ``duty_links__duty`` and ``reach`` (with its
    ``group`` and ``category``) prefetched and ``lead`` selected. "Reached, number not recorded" is
    written in the list column with the count left blank (``reach_cells``).
    """
    reach, uncounted = reach_values(activity)
    names = lambda objects: "; ".join(o.name for o in objects)  # noqa: E731
    by_key = {
        "title": activity.title,
        "summary": activity.summary,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "status": activity.get_status_display(),
        "cycle_stage": activity.get_cycle_stage_display() if activity.cycle_stage else "",
        "duty_limb": activity.get_duty_limb_display() if activity.duty_limb else "",
        "service_area": activity.service_area,
        "methods": names(activity.methods.all()),
        "partners": names(activity.partners.all()),
        "adjustments": names(activity.adjustments.all()),
        "duties": "; ".join(link.duty.code for link in activity.duty_links.all()),
        "lead": activity.lead.username if activity.lead else "",
        "total_participants": activity.total_participants,
        "is_highlight": "Yes" if activity.is_highlight else "No",
        "is_case_study": "Yes" if activity.is_case_study else "No",
        "duty_rationales": "; ".join(
            f"{link.duty.code}: {link.rationale}" for link in activity.duty_links.all() if link.rationale
        ),
        "id": activity.pk,
        "version": activity.version,
        "reach_uncounted": uncounted,
    }
    return [reach.get((c.group_id, c.category_id)) if c.is_reach else by_key[c.key] for c in all_columns]


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value  # spreadsheet formula injection; the import removes the quote
    return value


def write_csv(all_columns: list[Column], rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte order mark, so Excel shows “£” and accents correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_value(c.heading) for c in all_columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(
    all_columns: list[Column],
    rows: Iterable[list],
    *,
    lists: dict[str, list] | None = None,
    sheets: list[tuple[str, list[Column], Iterable[list]]] = (),
) -> bytes:
    """An ``Activities`` sheet, then ``sheets`` (name, columns, rows; such as the outcomes), then a
    ``Lists`` sheet of valid values when ``lists`` is given."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(ACTIVITIES_SHEET)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(all_columns, start=1):
        width = 40 if column.key in {"title", "summary"} else max(12, min(len(column.heading) + 2, 36))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def cell(value, *, font=None, on=sheet):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        c = WriteOnlyCell(on, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(value, datetime.date):
            c.number_format = "DD/MM/YYYY"
        if font:
            c.font = font
        return c

    sheet.append([cell(c.heading, font=bold) for c in all_columns])
    for row in rows:
        sheet.append([cell(v) for v in row])
    for name, extra_columns, extra_rows in sheets:
        extra = workbook.create_sheet(name)
        extra.freeze_panes = "A2"
        for index, column in enumerate(extra_columns, start=1):
            extra.column_dimensions[get_column_letter(index)].width = max(
                14, min(len(column.heading) + 4, 40)
            )
        extra.append([cell(c.heading, font=bold, on=extra) for c in extra_columns])
        for row in extra_rows:
            extra.append([cell(v, on=extra) for v in row])
    if lists is not None:
        lists_sheet = workbook.create_sheet(LISTS_SHEET)
        headings = list(lists)
        for index in range(1, len(headings) + 1):
            lists_sheet.column_dimensions[get_column_letter(index)].width = 45
        lists_sheet.append([cell(h, on=lists_sheet) for h in headings])
        longest = max((len(v) for v in lists.values()), default=0)
        for i in range(longest):
            lists_sheet.append(
                [cell(lists[h][i] if i < len(lists[h]) else None, on=lists_sheet) for h in headings]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_lists(*, methods, partners, adjustments, duties) -> dict[str, list]:
    """The Lists sheet: valid names and codes, one column each.

    ``methods``, ``partners`` and ``adjustments`` are names; ``duties`` are ``Duty`` objects with
    their framework (see ``engagements.selectors.import_template_lists``).
    """
    return {
        "Methods": list(methods),
        "Partners": list(partners),
        "Reasonable adjustments": list(adjustments),
        "Duty codes": [d.code for d in duties],
        "Duty": [f"{d.framework.short_title}: {d.number}. {d.title}" for d in duties],
        "Status": [label for _, label in ActivityStatus.choices],
        "Commissioning cycle stage": [label for _, label in CycleStage.choices],
        "Part of the duty it serves": [label for _, label in DutyLimb.choices],
        "Highlight": ["Yes", "No"],
    }
