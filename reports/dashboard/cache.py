"""The dashboard's figures, computed and rendered once per version of an organisation's data.

The cache holds the rendered figures (``reports/_dashboard_body.html``: every table, chart and list
under the year picker), not the objects they are drawn from: a cached page then neither unpickles
some hundred objects nor renders them again, and a computed page pickles one string. The key holds
the organisation, its name, kind and code (the body says them), the reporting year, the
organisation's data version (see ``ccg_involvement.freshness``), today's date (whether an item is
overdue depends on it) and ``RELEASE`` (a digest of the code and templates that draw the body, so a
cache shared across a deployment never serves the previous release's drawing). A cached body is
therefore never older than the data it describes. With ``FIGURES_CACHE_VERIFY`` on (the test suite),
every cache hit is recomputed, rendered and compared, so a write path that forgets to record its
change fails a test instead of showing stale figures.
"""

import datetime
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ccg_involvement import freshness
from ccg_involvement.years import ReportingYear
from reports.dashboard import figures
from reports.dashboard.charts import charts_for

TIMEOUT = 60 * 60  # an entry is superseded by the next change anyway; this only bounds memory
BODY = "reports/_dashboard_body.html"

_ROOT = Path(__file__).resolve().parent.parent.parent
RELEASE = hashlib.sha256(
    b"".join(
        path.read_bytes()
        for pattern in (
            "reports/dashboard/*.py",
            "reports/charts.py",
            "reports/small_numbers.py",
            "reports/templatetags/*.py",
            "ccg_involvement/templatetags/components.py",
            "ccg_involvement/prepared.py",
            "templates/reports/_dashboard_body.html",
            "templates/reports/_equality_reach.html",
            "templates/reports/_chart.html",
        )
        for path in sorted(_ROOT.glob(pattern))
    )
).hexdigest()[:12]
"""The code and templates that draw the body, as a digest (computed once per process). Code beyond
these (a label in a model, say) can change the drawing too: an entry lives at most ``TIMEOUT``."""


class StaleFigures(AssertionError):
    """A cached figure differs from the data: some write did not call ``freshness.record_change``."""


def render_body(organisation, year: ReportingYear, today: datetime.date | None = None) -> str:
    """The dashboard's figures for ``organisation`` in ``year`` as of ``today``, computed and rendered."""
    data = figures.dashboard_figures(organisation, year, today)
    return render_to_string(BODY, {**data, "charts": charts_for(data), "organisation": organisation})


def _key(organisation, year: ReportingYear, today: datetime.date) -> str:
    said = hashlib.sha256(
        "\n".join((organisation.name, organisation.kind, organisation.ods_code)).encode()
    ).hexdigest()[:12]
    return ":".join(
        str(part)
        for part in (
            "dashboard",
            RELEASE,
            organisation.pk,
            said,
            year.start_year,
            freshness.version(organisation.pk),
            today.isoformat(),
        )
    )


def dashboard_body(organisation, year: ReportingYear) -> SafeString:
    """The rendered figures (``render_body``), from the cache when the data is unchanged."""
    cache = caches[settings.FIGURES_CACHE]
    today = timezone.localdate()  # the key's day is the day the figures count to
    key = _key(organisation, year, today)
    body = cache.get(key)
    if body is None or settings.FIGURES_CACHE_VERIFY:
        fresh = render_body(organisation, year, today)
        if body is not None and body != fresh:
            raise StaleFigures(f"The cached dashboard {key} no longer matches the data.")
        body = fresh
        cache.set(key, body, TIMEOUT)
    return mark_safe(body)  # noqa: S308 (rendered by render_body, escaped there)
