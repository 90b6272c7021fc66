from django.shortcuts import render
from django.views.decorators.http import require_safe

from ccg_involvement.models import Membership
from ccg_involvement.years import ReportingYear
from reports import overview, selectors
from reports.dashboard import charts_for


def _year_from(request) -> tuple[ReportingYear, str]:
    try:
        return (
            ReportingYear.from_slug(request.GET["year"])
            if request.GET.get("year")
            else ReportingYear.current()
        ), ""
    except ValueError as exc:
        return ReportingYear.current(), str(exc)


@require_safe
def dashboard(request, org_code):
    organisation = request.organisation
    year, year_error = _year_from(request)
    data = selectors.dashboard(organisation, year)
    current = ReportingYear.current()
    context = {
        **data,
        "charts": charts_for(data),
        "organisation": organisation,
        "year_error": year_error,
        "year_choices": [current.next(), current]
        + [ReportingYear(current.start_year - n) for n in range(1, 13)],
        "predecessors": list(organisation.predecessors.all()),
    }
    template = "reports/dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#dashboard-body"
    return render(request, template, context)


@require_safe
def assurance_overview(request):
    year, year_error = _year_from(request)
    organisations = [m.organisation for m in Membership.objects.for_user(request.user)]
    rows = overview.rows(organisations, year)
    sort = request.GET.get("sort", "name")
    rows = overview.sort_rows(rows, sort)
    current = ReportingYear.current()
    context = {
        "rows": rows,
        "year": year,
        "year_error": year_error,
        "sort": sort,
        "sorts": overview.SORTS,
        "year_choices": [current.next(), current]
        + [ReportingYear(current.start_year - n) for n in range(1, 13)],
    }
    return render(request, "reports/assurance_overview.html", context)
