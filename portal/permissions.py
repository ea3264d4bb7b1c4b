"""How views declare what they need, so the rules are visible and testable.

Read views need `portal.view_portal`, which the middleware checks for every page; a view
that changes anything (here or at VI) is a *write view*:

    @write_view("portal.operate_numbers")
    def assign(request): ...

It answers POST only, checks the permission (403, never a redirect to the login page for
a signed-in user), and carries its permission on the function so tests can find every write
view in the URL configuration and prove a Viewer is refused.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import permission_required
from django.views.decorators.http import require_POST

VIEW_PORTAL = "portal.view_portal"

# The attribute the URL walker in tests/portal looks for.
WRITE_PERMISSION_ATTRIBUTE = "portal_write_permission"


def write_view(permission: str) -> Callable[[Callable], Callable]:
    """POST only, and only for holders of `permission` ("app_label.codename")."""
    if "." not in permission:
        raise ValueError(f"write_view needs 'app_label.codename', got {permission!r}")

    def decorator(view: Callable) -> Callable:
        # The permission is checked first, so a user without it learns nothing from
        # the method either: GET and POST both answer 403.
        guarded = permission_required(permission, raise_exception=True)(require_POST(view))

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return guarded(request, *args, **kwargs)

        setattr(wrapper, WRITE_PERMISSION_ATTRIBUTE, permission)
        return wrapper

    return decorator


def write_permission_of(view: Callable) -> str | None:
    """The permission a write view needs, or None for a read view."""
    return getattr(view, WRITE_PERMISSION_ATTRIBUTE, None)
