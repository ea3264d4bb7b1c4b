"""Messaging mirrors in Django's admin: search, filters, history; VI-held fields changed through VI.

Like the numbers admin (dids/admin.py): rows are VI's, never added or deleted by hand. The
campaign texts VI lets one change are edited here through `services.campaign_update`
(source "admin"), VI's refusal shown as a field error; numbers are put on a campaign with an
admin action that calls `services.campaign_numbers_assign` and reports a result per number.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse

from dids.admin import MirrorAdmin, PortalRolesAdmin
from portal.models import Source
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from . import selectors, services
from .models import Brand, CachedChoices, Campaign, SentMessage, SMSNumber


class AssignCampaignForm(forms.Form):
    campaign = forms.ChoiceField(label="Approved campaign")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [
            (c.campaign_id, str(c)) for c in selectors.campaigns_assignable()
        ]


@admin.register(SMSNumber)
class SMSNumberAdmin(MirrorAdmin):
    list_display = ("tn", "enabled", "destination_type", "destination", "campaign_id", "gone_at")
    list_filter = ("enabled", "destination_type", ("gone_at", admin.EmptyFieldListFilter))
    search_fields = ("tn", "campaign_id", "destination")
    actions = ["assign_to_campaign", "remove_from_campaign"]

    def _may_operate(self, request: HttpRequest) -> bool:
        return request.user.has_perm("portal.operate_messaging")

    @admin.action(description="Assign the selected numbers to a 10DLC campaign")
    def assign_to_campaign(self, request: HttpRequest, queryset):
        if not self._may_operate(request):
            self.message_user(request, "You may not change messaging.", messages.ERROR)
            return None
        tns = list(queryset.values_list("tn", flat=True))
        if "apply" in request.POST:
            form = AssignCampaignForm(request.POST)
            if form.is_valid():
                self._report(
                    request,
                    lambda: services.campaign_numbers_assign(
                        tns=tns,
                        campaign_id=form.cleaned_data["campaign"],
                        actor=request.user,
                        source=Source.ADMIN,
                    ),
                )
                return None
        else:
            form = AssignCampaignForm()
        return TemplateResponse(request, "admin/messaging/assign_campaign.html", {
            **self.admin_site.each_context(request), "title": "Assign to a 10DLC campaign", "form": form,
            "tns": tns, "pks": list(queryset.values_list("pk", flat=True)), "action": "assign_to_campaign",
            "opts": self.model._meta,
        })  # fmt: skip

    @admin.action(description="Remove the selected numbers from their campaign")
    def remove_from_campaign(self, request: HttpRequest, queryset):
        if not self._may_operate(request):
            self.message_user(request, "You may not change messaging.", messages.ERROR)
            return
        tns = list(queryset.values_list("tn", flat=True))
        self._report(
            request,
            lambda: services.campaign_numbers_remove(
                tns=tns, actor=request.user, source=Source.ADMIN
            ),
        )

    def _report(self, request: HttpRequest, action) -> None:
        try:
            outcomes = action()
        except ProviderUnavailable:
            self.message_user(request, "VI is unreachable — nothing was changed.", messages.ERROR)
            return
        except ProviderRejected as refusal:
            self.message_user(
                request, f"VI said: {refusal.message} (code {refusal.code})", messages.ERROR
            )
            return
        for outcome in outcomes:
            level = messages.SUCCESS if outcome.ok else messages.ERROR
            code = f" (code {outcome.code})" if not outcome.ok and outcome.code else ""
            self.message_user(request, f"{outcome.tn}: {outcome.message}{code}", level)


@admin.register(Brand)
class BrandAdmin(MirrorAdmin):
    list_display = (
        "customer_id",
        "display_name",
        "entity_type",
        "tag",
        "verification_status",
        "gone_at",
    )
    list_filter = ("verification_status", "entity_type")
    search_fields = ("customer_id", "display_name", "company_name", "tag", "email")


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = list(services.UPDATABLE_TEXTS)


@admin.register(Campaign)
class CampaignAdmin(MirrorAdmin):
    list_display = (
        "campaign_id",
        "display_name",
        "customer_id",
        "usecase_id",
        "status",
        "external",
        "gone_at",
    )
    list_filter = ("status", "external", "usecase_id")
    search_fields = ("campaign_id", "display_name", "customer_id")
    form = CampaignAdminForm

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("portal.operate_messaging") and (
            obj is None or not obj.is_gone
        )

    def get_readonly_fields(self, request, obj=None):
        editable = (
            set(services.UPDATABLE_TEXTS) if self.has_change_permission(request, obj) else set()
        )
        return [name for name in super().get_readonly_fields(request, obj) if name not in editable]

    def save_model(self, request, obj, form, change):
        # Never a plain save: the texts go to VI, and the service writes the mirror with history.
        texts = {
            name: form.cleaned_data[name]
            for name in services.UPDATABLE_TEXTS
            if name in form.changed_data
        }
        if not texts:
            return
        services.campaign_update(
            campaign_id=obj.campaign_id, texts=texts, actor=request.user, source=Source.ADMIN
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ProviderRejected, ProviderUnavailable, ValidationError) as error:
            words = (
                "VI is unreachable — nothing was changed."
                if isinstance(error, ProviderUnavailable)
                else f"VI said: {error.message} (code {error.code})"
                if isinstance(error, ProviderRejected)
                else "; ".join(error.messages)
            )
            self.message_user(request, words, messages.ERROR)
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(CachedChoices)
class CachedChoicesAdmin(PortalRolesAdmin):
    list_display = ("key", "fetched_at")


@admin.register(SentMessage)
class SentMessageAdmin(PortalRolesAdmin):
    list_display = ("sent_at", "kind", "sender", "recipient", "ok", "response_code", "actor")
    list_filter = ("kind", "ok")
    search_fields = ("sender", "recipient", "uuid")
    readonly_fields = [field.name for field in SentMessage._meta.fields]
