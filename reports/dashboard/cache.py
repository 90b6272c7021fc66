"""The dashboard's figures, computed once per version of an organisation's data.

The key holds the organisation, the reporting year, the organisation's data version (see
``ccg_involvement.freshness``) and today's date (whether an item is overdue depends on it), so a
cached entry is never older than the data it describes. With ``FIGURES_CACHE_VERIFY`` on (the test
suite), every cache hit is recomputed and compared, so a write path that forgets to record its
change fails a test instead of showing stale figures.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from ccg_involvement import freshness
from ccg_involvement.years import ReportingYear
from reports.dashboard import figures
from reports.dashboard.charts import charts_for

TIMEOUT = 60 * 60  # an entry is superseded by the next change anyway; this only bounds memory


class StaleFigures(AssertionError):
    """A cached figure differs from the data: some write did not call ``freshness.record_change``."""


def _compute(organisation, year: ReportingYear) -> dict:
    data = figures.dashboard_figures(organisation, year)
    charts = charts_for(data)
    drawn = [c for c in charts.values() if not isinstance(c, dict)] + list(charts["reach"].values())
    for chart in drawn:  # draw once, before caching
        chart.svg, chart.table  # noqa: B018
    return {"data": data, "charts": charts}


def dashboard_figures(organisation, year: ReportingYear) -> tuple[dict, dict]:
    """``(figures, charts)`` for an organisation's dashboard, from the cache when the data is unchanged."""
    cache = caches[settings.FIGURES_CACHE]
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            organisation.pk,
            year.start_year,
            freshness.version(organisation.pk),
            timezone.localdate().isoformat(),
        )
    )
    entry = cache.get(key)
    if entry is None or settings.FIGURES_CACHE_VERIFY:
        fresh = _compute(organisation, year)
        if entry is not None and entry["data"] != fresh["data"]:
            raise StaleFigures(f"The cached dashboard {key} no longer matches the data.")
        entry = fresh
        cache.set(key, entry, TIMEOUT)
    return entry["data"], entry["charts"]
