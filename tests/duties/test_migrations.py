"""duties 0006 on a database that already has checklists: a framework revision in use stays as it was
(its checklist keeps its wording) and gains the citations of the items whose wording is unchanged; the
changed files become new, current revisions with every item's citation; the ICB s14Z36 framework appears."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("duties", "0005_framework_years")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_0006_keeps_checklists_on_their_revision_and_cites_unchanged_items(reference_data, editor):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    Framework, Duty, Checklist = (old.get_model("duties", m) for m in ("Framework", "Duty", "Checklist"))
    Duty.objects.filter(framework__code="IPO-ICB").delete()
    Framework.objects.filter(code="IPO-ICB").delete()
    wppc = Framework.objects.get(code="WPPC22", is_current=True)
    # The revision as an older file had it: another hash, principle 10 worded differently.
    Framework.objects.filter(pk=wppc.pk).update(content_sha256="an older file")
    Duty.objects.filter(framework=wppc, number=10).update(title="Learn from what works")
    Checklist.objects.create(
        organisation_id=editor.organisation_id, framework=wppc, year=2023, created_by_id=editor.user_id
    )

    _migrate(latest)
    from duties.models import Checklist as NowChecklist
    from duties.models import Framework as NowFramework

    checklist = NowChecklist.objects.get(year=2023)
    kept = checklist.framework
    assert kept.pk == wppc.pk and not kept.is_current and kept.revision == 1
    duties = {d.number: d for d in kept.duties.all()}
    assert duties[10].title == "Learn from what works" and duties[10].citation == ""  # its own wording
    assert duties[1].citation == "main document, principle 1 of 10 (page not seen)"
    current = NowFramework.objects.get(code="WPPC22", is_current=True)
    assert current.revision == 2 and all(d.citation for d in current.duties.all())
    assert NowFramework.objects.get(code="IPO-ICB", is_current=True).analogy_note.startswith(
        "Applied by analogy"
    )
