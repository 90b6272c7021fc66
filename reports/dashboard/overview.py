"""The assurance overview: one row per organisation the user belongs to, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
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


@dataclass(frozen=True)
class SignOff:
    framework: str
    signed: bool
    approved_on: object = None  # the approving meeting's date, else the day it was recorded
    approving_body: str = ""


@dataclass
class OverviewRow:
    organisation: object
    percent_met: dict = field(
        default_factory=dict
    )  # framework short title → % met (None: nothing assessable)
    gaps: int = 0
    overdue: int = 0
    last_sign_off: object = None  # the latest approval date of the year's checklists (None: none signed off)
    sign_offs: list = field(default_factory=list)  # SignOff per checklist of the year
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
    # Sign-off of the chosen year's checklists, dated by the meeting that approved it (when the
    # sign-off was typed in is in the history, not here).
    for c in (
        Checklist.objects.for_organisations(ids)
        .for_year(year)
        .values(
            "organisation_id", "framework__short_title", "signed_off_at", "meeting_date", "approving_body"
        )
        .order_by("framework__short_title")
    ):
        signed = c["signed_off_at"] is not None
        approved_on = (c["meeting_date"] or timezone.localtime(c["signed_off_at"]).date()) if signed else None
        row = by_id[c["organisation_id"]]
        row.sign_offs.append(
            SignOff(c["framework__short_title"], signed, approved_on, c["approving_body"] or "")
        )
        if approved_on and (row.last_sign_off is None or approved_on > row.last_sign_off):
            row.last_sign_off = approved_on
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
