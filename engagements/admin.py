from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from engagements.models import (
    Activity,
    ActivityDuty,
    Adjustment,
    AudienceCategory,
    AudienceGroup,
    Method,
    Outcome,
    Partner,
    Reach,
)


@admin.register(Method, Adjustment)
class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["name", "code"]


@admin.register(Partner)
class PartnerAdmin(LookupAdmin):
    list_display = ["name", "code", "kind", "is_active", "position"]
    list_filter = ["kind"]


@admin.register(AudienceGroup)
class AudienceGroupAdmin(LookupAdmin):
    list_display = ["name", "code", "kind", "categories_verified", "is_active", "position"]
    list_filter = ["kind"]


@admin.register(AudienceCategory)
class AudienceCategoryAdmin(LookupAdmin):
    list_display = ["name", "code", "group", "is_active", "position"]
    list_filter = ["group"]


class ActivityDutyInline(admin.TabularInline):
    model = ActivityDuty
    extra = 0
    raw_id_fields = ["duty"]


class ReachInline(admin.TabularInline):
    model = Reach
    extra = 0
    fields = ["group", "category", "count"]


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "start_date", "status", "total_participants"]
    list_filter = ["status", "organisation"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["organisation", "lead", "created_by", "documents"]
    inlines = [ActivityDutyInline, ReachInline, OutcomeInline]
