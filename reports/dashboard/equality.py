"""The dashboard's equality reach figures (ADR 0008): every group and category, aggregated in the
database in a fixed number of queries (written in SQL: ``reports.dashboard.sql``, ADR 0009), with 0,
"reached, number not recorded" and no record kept apart. ``reports.dashboard.figures`` re-exports
them; documents read them from there too."""

import datetime
from dataclasses import dataclass, field

from ccg_involvement.years import ReportingYear
from engagements.models import KIND_ORDER, AudienceKind
from reports.dashboard.sql import fetch, happened
from reports.small_numbers import PeopleCount, people


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
    kind_verified: bool = True
    """Whether the group's kind (the heading it is reported under) was checked against its sources."""
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


# people counted; activities that reached it (a number above 0, or number not recorded); activities
# that reached it with the number not recorded
_REACH = """
SELECT {columns}, SUM(r.count),
       COUNT(DISTINCT CASE WHEN r.count > 0 OR r.count IS NULL THEN r.activity_id END),
       COUNT(DISTINCT CASE WHEN r.count IS NULL THEN r.activity_id END)
FROM engagements_reach r
JOIN engagements_activity a ON a.id = r.activity_id
WHERE a.organisation_id = %s AND {happened}
GROUP BY {columns}
"""


def _sums(row) -> tuple:
    """A row of ``_REACH`` (or none: no record) as ``Reached``'s people, activities, uncounted, recorded."""
    if row is None:
        return people(None), 0, 0, False
    total, n, uncounted = row
    return people(total), n, uncounted, True


def _reached(code, name, row) -> Reached:
    return Reached(code, name, *_sums(row))


GROUP_SOURCE_FIELDS = (
    "categories_source",
    "categories_url",
    "categories_verified",
    "categories_note",
    "kind_verified",
)

# every active group with its categories (inactive categories are dropped in Python: a group whose
# categories are all inactive still has its row)
_GROUPS = """
SELECT g.id, g.code, g.name, g.kind, {sources}, c.id, c.code, c.name, c.is_active
FROM engagements_audiencegroup g
LEFT JOIN engagements_audiencecategory c ON c.group_id = g.id
WHERE g.is_active
ORDER BY g.position, g.name, c.position
""".format(sources=", ".join(f"g.{name}" for name in GROUP_SOURCE_FIELDS))


def equality_reach(
    organisation, year: ReportingYear, as_of: datetime.date | None = None
) -> dict[str, list[GroupReach]]:
    """Every active group by kind (in ``KIND_ORDER``), with its categories, counting the activities
    that had happened by ``as_of`` (default today): three queries."""
    condition, params = happened([year], as_of=as_of)
    by_group = {
        group: sums
        for group, *sums in fetch(
            _REACH.format(columns="r.group_id", happened=condition), [organisation.pk, *params]
        )
    }
    by_category = {
        (group, category): sums
        for group, category, *sums in fetch(
            _REACH.format(columns="r.group_id, r.category_id", happened=condition), [organisation.pk, *params]
        )
    }
    groups: dict[int, GroupReach] = {}  # groups with their categories, in one query
    sources = len(GROUP_SOURCE_FIELDS)
    categories: dict[int, list] = {}
    for pk, code, name, kind, *row in fetch(_GROUPS):
        if pk not in groups:
            groups[pk] = GroupReach(
                code,
                name,
                *_sums(by_group.get(pk)),
                kind=kind,
                **dict(zip(GROUP_SOURCE_FIELDS, row[:sources], strict=True)),
            )
            categories[pk] = []
        category_pk, category_code, category_name, category_active = row[sources:]
        if category_pk is not None and category_active:
            categories[pk].append(_reached(category_code, category_name, by_category.get((pk, category_pk))))
    result = {kind: [] for kind in KIND_ORDER}
    for pk, entry in groups.items():
        if entry.kind == AudienceKind.PROTECTED_CHARACTERISTIC:
            entry.categories = categories[pk]
            entry.uncategorised = _reached(entry.code, "Category not recorded", by_category.get((pk, None)))
        result.setdefault(entry.kind, []).append(entry)
    return result
