"""The numbers in Django's admin: search, filters, history — and VI-held fields edited through VI.

Mirror rows are VI's: the admin never adds or deletes them, and a change to a field VI
holds (endpoint group, inbound CNAM dip, caller-ID name, forward, failover, DID group) is
sent to VI through the same services the portal uses (source "admin"). VI's refusal shows
as an error on the field and nothing is saved for it. Permissions are the portal's roles
(docs/contracts.md), not Django's per-model ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from portal.admin_forms import AsksViWhileCleaning
from portal.history import with_first_load_entry
from portal.http import AuthenticatedHttpRequest
from portal.models import ChangeRecord, Source
from portal.staff_errors import staff_error
from portal.voipinnovations.errors import ProviderRejected, ProviderUnavailable

from . import selectors, services
from .forms import endpoint_group_choice_label
from .models import (
    DID,
    Client,
    DIDGroup,
    EndpointGroup,
    IntlDID,
    InventoryTN,
    PrepaidBalanceReading,
    UnconfiguredTN,
)

HISTORY_ROWS = 50


class PortalRolesAdmin(admin.ModelAdmin):
    """Read-only for anyone who may see the portal; never add or delete by hand."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("portal.view_portal")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("portal.view_portal")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MirrorAdmin(PortalRolesAdmin):
    """Shows the mirror bookkeeping and the row's history under the fields."""

    mirror_fields = ("first_seen_at", "gone_at", "locally_changed_at", "last_changed_by", "history")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "id"] + ["history"]

    def get_fieldsets(self, request, obj=None):
        local = {"content_hash", *self.mirror_fields}
        fields = [
            field.name for field in self.model._meta.fields if field.name not in local | {"id"}
        ]
        return [
            (None, {"fields": fields}),
            ("Mirror", {"fields": self.mirror_fields, "classes": ("collapse",) if not obj else ()}),
        ]

    @admin.display(description="history")
    def history(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        records = with_first_load_entry(
            list(
                ChangeRecord.objects.filter(
                    model=obj._meta.label_lower, object_key=obj.natural_key_value
                ).select_related("actor")[:HISTORY_ROWS]
            ),
            model=obj._meta.label_lower,
            key=obj.natural_key_value,
            first_seen_at=obj.first_seen_at,
            limit=HISTORY_ROWS,
        )
        if not records:
            return "No changes recorded."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{record.at:%Y-%m-%d %H:%M:%S}",
                    record.get_action_display(),
                    record.get_source_display(),
                    record.actor or "—",
                    _changes_text(record),
                )
                for record in records
            ),
        )
        return format_html(
            "<table><thead><tr><th>when</th><th>what</th><th>source</th><th>who</th>"
            "<th>changes</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )


def _changes_text(record: ChangeRecord) -> str:
    parts = [
        f"{name}: {before!r} → {after!r}"
        for name, (before, after) in (record.changes or {}).items()
    ]
    text = "; ".join(parts)
    if record.note:
        text = f"{record.note}. {text}" if text else record.note
    return text


# --- DIDs ------------------------------------------------------------------------------------


class GroupChoiceField(forms.TypedChoiceField):
    """A group picked by name; any other positive id is still sent to VI, which decides.

    The mirror can lag behind VI (a group made at VI since the last sync): VI's answer, not
    our copy, says whether the account may use a group.
    """

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        text = str(value)
        return super().valid_value(value) or (text.isdigit() and 0 < int(text) < 2**31)


class DIDAdminForm(forms.ModelForm):
    """Edits of VI-held fields go to VI during validation, so a refusal is a field error."""

    class Meta:
        model = DID
        fields = ["endpoint_id", "cnam", "cnam_name", "forward", "failover", "did_group_id"]

    # Set by DIDAdmin.get_form: who is editing.
    actor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Groups by name, never a bare id box: the account's endpoint groups (inactive ones
        # marked, since VI refuses them) and DID groups, plus the row's own value even if
        # the mirror does not list it, so an untouched field never changes by itself.
        current = self.instance
        if "endpoint_id" in self.fields:
            groups = selectors.endpoint_group_list()
            choices = [("", "— none —")] + [
                (group.vi_id, endpoint_group_choice_label(group)) for group in groups
            ]
            if current.endpoint_id and current.endpoint_id not in {group.vi_id for group in groups}:
                choices.append(
                    (current.endpoint_id, selectors.endpoint_group_label(current.endpoint_id))
                )
            self.fields["endpoint_id"] = GroupChoiceField(label="Endpoint group", choices=choices)
        if "did_group_id" in self.fields:
            did_groups = selectors.did_group_list()
            choices = [("", "— no DID group —")] + [
                (group.vi_id, selectors.did_group_label(group.vi_id, {group.vi_id: group.name}))
                for group in did_groups
            ]
            if current.did_group_id and current.did_group_id not in {
                group.vi_id for group in did_groups
            }:
                choices.append(
                    (current.did_group_id, selectors.did_group_label(current.did_group_id))
                )
            self.fields["did_group_id"] = GroupChoiceField(label="DID group", choices=choices)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors or self.instance.pk is None:
            return cleaned
        changed = set(self.changed_data)
        tn = self.instance.tn
        try:
            self._send_to_vi(tn, cleaned, changed)
        except ProviderUnavailable as error:
            raise ValidationError(
                f"VI is unreachable — {error.message} Nothing more was changed."
            ) from None
        return cleaned

    def _send_to_vi(self, tn: str, cleaned: dict[str, Any], changed: set[str]) -> None:
        actor, source = self.actor, Source.ADMIN
        # Each field is one VI call; stop at the first refusal so the person sees where.
        steps: list[tuple[str, Callable[[], Any]]] = []
        if changed & {"endpoint_id", "cnam"}:
            steps.append(("endpoint_id", lambda: self._configure(tn, cleaned, actor)))
        if "cnam_name" in changed:
            name = (cleaned.get("cnam_name") or "").strip()
            steps.append(
                (
                    "cnam_name",
                    (
                        lambda: services.cnam_name_update(
                            tn=tn, name=name, actor=actor, source=source
                        )
                    )
                    if name
                    else (lambda: services.cnam_name_remove(tn=tn, actor=actor, source=source)),
                )
            )
        if "forward" in changed:
            forward = (cleaned.get("forward") or "").strip()
            endpoint_id = cleaned.get("endpoint_id") or self.instance.endpoint_id
            steps.append(
                (
                    "forward",
                    (
                        lambda: services.forward_set(
                            tn=tn, forward=forward, actor=actor, source=source
                        )
                    )
                    if forward
                    else (
                        lambda: services.forward_remove(
                            tn=tn, endpoint_id=endpoint_id, actor=actor, source=source
                        )
                    ),
                )
            )
        if "failover" in changed:
            failover = (cleaned.get("failover") or "").strip()
            steps.append(
                (
                    "failover",
                    lambda: services.failover_update(
                        tn=tn, failover=failover, actor=actor, source=source
                    ),
                )
            )
        if "did_group_id" in changed:
            group_id = cleaned.get("did_group_id")
            steps.append(
                (
                    "did_group_id",
                    (
                        lambda: services.did_group_set(
                            tn=tn, group_id=group_id, actor=actor, source=source
                        )
                    )
                    if group_id
                    else (lambda: services.did_group_remove(tn=tn, actor=actor, source=source)),
                )
            )
        done: list[str] = []
        for field, send in steps:
            try:
                send()
            except ValidationError as error:
                self.add_error(field, error)
                break
            except ProviderRejected as error:
                already = f" {', '.join(done)} did change at VI and was saved." if done else ""
                self.add_error(
                    field,
                    f"VI refused this change, so it was not saved: {error.message}{already} (VI code {error.code})",
                )
                break
            done.append(str(self.fields[field].label or field))

    @staticmethod
    def _configure(tn: str, cleaned: dict[str, Any], actor) -> None:
        if not cleaned.get("endpoint_id"):
            raise ValidationError("Choose an endpoint group.")
        [outcome] = services.dids_configure(
            tns=[tn],
            endpoint_id=cleaned["endpoint_id"],
            cnam=cleaned.get("cnam"),
            actor=actor,
            source=Source.ADMIN,
        )
        if not outcome.ok:
            raise ProviderRejected(outcome.code, outcome.message)


class ReleaseConfirmationForm(forms.Form):
    typed_count = forms.IntegerField(label="Type the number of DIDs to release", min_value=1)

    def __init__(self, *args, expected: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_typed_count(self) -> int:
        value = self.cleaned_data["typed_count"]
        if value != self.expected:
            raise ValidationError(
                f"Type {self.expected} to confirm releasing {self.expected} numbers."
            )
        return value


@admin.register(DID)
class DIDAdmin(AsksViWhileCleaning, MirrorAdmin):
    form = DIDAdminForm
    list_display = (
        "tn", "state", "rate_center", "tier", "endpoint_group", "did_group", "cnam_name", "forward",
        "failover", "has911", "gone_at",
    )  # fmt: skip
    list_filter = (
        "state",
        "tier",
        "has911",
        "cnam",
        "conference_line",
        "t38",
        ("gone_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("tn", "ref_id", "cnam_name")
    show_full_result_count = False  # no COUNT(*) over 100,000 rows on every page
    list_per_page = 100
    actions = ["refresh_from_vi", "release_selected"]
    vi_editable = ("endpoint_id", "cnam", "cnam_name", "forward", "failover", "did_group_id")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("portal.operate_numbers") and (
            obj is None or obj.gone_at is None
        )

    def get_queryset(self, request: HttpRequest):
        # Group names joined in by the database: one query per page, not one per row.
        from django.db.models import OuterRef, Subquery

        return (
            super()
            .get_queryset(request)
            .annotate(
                endpoint_group_name=Subquery(
                    EndpointGroup.objects.filter(vi_id=OuterRef("endpoint_id")).values("name")[:1]
                ),
                did_group_name=Subquery(
                    DIDGroup.objects.filter(vi_id=OuterRef("did_group_id")).values("name")[:1]
                ),
            )
        )

    @admin.display(description="endpoint group", ordering="endpoint_id")
    def endpoint_group(self, obj: DID) -> str:
        name = getattr(obj, "endpoint_group_name", "") or ""
        names = {obj.endpoint_id: name} if obj.endpoint_id is not None else {}
        return selectors.endpoint_group_label(obj.endpoint_id, names)

    @admin.display(description="DID group", ordering="did_group_id")
    def did_group(self, obj: DID) -> str:
        name = getattr(obj, "did_group_name", "") or ""
        names = {obj.did_group_id: name} if obj.did_group_id is not None else {}
        return selectors.did_group_label(obj.did_group_id, names)

    @admin.display(description="history")
    def history(self, obj) -> str:
        """The number's history as the number page words it: field labels, group names."""
        if obj is None or obj.pk is None:
            return "—"
        rows = selectors.did_history_rows(tn=obj.tn, limit=HISTORY_ROWS)
        if not rows:
            return "No changes recorded."
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(row.record.at):%Y-%m-%d %H:%M:%S}",
                    row.record.get_action_display(),
                    row.record.get_source_display(),
                    row.record.actor or "—",
                    "; ".join(
                        [row.record.note] * bool(row.record.note)
                        + [
                            f"{label}: {before or '—'} → {after or '—'}"
                            for label, before, after in row.changes
                        ]
                    ),
                )
                for row in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>when</th><th>what</th><th>source</th><th>who</th>"
            "<th>changes</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )

    def has_release_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("portal.release_numbers")

    def has_refresh_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("portal.operate_numbers")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.has_change_permission(request, obj):
            return [name for name in fields if name not in self.vi_editable]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request, so the actor never leaks between requests.
        return type(form.__name__, (form,), {"actor": request.user})

    @admin.action(description="Refresh selected numbers from VI", permissions=["refresh"])
    def refresh_from_vi(self, request: AuthenticatedHttpRequest, queryset) -> None:
        tns = list(queryset.values_list("tn", flat=True)[:200])
        try:
            outcomes = services.dids_refresh(tns=tns, actor=request.user, source=Source.ADMIN)
        except ProviderUnavailable as error:
            self.message_user(request, str(staff_error(error)), messages.ERROR)
            return
        _report(self, request, outcomes, done="refreshed")

    @admin.action(description="Release selected numbers to VI…", permissions=["release"])
    def release_selected(self, request: AuthenticatedHttpRequest, queryset):
        numbers = list(queryset.filter(gone_at__isnull=True).order_by("tn"))
        if not numbers:
            self.message_user(request, "None of the selected numbers is active.", messages.WARNING)
            return None
        form = ReleaseConfirmationForm(
            request.POST if "confirm_release" in request.POST else None, expected=len(numbers)
        )
        if form.is_bound and form.is_valid():
            try:
                outcomes = services.dids_release(
                    tns=[number.tn for number in numbers], actor=request.user, source=Source.ADMIN
                )
            except (ProviderRejected, ProviderUnavailable) as error:
                self.message_user(
                    request, f"Nothing was released. {staff_error(error)}", messages.ERROR
                )
                return None
            _report(self, request, outcomes, done="released")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Release {len(numbers)} numbers",
            "opts": self.model._meta,
            "numbers": [(number, _attachments(number)) for number in numbers],
            "form": form,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "action": "release_selected",
        }
        return TemplateResponse(request, "admin/dids/did/release_confirmation.html", context)


def _attachments(did: DID) -> list[str]:
    """What goes away with the number, for the release confirmation page."""
    found = []
    if did.has911:
        found.append("911 location")
    if did.cnam_name:
        found.append(f"caller ID name “{did.cnam_name}”")
    if did.forward:
        found.append(f"forward to {did.forward}")
    if did.failover:
        found.append(f"failover to {did.failover}")
    if did.fax_to_email:
        found.append(f"fax to {did.fax_to_email}")
    if did.email_to_fax:
        found.append(f"email to fax ({len(did.email_to_fax)})")
    if did.conference_line:
        found.append("conference line")
    if did.did_group_id:
        found.append(f"DID group {did.did_group_id}")
    if did.script_id:
        found.append(f"script {did.script_id}")
    return found


def _report(model_admin: admin.ModelAdmin, request: HttpRequest, outcomes, *, done: str) -> None:
    succeeded = [outcome for outcome in outcomes if outcome.ok]
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if succeeded:
        model_admin.message_user(request, f"{len(succeeded)} number(s) {done}.", messages.SUCCESS)
    for outcome in failed[:20]:
        model_admin.message_user(
            request, f"{outcome.tn}: {outcome.message} (VI code {outcome.code})", messages.ERROR
        )
    if len(failed) > 20:
        model_admin.message_user(
            request, f"… and {len(failed) - 20} more not {done}.", messages.ERROR
        )


# --- the other mirrors -----------------------------------------------------------------------


@admin.register(EndpointGroup)
class EndpointGroupAdmin(MirrorAdmin):
    list_display = ("vi_id", "name", "client", "active", "month_to_date_usage", "gone_at")
    list_filter = ("active", "international", ("gone_at", admin.EmptyFieldListFilter))
    search_fields = ("=vi_id", "name", "client")
    actions = ["activate", "deactivate"]

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("portal.manage_endpoint_groups")

    def _set_active(self, request: AuthenticatedHttpRequest, queryset, *, active: bool) -> None:
        change = services.endpoint_group_activate if active else services.endpoint_group_deactivate
        for group in queryset:
            try:
                change(group_id=group.vi_id, actor=request.user, source=Source.ADMIN)
            except (ProviderRejected, ProviderUnavailable, ValidationError) as error:
                self.message_user(request, f"{group}: {staff_error(error)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{group}: {'activated' if active else 'deactivated'}.",
                    messages.SUCCESS,
                )

    @admin.action(description="Activate selected endpoint groups at VI", permissions=["manage"])
    def activate(self, request, queryset):
        self._set_active(request, queryset, active=True)

    @admin.action(description="Deactivate selected endpoint groups at VI", permissions=["manage"])
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, active=False)


@admin.register(DIDGroup)
class DIDGroupAdmin(MirrorAdmin):
    list_display = ("vi_id", "name", "gone_at")
    search_fields = ("=vi_id", "name")


@admin.register(Client)
class ClientAdmin(MirrorAdmin):
    list_display = ("vi_id", "name", "endpoint_group_ids", "month_to_date_usage", "gone_at")
    search_fields = ("vi_id", "name")


@admin.register(IntlDID)
class IntlDIDAdmin(MirrorAdmin):
    list_display = ("tn", "country", "city", "tier", "status", "gone_at")
    list_filter = ("country",)
    search_fields = ("tn", "city")


@admin.register(InventoryTN)
class InventoryTNAdmin(MirrorAdmin):
    list_display = ("tn", "first_seen_at", "gone_at")
    search_fields = ("tn",)


@admin.register(UnconfiguredTN)
class UnconfiguredTNAdmin(MirrorAdmin):
    list_display = ("tn", "first_seen_at", "gone_at")
    search_fields = ("tn",)


@admin.register(PrepaidBalanceReading)
class PrepaidBalanceReadingAdmin(PortalRolesAdmin):
    list_display = ("read_at", "amount")
    date_hierarchy = "read_at"
