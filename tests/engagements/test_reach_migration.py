"""Migration 0008 (reach per category, "reached, number not recorded") keeps every count.

Forward: rows written with the models before it (one count per group) stay as they were, with no
category: for a protected characteristic that is "category not recorded". Backward: each group's
numbers are added up into the one count the old schema had (no number lost); what it cannot say
(the category, "reached, number not recorded") is dropped, as the migration's docstring says.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from engagements.models import AudienceCategory, AudienceGroup, Reach

BEFORE = [("engagements", "0007_import_mapping")]
AFTER = [("engagements", "0008_reach_categories")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM engagements_reach ORDER BY activity_id, group_id, id")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _old_activity(old_apps, user_id, organisation_id, title):
    Activity = old_apps.get_model("engagements", "Activity")
    return Activity.objects.create(
        organisation_id=organisation_id,
        created_by_id=user_id,
        title=title,
        start_date=datetime.date(2025, 5, 1),
        status="completed",
        total_participants=200,
    )


def test_reach_rows_move_forward_and_back_without_losing_a_count(reference_data, editor):
    user_id, organisation_id = editor.user.pk, editor.organisation.pk
    old_apps = _migrate(BEFORE)
    Group = old_apps.get_model("engagements", "AudienceGroup")
    OldReach = old_apps.get_model("engagements", "Reach")
    groups = {g.code: g for g in Group.objects.all()}
    first = _old_activity(old_apps, user_id, organisation_id, "Written before categories")
    second = _old_activity(old_apps, user_id, organisation_id, "Also before")
    OldReach.objects.bulk_create(
        [
            OldReach(activity=first, group=groups["PC-SEX"], count=39),
            OldReach(activity=first, group=groups["PC-RELIGION"], count=142),
            OldReach(activity=first, group=groups["INC-CARERS"], count=0),
            OldReach(activity=second, group=groups["PC-AGE"], count=7),
        ]
    )
    before = [(r["activity_id"], r["group_id"], r["count"]) for r in _rows()]

    _migrate(AFTER)
    after = _rows()
    # every row kept, with its count; no category: "category not recorded" for a characteristic
    assert [(r["activity_id"], r["group_id"], r["count"]) for r in after] == before
    assert {r["category_id"] for r in after} == {None}
    # the categories and corrected kinds arrived with the migration
    assert AudienceCategory.objects.filter(group__code="PC-RACE").count() == 17
    assert AudienceGroup.objects.get(code="INC-CARERS").kind == "community"
    assert AudienceGroup.objects.get(code="INC-HOMELESS").kind == "inclusion_group"

    # recorded after the migration: categories, "reached, number not recorded" and a 0
    sex = AudienceGroup.objects.get(code="PC-SEX")
    women, men = (AudienceCategory.objects.get(code=c) for c in ("SEX-WOMEN", "SEX-MEN"))
    older = AudienceGroup.objects.get(code="INC-OLDER")
    Reach.objects.bulk_create(
        [
            Reach(activity_id=first.pk, group=sex, category=women, count=20),
            Reach(activity_id=first.pk, group=sex, category=men, count=None),
            Reach(activity_id=first.pk, group=older, count=None),
            Reach(activity_id=second.pk, group=sex, category=men, count=0),
        ]
    )

    _migrate(BEFORE)
    back = {(r["activity_id"], r["group_id"]): r["count"] for r in _rows()}
    assert back == {
        (
            first.pk,
            groups["PC-SEX"].pk,
        ): 59,  # 39 without a category + 20 women; men's "number not recorded" has no number
        (first.pk, groups["PC-RELIGION"].pk): 142,
        (first.pk, groups["INC-CARERS"].pk): 0,
        (second.pk, groups["PC-AGE"].pk): 7,
        (second.pk, groups["PC-SEX"].pk): 0,
        # INC-OLDER was only "reached, number not recorded": the old schema cannot say it
    }

    _migrate(_latest())
    again = {(r["activity_id"], r["group_id"], r["category_id"]): r["count"] for r in _rows()}
    assert again == {(a, g, None): c for (a, g), c in back.items()}
