"""What a token may do is what its user's role may do: the same permissions as the pages.

Every API view declares `read_permission` (default: view the portal) and, for writes,
`write_permission`; `permission_of(view, method)` tells tests which permission each write
needs, the way `portal.permissions.write_permission_of` does for pages.
"""

from rest_framework.permissions import BasePermission

from portal.permissions import VIEW_PORTAL

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def permission_of(view, method: str) -> str:
    if method.upper() in SAFE_METHODS or not hasattr(view, method.lower()):
        # A method the view does not answer: DRF says 405 once the role is checked.
        return getattr(view, "read_permission", VIEW_PORTAL)
    permission = getattr(view, "write_permission", None)
    if isinstance(permission, dict):
        permission = permission.get(method.upper())
    if not permission:
        raise RuntimeError(
            f"{type(view).__name__} accepts {method} but declares no write_permission"
        )
    return permission


class RolePermission(BasePermission):
    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.has_perm(VIEW_PORTAL)):
            return False
        return user.has_perm(permission_of(view, request.method))
