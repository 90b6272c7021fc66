"""The annual-report section as an editable Word document, built on a replaceable .docx template."""

import io

from django.conf import settings


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    document.add_paragraph()
    return table


def build_annual_report_docx(data: dict) -> bytes:
    from docx import Document

    document = Document(str(settings.REPORT_DOCX_TEMPLATE))
    organisation, year = data["organisation"], data["year"]
    document.core_properties.title = f"Involving people and communities {year}"
    document.core_properties.author = organisation.name
    document.add_paragraph(f"Involving people and communities {year}", style="Title")
    totals = data["totals"]
    document.add_paragraph(
        f"{organisation.name} ran {totals.activities} engagement activities in {year}, reaching "
        f"{totals.participants.display} participants"
        + (f" (not recorded for {totals.not_recorded})" if totals.not_recorded else "")
        + f". Counts of people below {data['threshold']} are shown as “fewer than {data['threshold']}”."
    )
    for framework in data["frameworks"]:
        document.add_paragraph(f"{framework.short_title} ({framework.legal_basis})", style="Heading 1")
        document.add_paragraph(framework.summary)
        for duty in framework.duties:
            document.add_paragraph(f"{duty.number}. {duty.title}", style="Heading 2")
            document.add_paragraph(
                f"Our assessment: {duty.verdict}. Activities: {duty.activity_count}. People reached: {duty.reached}."
            )
            if duty.narrative:
                document.add_paragraph("What we did", style="Heading 3")
                document.add_paragraph(duty.narrative)
            if duty.activities:
                document.add_paragraph("Highlighted activities", style="Heading 3")
                for activity in duty.activities:
                    document.add_paragraph(
                        f"{activity.title} ({activity.start_date:%B %Y}; {activity.participants} participants"
                        + (f"; with {activity.partners}" if activity.partners else "")
                        + ")",
                        style="List Bullet",
                    )
            if duty.you_said_we_did:
                document.add_paragraph("You said, we did", style="Heading 3")
                _table(document, ["You said", "We did", "Status"], duty.you_said_we_did)
            if duty.planned_actions:
                document.add_paragraph("Next steps", style="Heading 3")
                document.add_paragraph(duty.planned_actions)
    document.add_paragraph("Who we reached", style="Heading 1")
    for groups in data["reach"].values():
        _table(document, ["Group", "People reached"], [(g.name, g.people.display) for g in groups])
    not_reached = [g.name for groups in data["reach"].values() for g in groups if not g.reached]
    if not_reached:
        document.add_paragraph("Groups we did not reach", style="Heading 2")
        for name in not_reached:
            document.add_paragraph(name, style="List Bullet")
    document.add_paragraph("Working with partners", style="Heading 1")
    if data["partners"]:
        _table(document, ["Partner", "Activities"], data["partners"])
    else:
        document.add_paragraph("No partners were recorded for this year's activities.")
    document.add_paragraph("Service changes screened and consulted on", style="Heading 1")
    if data["service_changes"]:
        _table(
            document,
            ["Proposal", "Does the duty apply?", "Involvement", "Decision"],
            [
                (c["title"], c["duty"], c["level"], c["decision"] or "Not yet decided")
                for c in data["service_changes"]
            ],
        )
    else:
        document.add_paragraph(f"No service-change proposals were screened in {year}.")
    loop = data["loop"]
    document.add_paragraph("Closing the loop", style="Heading 1")
    if loop.percent is None:
        document.add_paragraph(f"No activities were completed in {year}.")
    else:
        document.add_paragraph(
            f"We reported back to participants after {loop.percent}% of completed activities "
            f"({loop.reported_back} of {loop.completed})."
        )
    document.add_paragraph(f"Appendix: all activities in {year}", style="Heading 1")
    _table(
        document,
        ["Start", "Activity", "Methods", "Participants", "Outcomes"],
        [
            (f"{a.start_date:%d/%m/%Y}", a.title, a.methods, a.participants, len(a.outcomes))
            for a in data["appendix"]
        ],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
