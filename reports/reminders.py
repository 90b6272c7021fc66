"""The reminder emails: a weekly digest of a person's work and a due-soon reminder.

Sent by ``manage.py send_reminders`` (scheduled by cron, see the README). Each person can switch
either off at ``/my-work/reminders/`` (``ReminderSettings``); a person is emailed at most once a
day for each kind, so running the command twice does not send twice.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from ccg_involvement.models import Membership, ReminderSettings
from reports.my_work import DUE_SOON_DAYS, due_soon_reminders, work_for


def site_url(path: str) -> str:
    """An absolute link for an email sent outside a request (``SITE_URL``; localhost when unset)."""
    return (settings.SITE_URL or "http://localhost:8000").rstrip("/") + path


def reminder_settings(user) -> ReminderSettings:
    found, _ = ReminderSettings.objects.get_or_create(user=user)
    return found


def recipients():
    """Active users with an email address who belong to at least one organisation."""
    members = Membership.objects.filter(user__is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=members).exclude(email="").order_by("pk")


def _send(user, subject: str, template: str, context: dict):
    context = {
        **context,
        "name": user.get_full_name() or user.get_username(),
        "my_work_url": site_url(reverse("my-work")),
        "settings_url": site_url(reverse("reminder-settings")),
        "site_url": site_url(""),
    }
    send_mail(subject, render_to_string(template, context), None, [user.email])


def send_digest(user, today: datetime.date) -> bool:
    """The weekly digest, unless switched off, already sent today, or there is nothing to do."""
    preference = reminder_settings(user)
    if not preference.weekly_digest or preference.last_digest_sent_on == today:
        return False
    work = work_for(user, today)
    if work.is_empty:
        return False
    _send(
        user,
        "Your involvement tracker: this week's work",
        "reports/email/digest.txt",
        {"work": work, "site": site_url},
    )
    preference.last_digest_sent_on = today
    preference.save(update_fields=["last_digest_sent_on"])
    return True


def send_due_soon(user, today: datetime.date) -> bool:
    """The due-soon reminder, unless switched off, already sent today, or nothing falls due."""
    preference = reminder_settings(user)
    if not preference.due_soon or preference.last_due_soon_sent_on == today:
        return False
    items = due_soon_reminders(user, today)
    if not items:
        return False
    overdue = [item for item in items if item.due_date < today]
    subject = (
        "Overdue: a checklist item you own"
        if overdue and len(items) == 1
        else f"Due soon: {len(items)} checklist item{'s' if len(items) != 1 else ''} you own"
    )
    _send(
        user, subject, "reports/email/due_soon.txt", {"items": items, "today": today, "days": DUE_SOON_DAYS}
    )
    preference.last_due_soon_sent_on = today
    preference.save(update_fields=["last_due_soon_sent_on"])
    return True
