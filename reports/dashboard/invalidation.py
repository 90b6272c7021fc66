"""Record a change to an organisation's data whenever a model the dashboard reads is written.

Connected in ``ReportsConfig.ready``. Instance saves and deletes (the app's actions, imports and the
admin) are covered here; reach rows, duty links, methods and partners are only ever written together
with their activity, whose save records the change. Lookups, frameworks and people's names appear
on every organisation's dashboard, so changing one records a change everywhere.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from ccg_involvement.freshness import record_change
from ccg_involvement.models import Document
from duties.models import Checklist, ChecklistItem, Duty, Framework, FrameworkChoice
from engagements.models import Activity, Adjustment, AudienceGroup, Method, Outcome, Partner

UID = "reports.invalidation"


def _cached_or_none(instance, name):
    return instance._state.fields_cache.get(name)


def _organisation_of(instance) -> int | None:
    if hasattr(instance, "organisation_id"):
        return instance.organisation_id
    if isinstance(instance, ChecklistItem):
        checklist = _cached_or_none(instance, "checklist")
        if checklist is not None:
            return checklist.organisation_id
        return (
            Checklist.objects.filter(pk=instance.checklist_id)
            .values_list("organisation_id", flat=True)
            .first()
        )
    if isinstance(instance, Outcome):
        activity = _cached_or_none(instance, "activity")
        if activity is not None:
            return activity.organisation_id
        return (
            Activity.objects.filter(pk=instance.activity_id).values_list("organisation_id", flat=True).first()
        )
    raise TypeError(f"No organisation for {type(instance).__name__}")


def organisation_data_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    organisation_id = _organisation_of(instance)
    if organisation_id is not None:
        record_change(organisation_id)


def item_documents_changed(sender, instance, action, **kwargs):
    # ``instance`` is the item, or the document when changed from the document's side.
    if action in {"post_add", "post_remove", "post_clear"}:
        organisation_data_changed(sender, instance)


def shared_data_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if sender is get_user_model() and update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # logging in or changing a password changes nothing a dashboard shows
    record_change(None)


def connect():
    for model in (Activity, Outcome, Checklist, ChecklistItem, Document, FrameworkChoice):
        post_save.connect(
            organisation_data_changed, sender=model, dispatch_uid=f"{UID}.save.{model.__name__}"
        )
        post_delete.connect(
            organisation_data_changed, sender=model, dispatch_uid=f"{UID}.delete.{model.__name__}"
        )
    m2m_changed.connect(
        item_documents_changed, sender=ChecklistItem.documents.through, dispatch_uid=f"{UID}.item-documents"
    )
    for model in (Method, Partner, AudienceGroup, Adjustment, Framework, Duty, get_user_model()):
        post_save.connect(shared_data_changed, sender=model, dispatch_uid=f"{UID}.save.{model.__name__}")
        post_delete.connect(shared_data_changed, sender=model, dispatch_uid=f"{UID}.delete.{model.__name__}")
