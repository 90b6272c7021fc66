from django.urls import path

from engagements import import_views, mapping_views, step_views, views

urlpatterns = [
    path("", views.activity_list, name="activity-list"),
    path("new/", step_views.activity_create, name="activity-create"),
    path("export/", import_views.activity_export, name="activity-export"),
    path("import/", import_views.activity_import, name="activity-import"),
    path("import/template/", import_views.import_template, name="activity-import-template"),
    path("import/<int:pk>/", import_views.import_preview, name="activity-import-preview"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="activity-import-progress"),
    path("import/<int:pk>/columns/", mapping_views.import_columns, name="activity-import-columns"),
    path("import/<int:pk>/values/", mapping_views.import_values, name="activity-import-values"),
    path("import/mappings/", mapping_views.import_mappings, name="activity-import-mappings"),
    path("import/mappings/<int:pk>/", mapping_views.import_mapping_edit, name="activity-import-mapping-edit"),
    path(
        "import/mappings/<int:pk>/delete/",
        mapping_views.import_mapping_delete,
        name="activity-import-mapping-delete",
    ),
    path("<int:pk>/", views.activity_detail, name="activity-detail"),
    path("<int:pk>/edit/", step_views.activity_edit, name="activity-edit"),
    path("<int:pk>/steps/", step_views.activity_steps, name="activity-steps"),
    path("<int:pk>/steps/<int:step>/", step_views.activity_step, name="activity-step"),
    path("<int:pk>/outcomes/", views.outcome_create, name="outcome-create"),
    path("<int:pk>/withdraw/", views.activity_withdraw, name="activity-withdraw"),
    path("<int:pk>/outcomes/<int:outcome_pk>/", views.outcome_edit, name="outcome-edit"),
    path("<int:pk>/outcomes/<int:outcome_pk>/withdraw/", views.outcome_withdraw, name="outcome-withdraw"),
    path("<int:pk>/documents/", views.activity_document_upload, name="activity-document"),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views.activity_document_remove,
        name="activity-document-remove",
    ),
    path("<int:pk>/duties/<int:link_pk>/", views.activity_duty_rationale, name="activity-duty-rationale"),
]
