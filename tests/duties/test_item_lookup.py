"""The item a URL names (``duties.view_helpers.item_or_404``, one written-out statement) is the item
the ORM's ``select_related`` would give, related rows included, and nobody else's."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import ChecklistItem, Verdict
from duties.view_helpers import item_or_404
from tests.factories.duties import checklist_for

YEAR = ReportingYear(2025)
RELATED = ["checklist", "duty", "owner", "reviewed_by"]


def _request(membership):
    request = RequestFactory().get("/")
    request.organisation, request.membership = membership.organisation, membership
    return request


def _orm(item):
    return ChecklistItem.objects.select_related(
        "checklist__framework", "checklist__signed_off_by", "duty", "owner", "reviewed_by"
    ).get(pk=item.pk)


def _fields(instance):
    return (
        None
        if instance is None
        else {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    )


@pytest.fixture
def reviewed(editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    item = checklist.items.get(duty__number=3)
    item = actions.update_item(
        item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, owner=editor.user
    )
    return actions.review_item(item=item, comment="Seen", by=reviewer.user)


def test_it_reads_the_item_and_everything_the_page_shows_in_one_statement(reviewed, editor):
    with CaptureQueriesContext(connection) as queries:
        found = item_or_404(_request(editor), YEAR, "wppc22", reviewed.duty.code.lower())
        # what the page reads of it afterwards costs nothing more
        seen = [found.checklist.framework.code, found.checklist.signed_off_by, found.duty.framework.code]
        seen += [found.owner.username, found.reviewed_by.username, found.checklist.organisation.name]
    assert len(queries.captured_queries) == 1
    expected = _orm(reviewed)
    assert _fields(found) == _fields(expected)
    for name in RELATED:
        assert _fields(getattr(found, name)) == _fields(getattr(expected, name)), name
    assert _fields(found.checklist.framework) == _fields(expected.checklist.framework)
    assert found.checklist.signed_off_by is None and found.owner == editor.user
    assert found.reviewed_by.username == reviewed.reviewed_by.username
    assert found.duty.framework is found.checklist.framework


def test_no_owner_and_no_reviewer_read_as_none_without_a_query(editor):
    item = checklist_for(editor, "WPPC22", YEAR).items.get(duty__number=1)
    found = item_or_404(_request(editor), YEAR, "WPPC22", item.duty.code)
    with CaptureQueriesContext(connection) as queries:
        assert found.owner is None and found.reviewed_by is None
    assert not queries.captured_queries


def test_another_organisation_another_year_or_an_unknown_code_is_not_found(reviewed, editor, outsider):
    code = reviewed.duty.code
    for request, year, framework, item in [
        (_request(outsider), YEAR, "WPPC22", code),  # theirs is not ours
        (_request(editor), ReportingYear(2024), "WPPC22", code),
        (_request(editor), YEAR, "WPPC", code),
        (_request(editor), YEAR, "WPPC22", code + "X"),
    ]:
        with pytest.raises(Http404):
            item_or_404(request, year, framework, item)
