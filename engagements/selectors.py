"""Reads for the engagement log pages, and the evidence the checklists ask for."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Count, Prefetch, Q

from ccg_involvement import statements
from ccg_involvement.history import HistoryEvent, history_events
from ccg_involvement.models import Membership
from ccg_involvement.prepared import date_formatter, url_maker
from duties.evidence import EvidenceLink
from duties.models import Duty, Framework
from engagements import spreadsheets
from engagements.inputs import SCALAR_FIELDS as HISTORY_FIELDS
from engagements.models import (
    Activity,
    ActivityDuty,
    ActivityStatus,
    Adjustment,
    AudienceCategory,
    AudienceGroup,
    ImportMapping,
    Method,
    Partner,
    Reach,
    started_sql,
)


def allowed_duties(organisation):
    """Duties of the frameworks that apply to the organisation (any revision still in use); for an
    "Other" organisation, those of the frameworks it chose."""
    codes = Framework.objects.applying_to_organisation(organisation).values("code")
    return Duty.objects.filter(framework__code__in=codes, retired_in__isnull=True)


def duty_choices(organisation):
    """``allowed_duties`` with their frameworks, in the order forms and the Lists sheet show them."""
    return allowed_duties(organisation).select_related("framework").order_by("framework__code", "number")


def duty_filter_choices(organisation):
    """``duty_choices`` with only what the activity filter's duty select prints (no long text or JSON)."""
    return duty_choices(organisation).only("number", "title", "framework", "framework__short_title")


def audience_groups() -> list[AudienceGroup]:
    """Every audience group (active or not) with its categories, in the order of the spreadsheet's
    reach columns (two queries)."""
    return list(
        AudienceGroup.objects.order_by("position", "name").prefetch_related(
            Prefetch("categories", queryset=AudienceCategory.objects.order_by("position", "name"))
        )
    )


def lookup_options() -> dict[str, list[tuple[str, str]]]:
    """Every method, partner and audience group (inactive ones too: old records carry them) as
    ``(pk, name)`` options, each list in the lists' order (position, then name).

    One statement for the three lists, written out (``ccg_involvement.statements``): the activity
    list's filter shows them on every request, and three querysets of model instances cost about
    1.5 ms of processor time to build for three small tables.
    """
    connection = connections[router.db_for_read(Method)]
    qn = connection.ops.quote_name
    parts = {"method": Method, "partner": Partner, "group": AudienceGroup}
    sql = " UNION ALL ".join(
        f"SELECT '{kind}', {qn('id')}, {qn('name')}, {qn('position')} FROM {qn(model._meta.db_table)}"
        for kind, model in parts.items()
    )
    options = {kind: [] for kind in parts}
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 1, 4, 3")
        for kind, pk, name, _ in cursor.fetchall():
            options[kind].append((str(pk), name))
    return options


def import_context(organisation) -> spreadsheets.ImportContext:
    """What an imported row is checked against: the organisation's lookups, duties and members."""
    context = spreadsheets.ImportContext(groups=audience_groups())
    for model, target in (
        (Method, context.methods),
        (Partner, context.partners),
        (Adjustment, context.adjustments),
    ):
        for pk, code, name in model.objects.values_list("pk", "code", "name"):
            target.setdefault(name.strip().casefold(), pk)
            target.setdefault(code.strip().casefold(), pk)
    allowed = allowed_duties(organisation).select_related("framework")
    # Where two revisions in use share a code, the current revision wins.
    for duty in sorted(allowed, key=lambda d: d.framework.is_current):
        context.duties[duty.code.upper()] = duty.pk
    for code, pk in context.duties.items():
        if match := re.fullmatch(r".*-([A-Z]?)(\d+)", code):
            context.duty_numbers.setdefault((match.group(1), int(match.group(2))), {})[pk] = code
    context.other_duties = {
        c.upper() for c in Duty.objects.values_list("code", flat=True) if c.upper() not in context.duties
    }
    context.activities = {
        pk: (version, title)
        for pk, version, title in Activity.objects.for_organisation(organisation).values_list(
            "pk", "version", "title"
        )
    }
    user_ids = Membership.objects.for_organisation(organisation).values_list("user_id", flat=True)
    users = get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username", "email")
    for pk, username, email in users:
        for key in {username, email}:
            if key:
                context.members.setdefault(key.strip().casefold(), set()).add(pk)
    return context


def counted_outcomes_prefetch():
    """An activity's outcomes that count (not withdrawn), in their order, as ``counted_outcomes``."""
    from django.db.models import Prefetch

    from engagements.models import Outcome

    return Prefetch(
        "outcomes", queryset=Outcome.objects.filter(withdrawn_at__isnull=True), to_attr="counted_outcomes"
    )


def import_mappings(organisation):
    """The organisation's saved import mappings, by name."""
    return ImportMapping.objects.for_organisation(organisation)


def mapping_options(organisation) -> dict[str, list[tuple[str, str]]]:
    """For the mapping step: each list field's allowed values, as ``(value the import reads, label)``."""
    from engagements.spreadsheets.mapping import CHOICES

    def active(model):
        return [(n, n) for n in model.objects.filter(is_active=True).values_list("name", flat=True)]  # noqa: E731

    user_ids = Membership.objects.for_organisation(organisation).values_list("user_id", flat=True)
    members = get_user_model().objects.filter(pk__in=user_ids).order_by("first_name", "last_name", "username")
    return {
        **{key: [(str(v), str(label)) for v, label in choices] for key, choices in CHOICES.items()},
        "methods": active(Method),
        "partners": active(Partner),
        "adjustments": active(Adjustment),
        "reach_uncounted": [
            (name, name)
            for group in audience_groups()
            if group.is_active
            for name in [group.name]
            + [f"{group.name}: {c.name}" for c in group.categories.all() if c.is_active]
        ],
        "duties": [(d.code, f"{d.code} {d.title}"[:90]) for d in duty_choices(organisation)],
        "lead": [
            (u.username, f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username)
            for u in members
        ],
    }


def import_template_lists(organisation) -> dict[str, list]:
    """The import template's Lists sheet for the organisation: valid names and codes."""
    active = lambda model: list(model.objects.filter(is_active=True).values_list("name", flat=True))  # noqa: E731
    return spreadsheets.template_lists(
        methods=active(Method),
        partners=active(Partner),
        adjustments=active(Adjustment),
        duties=duty_choices(organisation),
    )


def similar_activities(organisation, title: str, start_date) -> list[Activity]:
    """The organisation's activities (not withdrawn) with the same title (any case) and start date."""
    return list(
        Activity.objects.for_organisation(organisation)
        .counted()
        .filter(title__iexact=(title or "").strip(), start_date=start_date)
        .order_by("pk")
    )


def existing_duplicate_keys(organisation, rows: list[dict]) -> list[tuple[str, str]]:
    """(title, ISO start date) of the organisation's activities that start on a date in ``rows``."""
    dates = {r["clean"].get("start_date") for r in rows} - {None}
    if not dates:
        return []
    found = (
        Activity.objects.for_organisation(organisation)
        .filter(start_date__in=[datetime.date.fromisoformat(d) for d in dates])
        .values_list("title", "start_date")
    )
    return [(title, start.isoformat()) for title, start in found]


class ActivityEvidence:
    """Checklist evidence provider: activities of the organisation in the year linked to each duty."""

    @staticmethod
    def _links(organisation, year, duty_ids):
        return (
            ActivityDuty.objects.for_organisation(organisation)
            .for_year(year)
            .counted()
            .filter(duty_id__in=duty_ids)
        )

    def counts(self, organisation, year, duty_ids):
        # no default ordering: it would join the duty and framework tables for nothing
        rows = (
            self._links(organisation, year, duty_ids)
            .order_by()
            .values("duty_id")
            .annotate(n=Count("activity_id"))
        )
        return {row["duty_id"]: row["n"] for row in rows}

    @staticmethod
    def _rows(links):
        return links.order_by("-activity__start_date", "-activity_id").values_list(
            "duty_id",
            "rationale",
            "activity_id",
            "activity__title",
            "activity__start_date",
            "activity__status",
        )

    @staticmethod
    def _link(organisation):
        url = url_maker("activity-detail", org_code=organisation.slug)
        labels = dict(ActivityStatus.choices)

        def link(rationale, activity_id, title, start_date, status) -> EvidenceLink:
            return EvidenceLink(
                "activity", title, url(activity_id), start_date, rationale or labels.get(status, status)
            )

        return link

    def links(self, organisation, year, duty_ids, limit):
        found = {}
        rows = self._rows(self._links(organisation, year, duty_ids))
        if len(duty_ids) == 1:
            rows = rows[:limit]
        link = self._link(organisation)
        for duty_id, *values in rows:
            found.setdefault(duty_id, []).append(link(*values))
        return found

    def links_with_total(self, organisation, year, duty_id, limit):
        """One duty's newest ``limit`` links and their number in all, in one statement (a window
        count): ``_links(…)`` newest first, written out (``ccg_involvement.statements``) because the
        item page runs it on every request and the ORM took longer to build it than to run it."""
        connection = connections[router.db_for_read(ActivityDuty)]
        qn, column = statements.quoted(connection.alias)
        started, started_params = started_sql([year], "a")
        sql = (
            f"SELECT {column(ActivityDuty, 'ad', 'rationale')}, {column(ActivityDuty, 'ad', 'activity')}, "
            f"{column(Activity, 'a', 'title')}, {column(Activity, 'a', 'start_date')}, "
            f"{column(Activity, 'a', 'status')}, COUNT(*) OVER () "
            f"FROM {qn(ActivityDuty._meta.db_table)} ad "
            f"INNER JOIN {qn(Activity._meta.db_table)} a ON {column(Activity, 'a', 'id')} = {column(ActivityDuty, 'ad', 'activity')} "
            f"WHERE {column(Activity, 'a', 'organisation')} = %s AND {started} "
            f"AND {column(Activity, 'a', 'withdrawn_at')} IS NULL AND {column(ActivityDuty, 'ad', 'duty')} = %s "
            f"ORDER BY {column(Activity, 'a', 'start_date')} DESC, {column(ActivityDuty, 'ad', 'activity')} DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [organisation.pk, *started_params, duty_id, limit])
            rows = cursor.fetchall()
        link = self._link(organisation)
        found = [
            link(rationale, activity_id, title, statements.as_date(start_date), status)
            for rationale, activity_id, title, start_date, status, _total in rows
        ]
        return found, (rows[0][-1] if rows else 0)


activity_evidence = ActivityEvidence()


def activity_detail(organisation, pk):
    return (
        Activity.objects.for_organisation(organisation)
        .filter(pk=pk)
        .select_related("lead", "created_by", "organisation")
        .prefetch_related(
            "methods",
            "partners",
            "adjustments",
            Prefetch("reach", queryset=Reach.objects.select_related("group", "category")),
            "outcomes",
        )
        .annotate(document_count=Count("documents", filter=Q(documents__removed_at__isnull=True)))
        .get()
    )


def activity_history(activity) -> list[HistoryEvent]:
    """Every change to the activity (who, when, field old → new, lists in the reason), newest first."""
    return history_events(activity, HISTORY_FIELDS)


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One row of the engagement log, every value ready to print."""

    url: str
    title: str
    is_highlight: bool
    is_withdrawn: bool
    methods: str  # "Survey, Focus group": in the methods' list order
    partners: str  # "" when none
    dates: str  # "1 April 2026" or "1 April 2026 to 3 April 2026"
    status: str
    participants: int | None  # None: not recorded
    outcome_count: int


LIST_FIELDS = (
    "pk",
    "title",
    "is_highlight",
    "withdrawn_at",
    "start_date",
    "end_date",
    "status",
    "total_participants",
    "outcome_count",
)


def activity_rows(organisation, activities) -> list[ActivityRow]:
    """The engagement log's rows for ``activities`` (a page of ``filters.with_list_annotations``, or
    that page's rows already read as ``LIST_FIELDS`` values: a list of dicts).

    Three queries whatever the number of rows (two when the rows are given): the activities' values,
    then their methods' and partners' names from the link tables (no model instance or related
    manager per row).
    """
    found = activities if isinstance(activities, list) else list(activities.values(*LIST_FIELDS))
    ids = [row["pk"] for row in found]
    names = {}
    for relation, lookup in ((Activity.methods, "method"), (Activity.partners, "partner")):
        names[lookup] = by_activity = {}
        links = (
            relation.through.objects.filter(activity_id__in=ids)
            .order_by(f"{lookup}__position", f"{lookup}__name", f"{lookup}_id")
            .values_list("activity_id", f"{lookup}__name")
        )
        for activity_id, name in links:
            by_activity.setdefault(activity_id, []).append(name)
    url = url_maker("activity-detail", org_code=organisation.slug)
    long_date = date_formatter()
    labels = dict(ActivityStatus.choices)
    rows = []
    for row in found:
        pk, start, end = row["pk"], row["start_date"], row["end_date"]
        dates = long_date(start)
        if end and end != start:
            dates = f"{dates} to {long_date(end)}"
        rows.append(
            ActivityRow(
                url=url(pk),
                title=row["title"],
                is_highlight=row["is_highlight"],
                is_withdrawn=row["withdrawn_at"] is not None,
                methods=", ".join(names["method"].get(pk, ())),
                partners=", ".join(names["partner"].get(pk, ())),
                dates=dates,
                status=labels.get(row["status"], row["status"]),
                participants=row["total_participants"],
                outcome_count=row["outcome_count"],
            )
        )
    return rows
