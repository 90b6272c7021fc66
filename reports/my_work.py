"""What is a person's to do, across every organisation they belong to (``/my-work/`` and the emails).

* checklist items they own that are not reviewed yet, on open checklists: overdue, due within
  ``DUE_SOON_DAYS``, later or with no due date;
* proposals they own (lead) that are not decided or withdrawn;
* outcomes of activities they lead that have not been reported back to the participants yet.

A constant number of queries whatever the data size; withdrawn records are left out.
"""

import datetime
from dataclasses import dataclass, field

from ccg_involvement.models import Membership
from duties.models import ChecklistItem, ItemStatus
from engagements.models import Outcome, OutcomeStatus
from engagements.proposals.models import Proposal

DUE_SOON_DAYS = 7


@dataclass
class Work:
    today: datetime.date
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    later: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)

    @property
    def items(self) -> list:
        return [*self.overdue, *self.due_soon, *self.later]

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.proposals or self.outcomes)


def organisations_of(user) -> list[int]:
    return list(Membership.objects.for_user(user).values_list("organisation_id", flat=True))


def work_for(user, today: datetime.date) -> Work:
    organisations = organisations_of(user)
    work = Work(today=today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    items = (
        ChecklistItem.objects.for_organisations(organisations)
        .filter(owner=user, checklist__signed_off_at__isnull=True)
        .exclude(status=ItemStatus.REVIEWED)
        .select_related("duty", "checklist__framework", "checklist__organisation")
        .order_by("due_date", "checklist__organisation__name", "duty__number")
    )
    for item in items:
        if item.due_date is not None and item.due_date < today:
            work.overdue.append(item)
        elif item.due_date is not None and item.due_date <= soon:
            work.due_soon.append(item)
        else:
            work.later.append(item)
    work.later.sort(key=lambda i: (i.due_date is None, i.due_date or today))
    work.proposals = list(
        Proposal.objects.for_organisations(organisations)
        .counted()
        .filter(owner=user, decision_date__isnull=True)
        .select_related("organisation")
        .order_by("expected_decision_date", "title")
    )
    work.outcomes = list(
        Outcome.objects.for_organisations(organisations)
        .counted()
        .filter(activity__lead=user, reported_back_on__isnull=True)
        .exclude(status=OutcomeStatus.NOT_POSSIBLE)
        .select_related("activity__organisation")
        .order_by("activity__start_date", "pk")
    )
    return work


def due_soon_reminders(user, today: datetime.date) -> list:
    """Items to remind ``user`` about today: due in exactly ``DUE_SOON_DAYS`` days, due today, or
    overdue since yesterday (so each item is mentioned at most three times, never every day)."""
    moments = {
        today + datetime.timedelta(days=DUE_SOON_DAYS),
        today,
        today - datetime.timedelta(days=1),
    }
    return [item for item in work_for(user, today).items if item.due_date in moments]
