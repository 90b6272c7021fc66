"""/my-work/ across a person's organisations, and the reminder emails (weekly digest, due soon)."""

import datetime
from html import escape

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ccg_involvement.models import Membership, ReminderSettings
from ccg_involvement.permissions import Role
from duties import actions as duty_actions
from duties.models import Verdict
from engagements import actions
from tests.factories.duties import checklist_for
from tests.factories.engagements import activity_for
from tests.factories.proposals import proposal_for

TODAY = datetime.date(2026, 2, 2)  # a Monday


@pytest.fixture
def work(editor, reviewer, other_organisation):
    """Editor owns item 1 (overdue), 2 (due in 7 days), 3 (due later), 4 (reviewed), in two organisations."""
    Membership.objects.create(user=editor.user, organisation=other_organisation, role=Role.EDITOR)
    checklist = checklist_for(editor)
    items = {i.duty.number: i for i in checklist.items.select_related("duty")}

    def own(n, due, **values):
        item = items[n]
        return duty_actions.update_item(
            item=item,
            expected_version=item.version,
            by=editor.user,
            owner=editor.user,
            due_date=due,
            **values,
        )

    own(1, TODAY - datetime.timedelta(days=1))
    own(2, TODAY + datetime.timedelta(days=7))
    own(3, TODAY + datetime.timedelta(days=30))
    duty_actions.review_item(
        item=own(4, TODAY - datetime.timedelta(days=3), verdict=Verdict.MET), comment="", by=reviewer.user
    )
    other = Membership.objects.get(user=editor.user, organisation=other_organisation)
    elsewhere = checklist_for(other).items.select_related("duty").get(duty__number=5)
    duty_actions.update_item(
        item=elsewhere, expected_version=elsewhere.version, by=editor.user, owner=editor.user, due_date=TODAY
    )
    proposal_for(editor, title="Move the minor injuries unit", owner=editor.user)
    proposal_for(editor, title="Someone else's", owner=reviewer.user)
    activity = activity_for(editor, title="Carers' drop-in", lead=editor.user)
    actions.add_outcome(
        activity=activity,
        by=editor.user,
        what_we_heard="Evening sessions",
        what_we_did="Added",
        status="done",
    )
    actions.add_outcome(
        activity=activity,
        by=editor.user,
        what_we_heard="Told them already",
        what_we_did="Done",
        status="done",
        reported_back_on=TODAY,
    )
    return items


def test_my_work_lists_what_is_mine_across_organisations(work, editor, login, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    page = login(editor).get("/my-work/").content.decode()
    overdue = page.split('id="items-overdue"')[1].split("</ul>")[0]
    assert escape(work[1].duty.title) in overdue and "Overdue" in overdue
    due = page.split('id="items-due"')[1].split("</ul>")[0]
    assert (
        escape(work[2].duty.title) in due and "NHS Hilltop Integrated Care Board" in due
    )  # both organisations
    later = page.split('id="items-later"')[1].split("</ul>")[0]
    assert escape(work[3].duty.title) in later
    assert escape(work[4].duty.title) not in page  # reviewed: nothing to do
    assert "Move the minor injuries unit" in page and "Someone else's" not in page
    assert "Evening sessions" in page and "Told them already" not in page
    assert 'href="/my-work/"' in page  # the header links here


def test_my_work_queries_do_not_grow_with_the_data(work, editor, login):
    client = login(editor)
    client.get("/my-work/")
    with CaptureQueriesContext(connection) as first:
        client.get("/my-work/")
    for n in range(5):
        activity = activity_for(editor, title=f"More {n}", lead=editor.user)
        actions.add_outcome(
            activity=activity, by=editor.user, what_we_heard="x", what_we_did="y", status="done"
        )
        proposal_for(editor, title=f"Proposal {n}", owner=editor.user)
    with CaptureQueriesContext(connection) as second:
        client.get("/my-work/")
    assert len(second) == len(first)


def test_someone_with_nothing_to_do_is_told_so(reviewer, login):
    assert "Nothing is assigned to you" in login(reviewer).get("/my-work/").content.decode()


def test_the_weekly_digest(work, editor):
    call_command("send_reminders", "--digest", "--date", TODAY.isoformat())
    (message,) = [m for m in mail.outbox if m.to == [editor.user.email]]
    assert message.subject == "Your involvement tracker: this week's work"
    body = message.body
    assert (
        "OVERDUE CHECKLIST ITEMS (1)" in body
        and work[1].duty.title in body
        and "was due 1 February 2026" in body
    )
    assert "DUE IN THE NEXT 7 DAYS (2)" in body and "due 9 February 2026" in body
    assert "PROPOSALS YOU LEAD (1)" in body and "Move the minor injuries unit" in body
    assert "OUTCOMES NOT YET REPORTED BACK TO PARTICIPANTS (1)" in body and "Evening sessions" in body
    assert "http://localhost:8000" + work[1].get_absolute_url() in body
    assert "http://localhost:8000/my-work/reminders/" in body
    assert "&amp;" not in body and "&#x27;" not in body  # plain text, not HTML-escaped
    mail.outbox.clear()
    call_command("send_reminders", "--digest", "--date", TODAY.isoformat())
    assert mail.outbox == []  # once a day at most


def test_the_due_soon_reminder(work, editor):
    call_command("send_reminders", "--due-soon", "--date", TODAY.isoformat())
    (message,) = mail.outbox
    assert message.to == [editor.user.email]
    assert message.subject == "Due soon: 3 checklist items you own"
    body = message.body
    assert "OVERDUE since 1 February 2026" in body and work[1].duty.title in body
    assert "DUE in 7 days, on 9 February 2026" in body and work[2].duty.title in body
    assert "DUE TODAY" in body  # the other organisation's item
    assert work[3].duty.title not in body  # due in a month: not yet
    mail.outbox.clear()
    call_command("send_reminders", "--due-soon", "--date", (TODAY + datetime.timedelta(days=1)).isoformat())
    (message,) = mail.outbox  # the next day: only the item that has just become overdue
    assert message.subject == "Overdue: a checklist item you own"
    mail.outbox.clear()
    call_command("send_reminders", "--due-soon", "--date", (TODAY + datetime.timedelta(days=3)).isoformat())
    assert [(m.to, m.body) for m in mail.outbox] == []  # nothing newly due: no daily nagging


def test_each_person_can_switch_the_emails_off(work, editor, login):
    client = login(editor)
    assert client.get("/my-work/reminders/").status_code == 200
    assert client.post("/my-work/reminders/", {"due_soon": "on"}).status_code == 302
    settings = ReminderSettings.objects.get(user=editor.user)
    assert settings.due_soon and not settings.weekly_digest
    call_command("send_reminders", "--digest", "--due-soon", "--date", TODAY.isoformat())
    assert [m.subject for m in mail.outbox if m.to == [editor.user.email]] == [
        "Due soon: 3 checklist items you own"
    ]
    client.post("/my-work/reminders/", {})
    mail.outbox.clear()
    call_command(
        "send_reminders", "--due-soon", "--digest", "--date", (TODAY + datetime.timedelta(days=7)).isoformat()
    )
    assert [m for m in mail.outbox if m.to == [editor.user.email]] == []
    assert "Weekly digest: <strong>off</strong>" in client.get("/my-work/").content.decode()


def test_the_command_says_what_to_send(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--due-soon, --digest"):
        call_command("send_reminders")
