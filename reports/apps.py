from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and dashboards"

    def ready(self):
        from engagements.proposal_screening import service_changes_for
        from reports import content
        from reports.dashboard import invalidation

        invalidation.connect()

        if service_changes_for not in content.SERVICE_CHANGE_PROVIDERS:
            content.SERVICE_CHANGE_PROVIDERS.append(service_changes_for)
