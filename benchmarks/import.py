#!/usr/bin/env python
"""Spreadsheet import: rows, seconds, queries and peak memory, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/import.py                         # 2,000 and 10,000 rows, both databases
    .venv/bin/python benchmarks/import.py --db sqlite --rows 2000

Each database is fresh (migrated, so the frameworks and lookups are loaded). The file is an .xlsx
written with the export's columns: every row has a status, two methods, a partner, two duties, a
lead and reach counts for three groups. “read” is ``create_import_batch`` (read, check, store the
preview); “commit” is ``commit_import_batch``.

Each phase runs in its own process (the file is written by a third), so “read MB” and “commit MB”
are each phase's peak resident size (``ru_maxrss``), the Python interpreter and Django included
(about 70 MB). Queries are counted by an execute wrapper (``connection.execute_wrapper``) that
keeps a count, not the SQL, so the harness adds no memory of its own.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def fresh_database(db: str) -> str:
    if db == "sqlite":
        path = Path("/tmp/ccg-bench-import.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = os.environ.get("BENCH_PG_DATABASE", "ccg_bench_import")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return PG_URL.format(name=name)


def outer(args):
    print(
        f"{'database':10} {'rows':>7} {'read s':>7} {'queries':>8} {'read MB':>8}"
        f" {'commit s':>9} {'queries':>8} {'commit MB':>10}"
    )
    for db in args.db:
        for rows in args.rows:
            env = {**os.environ, "SECRET_KEY": "bench", "DATABASE_URL": fresh_database(db)}
            manage = [sys.executable, str(ROOT / "manage.py")]
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
            figures = []
            for phase in ("make", "read", "commit"):
                result = subprocess.run(
                    [sys.executable, __file__, "--phase", phase, "--inner", str(rows)],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                )
                if result.returncode:
                    print(result.stderr[-3000:])
                    sys.exit(1)
                figures.append(result.stdout.strip())
            print(f"{db:10} {rows:>7} {figures[1]} {figures[2]}")


FILE = Path("/tmp/ccg-bench-import.xlsx")


def _setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccg_involvement.settings")
    import django

    django.setup()


class QueryCount:
    """An execute wrapper that counts the queries run (and keeps nothing else)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make(rows: int):
    """The member, their organisation and the file: written for the next two phases."""
    _setup()
    from engagements import selectors, spreadsheets
    from engagements.models import Method, Partner
    from tests.factories.core import MembershipFactory

    member = MembershipFactory()
    organisation = member.organisation
    methods = [m.name for m in Method.objects.all()[:2]]
    partner = Partner.objects.first().name
    duties = [d.code for d in selectors.allowed_duties(organisation)[:2]]
    groups = selectors.audience_groups()
    columns = spreadsheets.columns(groups)
    cells = []
    for n in range(rows):
        row = {
            "title": f"Engagement activity {n}",
            "summary": "A conversation with local people about the service. " * 2,
            "start_date": f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2025",
            "status": "Completed",
            "service_area": "Community services",
            "methods": "; ".join(methods),
            "partners": partner,
            "duties": "; ".join(duties),
            "lead": member.user.username,
            "total_participants": 40,
        }
        for group in groups[:3]:
            row[f"reach:{group.pk}"] = n % 7
        cells.append([row.get(c.key, "") for c in columns])
    FILE.write_bytes(spreadsheets.write_xlsx(columns, cells))


def read(rows: int):
    _setup()
    from django.conf import settings
    from django.db import connection

    from ccg_involvement.models import Membership
    from engagements import import_actions

    settings.IMPORT_MAX_ROWS = max(rows, 10_000)
    member = Membership.objects.select_related("organisation", "user").get()
    data = FILE.read_bytes()
    connection.ensure_connection()
    queries = QueryCount()
    started = time.perf_counter()
    with connection.execute_wrapper(queries):
        batch = import_actions.create_import_batch(
            organisation=member.organisation, by=member.user, file_name="bench.xlsx", data=data
        )
    seconds = time.perf_counter() - started
    assert batch.error_count == 0, batch.row_set.filter(has_errors=True).first().data["errors"]
    print(f"{seconds:>7.1f} {queries.count:>8} {_peak_mb():>8.0f}")


def commit(rows: int):
    _setup()
    from django.db import connection, transaction

    from ccg_involvement.models import Membership
    from engagements import import_actions
    from engagements.models import Activity, ImportBatch

    member = Membership.objects.select_related("organisation", "user").get()
    batch = ImportBatch.objects.get()
    connection.ensure_connection()
    queries = QueryCount()
    started = time.perf_counter()
    with connection.execute_wrapper(queries), transaction.atomic():
        import_actions.commit_import_batch(batch=batch, by=member.user)
    seconds = time.perf_counter() - started
    assert Activity.objects.for_organisation(member.organisation).count() == rows
    print(f"{seconds:>9.1f} {queries.count:>8} {_peak_mb():>10.0f}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--rows", nargs="+", type=int, default=[2000, 10000])
    parser.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=["make", "read", "commit"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        {"make": make, "read": read, "commit": commit}[args.phase](args.inner)
    else:
        outer(args)


if __name__ == "__main__":
    main()
