from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ccg_involvement import demo
from ccg_involvement.models import Organisation


class Command(BaseCommand):
    help = "Load the demo organisations, users and records (idempotent). Each app adds its own in demo.py."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any organisation exists already."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database already has data; demo data not loaded.")
            self.stdout.write(
                f"Demo logins, if loaded earlier: {', '.join(u[0] for u in demo.USERS)} "
                f"(password {demo.DEMO_PASSWORD})."
            )
            return
        context: dict = {}
        lines: list[str] = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                lines.extend(module.load(context) or [])
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
