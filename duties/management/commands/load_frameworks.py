from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duties.loader import FRAMEWORK_DIR, FrameworkDataError, load_frameworks


class Command(BaseCommand):
    help = "Load the statutory framework data files (idempotent; a used revision is never changed)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=FRAMEWORK_DIR)

    def handle(self, *args, directory, **options):
        try:
            results = load_frameworks(directory)
        except FrameworkDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for result in results:
            self.stdout.write(str(result))
