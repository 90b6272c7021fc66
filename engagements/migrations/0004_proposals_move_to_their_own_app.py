"""Proposals moved to the ``proposals`` app (engagements/proposals/): state only, no table changes.

The four models leave this app's state here; ``proposals.0001_initial`` takes them up with the same
tables (``db_table`` on each model, its history and its many-to-many tables). Nothing in the
database changes, so every row stays where it is. This migration does not depend on the proposals
app: between the two migrations the tables simply have no model.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0003_proposals"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalProposal"),
                migrations.DeleteModel(name="Proposal"),
                migrations.DeleteModel(name="InsightSource"),
                migrations.DeleteModel(name="Trigger"),
            ],
            database_operations=[],
        ),
    ]
