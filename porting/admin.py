"""Ports in Django's admin: read-only mirrors with search and filters, and "refresh selected
ports from VI" (getPortDetails and the numbers' history) for holders of `run_sync`.

VI's API cannot change a port, so nothing here edits one."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.db.models import QuerySet

from dids.admin import MirrorAdmin, PortalRolesAdmin
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.staff_errors import attempt

from . import services
from .models import Port, PortabilityJob, PortabilityRow, PortEvent, PortHistoryEntry, PortNumber

REFRESH = "portal.run_sync"
MAX_REFRESH = 100


class PortNumberInline(admin.TabularInline):
    model = PortNumber
    fields = ("tn", "tier", "rate_center", "state", "lata", "endpoint_group", "cnam", "e911", "did")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PortEventInline(admin.TabularInline):
    model = PortEvent
    fields = ("seen_at", "kind", "before", "after", "source", "notified_at", "notified_count")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Port)
class PortAdmin(MirrorAdmin):
    inlines = [PortNumberInline, PortEventInline]
    list_display = (
        "vi_id",
        "status",
        "end_user",
        "billing_tn",
        "porting_from",
        "foc_at",
        "requested_foc_at",
        "submitted_at",
        "gone_at",
    )
    list_filter = (
        "status",
        "porting_from",
        "sales_rep",
        ("foc_at", admin.DateFieldListFilter),
        ("gone_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("=vi_id", "end_user", "billing_tn", "numbers__tn", "porting_from", "sales_rep")
    list_per_page = 100
    actions = ["refresh_from_vi"]

    def has_refresh_permission(self, request: AuthenticatedHttpRequest) -> bool:
        return request.user.has_perm(REFRESH)

    @admin.action(description="Refresh selected ports from VI", permissions=["refresh"])
    def refresh_from_vi(self, request: AuthenticatedHttpRequest, queryset: QuerySet[Port]) -> None:
        done = 0
        for vi_id in queryset.values_list("vi_id", flat=True)[:MAX_REFRESH]:
            refreshed = attempt(
                partial(
                    services.port_refresh, vi_id=vi_id, actor=request.user, source=Source.ADMIN
                ),
                expected=services.EXPECTED_ERRORS,
            )
            if refreshed.error is None:
                done += 1
            elif refreshed.error.kind == "unreachable":  # every other port would wait as long
                self.message_user(request, f"Port {vi_id}: {refreshed.error}", messages.ERROR)
                return
            else:
                self.message_user(request, f"Port {vi_id}: {refreshed.error}", messages.WARNING)
        self.message_user(request, f"{done} port(s) refreshed from VI.", messages.SUCCESS)


@admin.register(PortEvent)
class PortEventAdmin(PortalRolesAdmin):
    list_display = (
        "seen_at",
        "port",
        "kind",
        "before",
        "after",
        "source",
        "notified_at",
        "notified_count",
    )
    list_filter = ("kind", "source", ("notified_at", admin.EmptyFieldListFilter))
    search_fields = ("=port__vi_id", "port__end_user", "before", "after")
    list_select_related = ("port",)
    date_hierarchy = "seen_at"


@admin.register(PortHistoryEntry)
class PortHistoryEntryAdmin(PortalRolesAdmin):
    list_display = ("tn", "port_vi_id", "status", "at", "description", "fetched_at")
    list_filter = ("status",)
    search_fields = ("=tn", "=port_vi_id", "description")


class PortabilityRowInline(admin.TabularInline):
    model = PortabilityRow
    fields = ("position", "entry", "tn", "verdict", "code", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PortabilityJob)
class PortabilityJobAdmin(PortalRolesAdmin):
    inlines = [PortabilityRowInline]
    list_display = (
        "pk",
        "created_at",
        "created_by",
        "status",
        "progress_done",
        "progress_total",
        "duplicates",
    )
    list_filter = ("status",)
    search_fields = ("rows__tn", "created_by__username")
    readonly_fields = [field.name for field in PortabilityJob._meta.fields]
