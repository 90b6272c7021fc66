"""Checklists: starting, editing, review, sign-off, reopen, next year, history and lost updates."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.errors import ActionError
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Checklist, ItemStatus, Verdict
from duties.selectors import item_history
from tests.factories.core import CCGFactory, MembershipFactory
from tests.factories.duties import checklist_for, framework

YEAR = ReportingYear(2025)


def _url(checklist, suffix=""):
    return checklist.get_absolute_url() + suffix


def _item_post(item, **overrides):
    data = {
        "verdict": item.verdict,
        "not_applicable_reason": item.not_applicable_reason,
        "narrative": item.narrative,
        "planned_actions": item.planned_actions,
        "owner": item.owner_id or "",
        "due_date_0": "",
        "due_date_1": "",
        "due_date_2": "",
        "version": item.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def checklist(editor):
    return checklist_for(editor, "WPPC22", YEAR)


def _complete(item, by, verdict=Verdict.MET):
    return actions.update_item(
        item=item, expected_version=item.version, by=by, verdict=verdict, narrative="Done."
    )


# ------------------------------------------------------------------ starting
def test_start_checklist_creates_one_item_per_duty(checklist):
    assert checklist.items.count() == 10
    assert set(checklist.items.values_list("status", flat=True)) == {ItemStatus.TODO}


def test_a_framework_for_another_kind_of_organisation_is_refused(editor):
    with pytest.raises(ActionError, match="does not apply"):
        actions.start_checklist(
            organisation=editor.organisation, framework=framework("PPP17"), year=YEAR, by=editor.user
        )


def test_the_same_checklist_cannot_be_started_twice(checklist, editor):
    with pytest.raises(ActionError, match="already been started"):
        actions.start_checklist(
            organisation=editor.organisation, framework=framework("WPPC22"), year=YEAR, by=editor.user
        )


def test_members_start_the_frameworks_for_their_kind_of_organisation(make_member, login):
    ccg = CCGFactory(ods_code="15T")
    member = make_member(Role.EDITOR, ccg)
    client = login(member)
    page = client.get("/15t/duties/")
    assert b"Public participation" in page.content and b"Partnership with people" not in page.content
    response = client.post("/15t/duties/", {"year": "2021-22", "frameworks": ["PPP17", "IPO17"]})
    assert response.status_code == 302
    assert Checklist.objects.filter(organisation=ccg, year=2021).count() == 2


# ------------------------------------------------------------------ editing and validation
def test_not_applicable_needs_a_reason(checklist, editor, login):
    item = checklist.items.get(duty__number=1)
    response = login(editor).post(_url(checklist, "wppc-p01/"), _item_post(item, verdict="not_applicable"))
    assert response.status_code == 400
    assert "Enter why this duty does not apply" in response.content.decode()
    item.refresh_from_db()
    assert item.verdict == ""


def test_editor_saves_an_item(checklist, editor, login):
    item = checklist.items.get(duty__number=2)
    response = login(editor).post(
        _url(checklist, "wppc-p02/"),
        _item_post(
            item,
            verdict="partially_met",
            narrative="We start early.",
            owner=editor.user.pk,
            due_date_0="31",
            due_date_1="3",
            due_date_2="2026",
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.verdict, item.narrative, item.owner, item.due_date) == (
        "partially_met",
        "We start early.",
        editor.user,
        datetime.date(2026, 3, 31),
    )
    assert item.status == ItemStatus.IN_PROGRESS


def test_owner_must_be_a_member(checklist, editor, outsider):
    item = checklist.items.first()
    with pytest.raises(ActionError, match="member of this organisation"):
        actions.update_item(item=item, expected_version=item.version, by=editor.user, owner=outsider.user)


def test_owner_from_another_organisation_is_refused_by_the_form(checklist, editor, outsider, login):
    item = checklist.items.get(duty__number=1)
    response = login(editor).post(_url(checklist, "wppc-p01/"), _item_post(item, owner=outsider.user.pk))
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.owner is None


# ------------------------------------------------------------------ roles
def test_viewer_reads_but_cannot_edit(checklist, viewer, login):
    client = login(viewer)
    page = client.get(_url(checklist, "wppc-p01/"))
    assert page.status_code == 200
    assert b'name="narrative"' not in page.content
    item = checklist.items.get(duty__number=1)
    assert client.post(_url(checklist, "wppc-p01/"), _item_post(item, narrative="x")).status_code == 403


def test_only_reviewers_review(checklist, editor, reviewer, login):
    item = _complete(checklist.items.get(duty__number=1), editor.user)
    assert login(editor).post(_url(checklist, "wppc-p01/review/"), {"comment": "ok"}).status_code == 403
    assert (
        login(reviewer).post(_url(checklist, "wppc-p01/review/"), {"comment": "Looks right"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED
    assert item.reviewed_by == reviewer.user
    assert item.review_comment == "Looks right"


def test_only_reviewers_sign_off(checklist, editor, login):
    response = login(editor).post(
        _url(checklist, "sign-off/"),
        {"approving_body": "Board", "meeting_date_0": "1", "meeting_date_1": "4", "meeting_date_2": "2026"},
    )
    assert response.status_code == 403


def test_an_item_without_a_verdict_cannot_be_reviewed(checklist, reviewer):
    with pytest.raises(ActionError, match="no verdict"):
        actions.review_item(item=checklist.items.first(), comment="", by=reviewer.user)


# ------------------------------------------------------------------ review invalidation
def test_editing_a_reviewed_item_sends_it_back_for_review(checklist, editor, reviewer):
    item = _complete(checklist.items.first(), editor.user)
    item = actions.review_item(item=item, comment="fine", by=reviewer.user)
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="Changed.")
    assert item.status == ItemStatus.READY_FOR_REVIEW


def test_attaching_a_document_to_a_reviewed_item_sends_it_back(checklist, editor, reviewer):
    item = actions.review_item(
        item=_complete(checklist.items.first(), editor.user), comment="", by=reviewer.user
    )
    actions.attach_document(
        item=item,
        uploaded_file=SimpleUploadedFile("terms.pdf", b"%PDF-1.7\nterms"),
        title="Terms of reference",
        by=editor.user,
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.READY_FOR_REVIEW
    assert item.documents.get().sha256


# ------------------------------------------------------------------ sign-off, lock and reopen
def _review_all(checklist, editor, reviewer):
    for item in checklist.items.all():
        actions.review_item(item=_complete(item, editor.user), comment="", by=reviewer.user)


def test_sign_off_needs_every_item_reviewed(checklist, editor, reviewer):
    item = checklist.items.first()
    actions.review_item(item=_complete(item, editor.user), comment="", by=reviewer.user)
    with pytest.raises(ActionError, match="Not yet reviewed: 2, 3, 4"):
        actions.sign_off(
            checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
        )


def test_signed_off_checklist_is_locked_until_reopened_with_a_reason(checklist, editor, reviewer, login):
    _review_all(checklist, editor, reviewer)
    response = login(reviewer).post(
        _url(checklist, "sign-off/"),
        {
            "approving_body": "People and communities committee",
            "meeting_date_0": "26",
            "meeting_date_1": "3",
            "meeting_date_2": "2026",
            "minute_reference": "PCC 26/14",
            "note": "Approved.",
        },
    )
    assert response.status_code == 302
    checklist.refresh_from_db()
    assert checklist.is_signed_off and checklist.meeting_date == datetime.date(2026, 3, 26)

    item = checklist.items.first()
    with pytest.raises(ActionError, match="signed off"):
        actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="late change")
    assert (
        login(editor).post(_url(checklist, "wppc-p01/"), _item_post(item, narrative="late")).status_code
        == 400
    )

    no_reason = login(reviewer).post(_url(checklist, "reopen/"), {"reason": " "})
    assert no_reason.status_code == 400
    assert "Enter why you are reopening the checklist" in no_reason.content.decode()
    assert (
        login(reviewer).post(_url(checklist, "reopen/"), {"reason": "New evidence arrived"}).status_code
        == 302
    )
    checklist.refresh_from_db()
    assert not checklist.is_signed_off
    events = [event.reason for event in item_history(item)]
    assert any(reason.startswith("Checklist reopened: New evidence arrived") for reason in events)
    assert any(reason.startswith("Checklist signed off") for reason in events)


def test_editors_cannot_reopen(checklist, editor, reviewer, login):
    _review_all(checklist, editor, reviewer)
    actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )
    assert login(editor).post(_url(checklist, "reopen/"), {"reason": "because"}).status_code == 403


# ------------------------------------------------------------------ next year
def test_start_next_year_carries_narrative_owners_and_actions_and_resets_the_rest(
    checklist, editor, reviewer, login
):
    item = checklist.items.get(duty__number=3)
    actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        verdict=Verdict.PARTIALLY_MET,
        narrative="Insight library in place.",
        planned_actions="Add lived experience.",
        owner=reviewer.user,
    )
    response = login(editor).post(_url(checklist, "next-year/"))
    assert response.status_code == 302
    new = Checklist.objects.get(organisation=checklist.organisation, year=2026)
    carried = new.items.get(duty__number=3)
    assert (carried.narrative, carried.planned_actions, carried.owner) == (
        "Insight library in place.",
        "Add lived experience.",
        reviewer.user,
    )
    assert carried.status == ItemStatus.TODO and carried.verdict == ""
    assert (
        login(editor).post(_url(checklist, "next-year/")).status_code == 302
    )  # second time: a message, no crash
    assert Checklist.objects.filter(organisation=checklist.organisation, year=2026).count() == 1


# ------------------------------------------------------------------ history
def test_history_records_who_changed_what(checklist, editor, reviewer, login):
    item = checklist.items.first()
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="First.")
    item = actions.update_item(
        item=item, expected_version=item.version, by=reviewer.user, narrative="Second."
    )
    events = item_history(item)
    newest = events[0]
    assert newest.who == reviewer.user.get_full_name()
    assert ("How we meet it", "First.", "Second.") in newest.changes
    page = login(editor).get(item.get_absolute_url())
    assert "First. → Second." in page.content.decode()


# ------------------------------------------------------------------ lost updates
def test_two_people_editing_the_same_item_second_save_is_refused_and_nothing_is_lost(
    checklist, editor, make_member, login, organisation
):
    colleague = make_member(Role.EDITOR, organisation)
    item = checklist.items.get(duty__number=4)
    first, second = login(editor), login(colleague)
    # both open the page (same version) ...
    assert first.get(_url(checklist, "wppc-p04/")).status_code == 200
    assert second.get(_url(checklist, "wppc-p04/")).status_code == 200
    loaded = _item_post(item)
    # ... the first saves,
    assert (
        first.post(_url(checklist, "wppc-p04/"), {**loaded, "narrative": "Ours: VCSE alliance."}).status_code
        == 302
    )
    # the second is refused, sees what changed, and keeps what they typed
    response = second.post(_url(checklist, "wppc-p04/"), {**loaded, "narrative": "Theirs: Healthwatch seat."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this item" in page
    assert "Ours: VCSE alliance." in page  # what changed
    assert "Theirs: Healthwatch seat." in page  # their input, still in the form
    item.refresh_from_db()
    assert item.narrative == "Ours: VCSE alliance."
    # saving again (the form now carries the new version) goes through
    resubmit = {**loaded, "narrative": "Theirs: Healthwatch seat.", "version": item.version}
    assert second.post(_url(checklist, "wppc-p04/"), resubmit).status_code == 302
    item.refresh_from_db()
    assert item.narrative == "Theirs: Healthwatch seat."


# ------------------------------------------------------------------ pages and queries
def test_inline_status_change_with_and_without_htmx(checklist, editor, login):
    client = login(editor)
    url = _url(checklist, "wppc-p01/status/")
    response = client.post(url, {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "In progress" in response.content.decode() and "<html" not in response.content.decode()
    plain = client.post(url, {"status": "ready_for_review"})  # no verdict yet → refused with a message
    assert plain.status_code == 302
    assert checklist.items.get(duty__number=1).status == ItemStatus.IN_PROGRESS
    assert client.post(url, {"status": "reviewed"}).status_code == 302
    assert checklist.items.get(duty__number=1).status == ItemStatus.IN_PROGRESS


def test_checklist_page_query_count_is_bounded(
    checklist, editor, reviewer, login, django_assert_max_num_queries
):
    client = login(editor)
    with django_assert_max_num_queries(14) as few:
        assert client.get(_url(checklist)).status_code == 200
    # lots more history, owners and documents
    for item in checklist.items.all():
        for n in range(3):
            item = actions.update_item(
                item=item,
                expected_version=item.version,
                by=editor.user,
                narrative=f"v{n}",
                owner=reviewer.user,
            )
        actions.attach_document(
            item=item, uploaded_file=SimpleUploadedFile("a.txt", b"notes"), title="notes", by=editor.user
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url(checklist))
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


def test_item_page_query_count_is_bounded(checklist, editor, login, django_assert_max_num_queries):
    client = login(editor)
    item = checklist.items.first()
    with django_assert_max_num_queries(20) as few:
        client.get(item.get_absolute_url())
    for n in range(10):
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, narrative=f"v{n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_checklists_of_another_organisation_are_not_found(checklist, outsider, login):
    assert login(outsider).get(_url(checklist)).status_code == 404


def test_scored_framework_shows_total_and_rating(make_member, login):
    ccg = CCGFactory(ods_code="16T")
    editor = make_member(Role.EDITOR, ccg)
    checklist = checklist_for(editor, "IAF-ENG", ReportingYear(2019))
    for item in checklist.items.all():
        actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, score=3
        )
    page = login(editor).get(checklist.get_absolute_url()).content.decode()
    assert "15 out of 15" in page and "Green star" in page
    item = checklist.items.first()
    with pytest.raises(ActionError, match="between 0 and 3"):
        actions.update_item(item=item, expected_version=item.version, by=editor.user, score=4)


def test_member_switching_between_organisations(editor, other_organisation, login):
    MembershipFactory(user=editor.user, organisation=other_organisation, role=Role.VIEWER)
    page = login(editor).get("/qrv/duties/").content.decode()
    assert "Change" in page
