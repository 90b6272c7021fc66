"""Reads for the report pages: plain functions over an organisation's reports."""

from ccg_involvement.years import ReportingYear
from reports.models import Report

RECENT = 100


def recent_reports(organisation, limit: int = RECENT) -> list[Report]:
    """The organisation's newest reports, with what their list needs."""
    return list(
        Report.objects.for_organisation(organisation).select_related("requested_by", "organisation")[:limit]
    )


def years_with_data(organisation) -> list[ReportingYear]:
    """Years (newest first) with a completed activity that has happened, or a checklist."""
    from django.utils import timezone

    from duties.models import Checklist
    from engagements.models import Activity, ActivityStatus

    months = (
        Activity.objects.for_organisation(organisation)
        .filter(status=ActivityStatus.COMPLETED, start_date__lte=timezone.localdate())
        .dates("start_date", "month")
    )
    years = {ReportingYear.containing(month) for month in months}
    years |= {
        ReportingYear(y)
        for y in Checklist.objects.for_organisation(organisation).values_list("year", flat=True).distinct()
    }
    return sorted(years, reverse=True)


def year_has_data(organisation, year: ReportingYear) -> bool:
    from duties.models import Checklist
    from engagements.models import Activity

    return (
        Activity.objects.for_organisation(organisation).happened(year).exists()
        or Checklist.objects.for_organisation(organisation).for_year(year).exists()
    )
