#!/usr/bin/env python
"""Annual-report PDF for a year of N activities: build time, page count and peak memory.

    .venv/bin/python benchmarks/annual_report.py [--activities 500]

Uses a fresh SQLite database seeded with ``seed_benchmark`` (one ICB, one year). Targets: 500
completed activities in under 6 s, 2,000 in under 20 s (the appendix lists up to 500 activities and
counts them by month and method beyond that: ``reports/appendix.py``; the figures count all of
them). Activities are dated in the year before this one so that all have happened. Prints the build
of a warm process (a task worker's every build after its first) and of a fresh one, each as wall and
processor time: on a shared machine wall time rises with the others' load, processor time much less.
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
from reports import content, statement
from reports.docx_builder import build_docx
from reports.pdf import render_pdf

def pdf_of(document):
    return render_pdf("reports/pdf/document.html", {"document": document, "organisation": org})

def build():
    wall, cpu = time.perf_counter(), time.process_time()
    data = content.annual_report_document(org, year)
    t_data = time.perf_counter() - wall
    pdf, pages = pdf_of(data)
    return data, pdf, pages, t_data, time.perf_counter() - wall, time.process_time() - cpu

org = Organisation.objects.get(ods_code="B0000")
year = ReportingYear.current().previous()
# cold: the first build in a fresh process (it also loads WeasyPrint); warm: the next one, as a
# long-running task worker builds every report after its first
_, _, _, _, cold_wall, cold_cpu = build()
data, pdf, pages, t_data, t_pdf, cpu = build()
# memory in a third run under tracemalloc (which slows Python down, so it is not timed)
tracemalloc.start()
pdf_of(content.annual_report_document(org, year))
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
t = time.perf_counter()
docx = build_docx(data)
t_docx = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = statement.year_activities(org, year)
print(f"{len(n)} {t_data:.2f} {t_pdf:.2f} {pages} {len(pdf)} {peak / 2**20:.0f} {after / 1024:.0f} {t_docx:.2f} {len(docx)} {cpu:.2f} {cold_wall:.2f} {cold_cpu:.2f}")
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--activities", type=int, default=500)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import datetime

    today = datetime.date.today()
    first_year = (today.year if today.month >= 4 else today.year - 1) - 1
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
            "--first-year",
            str(first_year),
            "--all-completed",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    load_before = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", MEASURE], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    n, t_data, t_pdf, pages, size, peak, rss, t_docx, docx_size, cpu, cold, cold_cpu = out
    print(f"activities in the year: {n}")
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"annual report PDF: {float(t_pdf):.2f} s in all, {float(cpu):.2f} s of processor time "
        f"({float(t_data):.2f} s gathering data), {pages} pages, {int(size) / 1024:.0f} KiB; "
        f"Python heap peak {peak} MiB; process peak RSS {rss} MiB"
    )
    print(
        f"  the first build in a fresh process (loading WeasyPrint too): {float(cold):.2f} s, "
        f"{float(cold_cpu):.2f} s of processor time"
    )
    print(f"annual report Word: {float(t_docx):.2f} s, {int(docx_size) / 1024:.0f} KiB")
    target = 6 if int(n) <= 500 else 20
    print(
        f"target: under {target} s -> {'met' if float(t_pdf) < target else 'NOT met'} "
        f"(first build: {'met' if float(cold) < target else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
