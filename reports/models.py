"""Generated documents: immutable once built, stored with their parameters and a SHA-256."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ccg_involvement.scoping import OrganisationQuerySet
from ccg_involvement.years import ReportingYear


class ReportKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", "Annual report section: involving people and communities"
    """The section to drop into the organisation's annual report."""
    ASSURANCE_PACK = "assurance_pack", "Assurance pack for the governance committee"
    """Checklists, verdicts, reviews, sign-off, gaps and loop closure."""
    DECISION_RECORD = "decision_record", "Proposal decision record"
    """One service-change proposal's screening and decision."""


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
