"""Reads for the checklist pages: plain functions, bounded queries."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Count, Q

from ccg_involvement import statements
from ccg_involvement.history import HistoryEvent, display_name, history_events, history_records
from ccg_involvement.models import Document, Membership
from ccg_involvement.prepared import date_formatter, url_maker
from duties.evidence import evidence_counts
from duties.models import Checklist, ChecklistItem, Duty, ItemStatus, Verdict


def members(organisation) -> list:
    """The organisation's active members' users, by first name, last name and user name: the
    owners an item can be given (``duties.forms.member_choices`` as a list).

    One statement written out (``ccg_involvement.statements``): the item and checklist pages list
    them on every request, and the ORM's join took longer to build than to run.
    """
    user = get_user_model()
    connection = connections[router.db_for_read(user)]
    qn, column = statements.quoted(connection.alias)
    selected = statements.columns(connection.alias, (user, "u"))
    sql = (
        f"SELECT {selected.sql} FROM {qn(user._meta.db_table)} u "
        f"WHERE {column(user, 'u', 'is_active')} = %s AND EXISTS(SELECT 1 FROM {qn(Membership._meta.db_table)} m "
        f"WHERE {column(Membership, 'm', 'user')} = {column(user, 'u', user._meta.pk.name)} "
        f"AND {column(Membership, 'm', 'organisation')} = %s) "
        f"ORDER BY {column(user, 'u', 'first_name')}, {column(user, 'u', 'last_name')}, {column(user, 'u', 'username')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, organisation.pk])
        rows = cursor.fetchall()
    return [selected.read(row, connection)[0][0] for row in rows]


HISTORY_FIELDS = [
    "status",
    "verdict",
    "not_applicable_reason",
    "score",
    "narrative",
    "planned_actions",
    "owner",
    "due_date",
    "review_comment",
]


def checklists_for(organisation, year):
    return (
        Checklist.objects.for_organisation(organisation)
        .for_year(year)
        .select_related("framework", "signed_off_by")
        .annotate(
            item_count=Count("items"),
            reviewed_count=Count("items", filter=Q(items__status=ItemStatus.REVIEWED)),
            met_count=Count("items", filter=Q(items__verdict=Verdict.MET)),
        )
        .order_by("framework__code")
    )


def years_with_checklists(organisation) -> list[int]:
    return list(
        Checklist.objects.for_organisation(organisation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass
class Progress:
    total: int
    reviewed: int
    by_status: dict
    by_verdict: dict
    score_total: int | None
    score_max: int
    rating: dict | None

    @property
    def percent_reviewed(self) -> int:
        return round(100 * self.reviewed / self.total) if self.total else 0


def item_url_maker(checklist, url_name: str = "checklist-item"):
    """``make(item)``: the URL ``url_name`` of an item of ``checklist``, reversed once per page."""
    make = url_maker(
        url_name,
        key="item",
        org_code=checklist.organisation.slug,
        year=checklist.reporting_year,
        framework=checklist.framework.slug,
    )
    return lambda item: make(item.duty.code.lower())


def checklist_items(checklist: Checklist):
    """The checklist's items in number order, with what the checklist table prints prepared on each:
    ``url``, ``owner_name`` (None: no owner), ``due`` ("" when none) and ``evidence_count``
    (current documents plus the year's activities evidencing the duty)."""
    items = _items_with_duty_owner_and_documents(checklist)
    counts = evidence_counts(
        checklist.organisation, checklist.reporting_year, [item.duty_id for item in items]
    )
    url, long_date = item_url_maker(checklist), date_formatter()
    for item in items:
        item.evidence_count = item.document_count + counts.get(item.duty_id, 0)
        item.url = url(item)
        item.owner_name = display_name(item.owner, default=None)
        item.due = long_date(item.due_date)
    return items


def _items_with_duty_owner_and_documents(checklist: Checklist) -> list[ChecklistItem]:
    """``checklist.items.select_related("duty", "owner").annotate(document_count=<current
    documents>).order_by("duty__number")``, written out as one statement (the ORM took four times
    its execution to build it on every checklist page); the items' checklist is ``checklist``."""
    user = get_user_model()
    links = ChecklistItem.documents.through
    connection = connections[router.db_for_read(ChecklistItem)]
    qn, column = statements.quoted(connection.alias)
    selected = statements.columns(connection.alias, (ChecklistItem, "i"), (Duty, "d"), (user, "owner"))
    link_item = column(links, "l", links._meta.get_field("checklistitem").name)
    link_document = column(links, "l", links._meta.get_field("document").name)
    sql = (
        f"SELECT {selected.sql}, (SELECT COUNT(*) FROM {qn(links._meta.db_table)} l "
        f"INNER JOIN {qn(Document._meta.db_table)} doc ON {column(Document, 'doc', 'id')} = {link_document} "
        f"WHERE {link_item} = {column(ChecklistItem, 'i', 'id')} AND {column(Document, 'doc', 'removed_at')} IS NULL) "
        f"FROM {qn(ChecklistItem._meta.db_table)} i "
        f"INNER JOIN {qn(Duty._meta.db_table)} d ON {column(Duty, 'd', 'id')} = {column(ChecklistItem, 'i', 'duty')} "
        f"LEFT JOIN {qn(user._meta.db_table)} owner ON {column(user, 'owner', user._meta.pk.name)} = {column(ChecklistItem, 'i', 'owner')} "
        f"WHERE {column(ChecklistItem, 'i', 'checklist')} = %s ORDER BY {column(Duty, 'd', 'number')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [checklist.pk])
        rows = cursor.fetchall()
    items = []
    for row in rows:
        (item, duty, owner), (document_count,) = selected.read(row, connection)
        item.checklist, item.duty, item.owner, item.document_count = checklist, duty, owner, document_count
        items.append(item)
    return items


def progress_of(checklist: Checklist, items) -> Progress:
    by_status = dict.fromkeys(ItemStatus, 0)
    by_verdict = dict.fromkeys(Verdict, 0)
    for item in items:
        by_status[ItemStatus(item.status)] += 1
        if item.verdict:
            by_verdict[Verdict(item.verdict)] += 1
    score_total = None
    rating = None
    if checklist.framework.is_scored and items and all(item.score is not None for item in items):
        score_total = sum(item.score for item in items)
        rating = checklist.framework.rating_for(score_total)
    return Progress(
        total=len(items),
        reviewed=by_status[ItemStatus.REVIEWED],
        by_status=by_status,
        by_verdict=by_verdict,
        score_total=score_total,
        score_max=len(items) * checklist.framework.max_score,
        rating=rating,
    )


def item_history(item: ChecklistItem) -> list[HistoryEvent]:
    """Every change to the item (who, when, field old → new) plus the checklist's sign-off events."""
    events = history_events(item, HISTORY_FIELDS)[::-1]  # oldest first; sorted newest first below
    checklist_records = (
        history_records(item.checklist)
        .select_related("history_user")
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .filter(history_type="~")
        .order_by("history_date")
    )
    events.extend(
        HistoryEvent(
            r.history_date,
            display_name(r.history_user, default="System"),
            f"Checklist {r.history_change_reason[0].lower()}{r.history_change_reason[1:]}",
        )
        for r in checklist_records
    )
    events.sort(key=lambda e: e.when, reverse=True)
    return events
