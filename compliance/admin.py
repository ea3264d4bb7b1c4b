from django.contrib import admin

from .models import Revalidation, Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("taken_on", "score", "numbers", "taken_at")
    readonly_fields = ("taken_on", "taken_at", "score", "numbers", "failing", "clients")


@admin.register(Revalidation)
class RevalidationAdmin(admin.ModelAdmin):
    list_display = ("tn", "valid", "previous_valid", "checked_at", "changed_at", "address")
    list_filter = ("valid",)
    search_fields = ("tn", "address")
    readonly_fields = ("tn", "address", "valid", "previous_valid", "checked_at", "changed_at")
