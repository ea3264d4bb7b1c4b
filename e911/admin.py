"""911 in Django's admin: search and filters over the location mirror, alert recipients
inline, and address edits that go through the same validate-then-provision service as the
portal (source "admin"): an address VI cannot place is a form error and is never sent."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from dids.admin import MirrorAdmin, PortalRolesAdmin
from portal.actor import Actor
from portal.admin_forms import AsksViWhileCleaning
from portal.http import AuthenticatedHttpRequest
from portal.models import Source
from portal.staff_errors import attempt

from . import services
from .addresses import clean_address
from .models import AlertRecipient, BulkJob, BulkRow, Location, ProvisioningEntry

OPERATE = "portal.operate_e911"
ADDRESS_FIELDS = ("caller_name", "address1", "address2", "city", "state", "zip_code", "plus_four")


class LocationAdminForm(forms.ModelForm):
    """A changed address is validated by VI and provisioned while the form is cleaned."""

    class Meta:
        model = Location
        fields = list(ADDRESS_FIELDS)

    actor: Actor = None  # set per request by LocationAdmin.get_form

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        if (
            self.errors
            or self.instance.pk is None
            or not (set(self.changed_data) & set(ADDRESS_FIELDS))
        ):
            return cleaned
        try:
            tidy = clean_address(
                address1=cleaned.get("address1", ""), address2=cleaned.get("address2", ""),
                city=cleaned.get("city", ""), state=cleaned.get("state", ""), zip_code=cleaned.get("zip_code", ""),
                plus_four=cleaned.get("plus_four", ""), caller_name=cleaned.get("caller_name", ""),
            )  # fmt: skip
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        provisioned = attempt(
            lambda: services.location_provision(
                tn=self.instance.tn, address=tidy.address, actor=self.actor, source=Source.ADMIN
            ),
            expected=services.EXPECTED_ERRORS,
        )
        if provisioned.error is not None:
            raise ValidationError(str(provisioned.error))  # worded as on every page
        return cleaned


class AlertRecipientInline(admin.TabularInline):
    model = AlertRecipient
    fields = ("email", "added_at")
    readonly_fields = ("email", "added_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Location)
class LocationAdmin(AsksViWhileCleaning, MirrorAdmin):
    form = LocationAdminForm
    inlines = [AlertRecipientInline]
    list_display = (
        "tn",
        "status_code",
        "caller_name",
        "address1",
        "city",
        "state",
        "zip_code",
        "activated_at",
        "gone_at",
    )
    list_filter = ("status_code", "state", ("gone_at", admin.EmptyFieldListFilter))
    search_fields = ("tn", "address1", "city", "caller_name", "location_id")
    show_full_result_count = False
    list_per_page = 100
    actions = ["refresh_from_vi"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(OPERATE) and (obj is None or obj.gone_at is None)

    def has_refresh_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(OPERATE)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.has_change_permission(request, obj):
            return [name for name in fields if name not in ADDRESS_FIELDS]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_related(self, request, form, formsets, change) -> None:
        pass

    @admin.action(description="Refresh selected 911 records from VI", permissions=["refresh"])
    def refresh_from_vi(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[Location]
    ) -> None:
        done = 0
        for tn in queryset.values_list("tn", flat=True)[:200]:
            refreshed = attempt(
                partial(services.location_refresh, tn=tn, actor=request.user, source=Source.ADMIN),
                expected=services.EXPECTED_ERRORS,
            )
            if refreshed.error is not None:
                level = messages.WARNING if refreshed.error.unavailable else messages.ERROR
                self.message_user(request, f"{tn}: {refreshed.error}", level)
                if refreshed.error.unavailable:
                    return  # the next ones would fail the same way
                continue
            done += 1
        self.message_user(request, f"{done} 911 record(s) refreshed from VI.", messages.SUCCESS)


@admin.register(ProvisioningEntry)
class ProvisioningEntryAdmin(PortalRolesAdmin):
    list_display = ("tn", "location_id", "status_code", "address1", "city", "state", "updated_at")
    list_filter = ("status_code",)
    search_fields = ("tn", "address1", "city", "location_id")


class BulkRowInline(admin.TabularInline):
    model = BulkRow
    fields = (
        "line",
        "tn",
        "address1",
        "city",
        "state",
        "zip_code",
        "verdict",
        "message",
        "result",
        "result_message",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BulkJob)
class BulkJobAdmin(PortalRolesAdmin):
    list_display = (
        "pk",
        "file_name",
        "created_by",
        "status",
        "created_at",
        "progress_done",
        "progress_total",
    )
    list_filter = ("status",)
    inlines = [BulkRowInline]
