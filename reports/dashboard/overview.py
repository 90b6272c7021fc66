"""The assurance overview: one row per organisation the user belongs to, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from duties.models import Checklist, ChecklistItem, ItemStatus, Verdict
from engagements.models import Activity, ActivityDuty

SORTS = {
    "name": "Organisation",
    "gaps": "Most gaps",
    "overdue": "Most overdue",
    "loop": "Lowest loop closure",
    "signed": "Oldest sign-off",
}


@dataclass
class OverviewRow:
    organisation: object
    percent_met: dict = field(
        default_factory=dict
    )  # framework short title → % met (None: nothing assessable)
    gaps: int = 0
    overdue: int = 0
    last_sign_off: object = None
    completed: int = 0
    reported_back: int = 0

    @property
    def loop_percent(self) -> int | None:
        return round(100 * self.reported_back / self.completed) if self.completed else None


def rows(organisations, year) -> list[OverviewRow]:
    by_id = {org.pk: OverviewRow(org) for org in organisations}
    ids = list(by_id)
    checklists = (
        Checklist.objects.for_organisations(ids)
        .for_year(year)
        .values("organisation_id", "framework__short_title")
        .annotate(
            met=Count("items", filter=Q(items__verdict=Verdict.MET)),
            na=Count("items", filter=Q(items__verdict=Verdict.NOT_APPLICABLE)),
            total=Count("items"),
        )
    )
    for c in checklists:
        assessable = c["total"] - c["na"]
        by_id[c["organisation_id"]].percent_met[c["framework__short_title"]] = (
            round(100 * c["met"] / assessable) if assessable else None
        )
    for row in (
        Checklist.objects.for_organisations(ids).values("organisation_id").annotate(last=Max("signed_off_at"))
    ):
        by_id[row["organisation_id"]].last_sign_off = row["last"]
    evidenced = set(
        ActivityDuty.objects.for_organisations(ids)
        .happened(year)
        .values_list("activity__organisation_id", "duty_id")
        .distinct()
    )
    today = timezone.localdate()
    items = (
        ChecklistItem.objects.for_organisations(ids)
        .for_year(year)
        .annotate(n_documents=Count("documents", filter=Q(documents__removed_at__isnull=True)))
        .values_list("checklist__organisation_id", "duty_id", "n_documents", "due_date", "verdict", "status")
    )
    for org_id, duty_id, n_documents, due_date, verdict, status in items:
        row = by_id[org_id]
        if not n_documents and (org_id, duty_id) not in evidenced:
            row.gaps += 1
        if due_date and due_date < today and (verdict != Verdict.MET or status != ItemStatus.REVIEWED):
            row.overdue += 1
    completed = Activity.objects.for_organisations(ids).happened(year)
    counts = defaultdict(lambda: [0, 0])
    for row in completed.values("organisation_id").annotate(
        n=Count("id", distinct=True),
        back=Count("id", filter=Q(outcomes__reported_back_on__isnull=False), distinct=True),
    ):
        counts[row["organisation_id"]] = [row["n"], row["back"]]
    for org_id, (n, back) in counts.items():
        by_id[org_id].completed, by_id[org_id].reported_back = n, back
    return list(by_id.values())


def sort_rows(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    keys = {
        "name": lambda r: r.organisation.name,
        "gaps": lambda r: -r.gaps,
        "overdue": lambda r: -r.overdue,
        "loop": lambda r: (r.loop_percent is None, r.loop_percent or 0),
        "signed": lambda r: (r.last_sign_off is not None, r.last_sign_off or 0),
    }
    return sorted(rows, key=keys.get(sort, keys["name"]))
