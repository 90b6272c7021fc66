"""Checklist pages: starting, editing, roles, review, sign-off and reopen, next year, history, lost updates, queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from ccg_involvement.errors import ActionError
from ccg_involvement.permissions import Role
from ccg_involvement.years import ReportingYear
from duties import actions
from duties.models import Checklist, ItemStatus, Verdict
from duties.selectors import item_history
from tests.factories.core import CCGFactory, MembershipFactory
from tests.factories.duties import checklist_for

YEAR = ReportingYear(2025)
SIGN_OFF = {"approving_body": "Board", "meeting_date_0": "1", "meeting_date_1": "4", "meeting_date_2": "2026"}


def _review_all(checklist, editor, reviewer):
    for item in checklist.items.all():
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
        )
        actions.review_item(item=item, comment="", by=reviewer.user)


def _signed_off(checklist, editor, reviewer):
    _review_all(checklist, editor, reviewer)
    return actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )


# ------------------------------------------------------------------ sign-off and reopen answer alike
@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_sign_off_and_reopen_explain_to_non_reviewers_and_refuse_their_post(
    make_member, organisation, checklist, editor, reviewer, login, role
):
    client = login(make_member(role, organisation))
    _review_all(checklist, editor, reviewer)
    sign_off = client.get(checklist.get_absolute_url() + "sign-off/")
    assert sign_off.status_code == 200
    assert "Only a reviewer can sign off a checklist." in sign_off.content.decode()
    assert 'type="submit">Sign off' not in sign_off.content.decode()
    assert client.post(checklist.get_absolute_url() + "sign-off/", SIGN_OFF).status_code == 403

    actions.sign_off(
        checklist=checklist, by=reviewer.user, note="", approving_body="Board", meeting_date=None
    )
    reopen = client.get(checklist.get_absolute_url() + "reopen/")
    assert reopen.status_code == 200
    # it says who can reopen it, by name
    from ccg_involvement.history import display_name

    assert (
        f"Only a reviewer can reopen it: ask {escape(display_name(reviewer.user))}."
        in reopen.content.decode()
    )
    assert 'type="submit">Reopen' not in reopen.content.decode()
    assert client.post(checklist.get_absolute_url() + "reopen/", {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_sign_off_and_reopen_show_reviewers_their_form(
    make_member, organisation, checklist, editor, reviewer, login, role
):
    client = login(make_member(role, organisation))
    _review_all(checklist, editor, reviewer)
    assert 'type="submit">Sign off' in client.get(checklist.get_absolute_url() + "sign-off/").content.decode()
    _signed_off(checklist, editor, reviewer)
    assert 'type="submit">Reopen' in client.get(checklist.get_absolute_url() + "reopen/").content.decode()


def test_sign_off_lists_the_items_not_yet_reviewed_as_links_before_any_form(
    checklist, editor, reviewer, login
):
    for item in checklist.items.exclude(duty__number__in=[3, 9]):
        item = actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
        )
        actions.review_item(item=item, comment="", by=reviewer.user)
    page = login(reviewer).get(checklist.get_absolute_url() + "sign-off/").content.decode()
    blockers = page[page.index('id="sign-off-blockers"') :]
    for number in (3, 9):
        item = checklist.items.get(duty__number=number)
        assert f'<a href="{item.get_absolute_url()}">{number}. {item.duty.title}</a>' in blockers
    assert "2 of 10 are not reviewed yet" in page
    assert 'type="submit">Sign off' not in page  # no form to fill in that can only fail


def test_sign_off_and_reopen_say_when_there_is_nothing_to_do(checklist, editor, reviewer, login):
    client = login(reviewer)
    reopen = client.get(checklist.get_absolute_url() + "reopen/").content.decode()
    assert "already open" in reopen and 'type="submit">Reopen' not in reopen
    _signed_off(checklist, editor, reviewer)
    sign_off = client.get(checklist.get_absolute_url() + "sign-off/").content.decode()
    assert "already signed off" in sign_off and 'type="submit">Sign off' not in sign_off


# ------------------------------------------------------------------ the status control follows the state rule
def test_no_status_control_on_a_reviewed_item_and_a_forced_change_is_refused(
    checklist, editor, reviewer, login
):
    item = checklist.items.get(duty__number=1)
    item = actions.update_item(
        item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
    )
    actions.review_item(item=item, comment="", by=reviewer.user)
    client = login(editor)
    status_url = item.get_absolute_url() + "status/"
    assert f'action="{status_url}"' not in client.get(item.get_absolute_url()).content.decode()
    assert f'action="{status_url}"' not in client.get(checklist.get_absolute_url()).content.decode()
    other = checklist.items.get(duty__number=2)
    assert (
        f'action="{other.get_absolute_url()}status/"'
        in client.get(checklist.get_absolute_url()).content.decode()
    )

    response = client.post(status_url, {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "its status can no longer be changed" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED


def test_no_status_control_for_viewers(checklist, viewer, login):
    item = checklist.items.get(duty__number=1)
    page = login(viewer).get(checklist.get_absolute_url()).content.decode()
    assert f'action="{item.get_absolute_url()}status/"' not in page


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


def _complete(item, by, verdict=Verdict.MET):
    return actions.update_item(
        item=item, expected_version=item.version, by=by, verdict=verdict, narrative="Done."
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
    checklist, editor, reviewer, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(editor)
    client.get(_url(checklist))  # the session's first page also saves its refresh time
    # session, user, membership, checklist, items, evidence counts, other checklists, members
    with django_assert_num_queries(8) as few:
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


def test_item_page_query_count_is_bounded(
    checklist, editor, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(editor)
    item = checklist.items.first()
    client.get(item.get_absolute_url())  # the session's first page also saves its refresh time
    # session, user, membership, the item with its checklist, duty and people (one statement),
    # evidence, documents, the item's and the checklist's history, neighbours, members
    with django_assert_num_queries(10) as few:
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


def test_the_review_form_appears_only_when_there_is_something_to_review(checklist, editor, reviewer, login):
    item = checklist.items.get(duty__number=1)
    client = login(reviewer)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Nothing to review yet" in page and "Mark as reviewed" not in page
    item = actions.update_item(
        item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
    )
    assert "Mark as reviewed" in client.get(item.get_absolute_url()).content.decode()
    actions.review_item(item=item, comment="", by=reviewer.user)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Mark as reviewed" not in page and "Reviewed. A change to the assessment" in page


def test_a_locked_item_tells_an_editor_who_can_reopen_it(checklist, editor, reviewer, login):
    from ccg_involvement.history import display_name

    _signed_off(checklist, editor, reviewer)
    item = checklist.items.get(duty__number=1)
    page = login(editor).get(item.get_absolute_url()).content.decode()
    assert f"Only a reviewer can reopen it: ask {escape(display_name(reviewer.user))}." in page
    assert "/reopen/" not in page  # no link to a page that would only refuse
    reviewer_page = login(reviewer).get(item.get_absolute_url()).content.decode()
    assert ">Reopen the checklist</a>" in reviewer_page


# ------------------------------------------------------------------ no lost work on the item page
def _item_post(item, **values):
    data = {"verdict": "met", "narrative": "Typed before choosing a file.", "version": item.version}
    return {**data, **values}


def test_one_save_keeps_what_was_typed_and_attaches_the_file(checklist, editor, login):
    item = checklist.items.get(duty__number=1)
    client = login(editor)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="document-file"' in page
    assert 'action="' + item.get_absolute_url() + 'documents/"' not in page  # no second form to lose it
    response = client.post(
        item.get_absolute_url(),
        _item_post(
            item,
            **{"document-file": SimpleUploadedFile("minutes.txt", b"minutes"), "document-title": "Minutes"},
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.verdict, item.narrative) == ("met", "Typed before choosing a file.")
    assert [d.title for d in item.documents.current()] == ["Minutes"]


def test_an_error_keeps_the_typed_text_and_asks_for_the_file_again(checklist, editor, login):
    item = checklist.items.get(duty__number=1)
    response = login(editor).post(
        item.get_absolute_url(),
        _item_post(
            item,
            verdict="not_applicable",
            **{"document-file": SimpleUploadedFile("minutes.txt", b"minutes")},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Typed before choosing a file." in page  # what was typed is still there
    assert "Enter why this duty does not apply" in page
    assert "Choose the file again" in page
    assert not item.documents.current().exists()


def test_why_it_does_not_apply_sits_under_not_applicable_and_items_link_to_their_neighbours(
    checklist, editor, login
):
    item = checklist.items.get(duty__number=2)
    page = login(editor).get(item.get_absolute_url()).content.decode()
    na = page.index('value="not_applicable"')
    assert 'data-app-reveals="conditional-id_verdict_4"' in page[na - 300 : na + 300]
    assert page.index('id="conditional-id_verdict_4"') < page.index('name="not_applicable_reason"')
    assert page.count('name="not_applicable_reason"') == 1
    first, third = checklist.items.get(duty__number=1), checklist.items.get(duty__number=3)
    assert f'href="{first.get_absolute_url()}" rel="prev"' in page
    assert f'href="{third.get_absolute_url()}" rel="next"' in page


# ------------------------------------------------------------------ issue 14: sources and certainty
def test_item_page_shows_the_kind_of_obligation_its_sources_and_how_certain_the_wording_is(
    checklist, viewer, login
):
    item = checklist.items.select_related("duty__framework").order_by("duty__number").first()
    page = login(viewer).get(item.get_absolute_url()).content.decode()
    assert "Kind of obligation" in page and item.duty.get_importance_display() in page
    assert "How certain this wording is" in page and "Paraphrase" in page  # the 2022 principles are P
    assert escape(item.duty.verification_note) in page  # what was checked, where, and what was not
    assert escape(item.duty.source_citation) in page and "principle 1 of 10" in page
    for source in item.duty.source_links:
        assert f"[{source['key']}]" in page
    listing = login(viewer).get(checklist.get_absolute_url()).content.decode()
    assert "How certain the wording is" in listing and "(paraphrase)" in listing
    assert listing.count('class="nhsuk-body-s app-muted app-citation">Source: ') == checklist.items.count()


def test_importance_is_named_in_the_laws_terms(db):
    from duties.models import Duty, Importance

    assert [label for _, label in Importance.choices] == [
        "Statutory duty",
        "Statutory guidance",
        "Statutory guidance (enabling action)",
        "Policy or assessment",
        "Another body's guidance, applied by analogy",
    ]
    iaf = Duty.objects.filter(framework__code="IAF-ENG", framework__is_current=True)
    assert iaf.exists() and set(iaf.values_list("importance", flat=True)) == {"policy"}  # not legislation


def test_the_involvement_duty_summaries_do_not_apply_the_impact_test_to_planning(db):
    from duties.models import Framework

    for code in ("PPP17", "WPPC22"):
        summary = Framework.objects.get(code=code, is_current=True).summary
        assert "the planning limb has no impact test" in summary


def test_the_checklist_page_finds_items_by_owner_status_verdict_and_due_date(checklist, editor, login):
    first = checklist.items.get(duty__number=1)
    actions.update_item(
        item=first,
        expected_version=first.version,
        by=editor.user,
        verdict=Verdict.MET,
        narrative="Done.",
        owner=editor.user,
        due_date=datetime.date(2020, 1, 1),
    )
    client = login(editor)
    url = checklist.get_absolute_url()

    def numbers(query):
        page = client.get(url + query).content.decode()
        table = (
            page.split('id="checklist-items"', 1)[1].split("</table>", 1)[0]
            if 'id="checklist-items"' in page
            else ""
        )
        return [
            item.duty.number for item in checklist.items.all() if f'href="{item.get_absolute_url()}"' in table
        ]

    assert numbers("") == list(range(1, 11))
    assert numbers("?verdict=met") == [1]
    assert numbers("?verdict=undecided") == list(range(2, 11))
    assert numbers(f"?owner={editor.user.pk}") == [1]
    assert numbers("?owner=none") == list(range(2, 11))
    assert numbers("?due=overdue") == [1]  # met but not reviewed: still overdue, as on the dashboard
    assert numbers("?due=none") == list(range(2, 11))
    assert "1 of 10 principles match" in client.get(url + "?verdict=met").content.decode()
    assert "No principles match" in client.get(url + "?verdict=not_met").content.decode()


def test_bulk_assigns_an_owner_and_a_status_to_the_ticked_items(checklist, editor, reviewer, login):
    ones = [checklist.items.get(duty__number=n) for n in (2, 3)]
    client = login(editor)
    response = client.post(
        checklist.get_absolute_url() + "bulk/",
        {
            "bulk-items": [str(i.pk) for i in ones],
            "bulk-owner": str(reviewer.user.pk),
            "bulk-status": "in_progress",
        },
    )
    assert response.status_code == 302
    for item in ones:
        item.refresh_from_db()
        assert (item.owner_id, item.status) == (reviewer.user.pk, "in_progress")
    assert checklist.items.get(duty__number=4).owner_id is None
    assert 'form="bulk-form"' in client.get(checklist.get_absolute_url()).content.decode()


def test_bulk_changes_nothing_when_one_item_refuses(checklist, editor, reviewer, login):
    done = checklist.items.get(duty__number=1)
    done = actions.update_item(
        item=done, expected_version=done.version, by=editor.user, verdict=Verdict.MET, narrative="Done."
    )
    actions.review_item(item=done, comment="", by=reviewer.user)
    other = checklist.items.get(duty__number=2)
    response = login(editor).post(
        checklist.get_absolute_url() + "bulk/",
        {"bulk-items": [str(done.pk), str(other.pk)], "bulk-status": "in_progress"},
        follow=True,
    )
    assert "Nothing was changed." in response.content.decode()
    other.refresh_from_db()
    assert other.status == "todo"


def test_viewers_get_no_bulk_form_and_cannot_post(checklist, viewer, login):
    client = login(viewer)
    assert 'id="bulk-form"' not in client.get(checklist.get_absolute_url()).content.decode()
    item = checklist.items.get(duty__number=2)
    assert (
        client.post(
            checklist.get_absolute_url() + "bulk/", {"bulk-items": [item.pk], "bulk-status": "in_progress"}
        ).status_code
        == 403
    )


def test_a_checklist_cannot_start_outside_the_years_its_framework_applies_to(db):
    import pytest as _pytest

    from ccg_involvement.errors import ActionError
    from ccg_involvement.years import ReportingYear
    from duties import actions
    from duties.models import Framework
    from tests.factories.core import CCGFactory, UserFactory

    iaf = Framework.objects.get(code="IAF-ENG", is_current=True)
    assert (iaf.first_year, iaf.last_year) == (2017, 2019) and iaf.years_label == "2017/18 to 2019/20"
    assert iaf.applies_in(ReportingYear(2019)) and not iaf.applies_in(ReportingYear(2021))
    ccg = CCGFactory()
    with _pytest.raises(ActionError, match="applies to 2017/18 to 2019/20 only"):
        actions.start_checklist(organisation=ccg, framework=iaf, year=ReportingYear(2021), by=UserFactory())
    assert actions.start_checklist(
        organisation=ccg, framework=iaf, year=ReportingYear(2018), by=UserFactory()
    )
    assert Framework.objects.get(code="PPP17", is_current=True).applies_in(ReportingYear(2021))  # no limit
