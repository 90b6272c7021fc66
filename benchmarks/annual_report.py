#!/usr/bin/env python
"""Annual-report PDF for a year of N activities: build time, page count and peak memory.

    .venv/bin/python benchmarks/annual_report.py [--activities 500]

Uses a fresh SQLite database seeded with ``seed_benchmark`` (one ICB, one year). Target: under
10 s for 500 activities.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import resource, time, tracemalloc
import django
django.setup()
from ccg_involvement.models import Organisation
from ccg_involvement.years import ReportingYear
from reports import content
from reports.docx_builder import build_annual_report_docx
from reports.pdf import render_pdf
org = Organisation.objects.get(ods_code="B0000")
year = ReportingYear.current()
t = time.perf_counter()
data = content.annual_report(org, year)
t_data = time.perf_counter() - t
pdf, pages = render_pdf("reports/pdf/annual_report.html", data)
t_pdf = time.perf_counter() - t
# memory in a second run under tracemalloc (which slows Python down, so it is not timed)
tracemalloc.start()
render_pdf("reports/pdf/annual_report.html", content.annual_report(org, year))
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
t = time.perf_counter()
docx = build_annual_report_docx(data)
t_docx = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{len(data['appendix'])} {t_data:.2f} {t_pdf:.2f} {pages} {len(pdf)} {peak / 2**20:.0f} {after / 1024:.0f} {t_docx:.2f} {len(docx)}")
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--activities", type=int, default=500)
    args = parser.parse_args()
    db = Path("/tmp/ccg-bench-report.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "ccg_involvement.settings",
        "PYTHONPATH": str(ROOT),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "seed_benchmark",
            "--organisations",
            "1",
            "--years",
            "1",
            "--activities",
            str(args.activities),
        ],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    out = subprocess.run(
        [sys.executable, "-c", MEASURE], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    n, t_data, t_pdf, pages, size, peak, rss, t_docx, docx_size = out
    print(f"activities in the year: {n}")
    print(
        f"annual report PDF: {float(t_pdf):.2f} s in all ({float(t_data):.2f} s gathering data), {pages} pages, "
        f"{int(size) / 1024:.0f} KiB; Python heap peak {peak} MiB; process peak RSS {rss} MiB"
    )
    print(f"annual report Word: {float(t_docx):.2f} s, {int(docx_size) / 1024:.0f} KiB")
    print(f"target: under 10 s -> {'met' if float(t_pdf) < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
