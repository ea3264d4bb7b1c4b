"""Messaging mirrors in Django's admin: search, filters, history; VI-held fields changed through VI.

Like the numbers admin (dids/admin.py): rows are VI's, never added or deleted by hand. The
campaign texts VI lets one change are edited here through `services.campaign_update`
(source "admin"), VI's refusal shown as a form error; numbers are put on a campaign with an
admin action that calls `services.campaign_numbers_assign` and reports a result per number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from dids.admin import MirrorAdmin, PortalRolesAdmin
from portal.actor import Actor
from portal.admin_forms import AsksViWhileCleaning
from portal.models import Source
from portal.staff_errors import attempt, flash

from . import selectors, services
from .models import Brand, CachedChoices, Campaign, SentMessage, SMSNumber
from .records import NumberOutcome


def _actor(request: HttpRequest) -> Actor:
    # Only signed-in staff reach the admin site.
    assert isinstance(request.user, User)
    return request.user


class AssignCampaignForm(forms.Form):
    campaign = forms.ChoiceField(label="Approved campaign")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign_field.choices = [
            (c.campaign_id, str(c)) for c in selectors.campaigns_assignable()
        ]

    @property
    def campaign_field(self) -> forms.ChoiceField:
        field = self.fields["campaign"]
        assert isinstance(field, forms.ChoiceField)
        return field


@admin.register(SMSNumber)
class SMSNumberAdmin(MirrorAdmin):
    list_display = ("tn", "enabled", "destination_type", "destination", "campaign_id", "gone_at")
    list_filter = ("enabled", "destination_type", ("gone_at", admin.EmptyFieldListFilter))
    search_fields = ("tn", "campaign_id", "destination")
    actions = ["assign_to_campaign", "remove_from_campaign"]

    def _may_operate(self, request: HttpRequest) -> bool:
        return request.user.has_perm("portal.operate_messaging")

    @admin.action(description="Assign the selected numbers to a 10DLC campaign")
    def assign_to_campaign(
        self, request: HttpRequest, queryset: QuerySet[SMSNumber]
    ) -> TemplateResponse | None:
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
                        actor=_actor(request),
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
    def remove_from_campaign(self, request: HttpRequest, queryset: QuerySet[SMSNumber]) -> None:
        if not self._may_operate(request):
            self.message_user(request, "You may not change messaging.", messages.ERROR)
            return
        tns = list(queryset.values_list("tn", flat=True))
        self._report(
            request,
            lambda: services.campaign_numbers_remove(
                tns=tns, actor=_actor(request), source=Source.ADMIN
            ),
        )

    def _report(self, request: HttpRequest, action: Callable[[], list[NumberOutcome]]) -> None:
        done = attempt(action, expected=services.EXPECTED_ERRORS)
        if done.error is not None:
            flash(request, done.error)
            return
        for outcome in done.value or []:
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
    """The texts VI lets one change. Cleaning the form sends the changed ones to VI, so VI's
    refusal is shown on the form; CampaignAdmin cleans it outside any transaction."""

    actor: Actor = None  # the person editing, set per request by CampaignAdmin.get_form

    class Meta:
        model = Campaign
        fields = list(services.UPDATABLE_TEXTS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        texts = {
            name: cleaned[name]
            for name in services.UPDATABLE_TEXTS
            if name in self.changed_data and name in cleaned
        }
        if not texts or self.errors:
            return cleaned
        campaign_id = self.instance.campaign_id
        sent = attempt(
            lambda: services.campaign_update(
                campaign_id=campaign_id, texts=texts, actor=self.actor, source=Source.ADMIN
            ),
            expected=services.EXPECTED_ERRORS,
        )
        if sent.error is not None:
            # The admin's template shows form errors only: VI's answer in the same words.
            self.add_error(None, sent.validation or str(sent.error))
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(AsksViWhileCleaning, MirrorAdmin):
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

    def has_change_permission(self, request: HttpRequest, obj: Campaign | None = None) -> bool:
        return request.user.has_perm("portal.operate_messaging") and (
            obj is None or not obj.is_gone
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Campaign | None = None) -> list[str]:
        editable = (
            set(services.UPDATABLE_TEXTS) if self.has_change_permission(request, obj) else set()
        )
        return [name for name in super().get_readonly_fields(request, obj) if name not in editable]

    def get_form(
        self, request: HttpRequest, obj: Campaign | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request, so the actor never leaks between requests.
        return type(form.__name__, (form,), {"actor": _actor(request)})


@admin.register(CachedChoices)
class CachedChoicesAdmin(PortalRolesAdmin):
    list_display = ("key", "fetched_at")


@admin.register(SentMessage)
class SentMessageAdmin(PortalRolesAdmin):
    list_display = ("sent_at", "kind", "sender", "recipient", "ok", "response_code", "actor")
    list_filter = ("kind", "ok")
    search_fields = ("sender", "recipient", "uuid")
    readonly_fields = [field.name for field in SentMessage._meta.fields]
