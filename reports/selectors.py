"""Reads for the report pages: plain functions over an organisation's reports."""

from reports.models import Report

RECENT = 100


def recent_reports(organisation, limit: int = RECENT) -> list[Report]:
    """The organisation's newest reports, with what their list needs."""
    return list(
        Report.objects.for_organisation(organisation).select_related("requested_by", "organisation")[:limit]
    )
