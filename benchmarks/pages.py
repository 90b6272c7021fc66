#!/usr/bin/env python
"""Server time per page, in process, with production settings: median, p95, queries, database and template share.

    .venv/bin/python benchmarks/pages.py                          # PostgreSQL, 4 orgs × 5 years × 500 = 10,000 activities
    .venv/bin/python benchmarks/pages.py --db sqlite --organisations 2 --years 1 --activities 500
    .venv/bin/python benchmarks/pages.py --organisations 200 --years 5 --activities 2000   # national scale

Pages: the dashboard served from the figures cache, the activity list (unfiltered and filtered),
the checklist and a checklist item, requested through Django's test client by a reviewer of the
first organisation (server time only: no network, no browser, no test instrumentation other than
the timers below). "db %" is the time spent executing SQL (a connection execute wrapper); "tpl %"
the time spent rendering the page's templates; the rest is the view, middleware and the client.
"cpu ms" is the processor time of this Python process per request (time.process_time: the view,
templates and driver, not PostgreSQL's own work): on a shared machine wall time rises with the
others' load, processor time much less, so both are printed with the load average.
Then the dashboard computed (its figures cache emptied before each request) against its own SQL
run raw: the page's statements, captured once with their values, executed and fetched through a
cursor with nothing built from the rows, each run straight after a page (so both meet the
machine in the same state). The page's time over the raw SQL's (issue 18: at most 2)
is what the ORM, the figures' Python and the templates add to the database's work. Last, the
figures alone (the function the page and the documents call, no request and no rendering) against
their own statements run raw: what the figures' Python adds to their SQL.
Run it before and after a change and keep the figures in docs/architecture.md.

    --database wt_x_pages    the PostgreSQL database to (re)create;  --reuse-data  measure it as it is
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import math, statistics, time, django
django.setup()
from django.db import connection
from django.template.backends.django import Template
from django.test import Client
from django.contrib.auth import get_user_model
from ccg_involvement.years import ReportingYear
from duties.models import Checklist
from engagements.models import Method

spent = {"db": 0.0, "tpl": 0.0, "queries": 0, "depth": 0}

def timed_sql(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent["db"] += time.perf_counter() - start
        spent["queries"] += 1

render = Template.render
def timed_render(self, *args, **kwargs):
    spent["depth"] += 1
    start = time.perf_counter()
    try:
        return render(self, *args, **kwargs)
    finally:
        spent["depth"] -= 1
        if spent["depth"] == 0:
            spent["tpl"] += time.perf_counter() - start
Template.render = timed_render

client = Client()
client.force_login(get_user_model().objects.get(username="bench"))
year = ReportingYear.current()
method = Method.objects.order_by("pk").first().pk
checklist = Checklist.objects.filter(organisation__ods_code="B0000", year=year.start_year).select_related("framework").first()
item = checklist.items.order_by("duty__number").first()
pages = {
    "dashboard (cached)": "/b0000/",
    "activity list": "/b0000/activities/",
    "activity list (filtered)": f"/b0000/activities/?year={year.slug}&status=completed&method={method}&q=Activity&sort=title&page=2",
    "checklist": checklist.get_absolute_url(),
    "checklist item": item.get_absolute_url(),
}
with connection.execute_wrapper(timed_sql):
    for name, url in pages.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times, cpu, db, tpl, queries = [], [], [], [], []
        for _ in range(REPEATS):
            spent.update(db=0.0, tpl=0.0, queries=0)
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            db.append(spent["db"] * 1000)
            tpl.append(spent["tpl"] * 1000)
            queries.append(spent["queries"])
        times.sort()
        median = statistics.median(times)
        print(
            f"{name}|{median:.1f}|{times[max(0, math.ceil(len(times) * 0.95) - 1)]:.1f}"
            f"|{statistics.median(cpu):.1f}|{max(queries)}"
            f"|{100 * statistics.median(db) / median:.0f}|{100 * statistics.median(tpl) / median:.0f}"
        )

# The dashboard computed (the figures cache emptied before each request) against the same SQL run
# raw: its statements, captured once with their values, executed directly through a cursor (rows
# fetched, nothing built from them). The page's time over the raw SQL's is the Python work's share.
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext

url = pages["dashboard (cached)"]
for _ in range(3):
    cache.clear()
    assert client.get(url).status_code == 200
with CaptureQueriesContext(connection) as captured:
    cache.clear()
    client.get(url)
statements = [query["sql"] for query in captured.captured_queries]
page, page_cpu, raw = [], [], []
with connection.cursor() as cursor:
    for sql in statements * 3:  # warm up, as the page's own statements are
        cursor.execute(sql)
# in turn, a page then its statements, so that both see the machine in the same state (its speed
# drifts by tens of per cent within a minute: measured apart, the ratio drifted with it)
for _ in range(REPEATS):
    cache.clear()
    start, start_cpu = time.perf_counter(), time.process_time()
    client.get(url)
    page.append((time.perf_counter() - start) * 1000)
    page_cpu.append((time.process_time() - start_cpu) * 1000)
    with connection.cursor() as cursor:
        start = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
        raw.append((time.perf_counter() - start) * 1000)
print(
    f"RAW|{statistics.median(page):.1f}|{statistics.median(raw):.1f}|{len(statements)}"
    f"|{statistics.median(page_cpu):.1f}"
)

# The figures alone (reports.dashboard.figures.dashboard_figures, no request, no rendering) against
# their own statements run raw: what the figures' Python adds to their SQL.
from ccg_involvement.models import Organisation
from reports.dashboard import figures

organisation = Organisation.objects.get(ods_code="B0000")
for _ in range(3):
    figures.dashboard_figures(organisation, year)
with CaptureQueriesContext(connection) as captured:
    figures.dashboard_figures(organisation, year)
statements = [query["sql"] for query in captured.captured_queries]
computed, raw = [], []
for _ in range(REPEATS):  # in turn, as above
    start = time.perf_counter()
    figures.dashboard_figures(organisation, year)
    computed.append((time.perf_counter() - start) * 1000)
    with connection.cursor() as cursor:
        start = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
        raw.append((time.perf_counter() - start) * 1000)
print(f"FIGURES|{statistics.median(computed):.1f}|{statistics.median(raw):.1f}|{len(statements)}")
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--organisations", type=int, default=4)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--activities", type=int, default=500, help="per organisation per year")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--database", default="ccg_pages", help="PostgreSQL database to (re)create (default ccg_pages)"
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="measure the database of an earlier run as it is, without seeding anew",
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DEBUG": "false",
        "CACHE_URL": "locmemcache://",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": "/tmp/ccg-bench-static",  # production static storage (hashed manifest)
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
        "PYTHONPATH": str(ROOT),
    }
    if args.db == "sqlite":
        path = Path(f"/tmp/{args.database}.sqlite3")
        if not args.reuse_data:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        if not args.reuse_data:
            pg = ["-h", "127.0.0.1", "-U", "postgres"]
            subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)
            subprocess.run(["createdb", *pg, args.database], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    if not args.reuse_data:
        seed = ["seed_benchmark", "--organisations", str(args.organisations), "--years", str(args.years)]
        seed += ["--activities", str(args.activities)]
        subprocess.run([*manage, *seed], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    load_before = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", MEASURE.replace("REPEATS", str(args.repeats))],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    total = args.organisations * args.years * args.activities
    if args.reuse_data:
        print(f"{args.db}: the database {args.database} as an earlier run left it")
    else:
        print(
            f"{args.db}: {args.organisations} organisations × {args.years} years × {args.activities}"
            f" = {total:,} activities"
        )
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"{'page':<26}{'median ms':>10}{'p95 ms':>8}{'cpu ms':>8}{'queries':>9}{'db %':>6}{'tpl %':>7}")
    raw = alone = None
    for line in out.strip().splitlines():
        if line.startswith("RAW|"):
            raw = line.split("|")[1:]
            continue
        if line.startswith("FIGURES|"):
            alone = line.split("|")[1:]
            continue
        name, median, p95, cpu, queries, db, tpl = line.split("|")
        print(
            f"{name:<26}{float(median):>10.1f}{float(p95):>8.1f}{float(cpu):>8.1f}{int(queries):>9}"
            f"{db:>6}{tpl:>7}"
        )
    computed, sql, statements, computed_cpu = float(raw[0]), float(raw[1]), int(raw[2]), float(raw[3])
    print(
        f"dashboard computed (figures cache emptied): {computed:.1f} ms median (cpu {computed_cpu:.1f});"
        f" its {statements} SQL statements run raw: {sql:.1f} ms; ratio {computed / sql:.2f} (target ≤ 2)"
    )
    print(
        f"the figures alone (no request, no rendering): {float(alone[0]):.1f} ms median; their"
        f" {alone[2]} SQL statements run raw: {float(alone[1]):.1f} ms; ratio {float(alone[0]) / float(alone[1]):.2f}"
    )
    print(
        "cpu ms: the median processor time this process spent per request (time.process_time), "
        "which other programs on the machine do not inflate as they do wall time"
    )


if __name__ == "__main__":
    main()
