"""Screening that follows the law (issue 14).

Consulting the local authority (reg 23), the reg 24 urgency exception, the reconfiguration regime
as notifiable / exempt with a notified-on date (ICBs only), equality due regard, the decision
record's references and the feedback step. The old ``notifiable`` flag was forced on for every
substantial change (CCG decisions too): only an ICB's flag carries over, as "notifiable".
"""

from django.db import migrations, models


def carry_over_notifiable(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    Proposal.objects.filter(notifiable=True, organisation__kind="ICB").update(reconfiguration="notifiable")


def back_to_notifiable(apps, schema_editor):
    """Going back, the old rule holds again: every substantial change is flagged notifiable."""
    Proposal = apps.get_model("proposals", "Proposal")
    Proposal.objects.filter(substantial="yes").update(notifiable=True)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="proposal",
            name="proposal_substantial_is_notifiable",
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="alternatives",
            field=models.TextField(blank=True, verbose_name="Alternatives considered"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="board_paper_ref",
            field=models.CharField(blank=True, max_length=200, verbose_name="Board paper reference"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="consultation_responses",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="Number of responses"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="consultation_themes",
            field=models.TextField(blank=True, verbose_name="Main themes of the responses"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="decision_reasons",
            field=models.TextField(blank=True, verbose_name="Reasons for the decision"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="due_regard_by",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="Who considered the equality analysis"
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="due_regard_on",
            field=models.DateField(blank=True, null=True, verbose_name="Equality analysis considered on"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="due_regard_statement",
            field=models.TextField(blank=True, verbose_name="How due regard was had"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="ehia_impacts",
            field=models.TextField(blank=True, verbose_name="Impacts found"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="ehia_mitigations",
            field=models.TextField(blank=True, verbose_name="Mitigations"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="ehia_reference",
            field=models.CharField(blank=True, max_length=100, verbose_name="Impact assessment reference"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="feedback_how",
            field=models.TextField(blank=True, verbose_name="How participants were told"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="feedback_on",
            field=models.DateField(blank=True, null=True, verbose_name="Participants told the outcome on"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="minute_ref",
            field=models.CharField(blank=True, max_length=200, verbose_name="Minute reference"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="osc_decision_date_given",
            field=models.DateField(
                blank=True, null=True, verbose_name="Proposed decision date given to the local authority"
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="osc_joint",
            field=models.BooleanField(
                default=False, verbose_name="Joint committee of more than one local authority"
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="osc_response",
            field=models.TextField(blank=True, verbose_name="The local authority's response"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="osc_response_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="Date of the local authority's response"
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="reconfiguration",
            field=models.CharField(
                blank=True,
                choices=[
                    ("notifiable", "Notifiable: the Secretary of State must be notified"),
                    ("exempt", "Exempt under the statutory guidance"),
                ],
                max_length=12,
                verbose_name="Reconfiguration notification",
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="reconfiguration_notified_on",
            field=models.DateField(blank=True, null=True, verbose_name="Secretary of State notified on"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="reconfiguration_reason",
            field=models.TextField(blank=True, verbose_name="Reasoning (reconfiguration)"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="urgent_exception",
            field=models.BooleanField(default=False, verbose_name="Regulation 24 urgency exception"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="urgent_la_told_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="Local authority told of the urgent decision on"
            ),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="urgent_reason",
            field=models.TextField(blank=True, verbose_name="Why the decision could not wait"),
        ),
        migrations.AddField(
            model_name="historicalproposal",
            name="warning_responses",
            field=models.JSONField(
                blank=True, default=dict, help_text='How each warning was addressed: {"osc-missing": "…"}.'
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="alternatives",
            field=models.TextField(blank=True, verbose_name="Alternatives considered"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="board_paper_ref",
            field=models.CharField(blank=True, max_length=200, verbose_name="Board paper reference"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="consultation_responses",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="Number of responses"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="consultation_themes",
            field=models.TextField(blank=True, verbose_name="Main themes of the responses"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="decision_reasons",
            field=models.TextField(blank=True, verbose_name="Reasons for the decision"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="due_regard_by",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="Who considered the equality analysis"
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="due_regard_on",
            field=models.DateField(blank=True, null=True, verbose_name="Equality analysis considered on"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="due_regard_statement",
            field=models.TextField(blank=True, verbose_name="How due regard was had"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="ehia_impacts",
            field=models.TextField(blank=True, verbose_name="Impacts found"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="ehia_mitigations",
            field=models.TextField(blank=True, verbose_name="Mitigations"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="ehia_reference",
            field=models.CharField(blank=True, max_length=100, verbose_name="Impact assessment reference"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="feedback_how",
            field=models.TextField(blank=True, verbose_name="How participants were told"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="feedback_on",
            field=models.DateField(blank=True, null=True, verbose_name="Participants told the outcome on"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="minute_ref",
            field=models.CharField(blank=True, max_length=200, verbose_name="Minute reference"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="osc_decision_date_given",
            field=models.DateField(
                blank=True, null=True, verbose_name="Proposed decision date given to the local authority"
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="osc_joint",
            field=models.BooleanField(
                default=False, verbose_name="Joint committee of more than one local authority"
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="osc_response",
            field=models.TextField(blank=True, verbose_name="The local authority's response"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="osc_response_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="Date of the local authority's response"
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="reconfiguration",
            field=models.CharField(
                blank=True,
                choices=[
                    ("notifiable", "Notifiable: the Secretary of State must be notified"),
                    ("exempt", "Exempt under the statutory guidance"),
                ],
                max_length=12,
                verbose_name="Reconfiguration notification",
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="reconfiguration_notified_on",
            field=models.DateField(blank=True, null=True, verbose_name="Secretary of State notified on"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="reconfiguration_reason",
            field=models.TextField(blank=True, verbose_name="Reasoning (reconfiguration)"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="urgent_exception",
            field=models.BooleanField(default=False, verbose_name="Regulation 24 urgency exception"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="urgent_la_told_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="Local authority told of the urgent decision on"
            ),
        ),
        migrations.AddField(
            model_name="proposal",
            name="urgent_reason",
            field=models.TextField(blank=True, verbose_name="Why the decision could not wait"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="warning_responses",
            field=models.JSONField(
                blank=True, default=dict, help_text='How each warning was addressed: {"osc-missing": "…"}.'
            ),
        ),
        migrations.RunPython(carry_over_notifiable, back_to_notifiable),
        migrations.RemoveField(
            model_name="historicalproposal",
            name="notifiable",
        ),
        migrations.RemoveField(
            model_name="proposal",
            name="notifiable",
        ),
    ]
