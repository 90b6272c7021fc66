"""The dashboard's figures are cached per version of an organisation's data, and never stale.

The suite runs with ``FIGURES_CACHE_VERIFY`` on: a cache hit is recomputed and compared, so each
write path below fails with ``StaleFigures`` if it does not record its change.
"""

import dataclasses
import datetime
import functools

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ccg_involvement import freshness
from ccg_involvement.actions import remove_document
from ccg_involvement.models import OrganisationKind
from ccg_involvement.years import ReportingYear
from duties import actions as duty_actions
from duties.models import ItemStatus, Verdict
from engagements import actions, import_actions
from engagements.inputs import ActivityInput
from engagements.models import AudienceGroup, Method
from reports.dashboard import cache
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group

YEAR = ReportingYear(2025)
PAGE = "/qrv/?year=2025-26"


@pytest.fixture
def data(editor, reviewer):
    checklist = checklist_for(editor, "WPPC22", YEAR)
    activity = activity_for(
        editor, title="Drop-in", start=datetime.date(2025, 6, 1), total_participants=12, duties=[wppc(1)]
    )
    item = checklist.items.get(duty__number=5)
    duty_actions.update_item(item=item, expected_version=item.version, by=editor.user, verdict=Verdict.MET)
    outcome = actions.add_outcome(
        activity=activity,
        by=editor.user,
        what_we_heard="Later opening",
        what_we_did="Open till 8",
        status="done",
    )
    return {
        "checklist": checklist,
        "activity": activity,
        "outcome": outcome,
        "editor": editor,
        "reviewer": reviewer,
    }


def _item(data, number=1):
    return data["checklist"].items.select_related("checklist").get(duty__number=number)


def _review_all(data):
    for item in data["checklist"].items.all():
        if item.verdict == "":
            item = duty_actions.update_item(
                item=item, expected_version=item.version, by=data["editor"].user, verdict=Verdict.MET
            )
        duty_actions.review_item(item=item, comment="", by=data["reviewer"].user)


def _sign_off(data):
    _review_all(data)
    duty_actions.sign_off(
        checklist=data["checklist"],
        by=data["reviewer"].user,
        note="",
        approving_body="Board",
        meeting_date=datetime.date(2026, 3, 1),
    )


def _reopen(data):
    with data["commit"]():
        _sign_off(data)
    # the page is viewed (and cached) again between the two actions
    data["client"].get(PAGE)
    duty_actions.reopen(checklist=data["checklist"], by=data["reviewer"].user, reason="Late evidence")


def _attach(data):
    return duty_actions.attach_document(
        item=_item(data, 2),
        uploaded_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x"),
        title="Minutes",
        by=data["editor"].user,
    )


def _remove_document(data):
    with data["commit"]():
        document = _attach(data)
    data["client"].get(PAGE)
    remove_document(document=document, by=data["editor"].user)


def _import(data):
    rows = (
        "Title,Start date,Total participants\r\nImported one,01/07/2025,30\r\nImported two,02/07/2025,40\r\n"
    )
    batch = import_actions.create_import_batch(
        organisation=data["editor"].organisation,
        by=data["editor"].user,
        file_name="a.csv",
        data=rows.encode(),
    )
    assert import_actions.commit_import_batch(batch=batch, by=data["editor"].user) == 2


def _edit_activity(data):
    activity = data["activity"]
    actions.save_activity(
        organisation=activity.organisation,
        by=data["editor"].user,
        activity=activity,
        data=dataclasses.replace(
            ActivityInput.from_activity(activity),
            total_participants=99,
            methods=[Method.objects.get(code="METHOD-SURVEY")],
            partners=[],
            duties=[wppc(3)],
            reach={group("INC-CARERS"): 7},
        ),
    )


def _delete_activity(data):
    data["activity"].delete()  # e.g. from the admin: cascades to its outcomes, reach and links


def _rename_owner(data):
    item = _item(data, 4)
    with data["commit"]():
        duty_actions.update_item(
            item=item, expected_version=item.version, by=data["editor"].user, owner=data["editor"].user
        )
    data["client"].get(PAGE)
    user = data["editor"].user
    user.first_name, user.last_name = "Edith", "Renamed"
    user.save()


def _rename_group(data):
    carers = AudienceGroup.objects.get(code="INC-CARERS")
    carers.name = "Unpaid carers"
    carers.save()


WRITES = {
    "verdict": lambda d: duty_actions.update_item(
        item=_item(d), expected_version=_item(d).version, by=d["editor"].user, verdict=Verdict.NOT_MET
    ),
    "status": lambda d: duty_actions.set_status(
        item=_item(d), status=ItemStatus.IN_PROGRESS, by=d["editor"].user
    ),
    "review": lambda d: duty_actions.review_item(item=_item(d, 5), comment="", by=d["reviewer"].user),
    "sign-off": _sign_off,
    "reopen": _reopen,
    "attach document": _attach,
    "remove document": _remove_document,
    "next year": lambda d: duty_actions.start_next_year(checklist=d["checklist"], by=d["editor"].user),
    "log activity": lambda d: activity_for(d["editor"], title="New", start=datetime.date(2025, 9, 9)),
    "edit activity": _edit_activity,
    "delete activity": _delete_activity,
    "add outcome": lambda d: actions.add_outcome(
        activity=d["activity"], by=d["editor"].user, what_we_heard="a", what_we_did="b", status="done"
    ),
    "update outcome": lambda d: actions.update_outcome(
        outcome=d["outcome"], by=d["editor"].user, reported_back_on=datetime.date(2025, 7, 1)
    ),
    "import": _import,
    "rename owner": _rename_owner,
    "rename group": _rename_group,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_path_refreshes_the_cached_dashboard(
    data, login, write, django_capture_on_commit_callbacks
):
    data["commit"] = functools.partial(django_capture_on_commit_callbacks, execute=True)
    client = data["client"] = login(data["editor"])
    before = client.get(PAGE)
    assert before.status_code == 200
    version = freshness.version(data["editor"].organisation.pk)
    with data["commit"]():
        write(data)
    assert freshness.version(data["editor"].organisation.pk) > version
    after = client.get(PAGE)  # a stale entry would raise StaleFigures here (FIGURES_CACHE_VERIFY)
    assert after.status_code == 200


def test_an_unchanged_dashboard_is_served_from_the_cache(data, login, settings):
    settings.FIGURES_CACHE_VERIFY = False
    client = login(data["editor"])
    client.get(PAGE)
    with CaptureQueriesContext(connection) as first:
        client.get(PAGE)
    # session, user, membership with its organisation (and the header's other-organisations check),
    # data version; predecessors only when the organisation has some (this one has none)
    assert len(first.captured_queries) == 4, [q["sql"][:80] for q in first.captured_queries]
    assert "Drop-in" not in first.captured_queries[-1]["sql"]


def test_another_organisations_change_leaves_my_cache_alone(
    data, outsider, django_capture_on_commit_callbacks
):
    mine = freshness.version(data["editor"].organisation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        activity_for(outsider, title="Theirs")
    assert freshness.version(data["editor"].organisation.pk) == mine


def test_a_changed_lookup_or_framework_moves_every_organisation_on(
    data, outsider, django_capture_on_commit_callbacks
):
    ours, theirs = data["editor"].organisation.pk, outsider.organisation.pk
    before = (freshness.version(ours), freshness.version(theirs))
    method = Method.objects.get(code="METHOD-SURVEY")
    method.name = "Questionnaire"
    with django_capture_on_commit_callbacks(execute=True):
        method.save()
    assert (freshness.version(ours), freshness.version(theirs)) == (before[0] + 1, before[1] + 1)


def test_logging_in_does_not_move_versions_on(data, editor, client):
    before = freshness.version(editor.organisation.pk)
    user = get_user_model().objects.get(pk=editor.user.pk)
    user.set_password("a-new-password-2026")
    user.save(update_fields=["password"])
    client.force_login(user)  # saves last_login
    assert freshness.version(editor.organisation.pk) == before


def test_stale_figures_are_detected_when_verifying(data, editor):
    cache.dashboard_body(editor.organisation, YEAR)
    activity = data["activity"]
    type(activity).objects.filter(pk=activity.pk).update(total_participants=5000)  # records no change
    with pytest.raises(cache.StaleFigures):
        cache.dashboard_body(editor.organisation, YEAR)


def test_the_cached_body_is_the_rendered_figures(data, editor, settings):
    settings.FIGURES_CACHE_VERIFY = False
    first = cache.dashboard_body(editor.organisation, YEAR)
    with CaptureQueriesContext(connection) as served:
        again = cache.dashboard_body(editor.organisation, YEAR)
    assert len(served.captured_queries) == 1  # the data version: nothing else is read
    assert again == first == cache.render_body(editor.organisation, YEAR)
    assert 'id="dashboard-body"' in again and "Drop-in" not in again  # figures, not the activities


def test_the_same_figures_whoever_asks(data, login, viewer, org_admin, settings):
    settings.FIGURES_CACHE_VERIFY = False
    pages = [login(who).get(PAGE).content.decode() for who in (viewer, org_admin, data["reviewer"])]
    bodies = {page[page.index('<div id="dashboard-body">') : page.index("</main>")] for page in pages}
    assert len(bodies) == 1  # rendered once, with nothing of the request or the user in it


def test_renaming_the_organisation_renders_the_figures_anew(other_organisation, settings):
    settings.FIGURES_CACHE_VERIFY = False
    organisation = other_organisation
    organisation.kind = OrganisationKind.OTHER
    organisation.save()  # not evidence: records no change of the data version
    assert "chosen for NHS Hilltop Integrated Care Board" in cache.dashboard_body(organisation, YEAR)
    organisation.name = "Hilltop Commissioning Support Unit"
    organisation.save()
    body = cache.dashboard_body(organisation, YEAR)
    assert "chosen for Hilltop Commissioning Support Unit" in body and "NHS Hilltop" not in body


def test_a_new_release_never_reads_the_previous_releases_body(data, editor, settings, monkeypatch):
    settings.FIGURES_CACHE_VERIFY = False
    cache.dashboard_body(editor.organisation, YEAR)
    monkeypatch.setattr(cache, "render_body", lambda organisation, year, today: "drawn by the new release")
    assert cache.dashboard_body(editor.organisation, YEAR) != "drawn by the new release"
    monkeypatch.setattr(cache, "RELEASE", "another")
    assert cache.dashboard_body(editor.organisation, YEAR) == "drawn by the new release"


def test_a_year_picked_with_htmx_answers_with_the_title_and_the_figures(data, login):
    page = login(data["editor"]).get(PAGE, headers={"HX-Request": "true"}).content.decode()
    assert page.strip().startswith("<title>Dashboard 2025/26 – NHS Riverside Integrated Care Board")
    assert page.count('<div id="dashboard-body">') == 1 and "<header" not in page


# ------------------------------------------------------------------ real commits
@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_moves_the_version_on_once(reference_data, editor):
    organisation = editor.organisation
    before = freshness.version(organisation.pk)
    with transaction.atomic():
        for n in range(5):
            activity_for(editor, title=f"Bulk {n}")
        assert freshness.version(organisation.pk) == before, "not before the commit"
    assert freshness.version(organisation.pk) == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_records_nothing(reference_data, editor):
    organisation = editor.organisation
    before = freshness.version(organisation.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        activity_for(editor, title="Never kept")
        raise RuntimeError("rolled back")
    assert freshness.version(organisation.pk) == before


@pytest.mark.django_db(transaction=True)
def test_after_a_commit_the_page_shows_the_new_figures(reference_data, editor, login):
    client = login(editor)
    assert "Committed later" not in client.get(PAGE).content.decode()
    activity_for(editor, title="Committed later", start=datetime.date(2025, 8, 1), total_participants=321)
    page = client.get(PAGE).content.decode()
    assert "321" in page
