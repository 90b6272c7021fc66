"""The annual report's closing appendix: the frameworks the section reports on and where each of their
items comes from (document and section or page), with unverified wording and frameworks applied by
analogy marked as such (issue 14). Feeds the PDF and the Word file alike."""

from ccg_involvement.years import ReportingYear
from duties.models import Framework
from reports.document import Heading, Paragraph, Table


def framework_sources(organisation, year: ReportingYear) -> list:
    frameworks = list(
        Framework.objects.applying_to_organisation(organisation)
        .in_year(year)
        .prefetch_related("duties")
        .order_by("code")
    )
    if not frameworks:
        return [Paragraph("No framework applies to this organisation for this year.", "muted")]
    blocks = [
        Table(
            "The duties this section reports on",
            ["Reference", "Framework", "Legal basis"],
            [
                [f.code, f.title + (" (applied by analogy)" if f.analogy_note else ""), f.legal_basis]
                for f in frameworks
            ],
        ),
        Heading("Where each item comes from", anchor="item-sources", level=3),
        Paragraph(
            "Each item's document and place in it. Items marked “paraphrase” have a confirmed name and "
            "our own wording; items marked “unverified wording” have not been checked against the "
            "published guidance.",
            "muted",
        ),
    ]
    for framework in frameworks:
        if framework.analogy_note:
            blocks.append(Paragraph(framework.analogy_note, "box"))
        blocks.append(
            Table(
                f"{framework.short_title}: {framework.guidance_title} ({framework.publisher}, {framework.year})",
                ["No.", framework.item_label.capitalize(), "Where in the guidance", "Certainty"],
                [
                    [str(d.number), d.title, d.citation or "Not recorded", d.certainty_label or "verified"]
                    for d in sorted(
                        (d for d in framework.duties.all() if d.retired_in_id is None), key=lambda d: d.number
                    )
                ],
                (0,),
            )
        )
    return blocks
