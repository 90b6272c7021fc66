"""The assurance figures: plain functions returning plain data, aggregated in the database.

Only what happened counts: every activity figure reads the activities that happened
(``engagements.models.happened_sql``: completed, started in the year, ended by today), never the
whole log of the year.

Every function runs a fixed number of queries whatever the amount of data, and is reused by the
dashboard pages and the generated reports. The queries are written in SQL (``reports.dashboard.sql``,
ADR 0009): their shape never changes, and built through the ORM they cost three times the
database's own work.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ccg_involvement.history import full_name
from ccg_involvement.models import OrganisationKind
from ccg_involvement.prepared import url_maker
from ccg_involvement.years import ReportingYear
from duties.models import Framework, FrameworkChoice, ItemStatus, Verdict
from engagements.models import PartnerKind
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
from reports.dashboard.sql import as_date, as_datetime, fetch, happened, one_cursor, user_table


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


@dataclass(slots=True)
class YearChecklist:
    """One of the year's checklists, as the figures read it."""

    pk: int
    framework_code: str
    framework: str
    legal_basis: str
    url: str
    signed_off_at: datetime.datetime | None
    signed_off_by: str
    approving_body: str


_CHECKLISTS = """
SELECT c.id, f.code, f.short_title, f.legal_basis, c.signed_off_at, c.approving_body,
       u.first_name, u.last_name, u.username
FROM duties_checklist c
JOIN duties_framework f ON f.id = c.framework_id
LEFT JOIN {users} u ON u.id = c.signed_off_by_id
WHERE c.organisation_id = %s AND c.year = %s
ORDER BY f.code
"""


def year_checklists(organisation, year: ReportingYear) -> list[YearChecklist]:
    """The organisation's checklists of ``year``, in framework code order: one query."""
    url = url_maker("checklist-detail", key="framework", org_code=organisation.slug, year=year)
    rows = fetch(_CHECKLISTS.format(users=user_table()), [organisation.pk, year.start_year])
    return [
        YearChecklist(
            pk,
            code,
            short_title,
            legal_basis,
            url(code.lower()),
            as_datetime(signed_off_at),
            full_name(first, last, username, default=""),
            approving_body,
        )
        for pk, code, short_title, legal_basis, signed_off_at, approving_body, first, last, username in rows
    ]


def checklist_positions(organisation, year: ReportingYear) -> list[ChecklistPosition]:
    return positions_of(year_checklists(organisation, year), coverage_items(organisation, year))


def positions_of(checklists: list[YearChecklist], items) -> list[ChecklistPosition]:
    """Each checklist's position counted from the year's items (``coverage_items``)."""
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
        ChecklistPosition(
            checklist_id=c.pk,
            framework_code=c.framework_code,
            framework=c.framework,
            legal_basis=c.legal_basis,
            url=c.url,
            items=counts[c.pk]["items"],
            by_verdict={v: counts[c.pk][v] for v in Verdict},
            undecided=counts[c.pk]["undecided"],
            reviewed=counts[c.pk]["reviewed"],
            signed_off_at=c.signed_off_at,
            signed_off_by=c.signed_off_by,
            approving_body=c.approving_body,
        )
        for c in checklists
    ]


_CURRENT_FRAMEWORKS = """
SELECT code, short_title, applies_to, first_year, last_year FROM duties_framework WHERE is_current ORDER BY code
"""


def frameworks_without_checklist(organisation, year: ReportingYear, started=None) -> list[str]:
    """Titles of the frameworks that apply to the organisation in ``year`` and have no checklist;
    ``started``: the codes of the year's checklists, when the caller has read them already.
    Decided by ``Framework.applies_to_organisation`` and ``applies_in`` on the current frameworks."""
    if started is None:
        started = [c.framework_code for c in year_checklists(organisation, year)]
    chosen = FrameworkChoice.codes_for(organisation) if organisation.kind == OrganisationKind.OTHER else None
    frameworks = (
        Framework(code=code, short_title=title, applies_to=applies_to, first_year=first, last_year=last)
        for code, title, applies_to, first, last in fetch(_CURRENT_FRAMEWORKS)
    )
    return [
        f.short_title
        for f in frameworks
        if f.code not in started and f.applies_to_organisation(organisation, chosen) and f.applies_in(year)
    ]


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
        return self.overdue_on(timezone.localdate())

    def overdue_on(self, today: datetime.date) -> bool:
        """Past its due date on ``today`` without being met and reviewed."""
        if self.due_date is None or self.due_date >= today:
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


@dataclass(slots=True)
class YearItem:
    """One of the year's checklist items, as the figures read it."""

    pk: int
    checklist_id: int
    framework_code: str
    framework: str
    duty_id: int
    number: int
    code: str
    title: str
    verdict: str
    status: str
    owner: str
    due_date: datetime.date | None
    documents: int
    last_document: datetime.date | None


_ITEMS = """
SELECT i.id, i.checklist_id, f.code, f.short_title, i.duty_id, d.number, d.code, d.title,
       i.verdict, i.status, u.first_name, u.last_name, u.username, i.due_date,
       COUNT(doc.id), MAX(doc.evidence_date)
FROM duties_checklistitem i
JOIN duties_checklist c ON c.id = i.checklist_id
JOIN duties_framework f ON f.id = c.framework_id
JOIN duties_duty d ON d.id = i.duty_id
LEFT JOIN {users} u ON u.id = i.owner_id
LEFT JOIN duties_checklistitem_documents link ON link.checklistitem_id = i.id
LEFT JOIN ccg_involvement_document doc ON doc.id = link.document_id AND doc.removed_at IS NULL
WHERE c.organisation_id = %s AND c.year = %s
GROUP BY i.id, f.id, d.id, u.id
ORDER BY f.code, d.number
"""


def coverage_items(organisation, year: ReportingYear) -> list[YearItem]:
    """The year's checklist items with their duty, framework, owner and current documents: one query."""
    rows = fetch(_ITEMS.format(users=user_table()), [organisation.pk, year.start_year])
    # columns in _ITEMS's order: the item's ten, the owner's three names, the due date, the documents
    return [
        YearItem(*row[:10], full_name(*row[10:13], default=""), as_date(row[13]), row[14], as_date(row[15]))
        for row in rows
    ]


_DUTY_EVIDENCE = """
SELECT ad.duty_id, COUNT(DISTINCT ad.activity_id), MAX(a.start_date)
FROM engagements_activityduty ad
JOIN engagements_activity a ON a.id = ad.activity_id
WHERE a.organisation_id = %s AND {happened} AND ad.duty_id IN ({duties})
GROUP BY ad.duty_id
"""


def duty_evidence(
    organisation, year: ReportingYear, duty_ids: list[int], as_of: datetime.date | None = None
) -> dict[int, tuple[int, datetime.date]]:
    """``{duty id: (activities that happened in the year evidencing it, the latest one's start date)}``;
    ``as_of``: the day by which they had happened (default today)."""
    if not duty_ids:
        return {}
    condition, params = happened([year], as_of=as_of)
    sql = _DUTY_EVIDENCE.format(happened=condition, duties=", ".join(["%s"] * len(duty_ids)))
    return {
        duty_id: (n, as_date(latest))
        for duty_id, n, latest in fetch(sql, [organisation.pk, *params, *duty_ids])
    }


def coverage_rows(
    organisation, year: ReportingYear, items: list[YearItem], as_of: datetime.date | None = None
) -> list[CoverageRow]:
    evidence = duty_evidence(organisation, year, [item.duty_id for item in items], as_of)
    checklist_url = url_maker("checklist-detail", key="framework", org_code=organisation.slug, year=year)
    rows: dict[str, CoverageRow] = {}
    item_urls = {}  # one checklist per framework in a year: its items' URL reversed once
    labels = dict(Verdict.choices)
    for item in items:
        code = item.framework_code
        if code not in rows:
            rows[code] = CoverageRow(item.framework, code, checklist_url(code.lower()))
            item_urls[code] = url_maker(
                "checklist-item", key="item", org_code=organisation.slug, year=year, framework=code.lower()
            )
        activities, latest = evidence.get(item.duty_id, (0, None))
        dates = [d for d in (latest, item.last_document) if d]
        rows[code].cells.append(
            CoverageCell(
                item_id=item.pk,
                duty_id=item.duty_id,
                number=item.number,
                code=item.code,
                title=item.title,
                url=item_urls[code](item.code.lower()),
                verdict=item.verdict,
                verdict_label=labels[item.verdict] if item.verdict else "Not decided",
                status=item.status,
                owner=item.owner,
                due_date=item.due_date,
                activities=activities,
                documents=item.documents,
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


def gaps(rows: list[CoverageRow], today: datetime.date | None = None) -> Gaps:
    """The cells without evidence, overdue on ``today`` (default today) and without an owner."""
    today = today or timezone.localdate()
    cells = [(row.framework, cell) for row in rows for cell in row.cells]
    return Gaps(
        no_evidence=[(f, c) for f, c in cells if c.evidence == 0],
        overdue=[(f, c) for f, c in cells if c.overdue_on(today)],
        no_owner=[(f, c) for f, c in cells if not c.owner],
    )


# ---------------------------------------------------------------- activity and reach
def activity_by_quarter(organisation, year: ReportingYear) -> list[QuarterFigures]:
    return activity_years(organisation, [year])[year].quarters


# the activities that happened in the year per value of a linked lookup (a method, a kind of partner)
_ACTIVITIES_BY = """
SELECT x.{column}, COUNT(DISTINCT a.id) AS n
FROM engagements_activity a
JOIN engagements_activity_{link} link ON link.activity_id = a.id
JOIN engagements_{lookup} x ON x.id = link.{lookup}_id
WHERE a.organisation_id = %s AND {happened}
GROUP BY x.{column}
ORDER BY n DESC, x.{column}
"""


def _activities_by(
    organisation, year: ReportingYear, link: str, lookup: str, column: str, as_of: datetime.date | None
) -> list[tuple]:
    condition, params = happened([year], as_of=as_of)
    sql = _ACTIVITIES_BY.format(link=link, lookup=lookup, column=column, happened=condition)
    return fetch(sql, [organisation.pk, *params])


def activity_by_method(
    organisation, year: ReportingYear, as_of: datetime.date | None = None
) -> list[tuple[str, int]]:
    """``(method, activities that used it)``, most used first."""
    return [tuple(row) for row in _activities_by(organisation, year, "methods", "method", "name", as_of)]


def activity_by_partner_kind(
    organisation, year: ReportingYear, as_of: datetime.date | None = None
) -> list[tuple[str, int]]:
    """``(kind of partner, activities with a partner of that kind)``, most first."""
    labels = dict(PartnerKind.choices)
    return [
        (labels.get(kind, kind), n)
        for kind, n in _activities_by(organisation, year, "partners", "partner", "kind", as_of)
    ]


def year_totals(organisation, year: ReportingYear) -> YearTotals:
    return activity_years(organisation, [year])[year].totals


# ---------------------------------------------------------------- loop closure
def loop_closure(organisation, year: ReportingYear) -> LoopClosure:
    return activity_years(organisation, [year])[year].loop


# ---------------------------------------------------------------- the whole dashboard
def dashboard_figures(organisation, year: ReportingYear, today: datetime.date | None = None) -> dict:
    """Every figure of the dashboard, as things stood on ``today`` (default today: read once, so
    every figure counts to the same day)."""
    today = today or timezone.localdate()
    with one_cursor():
        return _dashboard_figures(organisation, year, today)


def _dashboard_figures(organisation, year: ReportingYear, today: datetime.date) -> dict:
    previous = year.previous()
    items = coverage_items(organisation, year)
    rows = coverage_rows(organisation, year, items, as_of=today)
    checklists = year_checklists(organisation, year)
    by_year = activity_years(organisation, [year, previous], as_of=today)
    return {
        "year": year,
        "previous_year": previous,
        "positions": positions_of(checklists, items),
        "missing_frameworks": frameworks_without_checklist(
            organisation, year, started=[c.framework_code for c in checklists]
        ),
        "coverage": rows,
        "gaps": gaps(rows, today),
        "totals": by_year[year].totals,
        "previous_totals": by_year[previous].totals,
        "quarters": by_year[year].quarters,
        "previous_quarters": by_year[previous].quarters,
        "methods": activity_by_method(organisation, year, as_of=today),
        "partners": activity_by_partner_kind(organisation, year, as_of=today),
        "reach": equality_reach(organisation, year, as_of=today),
        "loop": by_year[year].loop,
        "previous_loop": by_year[previous].loop,
    }
