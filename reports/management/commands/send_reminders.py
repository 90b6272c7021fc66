"""Send the reminder emails: ``--due-soon`` daily, ``--digest`` weekly (see the README's schedule).

Each person can switch either off at /my-work/reminders/; running the command twice on a day sends
nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import reminders


class Command(BaseCommand):
    help = "Email each member their due-soon reminder (--due-soon) and/or the weekly digest (--digest)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--due-soon",
            action="store_true",
            help="Checklist items due in 7 days, today or overdue since yesterday.",
        )
        parser.add_argument("--digest", action="store_true", help="Everything that is each person's to do.")
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), for testing.")

    def handle(self, *args, due_soon, digest, date, **options):
        if not (due_soon or digest):
            raise CommandError("Say what to send: --due-soon, --digest or both.")
        today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        sent = {"due-soon": 0, "digest": 0}
        for user in reminders.recipients():
            if due_soon and reminders.send_due_soon(user, today):
                sent["due-soon"] += 1
            if digest and reminders.send_digest(user, today):
                sent["digest"] += 1
        parts = [
            f"{kind}: {count}"
            for kind, count in sent.items()
            if (kind == "digest" and digest) or (kind == "due-soon" and due_soon)
        ]
        self.stdout.write(f"Sent on {today:%Y-%m-%d}: " + ", ".join(parts))
