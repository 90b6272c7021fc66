"""The one history and concurrency module, tested directly (not through pages)."""

import datetime

import pytest

from ccg_involvement.history import (
    VersionConflict,
    changes_since,
    display_name,
    history_events,
    lock_and_check,
    show_value,
)
from duties import actions
from duties.models import ChecklistItem, Verdict
from tests.factories.core import UserFactory
from tests.factories.duties import checklist_for


@pytest.fixture
def item(editor):
    return checklist_for(editor).items.order_by("duty__number").first()


def test_display_name_prefers_the_full_name():
    assert (
        display_name(UserFactory.build(first_name="Asha", last_name="Patel", username="ap")) == "Asha Patel"
    )
    assert display_name(UserFactory.build(first_name="", last_name="", username="ap")) == "ap"
    assert display_name(None) == "—"
    assert display_name(None, default="System") == "System"


def test_values_are_shown_as_people_read_them(item):
    field = ChecklistItem._meta.get_field
    assert show_value(field("due_date"), datetime.date(2026, 3, 31), {}) == "31 March 2026"
    assert show_value(field("verdict"), Verdict.PARTIALLY_MET, {}) == "Partially met"
    assert show_value(field("narrative"), "", {}) == "—"
    assert show_value(field("owner"), 7, {"owner": {7: "Asha Patel"}}) == "Asha Patel"


def test_history_events_name_who_changed_what_newest_first(item, editor, reviewer):
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="One.")
    item = actions.update_item(
        item=item, expected_version=item.version, by=reviewer.user, narrative="Two.", owner=editor.user
    )
    events = history_events(item, ["narrative", "owner"])
    assert [e.who for e in events[:2]] == [display_name(reviewer.user), display_name(editor.user)]
    assert ("How we meet it", "One.", "Two.") in events[0].changes
    assert ("Owner", "—", display_name(editor.user)) in events[0].changes
    assert events[-1].reason == "Item created" and events[-1].who == display_name(editor.user)


def test_changes_since_compares_the_loaded_version_with_the_row(item, editor, reviewer):
    loaded = item.version
    actions.update_item(item=item, expected_version=loaded, by=reviewer.user, verdict=Verdict.MET)
    item.refresh_from_db()
    assert changes_since(item, loaded, ["verdict", "narrative"]) == [("Verdict", "—", "Met")]


def test_lock_and_check_refuses_a_stale_version_with_what_changed(item, editor, reviewer):
    loaded = item.version
    actions.update_item(item=item, expected_version=loaded, by=reviewer.user, narrative="Theirs.")
    with pytest.raises(VersionConflict) as refused:
        lock_and_check(
            ChecklistItem.objects.all(),
            pk=item.pk,
            expected_version=loaded,
            fields=["narrative"],
            noun="item",
        )
    assert refused.value.changes == [("How we meet it", "—", "Theirs.")]
    assert str(refused.value).startswith("Someone else changed this item while you were editing it.")
    current = lock_and_check(
        ChecklistItem.objects.all(),
        pk=item.pk,
        expected_version=loaded + 1,
        fields=["narrative"],
        noun="item",
    )
    assert current.narrative == "Theirs."
    assert (
        lock_and_check(ChecklistItem.objects.all(), pk=item.pk, expected_version=None, fields=[], noun="item")
        == current
    )
