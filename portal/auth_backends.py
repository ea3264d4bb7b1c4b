"""Permissions and roles of the signed-in person, read in one query per request.

Every page checks a permission (the middleware's `portal.view_portal`) and every page's
header names the person's roles. Django's ModelBackend reads the person's own permissions
and their roles' permissions in two queries, and the header asked a third time for the
role names; `RoleBackend` reads all three in one UNION and caches them on the user object
for the request, exactly where ModelBackend keeps its own caches.

Semantics are ModelBackend's, unchanged: an inactive or anonymous user has no permissions,
and a superuser has every one (ModelBackend's own query).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value

# Where ModelBackend caches each kind of permission on the user object.
_CACHES = {"user": "_user_perm_cache", "group": "_group_perm_cache"}
_ROLE_NAMES = "_role_names"


class RoleBackend(ModelBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        _read_once(user_obj, obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        _read_once(user_obj, obj)
        return super().get_group_permissions(user_obj, obj)


def _read_once(user: Any, obj: Any) -> None:
    """Fill ModelBackend's caches in one query, where ModelBackend would read them itself."""
    if (
        obj is None
        and user.is_active
        and not user.is_anonymous
        and not user.is_superuser
        and not all(hasattr(user, cache) for cache in _CACHES.values())
    ):
        _load_roles_and_permissions(user)


def role_names(user: Any) -> list[str]:
    """The names of the person's roles (groups), sorted; free once permissions were read."""
    names = getattr(user, _ROLE_NAMES, None)
    if names is None:
        names = sorted(user.groups.values_list("name", flat=True))
    return list(names)


def _load_roles_and_permissions(user: Any) -> None:
    # A role's row with no permission still names the role (the LEFT JOIN gives NULLs);
    # the person's own permissions come with no role name.
    through_roles = (
        Group.objects.filter(user=user)
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
        .order_by()
    )
    own = (
        Permission.objects.filter(user=user)
        .values_list(Value(None, output_field=CharField()), "content_type__app_label", "codename")
        .order_by()
    )
    own_permissions: set[str] = set()
    role_permissions: set[str] = set()
    names: set[str] = set()
    for role, app_label, codename in through_roles.union(own, all=True):
        if role is None:
            own_permissions.add(f"{app_label}.{codename}")
            continue
        names.add(role)
        if codename is not None:
            role_permissions.add(f"{app_label}.{codename}")
    setattr(user, _CACHES["user"], own_permissions)
    setattr(user, _CACHES["group"], role_permissions)
    setattr(user, _ROLE_NAMES, sorted(names))
