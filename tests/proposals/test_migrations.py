"""Moving the proposal models from ``engagements`` to ``proposals`` keeps every row.

The move is state only (engagements.0004 and proposals.0001). This test migrates the database back
to the schema before the move, writes a proposal there with the models of that time (history rows
and links in every many-to-many table), migrates forward again and checks that every row of every
proposal table, and the content types, are exactly as they were.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from engagements.proposals import actions, selectors
from engagements.proposals.models import HistoricalProposal, Proposal

BEFORE = [("engagements", "0003_proposals")]
MODELS = ("proposal", "historicalproposal", "trigger", "insightsource")
TABLES = {
    "engagements_proposal": "id",
    "engagements_historicalproposal": "history_id",
    "engagements_trigger": "id",
    "engagements_insightsource": "id",
    "engagements_proposal_insight_sources": "id",
    "engagements_proposal_affected_groups": "id",
    "engagements_proposal_methods": "id",
    "engagements_proposal_documents": "id",
    "engagements_proposal_activities": "id",
    "engagements_proposal_outcomes": "id",
    "django_content_type": "id",
    "auth_permission": "id",
}

pytestmark = pytest.mark.django_db(transaction=True)


# Columns that later migrations add (and migrating back to before the move drops): left out of
# the comparison, which is about the rows the move had to keep.
LATER_COLUMNS = {"withdrawn_at", "withdrawn_by_id", "withdrawn_reason"}


def _rows() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        found = {}
        for table, key in TABLES.items():
            cursor.execute(f"SELECT * FROM {table} ORDER BY {key}")  # noqa: S608 (fixed names)
            names = [column[0] for column in cursor.description]
            keep = [i for i, name in enumerate(names) if name not in LATER_COLUMNS]
            found[table] = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
        return found


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _demo_with_documents():
    call_command("load_demo_data", verbosity=0)
    proposal = Proposal.objects.filter(level="formal").get()
    pdf = SimpleUploadedFile("ehia.pdf", b"%PDF-1.4\n%ehia\n", content_type="application/pdf")
    actions.save_step(
        proposal=proposal, step=4, by=proposal.created_by, values={}, upload=pdf, upload_title="EHIA"
    )
    pdf = SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%doc\n", content_type="application/pdf")
    actions.save_step(
        proposal=proposal, step=7, by=proposal.created_by, values={}, upload=pdf, upload_title="Doc"
    )


def _write_with_the_old_models(old_apps) -> int:
    """A proposal saved at the schema before the move: a row, two history rows, every link."""
    get = old_apps.get_model
    proposal_model = get("engagements", "Proposal")
    existing = proposal_model.objects.filter(level="formal").get()
    proposal = proposal_model.objects.create(
        organisation_id=existing.organisation_id,
        created_by_id=existing.created_by_id,
        title="Written before the move",
        trigger=get("engagements", "Trigger").objects.get(code="TRIGGER-CONTRACT"),
        level="consult",
    )
    proposal.insight_sources.set(get("engagements", "InsightSource").objects.all()[:2])
    proposal.affected_groups.set(existing.affected_groups.all()[:2])
    proposal.methods.set(existing.methods.all()[:1])
    proposal.documents.set(existing.documents.all())
    proposal.activities.set(existing.activities.all())
    proposal.outcomes.set(existing.outcomes.all())
    history = get("engagements", "HistoricalProposal")
    for n, reason in enumerate(["Proposal created", "Step 5: Proportionate approach"]):
        history.objects.create(
            id=proposal.pk,
            title=proposal.title,
            organisation_id=proposal.organisation_id,
            created_by_id=proposal.created_by_id,
            trigger_id=proposal.trigger_id,
            level="" if n == 0 else "consult",
            created_at=proposal.created_at,
            updated_at=proposal.updated_at,
            version=n + 1,
            history_date=proposal.created_at + datetime.timedelta(minutes=n),
            history_type="+" if n == 0 else "~",
            history_change_reason=reason,
            history_user_id=proposal.created_by_id,
        )
    return proposal.pk


def test_moving_the_models_keeps_every_row_link_history_and_content_type(reference_data):
    latest = _latest()
    # The move is compared at the schema right after it (proposals 0001); later migrations add columns.
    moved_schema = [
        ("proposals", "0001_initial") if app == "proposals" else (app, name) for app, name in latest
    ]
    _demo_with_documents()
    _migrate(moved_schema)
    now = _rows()
    assert len(now["engagements_proposal"]) == 4 and now["engagements_proposal_documents"]
    content_types = {(ct[1], ct[2]) for ct in now["django_content_type"]}
    assert {("proposals", m) for m in MODELS} <= content_types
    assert not {("engagements", m) for m in MODELS} & content_types

    old_apps = _migrate(BEFORE)
    before = _rows()
    assert {k: v for k, v in before.items() if k != "django_content_type"} == {
        k: v for k, v in now.items() if k != "django_content_type"
    }
    relabelled = {(ct[1], ct[2]) for ct in before["django_content_type"]}
    assert {("engagements", m) for m in MODELS} <= relabelled  # backwards puts the labels back
    pk = _write_with_the_old_models(old_apps)
    before = _rows()

    _migrate(moved_schema)
    after = _rows()
    assert {k: v for k, v in after.items() if k != "django_content_type"} == {
        k: v for k, v in before.items() if k != "django_content_type"
    }
    # the same content type rows (same ids, so permissions and admin log entries still point at them)
    assert [ct[0] for ct in after["django_content_type"]] == [ct[0] for ct in before["django_content_type"]]
    assert {(ct[1], ct[2]) for ct in after["django_content_type"]} == content_types

    _migrate(latest)
    moved = selectors.proposal_for_page(Proposal.objects.get(pk=pk).organisation, pk)
    assert moved.trigger.code == "TRIGGER-CONTRACT"
    assert moved.insight_sources.count() == 2 and moved.activities.exists() and moved.outcomes.exists()
    assert moved.documents.exists() and moved.methods.count() == 1
    assert [e.reason for e in selectors.proposal_history(moved)] == [
        "Step 5: Proportionate approach",
        "Proposal created",
    ]
    assert HistoricalProposal.objects.filter(id=pk).count() == 2
