"""Generated documents: immutable once built, stored with their parameters and a SHA-256."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ccg_involvement.scoping import OrganisationQuerySet
from ccg_involvement.years import ReportingYear


class ReportKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", "Annual report section: involving people and communities"
    """The section to drop into the organisation's annual report."""
    ASSURANCE_PACK = "assurance_pack", "Assurance pack for the governance committee"
    """Checklists, verdicts, reviews, sign-off, gaps and loop closure."""
    DECISION_RECORD = "decision_record", "Proposal decision record"
    """One service-change proposal's screening and decision, with every warning and how it was addressed."""
    PUBLIC_DECISION = "public_decision", "Public decision record"
    """The same decision for publication: no internal warnings or notes."""


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def report_upload_to(instance, filename):
    return f"reports/{instance.organisation_id}/{instance.pk}-{filename}"


class Report(models.Model):
    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    format = models.CharField(max_length=5, choices=ReportFormat.choices, default=ReportFormat.PDF)
    year = models.PositiveIntegerField(null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The proposal, for a decision record."
    )
    parameters = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=report_upload_to, max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & Q(size__isnull=False)),
                name="done_report_has_file_hash",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("report-detail", kwargs={"org_code": self.organisation.slug, "pk": self.pk})

    @property
    def title(self) -> str:
        """What the document is about, for lists and pages."""
        subject = (self.parameters or {}).get("subject")
        if subject:
            return f"{self.get_kind_display()}: {subject}"
        return f"{self.get_kind_display()} {self.reporting_year or ''}".strip()

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def reporting_year(self) -> ReportingYear | None:
        return ReportingYear(self.year) if self.year else None

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportStatus.DONE, ReportStatus.FAILED}


class InvolvementProfile(models.Model):
    """How the organisation is set up to involve people: what the annual report's governance,
    "how to get involved" and "next year" parts say. One per organisation, edited by its
    administrators, with history."""

    organisation = models.OneToOneField(
        "ccg_involvement.Organisation", on_delete=models.CASCADE, related_name="involvement_profile"
    )
    lead_name = models.CharField(
        "Lay member or non-executive lead for involvement",
        max_length=120,
        blank=True,
        help_text="Name as it should appear in the annual report.",
    )
    lead_role = models.CharField("Their role", max_length=160, blank=True)
    committee = models.CharField("Committee that oversees involvement", max_length=200, blank=True)
    committee_remit = models.TextField("What the committee does", blank=True)
    patient_seats = models.PositiveSmallIntegerField(
        "Seats for patients or members of the public", null=True, blank=True
    )
    healthwatch_seats = models.PositiveSmallIntegerField("Seats for Healthwatch", null=True, blank=True)
    vcse_seats = models.PositiveSmallIntegerField(
        "Seats for the voluntary, community and social enterprise sector", null=True, blank=True
    )
    how_to_get_involved = models.TextField(
        "How people can get involved",
        blank=True,
        help_text="Ways to take part, with web address and contact.",
    )
    next_year_priorities = models.TextField(
        "Our priorities for involvement next year", blank=True, help_text="One priority a line."
    )
    joint_forward_plan = models.TextField(
        "How people were involved in the Joint Forward Plan (ICBs)", blank=True
    )
    health_and_wellbeing_boards = models.TextField(
        "How Health and Wellbeing Boards were consulted (ICBs)", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    def __str__(self):
        return f"Involvement profile of {self.organisation}"


class AnnualStatement(models.Model):
    """The plain-English statement that opens the annual-report section for a year: drafted from
    the year's data, edited before the document is built."""

    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    text = models.TextField("Statement")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_statement_per_year")
        ]

    def __str__(self):
        return f"Statement {ReportingYear(self.year)}"
