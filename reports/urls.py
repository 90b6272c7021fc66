from django.urls import path

from reports import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/profile/", views.involvement_profile, name="involvement-profile"),
    path("reports/statement/<str:year>/", views.annual_statement, name="annual-statement"),
    path("reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("reports/<int:pk>/supersede/", views.report_supersede, name="report-supersede"),
    path(
        "reports/decision-record/<int:proposal_pk>/",
        views.decision_record_request,
        name="report-decision-record",
    ),
]
