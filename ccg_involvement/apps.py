from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccg_involvement"
    verbose_name = "Organisations and members"
