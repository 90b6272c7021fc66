"""The Django admin is for platform administrators (superusers) only.

Decision (docs/security.md, "The Django admin"): organisations, frameworks and every member of
every organisation are platform data, and the admin has no notion of "the organisations this staff
member administers". Rather than scope each admin page by organisation, the admin refuses anyone who
is not an active superuser, whatever their ``is_staff`` flag or model permissions. An organisation's
``admin`` role is a role inside the application (where tenancy is enforced), not a key to this admin.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, refusing (with the admin's usual message) anyone not a superuser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PlatformAdminSite(admin.AdminSite):
    site_header = "Involvement tracker: platform administration"
    site_title = "Platform administration"
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
