"""Engagement selectors called directly: what the forms and the import rely on, an activity's page and history, its evidence for the checklists."""

import datetime
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model

from ccg_involvement.years import ReportingYear
from duties.models import Duty
from engagements import actions, selectors
from engagements.filters import with_list_annotations
from engagements.inputs import ActivityInput
from engagements.models import Activity, AudienceGroup, Method, Partner, Reach
from tests.factories.duties import wppc
from tests.factories.engagements import activity_for


def test_allowed_duties_are_those_of_the_organisations_kind(organisation):
    allowed = selectors.allowed_duties(organisation)
    assert wppc(1) in allowed
    assert not allowed.filter(framework__code="PPP17").exists()  # a CCG framework, not an ICB's
    choices = list(selectors.duty_choices(organisation))
    assert choices == sorted(choices, key=lambda d: (d.framework.code, d.number))


def test_import_context_knows_the_names_duties_and_members(editor, outsider, django_assert_num_queries):
    activity = activity_for(editor, title="Already logged")
    # the log's activities (a row with an ID updates one); the groups' categories
    with django_assert_num_queries(9):
        context = selectors.import_context(editor.organisation)
    assert context.activities == {activity.pk: (activity.version, "Already logged")}
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


def test_activity_detail_is_found_only_in_its_organisation(editor, outsider):
    activity = activity_for(editor, title="Ours")
    found = selectors.activity_detail(editor.organisation, activity.pk)
    assert found == activity and found.document_count == 0
    with pytest.raises(Activity.DoesNotExist):
        selectors.activity_detail(outsider.organisation, activity.pk)


def test_activity_history_lists_every_change_newest_first(editor, reviewer):
    activity = activity_for(editor, title="Listening event", total_participants=10)
    actions.save_activity(
        organisation=activity.organisation,
        by=reviewer.user,
        activity=activity,
        data=replace(ActivityInput.from_activity(activity), title="Renamed event", total_participants=12),
    )
    newest, *older = selectors.activity_history(activity)
    assert newest.who == reviewer.user.get_full_name()
    changes = {label: (old, new) for label, old, new in newest.changes}
    assert changes["Title"] == ("Listening event", "Renamed event")
    assert changes["Total participants"] == ("10", "12")
    assert older[-1].who == editor.user.get_full_name() and older[-1].reason == "Activity logged"


def test_activity_evidence_is_the_years_activities_linked_to_each_duty(editor, outsider):
    year = ReportingYear(2025)
    activity_for(editor, title="In year", start=datetime.date(2025, 5, 1), duties=[wppc(1)])
    activity_for(editor, title="Later", start=datetime.date(2025, 9, 1), duties=[wppc(1), wppc(2)])
    activity_for(editor, title="Last year", start=datetime.date(2025, 3, 31), duties=[wppc(1)])
    activity_for(outsider, title="Theirs", start=datetime.date(2025, 5, 1), duties=[wppc(1)])
    duty_ids = [wppc(1).pk, wppc(2).pk, wppc(3).pk]
    evidence = selectors.activity_evidence
    assert evidence.counts(editor.organisation, year, duty_ids) == {wppc(1).pk: 2, wppc(2).pk: 1}
    links = evidence.links(editor.organisation, year, duty_ids, limit=5)
    assert [link.title for link in links[wppc(1).pk]] == ["Later", "In year"]  # newest first
    (only,) = evidence.links(editor.organisation, year, [wppc(1).pk], limit=1)[wppc(1).pk]
    assert only.title == "Later" and only.url.startswith("/qrv/activities/")


def test_happened_means_completed_in_the_year_and_ended_by_the_day(editor):
    """Only what happened counts: the rule every figure and document reads (``Activity.objects.happened``)."""
    done = activity_for(
        editor, title="Done", start=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 5, 9)
    )
    activity_for(editor, title="Planned", start=datetime.date(2025, 6, 1), status="planned")
    activity_for(editor, title="Under way", start=datetime.date(2025, 7, 1), status="under_way")
    activity_for(editor, title="Last year", start=datetime.date(2025, 3, 31))
    happened = Activity.objects.for_organisation(editor.organisation).happened(ReportingYear(2025))
    assert list(happened) == [done]
    # on a day before it ended, it had not happened yet
    before = Activity.objects.happened(ReportingYear(2025), as_of=datetime.date(2025, 5, 8))
    assert not before.exists()
    assert list(Activity.objects.happened(ReportingYear(2025), as_of=datetime.date(2025, 5, 9))) == [done]
    # the parts of an activity (reach, duty links, outcomes) follow the same rule
    assert not Reach.objects.happened(ReportingYear(2025)).exclude(activity=done).exists()


def test_activity_rows_print_what_the_log_shows(editor, outsider, django_assert_num_queries):
    """The engagement log's rows: every value prepared, in three queries whatever the number of rows."""
    survey, meeting = Method.objects.get(code="METHOD-SURVEY"), Method.objects.get(code="METHOD-PUBMEET")
    healthwatch = Partner.objects.get(code="PARTNER-HW")
    two_days = activity_for(
        editor,
        title="Two days",
        start=datetime.date(2025, 6, 1),
        end_date=datetime.date(2025, 6, 2),
        methods=[meeting, survey],
        partners=[healthwatch],
        total_participants=0,
        is_highlight=True,
    )
    one_day = activity_for(
        editor,
        title="One day",
        start=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 1),
        methods=[],
        partners=[],
        status="planned",
    )
    activity_for(outsider, title="Theirs")
    actions.add_outcome(
        activity=two_days,
        by=editor.user,
        what_we_heard="a",
        what_we_did="b",
        status="done",
        reported_back_on=datetime.date(2025, 7, 1),
    )
    actions.withdraw_activity(activity=one_day, by=editor.user, reason="Logged twice")
    page = with_list_annotations(Activity.objects.for_organisation(editor.organisation))
    with django_assert_num_queries(3):
        first, second = selectors.activity_rows(editor.organisation, page)
    assert first.url == two_days.get_absolute_url() and second.url == one_day.get_absolute_url()
    methods = [m.name for m in Method.objects.filter(pk__in=[survey.pk, meeting.pk])]  # the methods' order
    assert (first.title, first.methods, first.partners) == ("Two days", ", ".join(methods), healthwatch.name)
    assert (first.dates, first.status, first.participants) == ("1 June 2025 to 2 June 2025", "Completed", 0)
    assert (first.is_highlight, first.is_withdrawn, first.outcome_count) == (True, False, 1)
    assert (second.methods, second.partners, second.dates) == ("", "", "1 May 2025")
    assert (second.status, second.participants, second.is_withdrawn) == ("Planned", None, True)


def test_one_duty_s_evidence_and_its_total_come_in_one_query(editor, outsider, django_assert_num_queries):
    year = ReportingYear(2025)
    for day in range(1, 5):
        activity_for(editor, title=f"May {day}", start=datetime.date(2025, 5, day), duties=[wppc(1)])
    activity_for(editor, title="Last year", start=datetime.date(2025, 3, 31), duties=[wppc(1)])
    activity_for(outsider, title="Theirs", start=datetime.date(2025, 5, 1), duties=[wppc(1)])
    gone = activity_for(editor, title="Withdrawn", start=datetime.date(2025, 5, 9), duties=[wppc(1)])
    actions.withdraw_activity(activity=gone, reason="Logged twice", by=editor.user)
    evidence, duty_id = selectors.activity_evidence, wppc(1).pk
    with django_assert_num_queries(1):
        links, total = evidence.links_with_total(editor.organisation, year, duty_id, limit=3)
    assert total == 4 == evidence.counts(editor.organisation, year, [wppc(1).pk])[wppc(1).pk]
    assert links == evidence.links(editor.organisation, year, [wppc(1).pk], limit=3)[wppc(1).pk]
    assert [link.title for link in links] == ["May 4", "May 3", "May 2"]
    assert evidence.links_with_total(editor.organisation, year, wppc(2).pk, limit=3) == ([], 0)


def test_evidence_of_a_duty_is_newest_first_with_pages_dates(editor):
    from duties.evidence import evidence_of

    activity_for(editor, title="Older", start=datetime.date(2025, 5, 1), duties=[wppc(1)])
    activity_for(editor, title="Newer", start=datetime.date(2025, 6, 2), duties=[wppc(1)])
    links, total = evidence_of(editor.organisation, ReportingYear(2025), wppc(1).pk, limit=1)
    assert total == 2 and [(link.title, link.on_label) for link in links] == [("Newer", "2 June 2025")]


def test_the_filters_lists_are_every_entry_in_the_lists_order_in_one_query(db, django_assert_num_queries):
    Method.objects.filter(code="METHOD-SURVEY").update(is_active=False)  # old records still carry it
    with django_assert_num_queries(1):
        options = selectors.lookup_options()
    for kind, model in (("method", Method), ("partner", Partner), ("group", AudienceGroup)):
        assert options[kind] == [(str(pk), name) for pk, name in model.objects.values_list("pk", "name")]
    survey = Method.objects.get(code="METHOD-SURVEY")
    assert (str(survey.pk), survey.name) in options["method"]


def test_filtering_by_a_partner_or_an_unknown_method(editor, login):
    without = activity_for(editor, title="Without them")
    partner = Partner.objects.exclude(pk__in=without.partners.all()).first()
    activity_for(editor, title="With them").partners.add(partner)
    client = login(editor)
    page = client.get(f"/qrv/activities/?partner={partner.pk}").content.decode()
    assert "With them" in page and "Without them" not in page
    page = client.get("/qrv/activities/?method=999999").content.decode()
    assert "With them" in page and "Without them" in page  # an unknown choice filters nothing
