from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from duties.models import Checklist, ChecklistItem, Duty, Framework


class DutyInline(admin.TabularInline):
    model = Duty
    fk_name = "framework"
    extra = 0
    fields = ["number", "code", "title", "importance", "retired_in"]
    readonly_fields = fields
    can_delete = False


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "revision", "short_title", "legal_basis", "applies_to", "is_current", "loaded_at"]
    list_filter = ["is_current", "code"]
    inlines = [DutyInline]

    def has_change_permission(self, request, obj=None):
        return False  # frameworks change only through their data files and `manage.py load_frameworks`

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Checklist)
class ChecklistAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "framework", "year", "signed_off_at"]
    list_filter = ["year", "framework__code"]
    raw_id_fields = ["organisation", "created_by", "signed_off_by"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = ["checklist", "duty", "status", "verdict", "owner", "due_date"]
    list_filter = ["status", "verdict"]
    raw_id_fields = ["checklist", "duty", "owner", "reviewed_by", "documents"]
