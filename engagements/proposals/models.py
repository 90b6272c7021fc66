"""Service-change proposals and their involvement screening (issue 5).

A ``Proposal`` is a planned change in commissioning. Its screening is eight steps, stored as plain
fields on the proposal (one row, one history): what triggered it, whether the involvement duty
applies (three limbs, each with reasoning), the insight already reviewed, who is affected and the
equality and health inequalities impact assessment (EHIA), the proportionate approach, the
substantial-variation question and the service-change tests, the consultation and the Gunning
principles, and the decision. The steps are described once in ``steps.py``; wording, warnings and
reads live in ``wording.py``, ``warnings.py`` and ``selectors.py``; every change goes through
``actions.py``.

The tables were created by ``engagements`` (issue 5) and keep their names: each model names its
``db_table`` (the history table and the many-to-many tables too), and the app's first migration only
moved the models in Django's state (docs/adr/0005-proposal-screening.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ccg_involvement.models import Withdrawable
from ccg_involvement.scoping import OrganisationQuerySet
from ccg_involvement.years import ReportingYear
from engagements.models import Lookup, Outcome


class Trigger(Lookup):
    """A kind of commissioning activity that calls for screening (lookups.toml ``triggers``)."""

    class Meta(Lookup.Meta):
        db_table = "engagements_trigger"


class InsightSource(Lookup):
    """Existing insight to review before new activity (lookups.toml ``insight_sources``)."""

    class Meta(Lookup.Meta):
        db_table = "engagements_insightsource"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class EhiaAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class InvolvementLevel(models.TextChoices):
    INFORM = "inform", "Inform"
    """Tell people about the change; little or no scope for them to shape it."""
    ENGAGE = "engage", "Engage"
    """Ongoing dialogue and involvement while options are developed."""
    CONSULT = "consult", "Consult"
    """A structured consultation on defined options."""
    FORMAL = "formal", "Formal public consultation"
    """A full public consultation run to the Gunning principles. Consulting the local authority on a
    substantial development or variation (reg 23) is a separate question, asked at step 6."""

    @classmethod
    def consulting(cls) -> set[str]:
        return {cls.CONSULT, cls.FORMAL}


class SubstantialAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not yet known"


class Reconfiguration(models.TextChoices):
    """The Secretary of State's reconfiguration regime (NHS Act 2006 Sch 10A, from 2024; domain.md
    LAW-244-03): an ICB proposal is either notifiable or exempt under the DHSC guidance."""

    NOTIFIABLE = "notifiable", "Notifiable: the Secretary of State must be notified"
    EXEMPT = "exempt", "Exempt under the statutory guidance"


class TestResult(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    NOT_ASSESSED = "not_assessed", "Not assessed"


def decided_in(year: ReportingYear) -> Q:
    """A proposal belongs to the year it was decided in (or, until then, is expected to be)."""
    return Q(decision_date__gte=year.start, decision_date__lte=year.end) | Q(
        decision_date__isnull=True,
        expected_decision_date__gte=year.start,
        expected_decision_date__lte=year.end,
    )


class ProposalQuerySet(OrganisationQuerySet):
    def for_year(self, year: ReportingYear):
        return self.filter(decided_in(year))

    def counted(self):
        """Proposals that count in figures and documents: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Proposal(Withdrawable):
    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.PROTECT, related_name="proposals"
    )
    # Step 1: the proposal and what kind of commissioning activity it is
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    service_area = models.CharField("Programme or service area", max_length=120, blank=True)
    trigger = models.ForeignKey(
        Trigger,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="kind of commissioning activity",
    )
    expected_decision_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Step 2: does the duty apply? One answer and one reasoning per limb.
    applies_planning = models.CharField(
        "Planning commissioning arrangements", max_length=10, choices=Answer.choices, blank=True
    )
    applies_planning_reason = models.TextField("Reasoning (planning)", blank=True)
    applies_proposal = models.CharField(
        "Proposal that changes services", max_length=10, choices=Answer.choices, blank=True
    )
    applies_proposal_reason = models.TextField("Reasoning (proposal for change)", blank=True)
    applies_operational = models.CharField(
        "Operational decision with that impact", max_length=10, choices=Answer.choices, blank=True
    )
    applies_operational_reason = models.TextField("Reasoning (operational decision)", blank=True)

    # Step 3: existing insight
    insight_sources = models.ManyToManyField(
        InsightSource, blank=True, related_name="proposals", db_table="engagements_proposal_insight_sources"
    )
    insight_summary = models.TextField("What the existing insight tells us", blank=True)

    # Step 4: who is affected; equality and health inequalities impact assessment
    affected_groups = models.ManyToManyField(
        "engagements.AudienceGroup",
        blank=True,
        related_name="proposals",
        db_table="engagements_proposal_affected_groups",
    )
    other_affected = models.TextField("Other people affected", blank=True)
    ehia_done = models.CharField(
        "Impact assessment done", max_length=3, choices=EhiaAnswer.choices, blank=True
    )
    ehia_date = models.DateField("Date of the impact assessment", null=True, blank=True)
    ehia_reference = models.CharField("Impact assessment reference", max_length=100, blank=True)
    ehia_impacts = models.TextField("Impacts found", blank=True)
    ehia_mitigations = models.TextField("Mitigations", blank=True)
    ehia_document = models.ForeignKey(
        "ccg_involvement.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="impact assessment document",
    )

    # Step 5: proportionate approach
    level = models.CharField(
        "Level of involvement", max_length=10, choices=InvolvementLevel.choices, blank=True
    )
    methods = models.ManyToManyField(
        "engagements.Method", blank=True, related_name="proposals", db_table="engagements_proposal_methods"
    )
    timing = models.TextField("Timing", blank=True)
    budget = models.DecimalField("Budget (£)", max_digits=12, decimal_places=2, null=True, blank=True)

    # Step 6: substantial development or variation
    substantial = models.CharField(
        "Substantial development or variation", max_length=10, choices=SubstantialAnswer.choices, blank=True
    )
    substantial_reason = models.TextField("Reasoning (substantial variation)", blank=True)
    # Regulation 23 of the 2013 health scrutiny regulations: consulting the local authority
    osc_consulted_on = models.DateField("Local authority (OSC) consulted on", null=True, blank=True)
    osc_decision_date_given = models.DateField(
        "Proposed decision date given to the local authority", null=True, blank=True
    )
    osc_joint = models.BooleanField("Joint committee of more than one local authority", default=False)
    osc_response = models.TextField("The local authority's response", blank=True)
    osc_response_on = models.DateField("Date of the local authority's response", null=True, blank=True)
    # Regulation 24: the urgency exception
    urgent_exception = models.BooleanField("Regulation 24 urgency exception", default=False)
    urgent_reason = models.TextField("Why the decision could not wait", blank=True)
    urgent_la_told_on = models.DateField(
        "Local authority told of the urgent decision on", null=True, blank=True
    )
    # The reconfiguration regime (ICBs, from 2024)
    reconfiguration = models.CharField(
        "Reconfiguration notification", max_length=12, choices=Reconfiguration.choices, blank=True
    )
    reconfiguration_reason = models.TextField("Reasoning (reconfiguration)", blank=True)
    reconfiguration_notified_on = models.DateField("Secretary of State notified on", null=True, blank=True)
    service_change_tests = models.JSONField(
        default=dict,
        blank=True,
        help_text='Keyed by test code: {"SC-T1": {"result": "met", "evidence": "…"}}.',
    )

    # Step 7: the consultation and the Gunning principles
    consultation_opens = models.DateField("Consultation opens", null=True, blank=True)
    consultation_closes = models.DateField("Consultation closes", null=True, blank=True)
    gunning_evidence = models.JSONField(
        default=dict, blank=True, help_text='Keyed by principle code: {"GUN-1": "…"}.'
    )
    documents = models.ManyToManyField(
        "ccg_involvement.Document",
        blank=True,
        related_name="proposals",
        db_table="engagements_proposal_documents",
    )

    # Step 8: the decision
    decided_by = models.CharField("Who decided", max_length=200, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    board_paper_ref = models.CharField("Board paper reference", max_length=200, blank=True)
    minute_ref = models.CharField("Minute reference", max_length=200, blank=True)
    decision = models.TextField("What was decided", blank=True)
    decision_reasons = models.TextField("Reasons for the decision", blank=True)
    alternatives = models.TextField("Alternatives considered", blank=True)
    consultation_responses = models.PositiveIntegerField("Number of responses", null=True, blank=True)
    consultation_themes = models.TextField("Main themes of the responses", blank=True)
    involvement_influence = models.TextField("How involvement changed the decision", blank=True)
    due_regard_by = models.CharField("Who considered the equality analysis", max_length=200, blank=True)
    due_regard_on = models.DateField("Equality analysis considered on", null=True, blank=True)
    due_regard_statement = models.TextField("How due regard was had", blank=True)
    warning_responses = models.JSONField(
        default=dict, blank=True, help_text='How each warning was addressed: {"osc-missing": "…"}.'
    )
    activities = models.ManyToManyField(
        "engagements.Activity",
        blank=True,
        related_name="proposals",
        db_table="engagements_proposal_activities",
    )
    outcomes = models.ManyToManyField(
        "engagements.Outcome", blank=True, related_name="proposals", db_table="engagements_proposal_outcomes"
    )

    # Step 9: feedback to the people involved
    feedback_on = models.DateField("Participants told the outcome on", null=True, blank=True)
    feedback_how = models.TextField("How participants were told", blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(table_name="engagements_historicalproposal")

    class Meta:
        db_table = "engagements_proposal"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation_closes__isnull=True)
                | Q(consultation_opens__isnull=True)
                | Q(consultation_closes__gt=models.F("consultation_opens")),
                name="proposal_consultation_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposal-detail", kwargs={"org_code": self.organisation.slug, "pk": self.pk})

    @property
    def needs_consultation(self) -> bool:
        """Step 7 applies only when step 5 chose a consultation."""
        return self.level in InvolvementLevel.consulting()

    def citable_outcomes(self):
        """Outcomes step 8 may cite: those of the activities linked to the proposal."""
        return (
            Outcome.objects.filter(activity__proposals=self)
            .select_related("activity")
            .order_by("activity__start_date", "activity__pk", "created_at", "pk")
        )


HistoricalProposal = Proposal.history.model


def load_proposal_lookups(get_model, data: dict | None = None) -> dict[str, int]:
    """Seed ``Trigger`` and ``InsightSource`` from lookups.toml (idempotent; migrations and tests)."""
    from engagements.lookups import lookup_data

    data = lookup_data() if data is None else data
    counts = {}
    for key, model_name in (("triggers", "Trigger"), ("insight_sources", "InsightSource")):
        model = get_model("proposals", model_name)
        for position, entry in enumerate(data.get(key, []), start=1):
            model.objects.update_or_create(
                code=entry["code"],
                defaults={
                    "name": entry["name"],
                    "description": entry.get("description", ""),
                    "position": position,
                },
            )
        counts[key] = len(data.get(key, []))
    return counts
