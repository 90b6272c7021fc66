from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from ccg_involvement import accounts, members, views
from ccg_involvement.converters import OrganisationCodeConverter, ReportingYearConverter
from reports import views as report_views

register_converter(OrganisationCodeConverter, "org")
register_converter(ReportingYearConverter, "year")

handler403 = "ccg_involvement.views.error_403"
handler404 = "ccg_involvement.views.error_404"
handler500 = "ccg_involvement.views.error_500"

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=accounts.LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=accounts.NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

organisation_patterns = [
    path("", include("reports.urls")),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("duties/", include("duties.urls")),
    path("activities/", include("engagements.urls")),
    path("proposals/", include("engagements.proposals.urls")),
    path("members/", members.member_list, name="members"),
    path("members/add/", members.member_add, name="member-add"),
    path("members/four-eyes/", members.four_eyes, name="member-four-eyes"),
    path("members/<int:pk>/role/", members.member_role, name="member-role"),
    path("members/<int:pk>/deactivate/", members.member_deactivate, name="member-deactivate"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("organisations/", views.choose_organisation, name="choose-organisation"),
    path("assurance/", report_views.assurance_overview, name="assurance-overview"),
    path("help/", views.help_page, name="help"),
    path("my-work/", report_views.my_work, name="my-work"),
    path("my-work/reminders/", report_views.reminder_settings, name="reminder-settings"),
    path("accounts/", include(account_patterns)),
    # The admin's own password change would bypass the throttle on guessing the current password.
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="password_change"),
        name="admin-password-change",
    ),
    path("admin/", admin.site.urls),
    path("<org:org_code>/", include(organisation_patterns)),
]
