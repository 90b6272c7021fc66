"""The engagement log: activities, who they reached, what came of them ("you said, we did")."""

import datetime
import enum

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccg_involvement.choices import TaggedChoices
from ccg_involvement.models import Withdrawable
from ccg_involvement.scoping import OrganisationQuerySet
from ccg_involvement.years import ReportingYear
from engagements.lookup_models import (  # noqa: F401 (the reference lists: models of this app)
    KIND_HEADINGS,
    KIND_ORDER,
    Adjustment,
    AudienceCategory,
    AudienceGroup,
    AudienceKind,
    Lookup,
    Method,
    Partner,
    PartnerKind,
)
from engagements.reach import NUMBER_NOT_RECORDED  # noqa: F401 (re-exported)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    UNDER_WAY = "under_way", "Under way"
    COMPLETED = "completed", "Completed"


class CycleStage(models.TextChoices):
    PLANNING = "planning", "Strategic planning"
    PROCURING = "procuring", "Procuring services"
    MONITORING = "monitoring", "Monitoring and evaluation"


class DutyLimb(models.TextChoices):
    """Which part of the involvement duty the activity serves."""

    PLANNING = "planning", "Planning commissioning arrangements"
    PROPOSALS = "proposals", "Proposals for change"
    DECISIONS = "decisions", "Decisions affecting how services operate"
    INDIVIDUAL = "individual", "Individual involvement in own care"


def started_in(year: ReportingYear, activity: str = "") -> Q:
    """An activity belongs to the year of its start date (the one place this rule is written).

    ``activity`` is the path to the activity from the model queried, e.g. ``"activity__"``.
    """
    return Q(**{f"{activity}start_date__gte": year.start, f"{activity}start_date__lte": year.end})


def happened_in(year: ReportingYear, as_of: datetime.date | None = None, activity: str = "") -> Q:
    """What counts in every figure (reach, totals, evidence in documents and on the dashboard).

    A *completed* activity of the year (by its start date) that had ended (its end date, or its
    start date when it has none) on or before ``as_of`` (today by default: the day a document is
    built), and that has not been withdrawn. Planned, under way, cancelled and withdrawn activities
    never count. The one place this rule is written for the ORM (``happened_sql`` writes it in SQL
    for the dashboard's figures); ``activity`` is the path to the activity, e.g. ``"activity__"``.
    """
    as_of = as_of or timezone.localdate()
    ended = Q(**{f"{activity}end_date__isnull": True, f"{activity}start_date__lte": as_of}) | Q(
        **{f"{activity}end_date__lte": as_of}
    )
    return (
        started_in(year, activity)
        & Q(**{f"{activity}status": ActivityStatus.COMPLETED})
        & ended
        & Q(**{f"{activity}withdrawn_at__isnull": True})  # a withdrawn activity counts nowhere
    )


def started_sql(years: list[ReportingYear], table: str = '"engagements_activity"') -> tuple[str, list]:
    """``started_in`` as an SQL condition on the activity table (or its alias ``table``), true for an
    activity that started in any of ``years``: for reads written out as statements."""
    spans = " OR ".join(f"({table}.start_date >= %s AND {table}.start_date <= %s)" for _ in years)
    return f"({spans})", [day for year in years for day in (year.start, year.end)]


def happened_sql(
    years: list[ReportingYear], as_of: datetime.date | None = None, table: str = '"engagements_activity"'
) -> tuple[str, list]:
    """``happened_in`` as an SQL condition on the activity table (or its alias ``table``), true for
    an activity that happened in any of ``years``: for the figures written in SQL
    (``reports.dashboard.sql``). The same rule as ``happened_in``, written beside it; the tests check
    that both select the same activities (tests/reports/test_figures_sql.py).
    """
    as_of = as_of or timezone.localdate()
    started, params = started_sql(years, table)
    condition = (
        f"({started} AND {table}.status = %s"
        f" AND (({table}.end_date IS NULL AND {table}.start_date <= %s) OR {table}.end_date <= %s)"
        f" AND {table}.withdrawn_at IS NULL)"
    )
    return condition, [*params, ActivityStatus.COMPLETED.value, as_of, as_of]


class ActivityQuerySet(OrganisationQuerySet):
    def for_year(self, year: ReportingYear):
        return self.filter(started_in(year))

    def happened(self, year: ReportingYear, as_of: datetime.date | None = None):
        """Completed activities of the year that had ended by ``as_of`` (see ``happened_in``)."""
        return self.filter(happened_in(year, as_of))

    def counted(self):
        """Activities that count in figures and documents: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class ActivityPartQuerySet(OrganisationQuerySet):
    """Rows that belong to an activity (duty links, reach, outcomes): its organisation and year."""

    organisation_path = "activity__organisation"

    def for_year(self, year: ReportingYear):
        return self.filter(started_in(year, "activity__"))

    def happened(self, year: ReportingYear, as_of: datetime.date | None = None):
        """Rows of the activities that count in the year's figures (see ``happened_in``)."""
        return self.filter(happened_in(year, as_of, "activity__"))

    def counted(self):
        """Rows of activities that count (not withdrawn); an outcome must not be withdrawn itself either."""
        rows = self.filter(activity__withdrawn_at__isnull=True)
        if any(f.name == "withdrawn_at" for f in self.model._meta.get_fields()):
            rows = rows.filter(withdrawn_at__isnull=True)
        return rows


class Activity(Withdrawable):
    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    start_date = models.DateField(help_text="Puts the activity in a reporting year.")
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    cycle_stage = models.CharField(
        "Commissioning cycle stage", max_length=12, choices=CycleStage.choices, blank=True
    )
    duty_limb = models.CharField(
        "Part of the duty it serves", max_length=12, choices=DutyLimb.choices, blank=True
    )
    service_area = models.CharField("Programme or service area", max_length=120, blank=True)
    methods = models.ManyToManyField(Method, blank=True, related_name="activities")
    partners = models.ManyToManyField(Partner, blank=True, related_name="activities")
    adjustments = models.ManyToManyField(
        Adjustment, blank=True, related_name="activities", verbose_name="reasonable adjustments offered"
    )
    duties = models.ManyToManyField(
        "duties.Duty", through="ActivityDuty", blank=True, related_name="activities"
    )
    documents = models.ManyToManyField("ccg_involvement.Document", blank=True, related_name="activities")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_participants = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty if not recorded (0 means nobody took part)."
    )
    is_highlight = models.BooleanField(
        "Highlight in the annual report",
        default=False,
        help_text="Feature this activity in the annual report.",
    )
    is_case_study = models.BooleanField(
        "Case study in the annual report",
        default=False,
        help_text="Tell this activity's story in the annual report's case studies, from its outcomes: what "
        "people said, what changed and the decision it informed. Separate from the highlight.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["organisation", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activity-detail", kwargs={"org_code": self.organisation.slug, "pk": self.pk})

    @property
    def reporting_year(self) -> ReportingYear:
        return ReportingYear.containing(self.start_date)


class ActivityDuty(models.Model):
    """An activity evidences a duty, with an optional one-line rationale."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="duty_links")
    duty = models.ForeignKey("duties.Duty", on_delete=models.PROTECT, related_name="activity_links")
    rationale = models.CharField(max_length=200, blank=True)

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["duty__framework__code", "duty__number"]
        constraints = [models.UniqueConstraint(fields=["activity", "duty"], name="activity_duty_unique")]

    def __str__(self):
        return f"{self.activity} evidences {self.duty.code}"


class Reach(models.Model):
    """Who an activity reached, recorded at the time (ADR 0008): one row per group, or per category.

    - no row for a group (or category): not recorded;
    - ``count`` 0: nobody from it took part; ``count`` NULL: reached, number not recorded;
    - ``category`` NULL: the whole group (inclusion and community groups) or, for a protected
      characteristic, people counted without a category ("category not recorded").
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reach")
    group = models.ForeignKey(AudienceGroup, on_delete=models.PROTECT, related_name="reach")
    category = models.ForeignKey(
        AudienceCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="reach"
    )
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: reached, number not recorded. 0: nobody from the group."
    )

    objects = ActivityPartQuerySet.as_manager()

    class Meta:
        ordering = ["group__position", "category__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "group"],
                condition=Q(category__isnull=True),
                name="one_reach_row_per_group",
            ),
            models.UniqueConstraint(
                fields=["activity", "category"],
                condition=Q(category__isnull=False),
                name="one_reach_row_per_category",
            ),
        ]

    def __str__(self):
        target = self.category.label() if self.category_id else str(self.group)
        return f"{target}: {NUMBER_NOT_RECORDED if self.count is None else self.count}"

    @property
    def label(self) -> str:
        """What the row counts: "Age: 65 to 74", "Age: category not recorded", "Carers" (group and
        category selected with it)."""
        if self.category_id:
            return f"{self.group.name}: {self.category.name}"
        if self.group.kind == AudienceKind.PROTECTED_CHARACTERISTIC:
            return f"{self.group.name}: category not recorded"
        return self.group.name

    @property
    def value(self):
        """The count, or ``NUMBER_NOT_RECORDED``."""
        return NUMBER_NOT_RECORDED if self.count is None else self.count

    @classmethod
    def row(cls, activity, target, value) -> "Reach":
        """The row recording ``value`` (a count or ``NUMBER_NOT_RECORDED``) for a group or category."""
        category = target if isinstance(target, AudienceCategory) else None
        return cls(
            activity=activity,
            group_id=category.group_id if category else target.pk,
            category=category,
            count=None if value is NUMBER_NOT_RECORDED else value,
        )


class OutcomeStatus(TaggedChoices):
    DONE = "done", "Done"
    IN_PROGRESS = "in_progress", "In progress"
    NOT_POSSIBLE = "not_possible", "Not possible"

    tag_colours = enum.nonmember({"done": "green", "in_progress": "blue", "not_possible": "red"})


class Outcome(Withdrawable):
    """You said, we did."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="outcomes")
    what_we_heard = models.TextField("You said (what we heard)")
    what_we_did = models.TextField("We did (or will do)")
    status = models.CharField(max_length=12, choices=OutcomeStatus.choices, default=OutcomeStatus.IN_PROGRESS)
    reason_not_possible = models.TextField("Why it was not possible", blank=True)
    decision_influenced = models.CharField(max_length=300, blank=True)
    reported_back_on = models.DateField("Date reported back to participants", null=True, blank=True)
    published_where = models.CharField("Where it was published", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_possible") | ~Q(reason_not_possible=""),
                name="outcome_not_possible_needs_reason",
            ),
        ]

    def __str__(self):
        return self.what_we_heard[:80]

    @property
    def status_choice(self) -> OutcomeStatus:
        return OutcomeStatus(self.status)


class ImportMapping(models.Model):
    """How one organisation's own log reads: which of its headings is which field, and what its own
    words in list columns mean (“Complete” is Completed). Named, saved from the mapping step, applied
    again when a file with the same headings is uploaded; editable and deletable."""

    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=100)
    columns = models.JSONField(default=dict)
    """Normalised heading → field key (``""``: not imported)."""
    values = models.JSONField(default=dict, blank=True)
    """Field key → {case-folded value as written → value saved (``""``: left empty)}."""
    sheet = models.CharField(max_length=200, blank=True)
    """The sheet its file was read from ("" for a CSV file): a later file is looked for there too."""
    heading_row = models.PositiveIntegerField(null=True, blank=True)
    """The row its file's headings were in (chosen or found); none for mappings saved before it was kept."""
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="import_mapping_name_unique"),
        ]

    def __str__(self):
        return self.name

    def fits(self, headings) -> bool:
        """Whether a file with these (normalised, non-blank) headings is read by this mapping."""
        return bool(headings) and set(headings) == set(self.columns)


class ImportStage(models.TextChoices):
    COLUMNS = "columns", "Match the columns"
    VALUES = "values", "Match the values"
    READY = "ready", "Check and import"


class CommitState(models.TextChoices):
    NONE = "", "Not started"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    FAILED = "failed", "Not imported"


class ReadState(models.TextChoices):
    """A large upload's reading and checking, done by a task (``engagements.tasks.read_import``)."""

    NONE = "", "Read"
    QUEUED = "queued", "Waiting to start"
    READING = "reading", "Reading the file"
    CHECKING = "checking", "Checking the rows"
    SAVING = "saving", "Keeping the checked rows for the preview"
    FAILED = "failed", "Not read"


class ImportBatch(models.Model):
    """An uploaded spreadsheet waiting for (or done with) its commit; the preview reads from here.

    A file whose headings are not exactly the template's goes through the mapping step first
    (``stage``): its bytes are kept (``data``) until it is imported or removed after 30 days, so the
    sheet, heading row, columns and values chosen can be read again.
    """

    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    notices = models.JSONField(default=list, blank=True)
    """What the person should know about how the file was read (the sheet, skipped rows, ignored columns)."""
    error_count = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=10, choices=ImportStage.choices, default=ImportStage.READY)
    data = models.BinaryField(blank=True, default=b"", editable=False)
    """The uploaded file, kept for the mapping step; emptied once imported."""
    sheet = models.CharField(max_length=200, blank=True)
    heading_row = models.PositiveIntegerField(default=1)
    column_map = models.JSONField(default=dict, blank=True)
    """Position of a column in the heading row (as text) → field key (``""``: not imported)."""
    value_map = models.JSONField(default=dict, blank=True)
    """Field key → {case-folded value as written → value saved (``""``: left empty)}."""
    unmatched = models.JSONField(default=dict, blank=True)
    """Field key → [[value as written, rows], …]: list values naming nothing, for the values step."""
    mapping = models.ForeignKey(
        ImportMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commit_state = models.CharField(max_length=8, choices=CommitState.choices, default="", blank=True)
    """A large import's commit runs as a task (``engagements.tasks``): where it has got to."""
    commit_error = models.TextField(blank=True)
    commit_started_at = models.DateTimeField(null=True, blank=True)
    read_state = models.CharField(max_length=8, choices=ReadState.choices, default="", blank=True)
    """A large upload is read and checked by a task: where it has got to (``""``: read)."""
    read_error = models.TextField(blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    """Rows checked (or kept) so far of the rows to check, written as the task goes, for its progress page."""
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_count = models.PositiveIntegerField(default=0)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __init__(self, *args, **kwargs):
        self._rows, self._rows_changed = None, False
        super().__init__(*args, **kwargs)

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at.day} {self.uploaded_at:%B %Y, %H:%M})"  # NHS style

    def save(self, *args, progress=None, **kwargs):
        """Saves the batch and, when they were read or changed, its rows; ``progress(kept, total)`` is
        called after each thousand rows (the background reading writes its progress with it)."""
        update_fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        if self._rows is not None and (self._rows_changed or update_fields is None):
            self.row_set.all().delete()
            for start in range(0, len(self._rows), 1000):  # a thousand at a time: bounded memory
                if progress is not None:
                    progress(start, len(self._rows))
                ImportRow.objects.bulk_create(
                    [
                        ImportRow(
                            batch_id=self.pk,
                            number=row["number"],
                            data=row,
                            has_errors=bool(row.get("errors")),
                            has_warnings=bool(row.get("warnings")),
                        )
                        for row in self._rows[start : start + 1000]
                    ]
                )
            self._rows_changed = False

    @property
    def rows(self) -> list[dict]:
        """Every row as checked (``engagements.spreadsheets.parsing``), in the file's order: read from
        ``ImportRow`` once; pages read ``row_set`` a page at a time instead."""
        if self._rows is None:
            self._rows = (
                []
                if self.pk is None
                else list(self.row_set.order_by("number").values_list("data", flat=True))
            )
        return self._rows

    @rows.setter
    def rows(self, rows: list[dict]):
        self._rows, self._rows_changed = list(rows), True


class ImportRow(models.Model):
    """One row of an upload as checked, for its paged preview and its commit (never one growing value)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="row_set")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    """``{"number", "values", "clean", "errors", "warnings", …}``: see ``engagements.spreadsheets.parsing``."""
    has_errors = models.BooleanField(default=False)
    has_warnings = models.BooleanField(default=False)
    skip = models.BooleanField(default=False)
    """A possible duplicate (``data["duplicate"]``) the person chose, in the preview, to leave out."""

    class Meta:
        ordering = ["number"]
        indexes = [
            models.Index(fields=["batch", "has_errors", "has_warnings", "number"], name="import_row_preview")
        ]

    def __str__(self):
        return f"Row {self.number} of {self.batch_id}"
