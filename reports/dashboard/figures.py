"""The assurance figures: plain functions returning plain data, aggregated in the database.

Only what happened counts: every activity figure reads ``Activity.objects.happened`` (completed,
started in the year, ended by today), never the whole log of the year.

Every function runs a fixed number of queries whatever the amount of data, and is reused by the
dashboard pages and the generated reports.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from ccg_involvement.history import display_name
from ccg_involvement.years import ReportingYear
from duties.models import Checklist, ChecklistItem, Framework, ItemStatus, Verdict
from duties.selectors import item_url_maker
from engagements.models import (
    Activity,
    ActivityDuty,
)
from reports.dashboard.activity_years import (
    LoopClosure,
    QuarterFigures,
    YearTotals,
    activity_years,
)
from reports.dashboard.equality import (  # noqa: F401 (the equality figures, re-exported)
    GroupReach,
    Reached,
    ReachLists,
    equality_reach,
    reach_lists,
)


# ---------------------------------------------------------------- checklist position
@dataclass
class ChecklistPosition:
    checklist_id: int
    framework_code: str
    framework: str
    legal_basis: str
    url: str
    items: int
    by_verdict: dict
    undecided: int
    reviewed: int
    signed_off_at: datetime.datetime | None
    signed_off_by: str
    approving_body: str

    @property
    def assessable(self) -> int:
        return self.items - self.by_verdict.get(Verdict.NOT_APPLICABLE, 0)

    @property
    def percent_met(self) -> int | None:
        return round(100 * self.by_verdict.get(Verdict.MET, 0) / self.assessable) if self.assessable else None


def checklist_positions(organisation, year: ReportingYear) -> list[ChecklistPosition]:
    verdict_counts = {
        f"n_{v.value}": Count("items", filter=Q(items__verdict=v.value), distinct=True) for v in Verdict
    }
    rows = (
        _checklists(organisation, year)
        .select_related("organisation")
        .annotate(
            n_items=Count("items", distinct=True),
            n_undecided=Count("items", filter=Q(items__verdict=""), distinct=True),
            n_reviewed=Count("items", filter=Q(items__status=ItemStatus.REVIEWED), distinct=True),
            **verdict_counts,
        )
    )
    return [
        _position(c, c.n_items, {v: getattr(c, f"n_{v.value}") for v in Verdict}, c.n_undecided, c.n_reviewed)
        for c in rows
    ]


def positions_of(checklists, items) -> list[ChecklistPosition]:
    """``checklist_positions`` counted from the year's items (``coverage_items``) rather than in SQL:
    the dashboard reads the items anyway, and the counting query is the costliest to build."""
    counts = {
        c.pk: {"items": 0, "undecided": 0, "reviewed": 0, **dict.fromkeys(Verdict, 0)} for c in checklists
    }
    for item in items:
        n = counts[item.checklist_id]
        n["items"] += 1
        n["undecided"] += item.verdict == ""
        n["reviewed"] += item.status == ItemStatus.REVIEWED
        if item.verdict:
            n[Verdict(item.verdict)] += 1
    return [
        _position(
            c,
            counts[c.pk]["items"],
            {v: counts[c.pk][v] for v in Verdict},
            counts[c.pk]["undecided"],
            counts[c.pk]["reviewed"],
        )
        for c in checklists
    ]


def _checklists(organisation, year: ReportingYear):
    return (
        Checklist.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("framework", "signed_off_by")
        .order_by("framework__code")
    )


def _position(c, items, by_verdict, undecided, reviewed) -> ChecklistPosition:
    return ChecklistPosition(
        checklist_id=c.pk,
        framework_code=c.framework.code,
        framework=c.framework.short_title,
        legal_basis=c.framework.legal_basis,
        url=c.get_absolute_url(),
        items=items,
        by_verdict=by_verdict,
        undecided=undecided,
        reviewed=reviewed,
        signed_off_at=c.signed_off_at,
        signed_off_by=display_name(c.signed_off_by, default=""),
        approving_body=c.approving_body,
    )


def frameworks_without_checklist(organisation, year: ReportingYear, started=None) -> list[str]:
    """Titles of the frameworks that apply to the organisation in ``year`` and have no checklist;
    ``started``: the codes of the year's checklists, when the caller has read them already."""
    if started is None:
        started = Checklist.objects.for_organisation(organisation).for_year(year).values("framework__code")
    return list(
        Framework.objects.applying_to_organisation(organisation)
        .in_year(year)
        .exclude(code__in=started)
        .order_by("code")
        .values_list("short_title", flat=True)
    )


# ---------------------------------------------------------------- coverage matrix and gaps
@dataclass
class CoverageCell:
    item_id: int
    duty_id: int
    number: int
    code: str
    title: str
    url: str
    verdict: str
    verdict_label: str
    status: str
    owner: str
    due_date: datetime.date | None
    activities: int
    documents: int
    latest_evidence: datetime.date | None

    @property
    def evidence(self) -> int:
        return self.activities + self.documents

    @property
    def overdue(self) -> bool:
        if self.due_date is None or self.due_date >= timezone.localdate():
            return False
        return self.verdict != Verdict.MET or self.status != ItemStatus.REVIEWED


@dataclass
class CoverageRow:
    framework: str
    framework_code: str
    checklist_url: str
    cells: list = field(default_factory=list)


def coverage(organisation, year: ReportingYear) -> list[CoverageRow]:
    return coverage_rows(organisation, year, coverage_items(organisation, year))


def coverage_items(organisation, year: ReportingYear) -> list[ChecklistItem]:
    """The year's checklist items with their duty, checklist, owner and document counts."""
    items = list(
        ChecklistItem.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("duty", "checklist__framework", "owner")
        .annotate(
            n_documents=Count("documents", filter=Q(documents__removed_at__isnull=True)),
            last_document=Max("documents__evidence_date", filter=Q(documents__removed_at__isnull=True)),
        )
        .order_by("checklist__framework__code", "duty__number")
    )
    for item in items:
        item.checklist.organisation = organisation  # the request's: set, not joined
    return items


def coverage_rows(organisation, year: ReportingYear, items) -> list[CoverageRow]:
    duty_ids = [item.duty_id for item in items]
    activity_stats = {
        row["duty_id"]: row
        for row in ActivityDuty.objects.for_organisation(organisation)
        .happened(year)
        .filter(duty_id__in=duty_ids)
        .values("duty_id")
        .annotate(n=Count("activity_id", distinct=True), latest=Max("activity__start_date"))
    }
    rows: dict[str, CoverageRow] = {}
    item_urls = {}  # one checklist per framework in a year: its items' URL reversed once
    for item in items:
        framework = item.checklist.framework
        if framework.code not in rows:
            rows[framework.code] = CoverageRow(
                framework.short_title, framework.code, item.checklist.get_absolute_url()
            )
            item_urls[framework.code] = item_url_maker(item.checklist)
        row = rows[framework.code]
        stats = activity_stats.get(item.duty_id, {})
        dates = [d for d in (stats.get("latest"), item.last_document) if d]
        row.cells.append(
            CoverageCell(
                item_id=item.pk,
                duty_id=item.duty_id,
                number=item.duty.number,
                code=item.duty.code,
                title=item.duty.title,
                url=item_urls[framework.code](item),
                verdict=item.verdict,
                verdict_label=item.get_verdict_display() if item.verdict else "Not decided",
                status=item.status,
                owner=display_name(item.owner, default=""),
                due_date=item.due_date,
                activities=stats.get("n", 0),
                documents=item.n_documents,
                latest_evidence=max(dates) if dates else None,
            )
        )
    return list(rows.values())


@dataclass
class Gaps:
    no_evidence: list
    overdue: list
    no_owner: list

    @property
    def count(self) -> int:
        return len(self.no_evidence)


def gaps(rows: list[CoverageRow]) -> Gaps:
    cells = [(row.framework, cell) for row in rows for cell in row.cells]
    return Gaps(
        no_evidence=[(f, c) for f, c in cells if c.evidence == 0],
        overdue=[(f, c) for f, c in cells if c.overdue],
        no_owner=[(f, c) for f, c in cells if not c.owner],
    )


# ---------------------------------------------------------------- activity and reach
def activity_by_quarter(organisation, year: ReportingYear) -> list[QuarterFigures]:
    return activity_years(organisation, [year])[year].quarters


def activity_by_method(organisation, year: ReportingYear) -> list[tuple[str, int]]:
    rows = (
        Activity.objects.for_organisation(organisation)
        .happened(year)
        .values("methods__name")
        .annotate(n=Count("id", distinct=True))
        .exclude(methods__name__isnull=True)
        .order_by("-n", "methods__name")
    )
    return [(row["methods__name"], row["n"]) for row in rows]


def activity_by_partner_kind(organisation, year: ReportingYear) -> list[tuple[str, int]]:
    from engagements.models import PartnerKind

    rows = (
        Activity.objects.for_organisation(organisation)
        .happened(year)
        .values("partners__kind")
        .annotate(n=Count("id", distinct=True))
        .exclude(partners__kind__isnull=True)
        .order_by("-n")
    )
    labels = dict(PartnerKind.choices)
    return [(labels.get(row["partners__kind"], row["partners__kind"]), row["n"]) for row in rows]


def year_totals(organisation, year: ReportingYear) -> YearTotals:
    return activity_years(organisation, [year])[year].totals


# ---------------------------------------------------------------- loop closure
def loop_closure(organisation, year: ReportingYear) -> LoopClosure:
    return activity_years(organisation, [year])[year].loop


# ---------------------------------------------------------------- the whole dashboard
def dashboard_figures(organisation, year: ReportingYear) -> dict:
    previous = year.previous()
    items = coverage_items(organisation, year)
    rows = coverage_rows(organisation, year, items)
    checklists = list(_checklists(organisation, year))
    for checklist in checklists:
        checklist.organisation = organisation
    by_year = activity_years(organisation, [year, previous])
    return {
        "year": year,
        "previous_year": previous,
        "positions": positions_of(checklists, items),
        "missing_frameworks": frameworks_without_checklist(
            organisation, year, started=[c.framework.code for c in checklists]
        ),
        "coverage": rows,
        "gaps": gaps(rows),
        "totals": by_year[year].totals,
        "previous_totals": by_year[previous].totals,
        "quarters": by_year[year].quarters,
        "previous_quarters": by_year[previous].quarters,
        "methods": activity_by_method(organisation, year),
        "partners": activity_by_partner_kind(organisation, year),
        "reach": equality_reach(organisation, year),
        "loop": by_year[year].loop,
        "previous_loop": by_year[previous].loop,
    }
