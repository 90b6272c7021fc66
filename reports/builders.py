"""Turn a Report request into file bytes: one builder per (kind, format), in one table.

Each builder takes the report and the file-name stem and returns (bytes, file name, page count or None).
"""

from django.utils.text import slugify

from engagements.proposals.selectors import proposal_for_page, record_context
from reports import assurance_pack, content
from reports.docx_builder import build_docx
from reports.models import Report, ReportFormat, ReportKind
from reports.pdf import render_pdf
from reports.small_numbers import people

Built = tuple[bytes, str, int | None]


def annual_report_pdf(report: Report, stem: str) -> Built:
    document = content.annual_report_document(report.organisation, report.reporting_year)
    pdf, pages = render_pdf(
        "reports/pdf/document.html",
        {"document": document, "organisation": report.organisation, "draft": report.is_draft},
    )
    return pdf, f"{stem}.pdf", pages


def annual_report_docx(report: Report, stem: str) -> Built:
    document = content.annual_report_document(report.organisation, report.reporting_year)
    return build_docx(document, draft=report.is_draft), f"{stem}.docx", None


def assurance_pack_pdf(report: Report, stem: str) -> Built:
    data = assurance_pack.assurance_pack(
        report.organisation,
        report.reporting_year,
        generated_by=report.requested_by,
        cover=(report.parameters or {}).get("cover"),
    )
    pdf, pages = render_pdf("reports/pdf/assurance_pack.html", {**data, "draft": report.is_draft})
    return pdf, f"{stem}.pdf", pages


def _decision_record(report: Report, *, public: bool) -> Built:
    """The decision record as a document: counts of people suppressed below the small-number threshold,
    links absolute on SITE_URL (or plain references), and for the public version no internal warnings."""
    organisation = report.organisation
    proposal = proposal_for_page(organisation, report.subject_id)
    context = {
        **record_context(proposal, count=lambda value: people(value).display, printed=True, public=public),
        "organisation": organisation,
        "generated_by": report.requested_by,
        "draft": report.is_draft,
    }
    pdf, pages = render_pdf("reports/pdf/decision_record.html", context)
    which = "public-decision" if public else "decision-record"
    name = slugify(f"{organisation.ods_code}-{which}-{proposal.pk}-{proposal.title}")[:80]
    name += "-draft" if report.is_draft else ""
    return pdf, f"{name}.pdf", pages


def decision_record_pdf(report: Report, stem: str) -> Built:
    return _decision_record(report, public=False)


def public_decision_pdf(report: Report, stem: str) -> Built:
    return _decision_record(report, public=True)


BUILDERS = {
    (ReportKind.ANNUAL_REPORT, ReportFormat.PDF): annual_report_pdf,
    (ReportKind.ANNUAL_REPORT, ReportFormat.DOCX): annual_report_docx,
    (ReportKind.ASSURANCE_PACK, ReportFormat.PDF): assurance_pack_pdf,
    (ReportKind.DECISION_RECORD, ReportFormat.PDF): decision_record_pdf,
    (ReportKind.PUBLIC_DECISION, ReportFormat.PDF): public_decision_pdf,
}


def build(report: Report) -> Built:
    builder = BUILDERS.get((report.kind, report.format))
    if builder is None:
        raise ValueError(f"No builder for {report.get_kind_display()} as {report.get_format_display()}.")
    year = report.reporting_year
    stem = slugify(
        f"{report.organisation.ods_code}-{report.kind.replace('_', '-')}-{year.slug if year else report.subject_id}"
        + ("-draft" if report.is_draft else "")
    )
    return builder(report, stem)
