from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccg_involvement"
    verbose_name = "Organisations and members"

    def ready(self):
        from django.contrib import messages
        from django.contrib.auth.signals import user_logged_out

        def confirm_logout(sender, request, user, **kwargs):
            messages.success(request, "You have logged out.")

        user_logged_out.connect(confirm_logout, dispatch_uid="confirm_logout", weak=False)
