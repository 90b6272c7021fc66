"""Run by ``test_sqlite_writers``: two import commits and a login at once on a file SQLite database.

Run as a separate process (``DATABASE_URL=sqlite:///<file>``) because the test database of the
suite is in memory, where SQLite's locking between connections cannot be seen. Prints one line per
outcome: ``commit <n>``, ``login <status>`` or ``error <message>``.
"""

import os
import sys
import threading

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccg_involvement.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

ROWS = int(os.environ.get("WRITER_ROWS", "300"))


def main():
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from engagements import import_actions
    from tests.factories.core import PASSWORD, MembershipFactory

    member = MembershipFactory()
    other = MembershipFactory(organisation=member.organisation)
    csv = "Title,Start date,Status\r\n" + "".join(
        f"Activity {i},01/05/2025,Completed\r\n" for i in range(ROWS)
    )
    batches = [
        import_actions.create_import_batch(
            organisation=member.organisation, by=member.user, file_name=f"log{n}.csv", data=csv.encode()
        )
        for n in range(2)
    ]
    connections.close_all()
    barrier = threading.Barrier(3)
    outcomes = []

    def commit(batch):
        try:
            barrier.wait()
            outcomes.append(f"commit {import_actions.commit_import_batch(batch=batch, by=member.user)}")
        except Exception as exc:  # noqa: BLE001 - the test reads every outcome
            outcomes.append(f"error {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def login():
        try:
            client = Client(raise_request_exception=False)
            barrier.wait()
            response = client.post(
                "/login/", {"username": other.user.username, "password": PASSWORD}, secure=True
            )
            outcomes.append(f"login {response.status_code}")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(f"error {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit, args=(b,)) for b in batches] + [threading.Thread(target=login)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for line in sorted(outcomes):
        print(line)


if __name__ == "__main__":
    main()
