"""The assurance figures: plain functions returning plain data, aggregated in the database.

Only what happened counts: every activity figure reads ``Activity.objects.happened`` (completed,
started in the year, ended by today), never the whole log of the year.

Every function runs a fixed number of queries whatever the amount of data, and is reused by the
dashboard pages and the generated reports.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from ccg_involvement.history import display_name
from ccg_involvement.years import ReportingYear
from duties.models import Checklist, ChecklistItem, Framework, ItemStatus, Verdict
from engagements.models import (
    KIND_ORDER,
    Activity,
    ActivityDuty,
    AudienceGroup,
    AudienceKind,
    Reach,
)
from reports.dashboard.activity_years import (
    LoopClosure,
    QuarterFigures,
    YearTotals,
    activity_years,
)
from reports.small_numbers import PeopleCount, people


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
        Checklist.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("framework", "signed_off_by", "organisation")
        .annotate(
            n_items=Count("items", distinct=True),
            n_undecided=Count("items", filter=Q(items__verdict=""), distinct=True),
            n_reviewed=Count("items", filter=Q(items__status=ItemStatus.REVIEWED), distinct=True),
            **verdict_counts,
        )
        .order_by("framework__code")
    )
    positions = []
    for c in rows:
        by_verdict = {v: getattr(c, f"n_{v.value}") for v in Verdict}
        user = c.signed_off_by
        positions.append(
            ChecklistPosition(
                checklist_id=c.pk,
                framework_code=c.framework.code,
                framework=c.framework.short_title,
                legal_basis=c.framework.legal_basis,
                url=c.get_absolute_url(),
                items=c.n_items,
                by_verdict=by_verdict,
                undecided=c.n_undecided,
                reviewed=c.n_reviewed,
                signed_off_at=c.signed_off_at,
                signed_off_by=display_name(user, default=""),
                approving_body=c.approving_body,
            )
        )
    return positions


def frameworks_without_checklist(organisation, year: ReportingYear) -> list[str]:
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
    items = list(
        ChecklistItem.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("duty", "checklist__framework", "checklist__organisation", "owner")
        .annotate(
            n_documents=Count("documents", filter=Q(documents__removed_at__isnull=True)),
            last_document=Max("documents__evidence_date", filter=Q(documents__removed_at__isnull=True)),
        )
        .order_by("checklist__framework__code", "duty__number")
    )
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
    for item in items:
        framework = item.checklist.framework
        row = rows.setdefault(
            framework.code,
            CoverageRow(framework.short_title, framework.code, item.checklist.get_absolute_url()),
        )
        stats = activity_stats.get(item.duty_id, {})
        dates = [d for d in (stats.get("latest"), item.last_document) if d]
        row.cells.append(
            CoverageCell(
                item_id=item.pk,
                duty_id=item.duty_id,
                number=item.duty.number,
                code=item.duty.code,
                title=item.duty.title,
                url=item.get_absolute_url(),
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


# ---------------------------------------------------------------- equality reach
@dataclass
class Reached:
    """Who was reached in one group or category over the year (ADR 0008).

    ``people``: the numbers recorded, added up (not recorded when no number was); ``activities``:
    activities that reached it (a number above 0, or reached with the number not recorded);
    ``uncounted``: activities that recorded it as reached, number not recorded; ``recorded``:
    whether any activity recorded anything for it (0 included).
    """

    code: str
    name: str
    people: PeopleCount
    activities: int = 0
    uncounted: int = 0
    recorded: bool = False

    @property
    def reached(self) -> bool:
        return (self.people.value or 0) > 0 or self.uncounted > 0

    @property
    def recorded_as_zero(self) -> bool:
        """Recorded, and nobody from it took part (every record a 0)."""
        return self.recorded and not self.reached

    @property
    def only_uncounted(self) -> bool:
        """Reached, but no number of people was ever recorded for it."""
        return self.uncounted > 0 and not self.people.value

    @property
    def display(self) -> str:
        """The people reached as documents and pages say it (small numbers suppressed)."""
        if not self.recorded:
            return "not recorded"
        if self.only_uncounted:
            return "reached, number not recorded"
        if self.uncounted:  # some activities counted, some did not: the numbers are a floor
            if self.people.is_suppressed:
                return "reached, number not fully recorded"
            return f"at least {self.people.display}"
        return self.people.display


@dataclass
class GroupReach(Reached):
    kind: str = ""
    categories: list = field(default_factory=list)
    """For a protected characteristic, a ``Reached`` per category, in order."""
    uncategorised: Reached | None = None
    """For a protected characteristic, people counted without a category ("category not recorded")."""
    categories_source: str = ""
    categories_url: str = ""
    categories_verified: bool = False
    categories_note: str = ""

    @property
    def categories_recorded(self) -> int:
        """How many of its categories (not counting "category not recorded") have a record."""
        return sum(1 for c in self.categories if c.recorded)

    @property
    def by_category(self) -> bool:
        """Whether any category (not only "category not recorded") was recorded."""
        return self.categories_recorded > 0


@dataclass
class ReachLists:
    """The names the dashboard and documents list apart: never one list for all three."""

    zero: list = field(default_factory=list)
    """Recorded, and nobody took part: groups, characteristics and categories whose records are all 0."""
    uncounted: list = field(default_factory=list)
    """Reached, but no number recorded."""
    not_recorded: list = field(default_factory=list)
    """No record at all: groups, and characteristics never monitored (not the same as nobody)."""


def reach_lists(reach: dict) -> ReachLists:
    lists = ReachLists()
    for kind, groups in reach.items():
        for g in groups:
            if not g.recorded:
                lists.not_recorded.append(g.name)
            elif kind != AudienceKind.PROTECTED_CHARACTERISTIC:
                if g.recorded_as_zero:
                    lists.zero.append(g.name)
                elif g.only_uncounted:
                    lists.uncounted.append(g.name)
            else:
                parts = [*g.categories, g.uncategorised]
                names = [f"{g.name}: {c.name.lower() if c is g.uncategorised else c.name}" for c in parts]
                # a 0 "category not recorded" only says everyone counted had a category: not "nobody"
                lists.zero.extend(
                    n
                    for c, n in zip(parts, names, strict=True)
                    if c.recorded_as_zero and c is not g.uncategorised
                )
                if g.recorded_as_zero:  # every record of the characteristic a 0
                    lists.zero.append(g.name)
                lists.uncounted.extend(n for c, n in zip(parts, names, strict=True) if c.only_uncounted)
    return lists


_REACH_SUMS = {
    "total": Sum("count"),
    "n": Count("activity_id", filter=Q(count__gt=0) | Q(count__isnull=True), distinct=True),
    "uncounted": Count("activity_id", filter=Q(count__isnull=True), distinct=True),
}


def _reached(code, name, row) -> Reached:
    if row is None:
        return Reached(code, name, people(None))
    return Reached(code, name, people(row["total"]), row["n"], row["uncounted"], True)


GROUP_SOURCE_FIELDS = ("categories_source", "categories_url", "categories_verified", "categories_note")
CATEGORY_FIELDS = ("categories__pk", "categories__code", "categories__name", "categories__is_active")


def equality_reach(organisation, year: ReportingYear) -> dict[str, list[GroupReach]]:
    """Every active group by kind (in ``KIND_ORDER``), with its categories: three queries."""
    rows = Reach.objects.for_organisation(organisation).happened(year)
    by_group = {r["group_id"]: r for r in rows.values("group_id").annotate(**_REACH_SUMS)}
    by_category = {
        (r["group_id"], r["category_id"]): r
        for r in rows.values("group_id", "category_id").annotate(**_REACH_SUMS)
    }
    groups: dict[int, dict] = {}  # groups with their categories, in one query
    for row in (
        AudienceGroup.objects.filter(is_active=True)
        .order_by("position", "name", "categories__position")
        .values("pk", "code", "name", "kind", *GROUP_SOURCE_FIELDS, *CATEGORY_FIELDS)
    ):
        group = groups.setdefault(row["pk"], {**row, "categories": []})
        if row["categories__pk"] is not None and row["categories__is_active"]:
            group["categories"].append(row)
    result = {kind: [] for kind in KIND_ORDER}
    for pk, group in groups.items():
        entry = GroupReach(
            **vars(_reached(group["code"], group["name"], by_group.get(pk))),
            kind=group["kind"],
            **{name: group[name] for name in GROUP_SOURCE_FIELDS},
        )
        if group["kind"] == AudienceKind.PROTECTED_CHARACTERISTIC:
            entry.categories = [
                _reached(
                    c["categories__code"], c["categories__name"], by_category.get((pk, c["categories__pk"]))
                )
                for c in group["categories"]
            ]
            entry.uncategorised = _reached(
                group["code"], "Category not recorded", by_category.get((pk, None))
            )
        result.setdefault(group["kind"], []).append(entry)
    return result


# ---------------------------------------------------------------- loop closure
def loop_closure(organisation, year: ReportingYear) -> LoopClosure:
    return activity_years(organisation, [year])[year].loop


# ---------------------------------------------------------------- the whole dashboard
def dashboard_figures(organisation, year: ReportingYear) -> dict:
    previous = year.previous()
    rows = coverage(organisation, year)
    by_year = activity_years(organisation, [year, previous])
    return {
        "year": year,
        "previous_year": previous,
        "positions": checklist_positions(organisation, year),
        "missing_frameworks": frameworks_without_checklist(organisation, year),
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
