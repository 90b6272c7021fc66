"""Remove spreadsheet uploads (their previews) older than ``--days`` days (30 by default).

An upload keeps every row of the file as read (``ImportRow``, a row each), for its preview and its commit; once imported, or
abandoned, it is needed no longer. Activities imported from it are not touched. Schedule it daily
(see the README).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from engagements.models import ImportBatch


class Command(BaseCommand):
    help = "Remove spreadsheet uploads (their previews) older than --days days (30 by default)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        _, removed = ImportBatch.objects.filter(uploaded_at__lt=cutoff).delete()  # their rows with them
        count = removed.get(ImportBatch._meta.label, 0)
        self.stdout.write(f"Removed {count} upload{'' if count == 1 else 's'} older than {days} days.")
