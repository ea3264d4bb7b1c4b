"""Admin for the portal's own records. ProviderCall is a log: read it, never edit it."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin

from .models import ProviderCall


@admin.register(ProviderCall)
class ProviderCallAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "operation",
        "outcome",
        "response_code",
        "duration_ms",
        "actor",
        "source",
    )
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
#
# Nobody grants what they do not hold. An Administrator manages users but is not a
# superuser: without these limits they could tick "superuser status", or give anyone
# (themselves included) a permission or a group they lack (issue 12). A superuser is
# unaffected. What the edited user or group already holds stays selectable, so editing
# someone's e-mail never silently strips a grant the editor could not have made.

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import GroupAdmin, UserAdmin  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.forms import ModelForm  # noqa: E402
from django.http import HttpRequest  # noqa: E402

User = get_user_model()


def held_permission_ids(user) -> set[int]:
    names = user.get_all_permissions()
    return {
        pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in names
    }


def grantable_group_ids(held: set[int]) -> set[int]:
    """Groups every permission of which the granter holds (an empty group is grantable)."""
    return {
        group.pk
        for group in Group.objects.prefetch_related("permissions")
        if {permission.pk for permission in group.permissions.all()} <= held
    }


def _limit_choices(form, name: str, allowed: set[int], already: set[int]) -> None:
    field = form.fields.get(name)
    if field is not None:
        field.queryset = field.queryset.filter(pk__in=allowed | already)


def _limited_form(
    form: type[ModelForm], *, granter, obj, limits: Callable[[ModelForm, Any, Any], None]
) -> type[ModelForm]:
    """`form` whose many-to-many choices are narrowed by `limits(form, granter, obj)`."""

    # The base is the form the admin built for this request: a class mypy cannot see.
    class GrantLimitedForm(form):  # type: ignore[valid-type, misc]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            limits(self, granter, obj)

    return GrantLimitedForm


def _limit_user_grants(form, granter, user) -> None:
    held = held_permission_ids(granter)
    current_permissions = set(user.user_permissions.values_list("pk", flat=True)) if user else set()
    current_groups = set(user.groups.values_list("pk", flat=True)) if user else set()
    _limit_choices(form, "user_permissions", held, current_permissions)
    _limit_choices(form, "groups", grantable_group_ids(held), current_groups)


def _limit_group_grants(form, granter, group) -> None:
    current = set(group.permissions.values_list("pk", flat=True)) if group else set()
    _limit_choices(form, "permissions", held_permission_ids(granter), current)


def _out_of_reach(request, user) -> bool:
    # A superuser's account is out of reach of anyone who is not one: setting its password
    # would be granting oneself everything.
    return user is not None and user.is_superuser and not request.user.is_superuser


class PortalUserAdmin(UserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "roles",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("groups", "is_staff", "is_active", "is_superuser")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, user) -> str:
        return ", ".join(sorted(group.name for group in user.groups.all())) or "—"

    actions = ["allow_sign_in"]

    @admin.action(
        description="Allow sign-in again (forget their wrong passwords)", permissions=["change"]
    )
    def allow_sign_in(self, request, queryset):
        # Sign-in throttling (portal/throttling.py) pauses an account after repeated wrong
        # passwords; this lifts the pause at once. A paused address is lifted by a superuser
        # under "Axes" or with `manage.py axes_reset_ip`.
        from axes.utils import reset

        cleared = sum(reset(username=user.username) for user in queryset)
        self.message_user(
            request,
            f"Sign-in allowed again for {queryset.count()} account(s); {cleared} failed attempt record(s) cleared.",
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form
        return _limited_form(form, granter=request.user, obj=obj, limits=_limit_user_grants)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _out_of_reach(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _out_of_reach(request, obj) and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if _out_of_reach(request, self.get_object(request, id)):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


class PortalGroupAdmin(GroupAdmin):
    def get_form(
        self, request: HttpRequest, obj: Group | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form
        return _limited_form(form, granter=request.user, obj=obj, limits=_limit_group_grants)


for model, model_admin in ((User, PortalUserAdmin), (Group, PortalGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
