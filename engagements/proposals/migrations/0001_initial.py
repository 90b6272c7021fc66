"""The proposal models, taken over from ``engagements`` (its 0004) with their tables unchanged.

State only: the tables ``engagements_proposal``, ``engagements_historicalproposal``,
``engagements_trigger``, ``engagements_insightsource`` and the six ``engagements_proposal_*``
many-to-many tables were created by ``engagements.0003_proposals`` and keep their names, so no row
moves. The content types (and with them any permissions and admin log entries) are relabelled
``engagements`` → ``proposals`` so that nothing points at a model that no longer exists.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ("proposal", "historicalproposal", "trigger", "insightsource")


def _relabel(apps, schema_editor, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    rows = content_type.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not rows.filter(app_label=target, model=model).exists():
            rows.filter(app_label=source, model=model).update(app_label=target)
    content_type.objects.clear_cache()


def content_types_to_proposals(apps, schema_editor):
    _relabel(apps, schema_editor, "engagements", "proposals")


def content_types_to_engagements(apps, schema_editor):
    _relabel(apps, schema_editor, "proposals", "engagements")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ccg_involvement', '0002_data_version'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('engagements', '0004_proposals_move_to_their_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='InsightSource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True)),
                        ('name', models.CharField(max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('is_active', models.BooleanField(default=True, help_text='Inactive entries stay on old records only.')),
                        ('position', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'engagements_insightsource',
                        'ordering': ['position', 'name'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Trigger',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True)),
                        ('name', models.CharField(max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('is_active', models.BooleanField(default=True, help_text='Inactive entries stay on old records only.')),
                        ('position', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'engagements_trigger',
                        'ordering': ['position', 'name'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalProposal',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('service_area', models.CharField(blank=True, max_length=120, verbose_name='Programme or service area')),
                        ('expected_decision_date', models.DateField(blank=True, null=True)),
                        ('applies_planning', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('not_sure', 'Not sure')], max_length=10, verbose_name='Planning commissioning arrangements')),
                        ('applies_planning_reason', models.TextField(blank=True, verbose_name='Reasoning (planning)')),
                        ('applies_proposal', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('not_sure', 'Not sure')], max_length=10, verbose_name='Proposal that changes services')),
                        ('applies_proposal_reason', models.TextField(blank=True, verbose_name='Reasoning (proposal for change)')),
                        ('applies_operational', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('not_sure', 'Not sure')], max_length=10, verbose_name='Operational decision with that impact')),
                        ('applies_operational_reason', models.TextField(blank=True, verbose_name='Reasoning (operational decision)')),
                        ('insight_summary', models.TextField(blank=True, verbose_name='What the existing insight tells us')),
                        ('other_affected', models.TextField(blank=True, verbose_name='Other people affected')),
                        ('ehia_done', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No')], max_length=3, verbose_name='Impact assessment done')),
                        ('ehia_date', models.DateField(blank=True, null=True, verbose_name='Date of the impact assessment')),
                        ('level', models.CharField(blank=True, choices=[('inform', 'Inform'), ('engage', 'Engage'), ('consult', 'Consult'), ('formal', 'Formal public consultation')], max_length=10, verbose_name='Level of involvement')),
                        ('timing', models.TextField(blank=True, verbose_name='Timing')),
                        ('budget', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='Budget (£)')),
                        ('substantial', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Not yet known')], max_length=10, verbose_name='Substantial development or variation')),
                        ('substantial_reason', models.TextField(blank=True, verbose_name='Reasoning (substantial variation)')),
                        ('osc_consulted_on', models.DateField(blank=True, null=True, verbose_name='Local authority (OSC) consulted on')),
                        ('notifiable', models.BooleanField(default=False, verbose_name='Notifiable reconfiguration')),
                        ('service_change_tests', models.JSONField(blank=True, default=dict, help_text='Keyed by test code: {"SC-T1": {"result": "met", "evidence": "…"}}.')),
                        ('consultation_opens', models.DateField(blank=True, null=True, verbose_name='Consultation opens')),
                        ('consultation_closes', models.DateField(blank=True, null=True, verbose_name='Consultation closes')),
                        ('gunning_evidence', models.JSONField(blank=True, default=dict, help_text='Keyed by principle code: {"GUN-1": "…"}.')),
                        ('decided_by', models.CharField(blank=True, max_length=200, verbose_name='Who decided')),
                        ('decision_date', models.DateField(blank=True, null=True)),
                        ('decision', models.TextField(blank=True, verbose_name='What was decided')),
                        ('involvement_influence', models.TextField(blank=True, verbose_name='How involvement changed the decision')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('ehia_document', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ccg_involvement.document', verbose_name='impact assessment document')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ccg_involvement.organisation')),
                        ('owner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('trigger', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='proposals.trigger', verbose_name='kind of commissioning activity')),
                    ],
                    options={
                        'verbose_name': 'historical proposal',
                        'verbose_name_plural': 'historical proposals',
                        'db_table': 'engagements_historicalproposal',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('service_area', models.CharField(blank=True, max_length=120, verbose_name='Programme or service area')),
                        ('expected_decision_date', models.DateField(blank=True, null=True)),
                        ('applies_planning', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('not_sure', 'Not sure')], max_length=10, verbose_name='Planning commissioning arrangements')),
                        ('applies_planning_reason', models.TextField(blank=True, verbose_name='Reasoning (planning)')),
                        ('applies_proposal', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('not_sure', 'Not sure')], max_length=10, verbose_name='Proposal that changes services')),
                        ('applies_proposal_reason', models.TextField(blank=True, verbose_name='Reasoning (proposal for change)')),
                        ('applies_operational', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('not_sure', 'Not sure')], max_length=10, verbose_name='Operational decision with that impact')),
                        ('applies_operational_reason', models.TextField(blank=True, verbose_name='Reasoning (operational decision)')),
                        ('insight_summary', models.TextField(blank=True, verbose_name='What the existing insight tells us')),
                        ('other_affected', models.TextField(blank=True, verbose_name='Other people affected')),
                        ('ehia_done', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No')], max_length=3, verbose_name='Impact assessment done')),
                        ('ehia_date', models.DateField(blank=True, null=True, verbose_name='Date of the impact assessment')),
                        ('level', models.CharField(blank=True, choices=[('inform', 'Inform'), ('engage', 'Engage'), ('consult', 'Consult'), ('formal', 'Formal public consultation')], max_length=10, verbose_name='Level of involvement')),
                        ('timing', models.TextField(blank=True, verbose_name='Timing')),
                        ('budget', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='Budget (£)')),
                        ('substantial', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Not yet known')], max_length=10, verbose_name='Substantial development or variation')),
                        ('substantial_reason', models.TextField(blank=True, verbose_name='Reasoning (substantial variation)')),
                        ('osc_consulted_on', models.DateField(blank=True, null=True, verbose_name='Local authority (OSC) consulted on')),
                        ('notifiable', models.BooleanField(default=False, verbose_name='Notifiable reconfiguration')),
                        ('service_change_tests', models.JSONField(blank=True, default=dict, help_text='Keyed by test code: {"SC-T1": {"result": "met", "evidence": "…"}}.')),
                        ('consultation_opens', models.DateField(blank=True, null=True, verbose_name='Consultation opens')),
                        ('consultation_closes', models.DateField(blank=True, null=True, verbose_name='Consultation closes')),
                        ('gunning_evidence', models.JSONField(blank=True, default=dict, help_text='Keyed by principle code: {"GUN-1": "…"}.')),
                        ('decided_by', models.CharField(blank=True, max_length=200, verbose_name='Who decided')),
                        ('decision_date', models.DateField(blank=True, null=True)),
                        ('decision', models.TextField(blank=True, verbose_name='What was decided')),
                        ('involvement_influence', models.TextField(blank=True, verbose_name='How involvement changed the decision')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('activities', models.ManyToManyField(blank=True, db_table='engagements_proposal_activities', related_name='proposals', to='engagements.activity')),
                        ('affected_groups', models.ManyToManyField(blank=True, db_table='engagements_proposal_affected_groups', related_name='proposals', to='engagements.audiencegroup')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('documents', models.ManyToManyField(blank=True, db_table='engagements_proposal_documents', related_name='proposals', to='ccg_involvement.document')),
                        ('ehia_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ccg_involvement.document', verbose_name='impact assessment document')),
                        ('insight_sources', models.ManyToManyField(blank=True, db_table='engagements_proposal_insight_sources', related_name='proposals', to='proposals.insightsource')),
                        ('methods', models.ManyToManyField(blank=True, db_table='engagements_proposal_methods', related_name='proposals', to='engagements.method')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to='ccg_involvement.organisation')),
                        ('outcomes', models.ManyToManyField(blank=True, db_table='engagements_proposal_outcomes', related_name='proposals', to='engagements.outcome')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('trigger', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to='proposals.trigger', verbose_name='kind of commissioning activity')),
                    ],
                    options={
                        'db_table': 'engagements_proposal',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['organisation', 'created_at'], name='engagements_organis_23cdad_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('consultation_closes__isnull', True), ('consultation_opens__isnull', True), ('consultation_closes__gt', models.F('consultation_opens')), _connector='OR'), name='proposal_consultation_closes_after_it_opens'), models.CheckConstraint(condition=models.Q(models.Q(('substantial', 'yes'), _negated=True), ('notifiable', True), _connector='OR'), name='proposal_substantial_is_notifiable')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_proposals, content_types_to_engagements),
    ]
