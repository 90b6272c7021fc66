from django.urls import path

from duties import choice_views, item_views, views

checklist = "<year:year>/<slug:framework>/"
item = checklist + "<slug:item>/"

urlpatterns = [
    path("", views.checklist_list, name="checklists"),
    path("frameworks/", choice_views.framework_choice, name="framework-choice"),
    path(checklist, views.checklist_detail, name="checklist-detail"),
    path(checklist + "sign-off/", views.checklist_sign_off, name="checklist-sign-off"),
    path(checklist + "reopen/", views.checklist_reopen, name="checklist-reopen"),
    path(checklist + "next-year/", views.checklist_next_year, name="checklist-next-year"),
    path(checklist + "bulk/", views.checklist_bulk, name="checklist-bulk"),
    path(item, item_views.item_detail, name="checklist-item"),
    path(item + "status/", item_views.item_status, name="checklist-item-status"),
    path(item + "review/", item_views.item_review, name="checklist-item-review"),
    path(item + "documents/", item_views.item_document_upload, name="checklist-item-document"),
    path(
        item + "documents/<int:pk>/remove/",
        item_views.item_document_remove,
        name="checklist-item-document-remove",
    ),
]
