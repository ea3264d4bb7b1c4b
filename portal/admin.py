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
