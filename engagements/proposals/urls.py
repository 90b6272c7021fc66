from django.urls import path

from engagements.proposals import views

urlpatterns = [
    path("", views.proposal_list, name="proposal-list"),
    path("new/", views.proposal_create, name="proposal-create"),
    path("link-activity/<int:activity_pk>/", views.proposal_link_activity, name="proposal-link-activity"),
    path("<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("<int:pk>/step/<int:step>/", views.proposal_step, name="proposal-step"),
    path("<int:pk>/decision-record/", views.proposal_record, name="proposal-record"),
    path("<int:pk>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"),
    path("<int:pk>/activities/", views.proposal_activities, name="proposal-activities"),
    path(
        "<int:pk>/activities/<int:activity_pk>/remove/",
        views.proposal_activity_remove,
        name="proposal-activity-remove",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views.proposal_document_remove,
        name="proposal-document-remove",
    ),
]
