"""Admin for the portal's own records. ProviderCall is a log: read it, never edit it."""

from django.contrib import admin

from .models import ProviderCall


@admin.register(ProviderCall)
class ProviderCallAdmin(admin.ModelAdmin):
    list_display = ("created_at", "operation", "outcome", "response_code", "duration_ms", "actor", "source")
    list_filter = ("outcome", "source", "operation")
    search_fields = ("operation", "response_message", "error")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = [field.name for field in ProviderCall._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Users and roles ---------------------------------------------------------------------
# Administrators manage users here; a user's role is their group (Viewer, Operator,
# Administrator), so the list shows and filters by it.

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin  # noqa: E402

User = get_user_model()


class PortalUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "roles", "is_staff", "is_active", "last_login")
    list_filter = ("groups", "is_staff", "is_active", "is_superuser")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, user) -> str:
        return ", ".join(sorted(group.name for group in user.groups.all())) or "—"


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
