"""What the committee's assurance pack says: checklist verdicts, evidence, reviews, sign-off and
the year's service changes with their open warnings, in statutory order (plain data for the PDF).

The public annual-report section is ``reports.content``; this pack is for the committee.
"""

from django.db.models import Prefetch
from django.utils import timezone

from ccg_involvement.history import display_name
from ccg_involvement.years import ReportingYear
from duties.models import Checklist, ChecklistItem, Verdict
from engagements.proposals.selectors import service_changes_for
from reports.dashboard import figures
from reports.statement import period_statement

STATUTORY_ORDER = ["PPP17", "WPPC22", "IPO17", "IPO-ICB"]
"""Frameworks in the order a committee reads them: the public involvement duty (s14Z2 / s14Z45)
first, the individual involvement duty (s14U; for ICBs the s14U areas applied by analogy) next, then
guidance and assessment frameworks."""

LEVEL_LABELS = {
    "significant": "Significant assurance",
    "reasonable": "Reasonable assurance",
    "limited": "Limited assurance",
    "none": "No assurance",
}


def _statutory_key(code: str):
    return (STATUTORY_ORDER.index(code) if code in STATUTORY_ORDER else len(STATUTORY_ORDER), code)


def assurance_pack(organisation, year: ReportingYear, *, generated_by, cover: dict | None = None) -> dict:
    checklists = list(
        Checklist.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("framework", "signed_off_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ChecklistItem.objects.select_related("duty", "owner", "reviewed_by").order_by(
                    "duty__number"
                ),
            )
        )
    )
    checklists.sort(key=lambda c: _statutory_key(c.framework.code))
    data = figures.dashboard_figures(organisation, year)
    evidence = {cell.item_id: cell.evidence for row in data["coverage"] for cell in row.cells}
    met_without_evidence = [
        (row.framework, cell)
        for row in sorted(data["coverage"], key=lambda r: _statutory_key(r.framework_code))
        for cell in row.cells
        if cell.verdict == Verdict.MET and cell.evidence == 0
    ]
    cover = dict(cover or {})
    cover["level_label"] = LEVEL_LABELS.get(cover.get("assurance_level", ""), "")
    return {
        "organisation": organisation,
        "year": year,
        "period": period_statement(organisation, year, "pack"),
        "cover": cover,
        "checklists": checklists,
        "positions": {p.checklist_id: p for p in data["positions"]},
        "evidence": evidence,
        "met_without_evidence": met_without_evidence,
        "service_changes": service_changes_for(organisation, year),
        "missing_frameworks": data["missing_frameworks"],
        "gaps": data["gaps"],
        "loop": data["loop"],
        "totals": data["totals"],
        "generated_at": timezone.now(),
        "generated_by": display_name(generated_by),
        "verdicts": Verdict,
        "four_eyes": four_eyes(organisation),
    }


def four_eyes(organisation) -> dict:
    """Whether one person may assess and review the same item, and if so why, who decided and when."""
    return {
        "relaxed": organisation.four_eyes_relaxed,
        "reason": organisation.four_eyes_relaxed_reason,
        "by": display_name(organisation.four_eyes_relaxed_by) if organisation.four_eyes_relaxed_by_id else "",
        "on": organisation.four_eyes_relaxed_at,
    }
