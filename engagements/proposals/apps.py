from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "engagements.proposals"
    label = "proposals"
    verbose_name = "Service-change proposals"
