from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "Engagement log"

    def ready(self):
        from duties import evidence
        from engagements.selectors import activity_evidence

        evidence.register(activity_evidence)
