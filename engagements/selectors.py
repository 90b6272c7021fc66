"""Reads for the engagement log pages, and the evidence the checklists ask for."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse

from duties.evidence import EvidenceLink
from duties.selectors import HistoryEvent
from engagements.actions import SCALAR_FIELDS as HISTORY_FIELDS
from engagements.models import Activity, ActivityDuty


class ActivityEvidence:
    """Checklist evidence provider: activities of the organisation in the year linked to each duty."""

    @staticmethod
    def _links(organisation, year, duty_ids):
        return ActivityDuty.objects.for_organisation(organisation).for_year(year).filter(duty_id__in=duty_ids)

    def counts(self, organisation, year, duty_ids):
        rows = self._links(organisation, year, duty_ids).values("duty_id").annotate(n=Count("activity_id"))
        return {row["duty_id"]: row["n"] for row in rows}

    def links(self, organisation, year, duty_ids, limit):
        found = {}
        rows = (
            self._links(organisation, year, duty_ids)
            .select_related("activity")
            .order_by("-activity__start_date", "-activity_id")
        )
        if len(duty_ids) == 1:
            rows = rows[:limit]
        for link in rows:
            activity = link.activity
            url = reverse("activity-detail", kwargs={"org_code": organisation.slug, "pk": activity.pk})
            detail = link.rationale or activity.get_status_display()
            found.setdefault(link.duty_id, []).append(
                EvidenceLink("activity", activity.title, url, activity.start_date, detail)
            )
        return found


activity_evidence = ActivityEvidence()


def activity_detail(organisation, pk):
    return (
        Activity.objects.for_organisation(organisation)
        .filter(pk=pk)
        .select_related("lead", "created_by", "organisation")
        .prefetch_related("methods", "partners", "adjustments", "reach__group", "outcomes")
        .annotate(document_count=Count("documents", filter=Q(documents__removed_at__isnull=True)))
        .get()
    )


def activity_history(activity) -> list[HistoryEvent]:
    records = list(activity.history.select_related("history_user").order_by("history_date", "history_id"))
    user_ids = {r.lead_id for r in records if r.lead_id}
    users = {
        u.pk: (u.get_full_name() or u.username) for u in get_user_model().objects.filter(pk__in=user_ids)
    }
    events, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for name in HISTORY_FIELDS:
                field = Activity._meta.get_field(name)
                old, new = getattr(previous, field.attname), getattr(record, field.attname)
                if old != new:
                    changes.append(
                        (
                            str(field.verbose_name).capitalize(),
                            _show(field, old, users),
                            _show(field, new, users),
                        )
                    )
        previous = record
        if changes or record.history_change_reason:
            user = record.history_user
            who = (user.get_full_name() or user.username) if user else "System"
            events.append(HistoryEvent(record.history_date, who, record.history_change_reason or "", changes))
    events.reverse()
    return events


def _show(field, value, users):
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if field.name == "lead":
        return users.get(value, f"user {value}")
    if field.choices:
        return dict(field.choices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
