"""Breadcrumbs from the one helper: organisation first, then sections, objects or explicit steps."""

from ccg_involvement.navigation import breadcrumbs
from tests.factories.engagements import activity_for


def test_trail_of_section_object_and_explicit_step(editor):
    organisation = editor.organisation
    activity = activity_for(editor, title="Drop-in at the library")
    assert breadcrumbs(organisation, "activities", activity, ("Edit", "/edit/")) == [
        {"text": organisation.name, "href": organisation.get_absolute_url()},
        {"text": "Activities", "href": f"/{organisation.slug}/activities/"},
        {"text": "Drop-in at the library", "href": activity.get_absolute_url()},
        {"text": "Edit", "href": "/edit/"},
    ]
