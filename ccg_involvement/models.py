import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccg_involvement import history
from ccg_involvement.permissions import Permission, Role
from ccg_involvement.scoping import OrganisationQuerySet

# Paths that live beside /<ods code>/ at the top level and so can never be an organisation code.
RESERVED_CODES = {"admin", "accounts", "assurance", "healthz", "static", "organisations", "my-work"}


def validate_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_CODES:
        raise ValidationError(f"“{value}” is reserved and cannot be used as an organisation code.")


class OrganisationKind(models.TextChoices):
    CCG = "CCG", "Clinical commissioning group"
    """Statutory commissioner from April 2013 to 30 June 2022 (s14Z2 and s14U duties)."""
    ICB = "ICB", "Integrated care board"
    """Statutory commissioner from 1 July 2022 (s14Z45 and s14Z36 duties)."""
    OTHER = "OTHER", "Other organisation"
    """Anything else that keeps involvement evidence here (e.g. a commissioning support unit)."""


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    ods_code = models.CharField(
        "ODS code",
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{3,5}$", "Use the 3 to 5 letter or digit ODS code, e.g. 15N or QWE."),
            validate_not_reserved,
        ],
        help_text="The organisation's ODS code; it is also its address in this service (e.g. /15n/).",
    )
    kind = models.CharField(max_length=5, choices=OrganisationKind.choices)
    established_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="Leave empty while the organisation exists."
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The organisation that took over its functions (e.g. the ICB a CCG merged into).",
    )
    four_eyes_relaxed_reason = models.TextField(
        "Why one person may assess and review the same item",
        blank=True,
        help_text="Empty (the default): the person who last changed an item's verdict or narrative "
        "cannot review it. Filled in: that rule is relaxed, and the reason is shown in the assurance pack.",
    )
    four_eyes_relaxed_at = models.DateTimeField(null=True, blank=True)
    four_eyes_relaxed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(closed_on__gte=models.F("established_on")),
                name="organisation_closed_after_established",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"

    def save(self, *args, **kwargs):
        self.ods_code = self.ods_code.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("dashboard", kwargs={"org_code": self.slug})

    def clean(self):
        self.ods_code = (self.ods_code or "").upper()
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": "An organisation cannot be its own successor."})

    @property
    def slug(self) -> str:
        return self.ods_code.lower()

    @property
    def kind_with_article(self) -> str:
        """“a clinical commissioning group”, “an integrated care board”."""
        label = self.get_kind_display().lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"

    @property
    def four_eyes_relaxed(self) -> bool:
        """Has the organisation recorded a reason to let one person assess and review an item?"""
        return bool(self.four_eyes_relaxed_reason.strip())

    @property
    def is_active(self) -> bool:
        return self.closed_on is None or self.closed_on >= timezone.localdate()


class MembershipQuerySet(OrganisationQuerySet):
    def for_user(self, user):
        return self.filter(user=user, user__is_active=True).select_related("organisation")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    # Who added, changed the role of or removed (deactivated) whom, and when: the members page's history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_and_org"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} at {self.organisation.ods_code}"

    @property
    def display_name(self) -> str:
        return history.display_name(self.user)

    def is_last_admin(self) -> bool:
        """Is this the organisation's only administrator (with an active user account)?"""
        if self.role != Role.ADMIN:
            return False
        return (
            not Membership.objects.filter(
                organisation_id=self.organisation_id, role=Role.ADMIN, user__is_active=True
            )
            .exclude(pk=self.pk)
            .exists()
        )

    def permits(self, permission: Permission, membership=None) -> bool:
        """State rule for ``has_permission``: the last administrator's membership is not changed or
        removed (by themselves or anyone), so an organisation always keeps someone who manages members."""
        if permission == Permission.MANAGE_MEMBERS:
            return not self.is_last_admin()
        return True


class Withdrawable(models.Model):
    """A record that can be withdrawn with a reason: kept and shown as withdrawn, left out of every
    figure and document. Querysets leave them out with ``counted()``; actions withdraw them."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField("Why it was withdrawn", blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def permits(self, permission: Permission, membership=None) -> bool:
        """State rule for ``has_permission``: a withdrawn record is kept as it was, never edited."""
        return permission != Permission.EDIT or not self.is_withdrawn


def document_upload_to(instance, filename: str) -> str:
    # The stored name is random: the user's file name is kept (sanitised) in original_name only.
    return f"documents/{instance.organisation_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class DocumentQuerySet(OrganisationQuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Document(models.Model):
    """An uploaded evidence file. Removing one keeps the row (and the file) for the history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField("SHA-256", max_length=64)
    evidence_date = models.DateField(
        null=True, blank=True, help_text="When the evidence was produced (not when it was uploaded)."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="document_removed_pair",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("document-download", kwargs={"org_code": self.organisation.slug, "pk": self.pk})

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class DataVersion(models.Model):
    """A counter per organisation, moved on after every committed change to its evidence.

    Figures computed from an organisation's data (the assurance dashboard) are cached under this
    version; see ``ccg_involvement.freshness``. Only ever changed by an atomic increment.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.organisation_id}: {self.version}"


class ReminderSettings(models.Model):
    """Which reminder emails a person receives (both on unless they switch them off)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    weekly_digest = models.BooleanField(
        "Weekly digest",
        default=True,
        help_text="Every Monday: what is yours to do across your organisations.",
    )
    due_soon = models.BooleanField(
        "Due-soon reminder",
        default=True,
        help_text="An email when a checklist item you own is due within 7 days or overdue.",
    )
    last_due_soon_sent_on = models.DateField(null=True, blank=True)
    last_digest_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self):
        return f"Reminders for {self.user}"


class AuthFailure(models.Model):
    """A wrong password (logging in or changing it) or a password-reset request, for throttling.

    Rows older than a day are pruned; ``ccg_involvement.throttle`` reads and writes them. An
    administrator can lift a lockout by deleting its rows in the admin.
    """

    scope = models.CharField(max_length=16)
    username = models.CharField(max_length=254, help_text="As typed, trimmed and in lower case.")
    address = models.CharField(max_length=45, help_text="The client's address (see TRUSTED_PROXY_COUNT).")
    browser = models.CharField(
        max_length=32, blank=True, help_text="Set when the browser had logged in as this user before."
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "username", "at"], name="authfailure_scope_user_at")]
        verbose_name = "failed attempt"

    def __str__(self):
        return f"{self.scope}: {self.username} from {self.address} at {self.at.day} {self.at:%B %Y, %H:%M:%S}"
