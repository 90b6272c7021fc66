"""Which version of an organisation's data a cached figure was computed from.

Every committed change to an organisation's evidence moves its ``DataVersion`` on by one. A cache
key that includes the version can never serve figures older than the data: a request that reads
version v + 1 reads data committed before the increment. Changes are recorded by model signals
(``reports.dashboard.invalidation``), which cover the app's actions and the admin; code that writes with
``bulk_create`` or ``QuerySet.update`` calls ``record_change`` itself.

The increment runs once per organisation per transaction, after the commit, so concurrent writers
never queue on the counter row and a rolled-back change records nothing.
"""

from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models import F

from ccg_involvement.models import DataVersion, Organisation


class _Increment:
    """An on-commit callback that compares equal for the same organisation (for de-duplication)."""

    def __init__(self, organisation_id: int | None):
        self.organisation_id = organisation_id
        self.done = False

    def __eq__(self, other):
        return isinstance(other, _Increment) and other.organisation_id == self.organisation_id

    def __call__(self):
        if self.done:  # run once, even where a test's commit capture hands it over twice
            return
        self.done = True
        if self.organisation_id is None:
            every = Organisation.objects.values_list("pk", flat=True)
            DataVersion.objects.bulk_create(
                [DataVersion(organisation_id=pk) for pk in every], ignore_conflicts=True
            )
            DataVersion.objects.update(version=F("version") + 1)
            return
        rows = DataVersion.objects.filter(organisation_id=self.organisation_id)
        if rows.update(version=F("version") + 1):
            return
        try:
            with transaction.atomic():
                DataVersion.objects.create(organisation_id=self.organisation_id, version=1)
        except IntegrityError:  # created meanwhile by another writer, or the organisation is gone
            rows.update(version=F("version") + 1)


def record_change(organisation_id: int | None) -> None:
    """Record that an organisation's data changed (``None``: every organisation's, e.g. a lookup)."""
    increment = _Increment(organisation_id)
    if connection.in_atomic_block and any(
        func == increment and not func.done for _, func, _ in connection.run_on_commit
    ):
        return  # already queued by this transaction: once is enough
    transaction.on_commit(increment)


def version(organisation_id: int) -> int:
    """The organisation's data version (0 before its first change).

    One statement written out rather than built by the ORM: every dashboard request reads it, and
    building ``DataVersion.objects.filter(…).values_list(…).first()`` took ten times its execution.
    """
    using = connections[router.db_for_read(DataVersion)]
    qn = using.ops.quote_name
    meta = DataVersion._meta
    sql = (
        f"SELECT {qn(meta.get_field('version').column)} FROM {qn(meta.db_table)} "
        f"WHERE {qn(meta.pk.column)} = %s"
    )
    with using.cursor() as cursor:
        cursor.execute(sql, [organisation_id])
        row = cursor.fetchone()
    return row[0] if row else 0
