"""Checklist selectors called directly: the checklists of a year, items with evidence, progress, history."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ccg_involvement.history import display_name
from ccg_involvement.years import ReportingYear
from duties import actions, selectors
from duties.forms import StatusForm
from duties.models import ItemStatus, Verdict
from duties.view_helpers import prepare_status_cells
from tests.factories.core import CCGFactory
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for

YEAR = ReportingYear(2025)


def test_checklists_for_a_year_count_their_items(checklist, editor, outsider):
    checklist_for(outsider)
    item = checklist.items.get(duty__number=1)
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET)
    (found,) = selectors.checklists_for(editor.organisation, YEAR)
    assert found == checklist
    assert (found.item_count, found.reviewed_count, found.met_count) == (10, 0, 1)
    assert list(selectors.checklists_for(editor.organisation, YEAR.next())) == []
    assert selectors.years_with_checklists(editor.organisation) == [2025]


def test_checklist_items_count_documents_and_activities_of_the_year(checklist, editor):
    item = checklist.items.get(duty__number=1)
    actions.attach_document(
        item=item, uploaded_file=SimpleUploadedFile("notes.txt", b"notes"), title="Notes", by=editor.user
    )
    activity_for(editor, start=datetime.date(2025, 5, 1), duties=[wppc(1)])
    activity_for(editor, start=datetime.date(2024, 5, 1), duties=[wppc(1)])  # another year
    items = selectors.checklist_items(checklist)
    assert [i.duty.number for i in items] == list(range(1, 11))
    assert (items[0].document_count, items[0].evidence_count) == (1, 2)
    assert items[1].evidence_count == 0


def test_progress_of_a_scored_checklist_has_its_total_and_rating(make_member):
    editor = make_member(organisation=CCGFactory(ods_code="16T"))
    checklist = checklist_for(editor, "IAF-ENG", ReportingYear(2019))
    items = list(checklist.items.all())
    assert selectors.progress_of(checklist, items).score_total is None  # not every item scored yet
    for item in items:
        actions.update_item(
            item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET, score=3
        )
    progress = selectors.progress_of(checklist, list(checklist.items.all()))
    assert (progress.total, progress.score_total, progress.score_max) == (5, 15, 15)
    assert progress.rating["label"] == "Green star"
    assert progress.by_status[ItemStatus.IN_PROGRESS] == 5 and progress.by_verdict[Verdict.MET] == 5
    assert progress.percent_reviewed == 0


def test_item_history_records_who_changed_what_newest_first(checklist, editor, reviewer):
    item = checklist.items.first()
    item = actions.update_item(item=item, expected_version=item.version, by=editor.user, narrative="First.")
    item = actions.update_item(
        item=item, expected_version=item.version, by=reviewer.user, narrative="Second."
    )
    newest, older, *_ = selectors.item_history(item)
    assert newest.who == reviewer.user.get_full_name()
    assert ("How we meet it", "First.", "Second.") in newest.changes
    assert older.who == editor.user.get_full_name()


def test_checklist_items_carry_what_the_table_prints(checklist, editor, reviewer):
    item = checklist.items.get(duty__number=2)
    actions.update_item(
        item=item,
        expected_version=item.version,
        by=editor.user,
        owner=reviewer.user,
        due_date=datetime.date(2026, 3, 1),
    )
    first, second = selectors.checklist_items(checklist)[:2]
    assert first.url == first.get_absolute_url() and second.url == second.get_absolute_url()
    assert (first.owner_name, first.due) == (None, "")
    assert (second.owner_name, second.due) == (display_name(reviewer.user), "1 March 2026")


def test_status_cells_are_prepared_once_per_page(checklist):
    items = selectors.checklist_items(checklist)
    items[1].status = ItemStatus.READY_FOR_REVIEW
    prepare_status_cells(checklist, items)
    assert items[0].status_url == reverse(
        "checklist-item-status",
        kwargs={
            "org_code": checklist.organisation.slug,
            "year": checklist.reporting_year,
            "framework": checklist.framework.slug,
            "item": items[0].duty.code.lower(),
        },
    )
    todo, ready = str(items[0].status_options), str(items[1].status_options)
    assert todo.count("<option") == len(StatusForm.base_fields["status"].choices) == ready.count("<option")
    assert (
        f'<option value="{ItemStatus.TODO}" selected>' in todo
        and " selected" not in todo.split("</option>", 1)[1]
    )
    assert f'<option value="{ItemStatus.READY_FOR_REVIEW}" selected>' in ready
    assert items[0].status_options is items[2].status_options  # one string per status, shared by the rows


def test_the_owners_offered_are_the_active_members_in_name_order(
    organisation, make_member, outsider, django_assert_num_queries
):
    from duties.forms import member_choices
    from duties.selectors import members

    for first, last, active in [("Zoë", "Adams", True), ("Aled", "Jones", True), ("Bea", "Gone", False)]:
        make_member(organisation=organisation, first_name=first, last_name=last, is_active=active)
    with django_assert_num_queries(1):
        offered = members(organisation)
    assert offered == list(member_choices(organisation))
    assert [u.get_full_name() for u in offered] == ["Aled Jones", "Zoë Adams"]  # not the inactive, not theirs
    assert outsider.user not in offered


def test_the_checklist_items_are_the_orms_read_with_current_documents_counted(checklist, editor, reviewer):
    from django.db.models import Count, Q

    from ccg_involvement.actions import remove_document
    from duties.selectors import _items_with_duty_owner_and_documents

    first, second = checklist.items.order_by("duty__number")[:2]
    actions.update_item(item=first, expected_version=first.version, by=editor.user, owner=reviewer.user)
    for n in range(3):
        actions.attach_document(
            item=second, uploaded_file=SimpleUploadedFile(f"{n}.txt", b"notes"), title=f"n{n}", by=editor.user
        )
    remove_document(document=second.documents.first(), by=editor.user)
    mine = _items_with_duty_owner_and_documents(checklist)
    theirs = list(
        checklist.items.select_related("duty", "owner")
        .annotate(document_count=Count("documents", filter=Q(documents__removed_at__isnull=True)))
        .order_by("duty__number")
    )
    assert [(i.pk, i.document_count, i.owner, i.duty.code) for i in mine] == [
        (i.pk, i.document_count, i.owner, i.duty.code) for i in theirs
    ]
    assert [i.document_count for i in mine[:2]] == [0, 2] and mine[0].owner == reviewer.user
    assert all(i.checklist is checklist for i in mine)
