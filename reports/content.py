"""What the generated documents say: plain data built from the dashboard's figures, shared by PDF and Word."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from ccg_involvement.history import display_name
from ccg_involvement.years import ReportingYear
from duties.models import Checklist, ChecklistItem, Framework, Verdict
from engagements.models import Activity, Outcome
from engagements.proposals.selectors import service_changes_for
from reports.dashboard import figures
from reports.dashboard.charts import charts_for
from reports.small_numbers import people

# Framework order in the annual report section, by kind of organisation.
ANNUAL_REPORT_FRAMEWORKS = {"CCG": ["PPP17", "IPO17"], "ICB": ["WPPC22"], "OTHER": ["WPPC22"]}
HIGHLIGHTS_PER_DUTY = 3


@dataclass
class ActivitySummary:
    title: str
    start_date: object
    end_date: object
    summary: str
    methods: str
    partners: str
    participants: str
    outcomes: list = field(default_factory=list)  # (you said, we did, status label)
    is_highlight: bool = False


@dataclass
class DutySection:
    code: str
    number: int
    title: str
    expected: str
    verdict: str
    narrative: str
    planned_actions: str
    activities: list  # highlighted ActivitySummary
    you_said_we_did: list  # (you said, we did, status)
    reached: str
    activity_count: int


@dataclass
class FrameworkSection:
    code: str
    title: str
    short_title: str
    legal_basis: str
    summary: str
    item_label: str
    has_checklist: bool
    duties: list


def _summary(activity: Activity) -> ActivitySummary:
    return ActivitySummary(
        title=activity.title,
        start_date=activity.start_date,
        end_date=activity.end_date,
        summary=activity.summary,
        methods=", ".join(m.name for m in activity.methods.all()),
        partners=", ".join(p.name for p in activity.partners.all()),
        participants=people(activity.total_participants).display,
        outcomes=[(o.what_we_heard, o.what_we_did, o.get_status_display()) for o in activity.outcomes.all()],
        is_highlight=activity.is_highlight,
    )


def year_activities(organisation, year: ReportingYear) -> list[Activity]:
    """The activities a document reports: only those that happened (see ``Activity.objects.happened``)."""
    return list(
        Activity.objects.for_organisation(organisation)
        .happened(year)
        .prefetch_related(
            "methods", "partners", "duty_links", Prefetch("outcomes", queryset=Outcome.objects.order_by("pk"))
        )
        .order_by("start_date", "pk")
    )


def _highlights(activities: list[Activity]) -> list[Activity]:
    chosen = [a for a in activities if a.is_highlight]
    if not chosen:  # otherwise the largest by reach
        chosen = sorted(activities, key=lambda a: -(a.total_participants or 0))
    return chosen[:HIGHLIGHTS_PER_DUTY]


def framework_sections(
    organisation, year: ReportingYear, activities: list[Activity]
) -> list[FrameworkSection]:
    by_duty: dict[int, list[Activity]] = {}
    for activity in activities:
        for link in activity.duty_links.all():
            by_duty.setdefault(link.duty_id, []).append(activity)
    checklists = {
        c.framework.code: c
        for c in Checklist.objects.for_organisation(organisation).for_year(year).select_related("framework")
    }
    sections = []
    for code in ANNUAL_REPORT_FRAMEWORKS.get(organisation.kind, []):
        checklist = checklists.get(code)
        if checklist:
            framework = checklist.framework
            items = list(checklist.items.select_related("duty").order_by("duty__number"))
            rows = [(item.duty, item) for item in items]
        else:
            framework = Framework.objects.filter(code=code, is_current=True).first()
            if framework is None:
                continue
            rows = [(duty, None) for duty in framework.duties.order_by("number")]
        duties = []
        for duty, item in rows:
            linked = by_duty.get(duty.pk, [])
            highlights = _highlights(linked)
            total = sum(a.total_participants or 0 for a in linked)
            recorded = any(a.total_participants is not None for a in linked)
            duties.append(
                DutySection(
                    code=duty.code,
                    number=duty.number,
                    title=duty.title,
                    expected=duty.expected,
                    verdict=item.get_verdict_display() if item and item.verdict else "Not assessed",
                    narrative=item.narrative if item else "",
                    planned_actions=item.planned_actions if item else "",
                    activities=[_summary(a) for a in highlights],
                    you_said_we_did=[o for a in highlights for o in _summary(a).outcomes][:3],
                    reached=people(total if recorded else None).display,
                    activity_count=len(linked),
                )
            )
        sections.append(
            FrameworkSection(
                code=framework.code,
                title=framework.title,
                short_title=framework.short_title,
                legal_basis=framework.legal_basis,
                summary=framework.summary,
                item_label=framework.item_label,
                has_checklist=checklist is not None,
                duties=duties,
            )
        )
    return sections


def partner_summary(activities: list[Activity]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for activity in activities:
        for partner in activity.partners.all():
            counts[partner.name] = counts.get(partner.name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def annual_report(organisation, year: ReportingYear) -> dict:
    activities = year_activities(organisation, year)
    data = figures.dashboard_figures(organisation, year)

    return {
        "organisation": organisation,
        "year": year,
        "frameworks": framework_sections(organisation, year, activities),
        "totals": data["totals"],
        "previous_totals": data["previous_totals"],
        "reach": data["reach"],
        "loop": data["loop"],
        "charts": charts_for(data),
        "partners": partner_summary(activities),
        "service_changes": service_changes_for(organisation, year),
        "appendix": [_summary(a) for a in activities],
        "threshold": people(0).threshold,
    }


def assurance_pack(organisation, year: ReportingYear, *, generated_by) -> dict:
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
        .order_by("framework__code")
    )
    data = figures.dashboard_figures(organisation, year)
    return {
        "organisation": organisation,
        "year": year,
        "checklists": checklists,
        "positions": {p.checklist_id: p for p in data["positions"]},
        "missing_frameworks": data["missing_frameworks"],
        "gaps": data["gaps"],
        "loop": data["loop"],
        "totals": data["totals"],
        "generated_at": timezone.now(),
        "generated_by": display_name(generated_by),
        "verdicts": Verdict,
    }
