#!/usr/bin/env python
"""National scale on PostgreSQL: dashboard, filtered activity list and checklist page at 1% and 100%.

    .venv/bin/python benchmarks/scale.py                       # 200 orgs × 5 years × 2,000 activities
    .venv/bin/python benchmarks/scale.py --organisations 20 --activities 500   # quicker

The 1% run seeds organisations/100 (at least 2) with the same years and activities per year, so the
per-organisation data is the same size and the difference is what the rest of the country costs.
Target: every page within 1.5× of its 1% time. Needs a few GB of disk and tens of minutes at full scale.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import statistics, time, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
from ccg_involvement.years import ReportingYear
from engagements.models import Method
client = Client()
client.force_login(get_user_model().objects.get(username="bench"))
year = ReportingYear.current()
method = Method.objects.order_by("pk").first().pk
pages = {
    "dashboard": "/b0000/",
    "activity list (filtered)": f"/b0000/activities/?year={year.slug}&status=completed&method={method}&q=Activity&sort=title&page=2",
    "checklist": f"/b0000/duties/{year.slug}/wppc22/",
}
for name, url in pages.items():
    client.get(url)
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter(); r = client.get(url); times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    with CaptureQueriesContext(connection) as q:
        client.get(url)
    times.sort()
    print(f"{name}|{statistics.median(times):.1f}|{times[int(len(times) * 0.95) - 1]:.1f}|{len(q.captured_queries)}")
"""


def run(orgs, years, per_year, repeats):
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        # No figures cache: every request computes the dashboard (its cost after any change to the data).
        "CACHE_URL": "dummycache://",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": "/tmp/ccg-bench-static",
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ccg_scale",
    }
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "ccg_scale"], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "ccg_scale"], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "seed_benchmark",
            "--organisations",
            str(orgs),
            "--years",
            str(years),
            "--activities",
            str(per_year),
        ],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    out = subprocess.run(
        [sys.executable, "-c", MEASURE.replace("REPEATS", str(repeats))],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return {line.split("|")[0]: [float(x) for x in line.split("|")[1:]] for line in out.strip().splitlines()}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    small_orgs = max(2, args.organisations // 100)
    small = run(small_orgs, args.years, args.activities, args.repeats)
    full = run(args.organisations, args.years, args.activities, args.repeats)
    print(
        f"1%: {small_orgs}×{args.years}×{args.activities} = {small_orgs * args.years * args.activities:,} activities; "
        f"100%: {args.organisations}×{args.years}×{args.activities} = "
        f"{args.organisations * args.years * args.activities:,} activities (PostgreSQL)"
    )
    print(f"{'page':<26}{'1% median':>10}{'100% median':>12}{'100% p95':>10}{'ratio':>7}{'queries':>9}")
    for page, (median, _p95, _queries) in small.items():
        big = full[page]
        print(
            f"{page:<26}{median:>10.1f}{big[0]:>12.1f}{big[1]:>10.1f}{big[0] / median:>7.2f}{int(big[2]):>9}"
        )


if __name__ == "__main__":
    main()
