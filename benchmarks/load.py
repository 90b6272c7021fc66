#!/usr/bin/env python
"""Load test: gunicorn + PostgreSQL on loopback, N logged-in users for S seconds.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--think 1] [--reuse-data]

Seeds a fresh database (``ccg_load``) with one organisation's five years of activities, starts
gunicorn on 127.0.0.1 (2 workers × 8 threads, the best of the layouts measured on 2 cores), logs in
N users (each a member) through the real login form, and has each request the dashboard, the
activity list, a checklist and a checklist item in turn, pausing about ``--think`` seconds between
pages (0.5× to 1.5×, as people do), until the time is up; the users arrive over ``--ramp`` seconds.
Every request is bounded by the duration, and the script stops by itself. Prints requests per
second, median and p95 latency (overall and per page) and errors. Only 127.0.0.1 is ever contacted.

``--think 0`` is a closed loop: each user asks again the moment a page arrives, so the run measures
the saturation throughput X, and by Little's law the mean latency is then N / X whatever the
server does (50 users at 60 requests/s: about 830 ms).
"""

import argparse
import http.client
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "load-test-password-2026"

SETUP_USERS = """
import django
django.setup()
from django.contrib.auth import get_user_model
from ccg_involvement.models import Membership, Organisation
org = Organisation.objects.get(ods_code="B0000")
User = get_user_model()
for n in range(USERS):
    user, _ = User.objects.get_or_create(username=f"load{n}")
    user.set_password("PASSWORD")
    user.save()
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": "editor"})
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="port for gunicorn (default: a free one)")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each user pauses between pages (0: a closed loop that finds the saturation throughput)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=5.0,
        help="seconds over which the users arrive (as a load tool's spawn rate)",
    )
    parser.add_argument(
        "--database", default="ccg_load", help="PostgreSQL database to (re)create (default ccg_load)"
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="keep the database of an earlier run instead of seeding anew",
    )
    args = parser.parse_args()
    if not args.port:  # a free port, so the run never talks to another program's server
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            args.port = probe.getsockname()[1]
    env = {
        **os.environ,
        "SECRET_KEY": "load",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": HOST,
        "STATIC_ROOT": "/tmp/ccg-load-static",
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "AXES_FAILURE_LIMIT": "1000",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    exists = subprocess.run(
        [
            "psql",
            "-h",
            HOST,
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not (args.reuse_data and exists):
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", args.database], check=True)
        subprocess.run(["createdb", "-h", HOST, "-U", "postgres", args.database], check=True)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "seed_benchmark", "--organisations", "1", "--years", "5", "--activities", "2000"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    setup = SETUP_USERS.replace("USERS", str(args.users)).replace("PASSWORD", PASSWORD)
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "ccg_involvement.wsgi",
            "-b",
            f"{HOST}:{args.port}",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--keep-alive",
            "30",  # longer than any think time, so idle keep-alive connections are not reset mid-test
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://{HOST}:{args.port}"
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting
                time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit(f"gunicorn did not start on port {args.port} (exit code {server.returncode})")
        year = time.strftime("%Y") if int(time.strftime("%m")) >= 4 else str(int(time.strftime("%Y")) - 1)
        slug = f"{year}-{(int(year) + 1) % 100:02d}"
        urls = [
            "/b0000/",
            "/b0000/activities/?status=completed&sort=title",
            f"/b0000/duties/{slug}/wppc22/",
            f"/b0000/duties/{slug}/wppc22/wppc-p01/",
        ]
        sessions = []
        for n in range(args.users):
            s = requests.Session()
            page = s.get(base + "/accounts/login/", timeout=10)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            # Production cookies are Secure; over plain HTTP on loopback, send them back by hand.
            csrf = page.cookies["csrftoken"]
            s.headers["Cookie"] = f"csrftoken={csrf}"
            r = s.post(
                base + "/accounts/login/",
                data={"csrfmiddlewaretoken": token, "username": f"load{n}", "password": PASSWORD},
                headers={"Referer": base + "/accounts/login/"},
                timeout=10,
                allow_redirects=False,
            )
            assert r.status_code == 302, (n, r.status_code)
            s.headers["Cookie"] = f"csrftoken={csrf}; sessionid={r.cookies['sessionid']}"
            sessions.append(s)
        latencies, by_url, errors, lock = [], {url: [] for url in urls}, [], threading.Lock()
        deadline = time.monotonic() + args.seconds

        def user(index, session):
            # A plain keep-alive connection per user: the client's own CPU cost per request stays small,
            # as it shares the machine's two cores with gunicorn and PostgreSQL.
            cookie = session.headers["Cookie"]
            conn = http.client.HTTPConnection(HOST, args.port, timeout=args.seconds + 30)
            rng = random.Random(index)
            time.sleep(args.ramp * index / args.users)  # users arrive one by one, not all at once
            i = index
            while time.monotonic() < deadline:
                url = urls[i % len(urls)]
                i += 1
                t = time.perf_counter()
                try:
                    conn.request("GET", url, headers={"Cookie": cookie})
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    status = repr(exc)
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, args.port, timeout=args.seconds + 30)
                elapsed = (time.perf_counter() - t) * 1000
                with lock:
                    latencies.append(elapsed)
                    by_url[url].append(elapsed)
                    if status != 200:
                        errors.append((url, status))
                if args.think:  # people pause for varying times: 0.5× to 1.5× the think time
                    pause = args.think * rng.uniform(0.5, 1.5)
                    time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            conn.close()

        load_before = os.getloadavg()[0]
        started = time.monotonic()
        threads = [threading.Thread(target=user, args=(i, s)) for i, s in enumerate(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duration = time.monotonic() - started
        print(
            f"{args.users} users, {duration:.0f} s, gunicorn {args.workers} workers × {args.threads} threads, "
            f"PostgreSQL, {os.cpu_count()} cores, think time {args.think:g} s (±50%), arriving over {args.ramp:g} s"
        )
        print(f"load average (1 min): {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
        print(f"requests: {len(latencies)}  ({len(latencies) / duration:.1f} per second)")
        print(f"latency: {summary(latencies)}")
        for url, times in by_url.items():
            print(f"  {url:55s} {summary(times)}")
        print(f"errors: {len(errors)}" + (f" e.g. {errors[:3]}" if errors else ""))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def summary(times: list[float]) -> str:
    if not times:
        return "no requests"
    times = sorted(times)
    p95 = times[max(0, math.ceil(len(times) * 0.95) - 1)]
    return (
        f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms (n={len(times)})"
    )


if __name__ == "__main__":
    main()
