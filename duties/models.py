"""Statutory frameworks (versioned data) and each organisation's yearly checklists."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ccg_involvement.models import OrganisationKind
from ccg_involvement.permissions import Permission
from ccg_involvement.scoping import OrganisationQuerySet
from ccg_involvement.years import ReportingYear
from duties.choices import Importance, ItemStatus, Verdict, Verification


class FrameworkQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def applying_to(self, kind: str):
        return self.current().filter(applies_to__icontains=f"|{kind}|")

    def in_year(self, year: ReportingYear):
        """Frameworks that apply in ``year`` (``Framework.applies_in`` in the database)."""
        return self.filter(Q(first_year__isnull=True) | Q(first_year__lte=year.start_year)).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=year.start_year)
        )

    def applying_to_organisation(self, organisation):
        """The current frameworks an organisation is assessed against: those written for its kind
        (CCG, ICB), or for an "Other" organisation only those it chose (``FrameworkChoice``)."""
        if organisation.kind == OrganisationKind.OTHER:
            return self.current().filter(code__in=FrameworkChoice.codes_for(organisation))
        return self.applying_to(organisation.kind)


class Framework(models.Model):
    """One version (revision) of a statutory framework, loaded from ``duties/frameworks/*.toml``.

    A revision that any checklist uses is immutable: a changed data file becomes a new revision.
    """

    code = models.CharField(max_length=20, help_text="Stable code of the framework family, e.g. PPP17.")
    revision = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=60)
    legal_basis = models.CharField(max_length=120)
    guidance_title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=120)
    year = models.PositiveIntegerField()
    applies_to = models.CharField(max_length=40, help_text="Organisation kinds, stored as |CCG|ICB|.")
    item_label = models.CharField(max_length=40, default="item")
    summary = models.TextField()
    verification_note = models.TextField(blank=True)
    analogy_note = models.TextField(
        blank=True,
        help_text="Set when no guidance for these bodies could be verified and another body's guidance "
        "is applied to them by analogy: says so, and why. Shown wherever the framework is.",
    )
    sources = models.JSONField(default=list)
    scoring = models.JSONField(null=True, blank=True)
    rating_bands = models.JSONField(default=list, blank=True)
    first_year = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="First reporting year it applies to (its start year); empty: no limit.",
    )
    last_year = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Last reporting year it applies to (its start year); empty: no limit.",
    )
    source_file = models.CharField(max_length=200)
    content_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="framework_code_revision_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="one_current_revision_per_framework"
            ),
        ]

    def __str__(self):
        return f"{self.short_title} (v{self.revision})"

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.applies_to.split("|") if k]

    def applies_to_organisation(self, organisation, chosen: list[str] | None = None) -> bool:
        """Written for the organisation's kind, or chosen by an "Other" organisation (``chosen``: its
        ``FrameworkChoice.codes_for``, when the caller has read them for several frameworks)."""
        if organisation.kind == OrganisationKind.OTHER:
            return self.code in (FrameworkChoice.codes_for(organisation) if chosen is None else chosen)
        return organisation.kind in self.kinds

    def applies_in(self, year: ReportingYear) -> bool:
        """A framework applies only in the years its data file names (none named: every year)."""
        if self.first_year is not None and year.start_year < self.first_year:
            return False
        return self.last_year is None or year.start_year <= self.last_year

    @property
    def years_label(self) -> str:
        if self.first_year is None and self.last_year is None:
            return ""
        first = ReportingYear(self.first_year).label if self.first_year is not None else "the start"
        last = ReportingYear(self.last_year).label if self.last_year is not None else "now"
        return f"{first} to {last}"

    @property
    def is_scored(self) -> bool:
        return bool(self.scoring)

    @property
    def max_score(self) -> int:
        return self.scoring["max"] if self.scoring else 0

    def score_label(self, score: int | None) -> str:
        for level in (self.scoring or {}).get("levels", []):
            if level["score"] == score:
                return level["label"]
        return ""

    def rating_for(self, total: int) -> dict | None:
        """The rating band a total score falls in (bands are kept in the data file)."""
        for band in sorted(self.rating_bands, key=lambda b: -b["min_total"]):
            if total >= band["min_total"]:
                return band
        return None


class Duty(models.Model):
    """One key action / area / principle / domain of a framework revision."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="duties")
    code = models.CharField(max_length=30)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    expected = models.TextField()
    evidence = models.JSONField(default=list)
    importance = models.CharField(max_length=12, choices=Importance.choices)
    verification = models.CharField(max_length=1, default="P")
    verification_note = models.TextField(
        blank=True, help_text="What was checked, against which source and where; what could not be."
    )
    citation = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where in the guidance the item comes from (section, page or paragraph).",
    )
    sources = models.JSONField(default=list)
    maps_to = models.JSONField(default=list, blank=True)
    retired_in = models.ForeignKey(
        Framework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retired_duties",
        help_text="The later revision of the framework that dropped this item.",
    )

    class Meta:
        ordering = ["framework", "number"]
        verbose_name_plural = "duties"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="duty_code_unique_in_framework"),
            models.UniqueConstraint(fields=["framework", "number"], name="duty_number_unique_in_framework"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def verification_label(self) -> str:
        return dict(Verification.choices).get(self.verification, Verification.UNVERIFIED.label)

    @property
    def is_unverified(self) -> bool:
        return self.verification != Verification.VERIFIED

    @property
    def source_citation(self) -> str:
        """The document and place the item comes from, e.g. "Involving people … (NHS England, 2017), section 7.3"."""
        framework = self.framework
        document = f"{framework.guidance_title} ({framework.publisher}, {framework.year})"
        return f"{document}, {self.citation}" if self.citation else document

    @property
    def certainty_label(self) -> str:
        """A short mark for lists and documents: "", "paraphrase" or "unverified wording"."""
        return {Verification.PARTLY: "paraphrase", Verification.UNVERIFIED: "unverified wording"}.get(
            self.verification, ""
        )

    @property
    def source_links(self) -> list[dict]:
        """The item's sources with the framework's addresses: ``[{"key", "url", "title"}]`` (keys of domain.md)."""
        known = {s.get("key"): s for s in self.framework.sources or [] if isinstance(s, dict)}
        found = []
        for source in self.sources or []:
            key = source.get("key") if isinstance(source, dict) else source
            entry = known.get(key, {})
            found.append({"key": key, "url": entry.get("url", ""), "title": entry.get("title", "")})
        return found


class FrameworkChoice(models.Model):
    """The frameworks an "Other" organisation chose to be assessed against (issue 14).

    CCGs and ICBs get the frameworks written for their kind; an organisation of another kind gets no
    framework until an organisation administrator chooses, with a reason kept in the history.
    """

    organisation = models.OneToOneField(
        "ccg_involvement.Organisation", on_delete=models.PROTECT, related_name="framework_choice"
    )
    codes = models.JSONField(default=list, blank=True, help_text="Framework family codes, e.g. WPPC22.")
    reason = models.TextField(
        blank=True, help_text="Why these frameworks apply (e.g. the duty the organisation is under)."
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.organisation}: {', '.join(self.codes) or 'no frameworks'}"

    @classmethod
    def codes_for(cls, organisation) -> list[str]:
        choice = cls.objects.filter(organisation=organisation).values_list("codes", flat=True).first()
        return list(choice or [])


class ChecklistQuerySet(OrganisationQuerySet):
    def for_year(self, year: ReportingYear):
        return self.filter(year=year.start_year)


class Checklist(models.Model):
    """One organisation's assessment against one framework revision for one reporting year."""

    organisation = models.ForeignKey(
        "ccg_involvement.Organisation", on_delete=models.PROTECT, related_name="checklists"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="checklists")
    year = models.PositiveIntegerField(
        help_text="First calendar year of the reporting year (2025 = 2025/26)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sign_off_note = models.TextField(blank=True)
    approving_body = models.CharField(max_length=200, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    minute_reference = models.CharField(max_length=100, blank=True)
    reopen_reason = models.TextField(blank=True)

    objects = ChecklistQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "framework__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework", "year"], name="one_checklist_per_org_framework_year"
            ),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True, signed_off_by__isnull=True)
                | Q(signed_off_at__isnull=False, signed_off_by__isnull=False),
                name="checklist_signed_off_pair",
            ),
        ]

    def __str__(self):
        return f"{self.framework.short_title} {self.reporting_year}"

    def get_absolute_url(self):
        return reverse(
            "checklist-detail",
            kwargs={
                "org_code": self.organisation.slug,
                "year": self.reporting_year,
                "framework": self.framework.slug,
            },
        )

    @property
    def reporting_year(self) -> ReportingYear:
        return ReportingYear(self.year)

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def permits(self, permission: Permission, membership=None) -> bool:
        """State rule for ``has_permission``: a signed-off checklist is locked until it is reopened."""
        return permission != Permission.EDIT or not self.is_signed_off

    def self_reviewed_items(self):
        """Items reviewed by the person who last changed their assessment (four eyes not kept)."""
        return (
            self.items.filter(assessed_by__isnull=False, reviewed_by=models.F("assessed_by"))
            .select_related("duty", "reviewed_by")
            .order_by("duty__number")
        )

    def sign_off_blockers(self) -> list[str]:
        """Why the checklist cannot be signed off yet (empty: it can). Asked by the page and the action."""
        problems = []
        waiting = [
            str(item.duty.number)
            for item in self.items.exclude(status=ItemStatus.REVIEWED)
            .select_related("duty")
            .order_by("duty__number")
        ]
        if waiting:
            problems.append(
                f"Every item must be reviewed before sign-off. Not yet reviewed: {', '.join(waiting)}."
            )
        if not self.organisation.four_eyes_relaxed:
            own = [str(item.duty.number) for item in self.self_reviewed_items()]
            if own:
                problems.append(
                    "Each item must be reviewed by someone other than the person who last changed its "
                    f"assessment. Reviewed by their own assessor: {', '.join(own)}."
                )
        return problems


class ChecklistItemQuerySet(OrganisationQuerySet):
    organisation_path = "checklist__organisation"

    def for_year(self, year: ReportingYear):
        return self.filter(checklist__year=year.start_year)


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="checklist_items")
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.TODO)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField("How we meet it", blank=True)
    planned_actions = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    documents = models.ManyToManyField("ccg_involvement.Document", blank=True, related_name="checklist_items")
    review_comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who last changed the verdict, score or narrative (they cannot review it: four eyes).",
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save; detects lost updates.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChecklistItemQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[documents])

    class Meta:
        ordering = ["checklist", "duty__number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "duty"], name="one_item_per_duty"),
            models.CheckConstraint(
                condition=~Q(verdict="not_applicable") | ~Q(not_applicable_reason=""),
                name="not_applicable_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.duty} ({self.checklist})"

    def get_absolute_url(self):
        checklist = self.checklist
        return reverse(
            "checklist-item",
            kwargs={
                "org_code": checklist.organisation.slug,
                "year": checklist.reporting_year,
                "framework": checklist.framework.slug,
                "item": self.duty.code.lower(),
            },
        )

    @property
    def status_choice(self) -> ItemStatus:
        return ItemStatus(self.status)

    @property
    def verdict_choice(self) -> Verdict | None:
        return Verdict(self.verdict) if self.verdict else None

    @property
    def organisation(self):
        return self.checklist.organisation

    @property
    def organisation_id(self):
        return self.checklist.organisation_id

    def permits(self, permission: Permission, membership=None) -> bool:
        """State rule for ``has_permission``: nothing is edited or reviewed on a signed-off checklist,
        and the person who last changed the assessment does not review it (four eyes)."""
        if permission in {Permission.EDIT, Permission.REVIEW} and self.checklist.is_signed_off:
            return False
        if permission == Permission.REVIEW and membership is not None:
            return not self.is_own_assessment(membership.user_id)
        return True

    @property
    def has_something_to_review(self) -> bool:
        """A verdict (and, on a scored framework, a score) not yet reviewed: the review form's cue.

        ``actions.review_item`` refuses the same cases, so the page never offers a review that fails.
        """
        if not self.verdict or self.status == ItemStatus.REVIEWED:
            return False
        return not (self.checklist.framework.is_scored and self.score is None)

    def is_own_assessment(self, user_id) -> bool:
        """Four eyes: is ``user_id`` the last person to change the assessment, with no relaxation recorded?"""
        return (
            self.assessed_by_id is not None
            and self.assessed_by_id == user_id
            and not self.checklist.organisation.four_eyes_relaxed
        )

    def status_can_change(self) -> bool:
        """The owner's status control applies until a reviewer has reviewed the item.

        After a review only a change to the assessment (which sends the item back to "ready for
        review") or another review moves it on. The action and the templates both ask this.
        """
        return self.status != ItemStatus.REVIEWED and not self.checklist.is_signed_off
