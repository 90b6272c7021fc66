"""SQLite, the embedded default, takes concurrent writers without “database is locked”."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("sqlite_writers.py")


@pytest.mark.parametrize("rows", [300])
def test_two_import_commits_and_a_login_at_once_all_succeed_on_sqlite(tmp_path, rows):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WRITER_ROWS": str(rows),
        "SECRET_KEY": "x",
        "SECURE_SSL_REDIRECT": "false",
    }
    env.pop("SQLITE_BUSY_TIMEOUT", None)
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:3] == [f"commit {rows}", f"commit {rows}", "login 302"], result.stdout


def test_sqlite_runs_in_wal_mode_with_immediate_writes_and_a_busy_timeout(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SECRET_KEY": "x"}
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ccg_involvement.settings');"
        "django.setup(); from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0],"
        " connection.transaction_mode)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=SCRIPT.parents[2],
    )
    assert result.stdout.split() == ["wal", "60000", "IMMEDIATE"], result.stderr[-2000:]
