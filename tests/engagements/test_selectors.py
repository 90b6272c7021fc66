"""Reads the activity forms and the import rely on, called directly."""

import datetime

from django.contrib.auth import get_user_model

from duties.models import Duty
from engagements import selectors
from engagements.models import AudienceGroup, Method
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for


def test_allowed_duties_are_those_of_the_organisations_kind(organisation):
    allowed = selectors.allowed_duties(organisation)
    assert wppc(1) in allowed
    assert not allowed.filter(framework__code="PPP17").exists()  # a CCG framework, not an ICB's
    choices = list(selectors.duty_choices(organisation))
    assert choices == sorted(choices, key=lambda d: (d.framework.code, d.number))


def test_import_context_knows_the_names_duties_and_members(editor, outsider, django_assert_num_queries):
    with django_assert_num_queries(7):
        context = selectors.import_context(editor.organisation)
    focus = Method.objects.get(code="METHOD-FOCUS")
    assert context.methods[focus.name.casefold()] == focus.pk == context.methods["method-focus"]
    assert context.duties["WPPC-P01"] == wppc(1).pk
    assert "PPP17-A01" in context.other_duties
    assert context.members[editor.user.username] == {editor.user.pk}
    assert outsider.user.username not in context.members
    assert [g.pk for g in context.groups] == [g.pk for g in selectors.audience_groups()]
    assert len(context.groups) == AudienceGroup.objects.count()


def test_import_template_lists_only_active_names(organisation):
    Method.objects.filter(code="METHOD-FOCUS").update(is_active=False)
    lists = selectors.import_template_lists(organisation)
    assert "Focus group" not in lists["Methods"]
    assert lists["Duty codes"] == [d.code for d in selectors.duty_choices(organisation)]
    assert not set(lists["Duty codes"]) & set(
        Duty.objects.filter(framework__code="PPP17").values_list("code", flat=True)
    )


def test_existing_duplicate_keys_only_for_the_dates_in_the_rows(editor, outsider):
    activity_for(editor, title="Drop-in", start=datetime.date(2025, 5, 1))
    activity_for(editor, title="Later", start=datetime.date(2025, 6, 1))
    activity_for(outsider, title="Theirs", start=datetime.date(2025, 5, 1))
    rows = [{"clean": {"start_date": "2025-05-01"}}, {"clean": {}}]
    assert selectors.existing_duplicate_keys(editor.organisation, rows) == [("Drop-in", "2025-05-01")]
    assert selectors.existing_duplicate_keys(editor.organisation, [{"clean": {}}]) == []
    assert get_user_model().objects.count() == 2
