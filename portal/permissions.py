"""How views declare what they need, so the rules are visible and testable.

Read views need `portal.view_portal`, which the middleware checks for every page; a view
that changes anything (here or at VI) is a *write view*:

    @write_view("portal.operate_numbers")
    def assign(request): ...

It acts on POST only, checks the permission (403, never a redirect to the login page for
a signed-in user), and carries its permission on the function so tests can find every write
view in the URL configuration and prove a Viewer is refused.

A GET on a write view's address is not an attack, it is a person: a form that answered
with its errors left the address bar on the POST-only URL, and they pressed Enter or
reloaded. For a holder of the permission that GET leads back to the page holding the form
(see `page_holding_the_form`); a non-holder still gets 403 and learns nothing.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

VIEW_PORTAL = "portal.view_portal"

# The attribute the URL walker in tests/portal looks for.
WRITE_PERMISSION_ATTRIBUTE = "portal_write_permission"

BACK_TO_THE_FORM = "That address only answers a submitted form, so here is the page the form is on."

# Where a write view's form lives: a URL name (reversed with the view's own URL arguments
# when it takes them) or a function (request, **url_kwargs) -> path.
Fallback = str | Callable[..., str] | None


def write_view(permission: str, *, fallback: Fallback = None) -> Callable[[Callable], Callable]:
    """POST only, and only for holders of `permission` ("app_label.codename").

    `fallback` names the page that holds this view's form, for a GET on its address.
    """
    if "." not in permission:
        raise ValueError(f"write_view needs 'app_label.codename', got {permission!r}")

    def decorator(view: Callable) -> Callable:
        # The permission is checked first, so a user without it learns nothing from
        # the method either: GET and POST both answer 403.
        guarded = permission_required(permission, raise_exception=True)(require_POST(view))

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                request.method in ("GET", "HEAD")
                and not getattr(request, "htmx", False)
                and request.user.has_perm(permission)
            ):
                return _back_to_the_form(request, fallback, kwargs)
            return guarded(request, *args, **kwargs)

        setattr(wrapper, WRITE_PERMISSION_ATTRIBUTE, permission)
        return wrapper

    return decorator


def write_permission_of(view: Callable) -> str | None:
    """The permission a write view needs, or None for a read view."""
    return getattr(view, WRITE_PERMISSION_ATTRIBUTE, None)


def _back_to_the_form(
    request: HttpRequest, fallback: Fallback, url_kwargs: dict
) -> HttpResponseRedirect:
    if request.method == "GET" and hasattr(request, "_messages"):
        messages.info(request, BACK_TO_THE_FORM)
    return HttpResponseRedirect(
        page_holding_the_form(request, fallback=fallback, url_kwargs=url_kwargs)
    )


def page_holding_the_form(
    request: HttpRequest, *, fallback: Fallback = None, url_kwargs: dict | None = None
) -> str:
    """The best guess at the page a POST-only address belongs to, in order:
    the view's declared page; the page the person came from (this site only); the nearest
    enclosing address that is a readable page; the dashboard."""
    declared = _declared(request, fallback, url_kwargs or {})
    if declared:
        return declared
    referred = _same_site_referrer(request)
    if referred:
        return referred
    return _nearest_read_page(request.path) or reverse("dashboard")


def _declared(request: HttpRequest, fallback: Fallback, url_kwargs: dict) -> str | None:
    if fallback is None:
        return None
    if callable(fallback):
        return fallback(request, **url_kwargs)
    try:
        return reverse(fallback, kwargs=url_kwargs) if url_kwargs else reverse(fallback)
    except NoReverseMatch:
        return reverse(fallback)


def _same_site_referrer(request: HttpRequest) -> str | None:
    referrer = request.headers.get("Referer", "")
    if not referrer or not url_has_allowed_host_and_scheme(
        referrer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referrer)
    # "//other.site/…" (or "/\\other.site") as a path is another site to a browser.
    if (
        parts.path == request.path
        or not parts.path.startswith("/")
        or parts.path.startswith(("//", "/\\"))
    ):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _nearest_read_page(path: str) -> str | None:
    """/numbers/4352154006/cnam/ -> /numbers/4352154006/ when that is a read view."""
    segments = [segment for segment in path.split("/") if segment]
    while segments:
        segments.pop()
        candidate = "/" + "/".join(segments) + ("/" if segments else "")
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if write_permission_of(match.func) is None:
            return candidate
    return None
