from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and dashboards"

    def ready(self):
        from reports.dashboard import invalidation

        invalidation.connect()
