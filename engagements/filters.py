"""The activity list's filters: read from the query string (bookmarkable), applied in the database."""

import functools
from dataclasses import dataclass

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from ccg_involvement.years import ReportingYear
from engagements.models import (
    Activity,
    ActivityDuty,
    ActivityStatus,
    Outcome,
    Reach,
)
from engagements.selectors import lookup_options

SORTS = {
    "-start": ("-start_date", "-pk"),
    "start": ("start_date", "pk"),
    "title": ("title", "pk"),
    "-participants": ("-total_participants", "-start_date", "-pk"),
}


class ActivityFilterForm(forms.Form):
    # Every filter is optional, so the labels do not say so (the NHS.UK templates read this flag).
    mark_optional = False

    q = forms.CharField(
        required=False, label="Search", help_text="Words in the title, summary or service area"
    )
    year = forms.ChoiceField(required=False, label="Reporting year")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *ActivityStatus.choices])
    # the lists' options: selectors.lookup_options, read in one statement when the form is shown or checked
    method = forms.ChoiceField(required=False)
    partner = forms.ChoiceField(required=False)
    group = forms.ChoiceField(required=False, label="Reached group")
    duty = forms.ChoiceField(required=False, label="Duty evidenced")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-start", "Newest first"),
            ("start", "Oldest first"),
            ("title", "Title"),
            ("-participants", "Most participants"),
        ],
    )

    def __init__(self, *args, organisation, duties, **kwargs):
        super().__init__(*args, **kwargs)
        self._lookups = None
        for name, empty in (("method", "Any method"), ("partner", "Any partner"), ("group", "Any group")):
            self.fields[name].choices = functools.partial(self._lookup_choices, name, empty)
        current = ReportingYear.current()
        years = [current.next(), current] + [ReportingYear(current.start_year - n) for n in range(1, 13)]
        self.fields["year"].choices = [("", "All years")] + [(y.slug, y.label) for y in years]
        self.fields["duty"].choices = [("", "Any duty")] + [
            (str(d.pk), f"{d.framework.short_title} {d.number}. {d.title}") for d in duties
        ]

    def _lookup_choices(self, name, empty):
        """The options of one list: read (all three at once) only when the form is shown or checked."""
        if self._lookups is None:
            self._lookups = lookup_options()
        return [("", empty), *self._lookups[name]]


@dataclass
class AppliedFilters:
    year: ReportingYear | None
    active: bool
    searched: bool = False
    """Whether words were searched for: then every candidate row is read (see ``pagination``)."""


def apply_filters(queryset, form: ActivityFilterForm):
    """Filter and sort ``queryset`` with a bound, validated form (invalid values are ignored)."""
    data = form.cleaned_data if form.is_valid() else {}
    year = None
    if data.get("year"):
        year = ReportingYear.from_slug(data["year"])
        queryset = queryset.for_year(year)
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    # Many-to-many filters as EXISTS, not joins: no activity is repeated, so the list needs no
    # DISTINCT (a sort of every matching row, twice: the page and the paginator's count).
    if data.get("method"):
        queryset = queryset.filter(
            Exists(
                Activity.methods.through.objects.filter(
                    activity=OuterRef("pk"), method_id=int(data["method"])
                )
            )
        )
    if data.get("partner"):
        queryset = queryset.filter(
            Exists(
                Activity.partners.through.objects.filter(
                    activity=OuterRef("pk"), partner_id=int(data["partner"])
                )
            )
        )
    if data.get("group"):
        queryset = queryset.filter(
            Exists(
                Reach.objects.filter(activity=OuterRef("pk"), group_id=int(data["group"])).filter(
                    Q(count__gt=0) | Q(count__isnull=True)  # reached, with or without a number
                )
            )
        )
    if data.get("duty"):
        queryset = queryset.filter(
            Exists(ActivityDuty.objects.filter(activity=OuterRef("pk"), duty_id=int(data["duty"])))
        )
    words = (data.get("q") or "").split()[:8]
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(service_area__icontains=word)
        )
    queryset = queryset.order_by(*SORTS.get(data.get("sort") or "-start", SORTS["-start"]))
    active = any(data.get(k) for k in ("q", "year", "status", "method", "partner", "group", "duty"))
    return queryset, AppliedFilters(year=year, active=active, searched=bool(words))


def with_list_annotations(queryset):
    """The list's outcome count on each activity (``selectors.activity_rows`` reads the rest)."""
    return (
        queryset
        # a correlated count, not a join + GROUP BY, so the paginator's COUNT(*) stays a plain count
        .annotate(
            outcome_count=Coalesce(
                Subquery(
                    Outcome.objects.filter(activity=OuterRef("pk"))
                    .order_by()
                    .values("activity")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            )
        )
    )
