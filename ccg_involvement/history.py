"""History and concurrency, once for every model that keeps a version and a django-simple-history trail.

* ``HistoryEvent`` is one change as the pages show it: when, who, why, and each field's old → new.
* ``history_events`` turns a model's history records into events (newest first); ``record_diff``
  compares two records field by field; ``display_name`` is how a person is named everywhere.
* ``VersionConflict`` is raised when a user saves over a newer version than the one they loaded;
  ``lock_and_check`` locks the row and raises it, with what changed since, so the page can show
  the differences and keep what the user typed (HTTP 409).
"""

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from simple_history.utils import get_app_model_primary_key_name, get_history_model_for_model

from ccg_involvement.errors import ActionError

Change = tuple[str, str, str]  # (field label, value before, value now)
Names = Mapping[str, Mapping[object, str]]  # field name → {primary key → display text}
Labels = Mapping[str, Callable[[object], str]]  # field name → how a related object is shown


@dataclass(frozen=True)
class HistoryEvent:
    when: datetime.datetime
    who: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def display_name(user, *, default: str = "—") -> str:
    """A person as the product names them: full name, else user name."""
    if user is None:
        return default
    return user.get_full_name() or user.username


def full_name(
    first_name: str | None, last_name: str | None, username: str | None, *, default: str = "—"
) -> str:
    """``display_name`` from a user's columns, for figures read in SQL (no user: ``default``)."""
    if username is None:
        return default
    return f"{first_name} {last_name}".strip() or username


def field_label(model_field) -> str:
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def show_value(model_field, value, names: Names) -> str:
    """One stored value as a person reads it (``value`` is the raw column value)."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{value.day} {value:%B %Y, %H:%M}"  # NHS style: 4 February 2027, 14:05
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    if model_field.is_relation:
        return names.get(model_field.name, {}).get(value, f"{model_field.name.replace('_', ' ')} {value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def related_names(model, fields: Iterable[str], records: Iterable, labels: Labels | None = None) -> dict:
    """Display text for the foreign keys named in ``fields`` across ``records``: one query per key.

    A person is shown by ``display_name``, anything else by ``str`` unless ``labels`` names a
    function for that field (e.g. ``{"ehia_document": lambda d: d.title}``).
    """
    labels = labels or {}
    records = list(records)
    names: dict[str, dict] = {}
    for name in fields:
        model_field = model._meta.get_field(name)
        if not model_field.many_to_one:
            continue
        ids = {getattr(r, model_field.attname) for r in records} - {None}
        related = model_field.related_model
        if not ids:
            names[name] = {}
        elif related is get_user_model():
            names[name] = {u.pk: display_name(u) for u in related.objects.filter(pk__in=ids)}
        else:
            label = labels.get(name, str)
            names[name] = {obj.pk: label(obj) for obj in related._default_manager.filter(pk__in=ids)}
    return names


def record_diff(model, fields: Iterable[str], before, after, names: Names, show=show_value) -> list[Change]:
    """Each of ``fields`` whose value differs between two records (or a record and the row)."""
    changes = []
    for name in fields:
        model_field = model._meta.get_field(name)
        old = getattr(before, model_field.attname) if before is not None else None
        new = getattr(after, model_field.attname)
        if old != new:
            changes.append(
                (field_label(model_field), show(model_field, old, names), show(model_field, new, names))
            )
    return changes


@functools.cache
def _history_model(model):
    return get_history_model_for_model(model)


def history_records(instance):
    """``instance.history.all()``: the instance's history records, as a plain queryset.

    django-simple-history's ``history`` descriptor builds a new manager class on every access
    (``Manager.from_queryset``, which inspects the queryset class's members): about 0.2 ms each
    time, on every page that shows a history. The historical model is looked up once per model.
    """
    model = _history_model(type(instance))
    return model._default_manager.filter(**{get_app_model_primary_key_name(instance): instance.pk})


def history_events(instance, fields: list[str], *, labels: Labels | None = None, show=show_value):
    """Every recorded change to ``instance`` (who, when, why, field old → new), newest first.

    A record with neither a changed field nor a reason (a save that changed nothing shown) is left out.
    """
    model = type(instance)
    records = list(
        history_records(instance).select_related("history_user").order_by("history_date", "history_id")
    )
    names = related_names(model, fields, records, labels)
    events, previous = [], None
    for record in records:
        changes = record_diff(model, fields, previous, record, names, show) if previous is not None else []
        previous = record
        if changes or record.history_change_reason:
            events.append(
                HistoryEvent(
                    record.history_date,
                    display_name(record.history_user, default="System"),
                    record.history_change_reason or "",
                    changes,
                )
            )
    events.reverse()
    return events


@dataclass
class VersionConflict(ActionError):
    """Someone else saved the object after this user loaded it; nothing was saved."""

    current: object
    changes: list[Change] = field(default_factory=list)
    noun: str = "item"

    def __str__(self):
        return (
            f"Someone else changed this {self.noun} while you were editing it. Your changes have not been "
            "saved yet: check what they changed, then save again."
        )


def changes_since(
    current, version: int, fields: Iterable[str], *, labels: Labels | None = None, show=show_value
) -> list[Change]:
    """What changed between the version a user loaded (from the history) and the row as it is now."""
    fields = list(fields)
    model = type(current)
    loaded = current.history.filter(version=version).order_by("-history_id").first()
    names = related_names(model, fields, [r for r in (loaded, current) if r is not None], labels)
    return record_diff(model, fields, loaded, current, names, show)


def check_version(current, expected_version: int | None, fields: Iterable[str], *, noun: str, **shown):
    """Raise ``VersionConflict`` if the (locked) row is newer than the version the user loaded.

    ``expected_version=None`` skips the check (writes that do not come from an edit form); ``shown``
    passes ``labels`` and ``show`` on to ``changes_since``.
    """
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(
            current=current, changes=changes_since(current, expected_version, fields, **shown), noun=noun
        )


def lock_and_check(queryset, *, pk, expected_version: int | None, fields: Iterable[str], noun: str, **shown):
    """The row, locked for this transaction; ``VersionConflict`` if it is newer than ``expected_version``."""
    current = queryset.select_for_update().get(pk=pk)
    check_version(current, expected_version, fields, noun=noun, **shown)
    return current
