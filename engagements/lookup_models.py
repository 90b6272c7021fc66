"""The engagement log's reference lists, seeded from ``engagements/data/lookups.toml`` and editable
in the admin: methods, partners, audience groups with their categories (ADR 0008), adjustments.
Models of the ``engagements`` app (``engagements.models`` imports them under the same names)."""

from django.db import models


class Lookup(models.Model):
    """Reference lists seeded from ``engagements/data/lookups.toml`` and editable in the admin."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive entries stay on old records only.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Method(Lookup):
    pass


class PartnerKind(models.TextChoices):
    HEALTHWATCH = "healthwatch", "Healthwatch"
    VCSE = "vcse", "Voluntary, community and social enterprise"
    PPG = "ppg", "Patient participation group"
    OSC = "osc", "Overview and scrutiny committee"
    HWB = "hwb", "Health and wellbeing board"
    LAY = "lay", "Lay or non-executive member"
    ICP = "icp", "Integrated care partnership"
    PROVIDER = "provider", "Provider"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    OTHER = "other", "Other"


class Partner(Lookup):
    kind = models.CharField(max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER)


class AudienceKind(models.TextChoices):
    """What sort of group an audience group is (the data file cites why each group has its kind)."""

    PROTECTED_CHARACTERISTIC = "protected_characteristic", "Protected characteristic"
    """One of the nine characteristics protected by the Equality Act 2010 (reached per category)."""
    INCLUSION_GROUP = "inclusion_group", "Inclusion health or Core20PLUS group"
    """NHS England's inclusion health groups, Core20PLUS populations and other seldom-heard groups."""
    COMMUNITY = "community", "Community of place, identity or interest"
    """Carers, children and young people, older people, rural communities and the like."""


KIND_ORDER = [AudienceKind.PROTECTED_CHARACTERISTIC, AudienceKind.INCLUSION_GROUP, AudienceKind.COMMUNITY]
"""The order kinds are shown in (forms, dashboard, documents)."""
KIND_HEADINGS = {
    AudienceKind.PROTECTED_CHARACTERISTIC: "Protected characteristics",
    AudienceKind.INCLUSION_GROUP: "Inclusion health and Core20PLUS groups",
    AudienceKind.COMMUNITY: "Communities of place, identity or interest",
}


class AudienceGroup(Lookup):
    kind = models.CharField(max_length=30, choices=AudienceKind.choices)
    categories_source = models.CharField(
        max_length=300, blank=True, help_text="Where the list of categories within this group comes from."
    )
    categories_url = models.URLField(max_length=300, blank=True)
    categories_verified = models.BooleanField(
        default=False, help_text="Whether the list of categories was checked against its source."
    )
    categories_note = models.CharField(max_length=300, blank=True)
    kind_verified = models.BooleanField(
        default=True,
        help_text="Whether the group's kind was checked against the sources the data file cites.",
    )

    class Meta(Lookup.Meta):
        ordering = ["position", "name"]

    @property
    def is_characteristic(self) -> bool:
        return self.kind == AudienceKind.PROTECTED_CHARACTERISTIC


class AudienceCategory(Lookup):
    """A category within an audience group: an age band, an ethnic category, a religion, ...

    People counted against a characteristic without a category are "category not recorded": a
    reach row with no category, not a category of its own (ADR 0008).
    """

    group = models.ForeignKey(AudienceGroup, on_delete=models.PROTECT, related_name="categories")

    class Meta(Lookup.Meta):
        ordering = ["position", "name"]
        verbose_name_plural = "audience categories"

    def label(self) -> str:
        """The category with its group, as a column heading or a list item says it: "Age: 65 to 74"."""
        return f"{self.group.name}: {self.name}"


class Adjustment(Lookup):
    pass
