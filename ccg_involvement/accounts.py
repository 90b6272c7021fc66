"""Password change and reset, throttled like logging in (see ``ccg_involvement.throttle``)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from ccg_involvement import throttle


class LoginForm(AuthenticationForm):
    """Django's login form with a specific message for each empty field (not "This field is required")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        specific_messages(self, {"username": "Enter your username", "password": "Enter your password"})


def specific_messages(form, messages: dict):
    """Give each named field its own "required" message (Django's forms say "This field is required")."""
    for name, message in messages.items():
        form.fields[name].error_messages = {**form.fields[name].error_messages, "required": message}


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        specific_messages(self, {"email": "Enter your email address"})


class NewPasswordForm(SetPasswordForm):
    """Choosing a password from a reset or invitation link."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        specific_messages(
            self, {"new_password1": "Enter a new password", "new_password2": "Enter the new password again"}
        )


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The current password counts as a login attempt: a stolen session cannot guess it freely."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        self.refusal = None
        super().__init__(user, *args, **kwargs)
        specific_messages(
            self,
            {
                "old_password": "Enter your current password",
                "new_password1": "Enter a new password",
                "new_password2": "Enter the new password again",
            },
        )

    def clean_old_password(self):
        username = self.user.get_username()
        self.refusal = throttle.check(self.request, username)
        if self.refusal:
            raise ValidationError(self.refusal.message, code="throttled")
        try:
            return super().clean_old_password()
        except ValidationError:
            throttle.record_failure(self.request, username)
            refusal = throttle.check(self.request, username)
            if refusal and refusal.locked:
                self.refusal = refusal
                raise ValidationError(refusal.message, code="throttled") from None
            raise


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        throttle.record_success(self.request, self.request.user.get_username())
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.refusal:
            response.status_code = 429
            response["Retry-After"] = str(form.refusal.seconds)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Refused past the limit per address + email; per email, emails are spaced out silently."""

    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        refusal = throttle.check(self.request, email, scope=throttle.RESET)
        if refusal:
            form.add_error("email", refusal.message)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(refusal.seconds)
            return response
        throttle.record_failure(self.request, email, scope=throttle.RESET)
        if throttle.reset_email_due(email):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())  # the same answer: nothing is revealed
