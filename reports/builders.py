"""Turn a Report request into file bytes. Each builder returns (bytes, file name, page count or None)."""

from django.utils.text import slugify

from engagements.proposals.selectors import proposal_for_page, record_context
from reports import content
from reports.docx_builder import build_annual_report_docx
from reports.models import Report, ReportFormat, ReportKind
from reports.pdf import render_pdf

# Builders for kinds provided by other modules (the proposal decision record) register here.
EXTRA_BUILDERS = {}


def build(report: Report) -> tuple[bytes, str, int | None]:
    organisation, year = report.organisation, report.reporting_year
    stem = slugify(
        f"{organisation.ods_code}-{report.kind.replace('_', '-')}-{year.slug if year else report.subject_id}"
    )
    if report.kind == ReportKind.ANNUAL_REPORT:
        data = content.annual_report(organisation, year)
        if report.format == ReportFormat.DOCX:
            return build_annual_report_docx(data), f"{stem}.docx", None
        pdf, pages = render_pdf("reports/pdf/annual_report.html", data)
        return pdf, f"{stem}.pdf", pages
    if report.kind == ReportKind.ASSURANCE_PACK:
        data = content.assurance_pack(organisation, year, generated_by=report.requested_by)
        pdf, pages = render_pdf("reports/pdf/assurance_pack.html", data)
        return pdf, f"{stem}.pdf", pages
    if report.kind == ReportKind.DECISION_RECORD:
        proposal = proposal_for_page(organisation, report.subject_id)
        context = {
            **record_context(proposal),
            "organisation": organisation,
            "generated_by": report.requested_by,
        }
        pdf, pages = render_pdf("reports/pdf/decision_record.html", context)
        return (
            pdf,
            f"{slugify(f'{organisation.ods_code}-decision-record-{proposal.pk}-{proposal.title}')[:80]}.pdf",
            pages,
        )
    if report.kind in EXTRA_BUILDERS:
        return EXTRA_BUILDERS[report.kind](report, stem)
    raise ValueError(f"No builder for {report.get_kind_display()} as {report.get_format_display()}.")
