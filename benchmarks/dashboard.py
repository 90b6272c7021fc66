#!/usr/bin/env python
"""Dashboard server time and query count at two data scales, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/dashboard.py                 # both databases, default scales
    .venv/bin/python benchmarks/dashboard.py --db sqlite --small 4x1x500 --large 80x5x500

A scale is organisations × years × activities per organisation-year. The page measured is one
organisation's dashboard for the current year, requested through Django's test client (server
time only: no network, no browser). Each scale uses a fresh database.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def run_scale(db: str, scale: str, repeats: int) -> dict:
    orgs, years, per_year = (int(x) for x in scale.split("x"))
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        # No figures cache: every request computes the dashboard (its cost after any change to the data).
        "CACHE_URL": "dummycache://",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": "/tmp/ccg-bench-static",  # production static storage (hashed manifest)
    }
    if db == "sqlite":
        path = Path("/tmp/ccg-bench.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "ccg_bench"], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "ccg_bench"], check=True)
        env["DATABASE_URL"] = PG_URL.format(name="ccg_bench")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
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
    seeded = time.perf_counter() - started
    code = f"""
import statistics, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
client = Client()
client.force_login(get_user_model().objects.get(username="bench"))
url = "/b0000/"
client.get(url)  # warm up
times = []
for _ in range({repeats}):
    t = time.perf_counter(); r = client.get(url); times.append((time.perf_counter() - t) * 1000)
    assert r.status_code == 200, r.status_code
with CaptureQueriesContext(connection) as q:
    client.get(url)
times.sort()
print(statistics.median(times), times[int(len(times) * 0.95) - 1], len(q.captured_queries))
"""
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings"},
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    median, p95, queries = float(out[0]), float(out[1]), int(out[2])
    return {
        "db": db,
        "scale": scale,
        "activities": orgs * years * per_year,
        "seed_s": seeded,
        "median_ms": median,
        "p95_ms": p95,
        "queries": queries,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--small", default="4x1x500")
    parser.add_argument("--large", default="80x5x500")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(
        f"{'db':<9}{'scale':<11}{'activities':>11}{'seed s':>9}{'median ms':>11}{'p95 ms':>9}{'queries':>9}"
    )
    for db in dbs:
        results = [run_scale(db, scale, args.repeats) for scale in (args.small, args.large)]
        for r in results:
            print(
                f"{r['db']:<9}{r['scale']:<11}{r['activities']:>11,}{r['seed_s']:>9.1f}{r['median_ms']:>11.1f}"
                f"{r['p95_ms']:>9.1f}{r['queries']:>9}"
            )
        ratio = results[1]["median_ms"] / results[0]["median_ms"]
        print(f"{db}: large/small median = {ratio:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
