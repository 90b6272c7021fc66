"""Several threads edit one checklist item and import into one organisation at the same time.

Real row locks need a server database: these tests run on PostgreSQL and are skipped on SQLite,
whose in-memory test database serialises writers and cannot run them meaningfully.
"""

import datetime
import threading

import pytest
from django.db import connection, connections

from ccg_involvement.errors import ActionError
from ccg_involvement.history import VersionConflict
from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import ChecklistItem
from engagements import import_actions
from engagements.models import Activity
from tests.factories.duties import checklist_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]
THREADS = 8


def run_in_threads(target, n=THREADS):
    barrier = threading.Barrier(n)
    results = [None] * n

    def work(index):
        try:
            barrier.wait()
            results[index] = ("ok", target(index))
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            results[index] = ("refused", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_concurrent_edits_of_one_item_one_wins_the_rest_are_told(editor):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2025))
    item = checklist.items.get(duty__number=1)
    loaded_version = item.version

    results = run_in_threads(
        lambda i: duty_actions.update_item(
            item=item, expected_version=loaded_version, by=editor.user, narrative=f"edit {i}"
        )
    )

    wins = [r for r in results if r[0] == "ok"]
    refusals = [r[1] for r in results if r[0] == "refused"]
    assert len(wins) == 1
    assert len(refusals) == THREADS - 1
    assert all(isinstance(e, VersionConflict) and "Someone else changed" in str(e) for e in refusals)
    final = ChecklistItem.objects.get(pk=item.pk)
    assert final.narrative == wins[0][1].narrative
    assert final.version == loaded_version + 1
    assert final.history.count() == 2  # created + the one winning edit: nothing lost, nothing doubled


def test_concurrent_commits_of_one_import_create_each_activity_once(editor):

    csv = (
        b"Title,Start date,Status\r\n"
        b"Maternity listening event,01/05/2025,Completed\r\n"
        b"Urgent care survey,02/06/2025,Completed\r\n"
    )
    batch = import_actions.create_import_batch(
        organisation=editor.organisation, by=editor.user, file_name="a.csv", data=csv
    )

    results = run_in_threads(lambda i: import_actions.commit_import_batch(batch=batch, by=editor.user))

    assert sum(1 for r in results if r[0] == "ok") == 1
    refusals = [r[1] for r in results if r[0] == "refused"]
    assert all(isinstance(e, ActionError) and "already" in str(e) for e in refusals), refusals
    assert Activity.objects.filter(organisation=editor.organisation).count() == 2


def test_concurrent_sign_off_and_edit_never_leave_an_edited_signed_off_item(editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", ReportingYear(2025))
    for item in checklist.items.all():
        item = duty_actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict="met"
        )
        duty_actions.review_item(item=item, comment="", by=reviewer.user)
    item = checklist.items.get(duty__number=2)

    def act(i):
        if i % 2:
            return duty_actions.sign_off(
                checklist=checklist,
                by=reviewer.user,
                note="",
                approving_body="Board",
                meeting_date=datetime.date(2026, 3, 1),
            )
        current = ChecklistItem.objects.get(pk=item.pk)
        return duty_actions.update_item(
            item=current, expected_version=current.version, by=editor.user, narrative=f"late {i}"
        )

    results = run_in_threads(act, n=4)
    checklist.refresh_from_db()
    final = ChecklistItem.objects.get(pk=item.pk)
    assert all(r[0] == "ok" or isinstance(r[1], ActionError) for r in results)
    # The item lock also locks its checklist row, so edits and sign-off are serialised: either the
    # sign-off came first (every later edit refused as locked) or an edit came first (the item went
    # back to "ready for review" and every sign-off was refused). Never a signed-off, edited item.
    if checklist.is_signed_off:
        assert final.status == "reviewed" and final.narrative == ""
    else:
        assert final.status == "ready_for_review" and final.narrative.startswith("late")
