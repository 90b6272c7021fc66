"""Scoping by queryset: ``for_organisation`` on every organisation-owned model; ``for_year``."""

import ast
import datetime
import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ccg_involvement.actions import store_document
from ccg_involvement.models import Document, Membership, Organisation
from ccg_involvement.permissions import Role
from ccg_involvement.scoping import OrganisationQuerySet
from ccg_involvement.years import ReportingYear
from duties.models import Checklist, ChecklistItem
from engagements import actions as engagement_actions
from engagements.models import Activity, ActivityDuty, ImportBatch, Outcome, Reach
from engagements.proposals.models import Proposal
from reports.models import Report
from tests.factories.duties import checklist_for, wppc
from tests.factories.engagements import activity_for, group
from tests.factories.proposals import proposal_for

# Models that hold an organisation but are not its rows to list: the data-version counter
# (ccg_involvement.freshness) is keyed by the organisation itself.
NOT_SCOPED = {"ccg_involvement.dataversion"}


def _organisation_owned_models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.model_name.startswith("historical") or label in NOT_SCOPED:
            continue
        owned = any(getattr(f, "related_model", None) is Organisation for f in model._meta.concrete_fields)
        if owned and model is not Organisation:
            yield model


def test_every_organisation_owned_model_has_for_organisation():
    owned = list(_organisation_owned_models())
    assert {m._meta.label_lower for m in owned} >= {
        "ccg_involvement.membership",
        "ccg_involvement.document",
        "duties.checklist",
        "engagements.activity",
        "engagements.importbatch",
        "proposals.proposal",
        "reports.report",
    }
    for model in owned:
        assert isinstance(model._default_manager.all(), OrganisationQuerySet), model


@pytest.fixture
def two_organisations(make_member, organisation, other_organisation):
    """The same rows in two organisations: what each sees must be only its own."""
    made = {}
    for org in (organisation, other_organisation):
        editor = make_member(Role.EDITOR, org)
        checklist = checklist_for(editor)
        activity = activity_for(editor, duties=[wppc(1)], reach={group("INC-CARERS"): 3})
        engagement_actions.add_outcome(
            activity=activity, by=editor.user, what_we_heard="Heard", what_we_did="Did", status="done"
        )
        document = store_document(
            organisation=org,
            uploaded_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%test\n"),
            title="Minutes",
            by=editor.user,
        )
        ImportBatch.objects.create(organisation=org, uploaded_by=editor.user, file_name="a.csv", rows=[])
        proposal_for(editor)
        data = b"%PDF-1.4 test"
        Report.objects.create(
            organisation=org,
            kind="assurance_pack",
            year=2025,
            requested_by=editor.user,
            status="done",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        made[org.pk] = {"checklist": checklist, "activity": activity, "document": document}
    return made


SCOPED_MODELS = [
    Membership,
    Document,
    Checklist,
    ChecklistItem,
    Activity,
    ActivityDuty,
    Reach,
    Outcome,
    ImportBatch,
    Proposal,
    Report,
]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_for_organisation_keeps_only_that_organisations_rows(two_organisations, organisation, model):
    everything = model._default_manager.all()
    ours = list(model._default_manager.for_organisation(organisation))
    assert ours and len(ours) < everything.count()
    path = model._default_manager.all().organisation_path
    assert set(everything.filter(**{path: organisation})) == set(ours)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_for_organisation_of_nobody_is_empty(two_organisations, model):
    assert not model._default_manager.for_organisation(None).exists()


def test_for_organisations_takes_objects_or_keys(two_organisations, organisation, other_organisation):
    both = Activity.objects.for_organisations([organisation, other_organisation.pk])
    assert both.count() == 2
    assert Activity.objects.for_organisations([]).count() == 0


# ------------------------------------------------------------------ for_year
YEAR = ReportingYear(2025)


@pytest.fixture
def year_edges(editor):
    """Activities on each side of the 2025/26 boundaries, each with a duty link, reach and outcome."""
    made = {}
    for day in (
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 1),
    ):
        activity = activity_for(
            editor, title=str(day), start=day, duties=[wppc(1)], reach={group("INC-CARERS"): 1}
        )
        engagement_actions.add_outcome(
            activity=activity, by=editor.user, what_we_heard="Heard", what_we_did="Did", status="done"
        )
        made[day] = activity
    return made


def test_an_activity_belongs_to_the_year_of_its_start_date(year_edges):
    inside = {datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)}
    assert {a.start_date for a in Activity.objects.for_year(YEAR)} == inside
    assert {a.start_date for a in Activity.objects.for_year(YEAR.previous())} == {datetime.date(2025, 3, 31)}
    for model in (ActivityDuty, Reach, Outcome):  # their activity's year, by the same rule
        assert {row.activity.start_date for row in model.objects.for_year(YEAR)} == inside, model


def test_an_activity_ending_next_year_still_belongs_to_its_start_year(editor):
    activity = activity_for(
        editor, start=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 6, 1), status="completed"
    )
    assert list(Activity.objects.for_year(YEAR)) == [activity]
    assert not Activity.objects.for_year(YEAR.next()).exists()


def test_checklists_and_items_for_year(editor):
    this_year = checklist_for(editor, year=YEAR)
    next_year = checklist_for(editor, year=YEAR.next())
    assert list(Checklist.objects.for_year(YEAR)) == [this_year]
    assert list(Checklist.objects.for_year(YEAR.next())) == [next_year]
    assert set(ChecklistItem.objects.for_year(YEAR)) == set(this_year.items.all())
    assert not ChecklistItem.objects.for_year(YEAR.previous()).exists()


def test_a_proposal_belongs_to_the_year_it_is_decided_in(editor):
    def made(title, decided=None, expected=None):
        proposal = proposal_for(editor, title=title)
        Proposal.objects.filter(pk=proposal.pk).update(decision_date=decided, expected_decision_date=expected)
        return title

    inside = {
        made("decided at the start", decided=datetime.date(2025, 4, 1)),
        made("decided at the end", decided=datetime.date(2026, 3, 31), expected=datetime.date(2027, 1, 1)),
        made("expected this year", expected=datetime.date(2025, 9, 1)),
    }
    made("decided last year", decided=datetime.date(2025, 3, 31), expected=datetime.date(2025, 9, 1))
    made("expected next year", expected=datetime.date(2026, 4, 1))
    made("no date yet")
    assert {p.title for p in Proposal.objects.for_year(YEAR)} == inside


# ------------------------------------------------------------------ no hand-written filter in views
ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted(  # every module of views in the apps, found rather than listed
    str(path.relative_to(ROOT))
    for app in ("ccg_involvement", "duties", "engagements", "reports")
    for path in (ROOT / app).rglob("*views.py")
    if "tests" not in path.parts
)
QUERY_CALLS = {"filter", "exclude", "get", "get_object_or_404", "get_list_or_404"}


def _organisation_lookups(source: str):
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name not in QUERY_CALLS:
            continue
        for keyword in node.keywords:
            if keyword.arg and {"organisation", "organisation_id"} & set(keyword.arg.split("__")):
                yield node.lineno, keyword.arg


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_views_scope_through_querysets_not_hand_written_filters(module):
    source = (Path(settings.BASE_DIR) / module).read_text()
    assert not list(_organisation_lookups(source)), f"use for_organisation / get_scoped_or_404 in {module}"


def test_the_check_finds_a_hand_written_filter():
    found = list(_organisation_lookups("get_object_or_404(Report, organisation=request.organisation, pk=1)"))
    assert found == [(1, "organisation")]
    assert list(_organisation_lookups("Activity.objects.filter(activity__organisation_id__in=ids)"))
