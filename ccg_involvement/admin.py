from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ccg_involvement.models import AuthFailure, Document, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "kind", "established_on", "closed_on", "successor"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]
    inlines = [MembershipInline]
    # four eyes is relaxed by the organisation's administrators (/<org>/members/four-eyes/), who and when recorded
    readonly_fields = ["four_eyes_relaxed_reason", "four_eyes_relaxed_at", "four_eyes_relaxed_by"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name", "organisation__ods_code"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "original_name",
        "size",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
    ]
    list_filter = ["organisation"]
    search_fields = ["title", "original_name", "sha256"]
    readonly_fields = [
        "sha256",
        "size",
        "content_type",
        "uploaded_at",
        "uploaded_by",
        "original_name",
        "file",
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # evidence is removed through the app, which keeps it in the history


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users are never deleted: what they recorded and the history must keep its author."""

    actions = ["deactivate_users"]
    inlines = [
        type(
            "UserMembershipInline",
            (admin.TabularInline,),
            {"model": Membership, "extra": 0, "autocomplete_fields": ["organisation"]},
        )
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Deactivate the selected users (they can no longer log in)")
    def deactivate_users(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"Deactivated {count} user(s).")


@admin.register(AuthFailure)
class AuthFailureAdmin(admin.ModelAdmin):
    """Failed logins, password changes and reset requests; deleting a user's rows lifts a lockout."""

    list_display = ["at", "scope", "username", "address", "browser"]
    list_filter = ["scope"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
