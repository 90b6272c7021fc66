from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PlatformAdminConfig(admin_apps.AdminConfig):
    """The Django admin, for platform administrators (superusers) only: see ``admin_site``."""

    default = False
    default_site = "ccg_involvement.admin_site.PlatformAdminSite"


class CoreConfig(AppConfig):
    name = "ccg_involvement"
    verbose_name = "Organisations and members"

    def ready(self):
        from django.contrib import messages
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from ccg_involvement import checks, throttle  # noqa: F401 - checks registers the system checks

        def confirm_logout(sender, request, user, **kwargs):
            messages.success(request, "You have logged out.")

        user_logged_out.connect(confirm_logout, dispatch_uid="confirm_logout", weak=False)
        user_login_failed.connect(throttle.on_login_failed, dispatch_uid="throttle_failed")
        user_logged_in.connect(throttle.on_logged_in, dispatch_uid="throttle_logged_in")
