"""The checklist and the item a URL names (``duties.view_helpers.checklist_or_404`` and
``item_or_404``, one written-out statement each) are what the ORM's ``select_related`` would give,
related rows included, and nobody else's."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Checklist, ChecklistItem, Verdict
from duties.view_helpers import checklist_or_404, item_or_404
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


def test_it_reads_the_checklist_with_its_framework_and_signer_in_one_statement(reviewed, editor, reviewer):
    checklist = reviewed.checklist
    Checklist.objects.filter(pk=checklist.pk).update(
        signed_off_by=reviewer.user, signed_off_at=timezone.now()
    )
    with CaptureQueriesContext(connection) as queries:
        found = checklist_or_404(_request(editor), YEAR, "wPpC22")
        seen = [found.framework.short_title, found.signed_off_by.username, found.organisation.name]
    assert len(queries.captured_queries) == 1 and seen[1] == reviewer.user.username
    expected = Checklist.objects.select_related("framework", "signed_off_by").get(pk=checklist.pk)
    for name in (None, "framework", "signed_off_by"):
        mine, theirs = (getattr(x, name) if name else x for x in (found, expected))
        assert _fields(mine) == _fields(theirs), name


def test_another_organisations_or_years_checklist_is_not_found(reviewed, editor, outsider):
    for request, year, framework in [
        (_request(outsider), YEAR, "WPPC22"),
        (_request(editor), ReportingYear(2026), "WPPC22"),
        (_request(editor), YEAR, "PPP17"),
    ]:
        with pytest.raises(Http404):
            checklist_or_404(request, year, framework)
