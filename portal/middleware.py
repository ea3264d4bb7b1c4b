"""Deny by default: every page needs a signed-in user holding `portal.view_portal`.

A view added tomorrow is private unless it says otherwise with Django's own
`@login_not_required` (the login page and /healthz do). Django 5.1's
LoginRequiredMiddleware does the first half; this subclass adds three things:

* htmx requests get 401 with `HX-Redirect` instead of a 302, so a fragment swap never
  renders the login page inside a table cell;
* the admin keeps its own login page (its views check `is_staff` themselves);
* a signed-in user without any role gets 403 on portal pages, except the few account
  pages everyone needs (logout, password change).
"""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers

from portal.permissions import VIEW_PORTAL

# Account pages a signed-in user may reach even before being given a role.
ROLE_NOT_REQUIRED_URL_NAMES = frozenset({"logout", "password_change", "password_change_done"})


def is_admin_site(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and "admin" in match.namespaces


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or is_admin_site(request):
            return None
        if not request.user.is_authenticated:
            return self.handle_no_permission(request, view_func)
        if request.resolver_match.url_name in ROLE_NOT_REQUIRED_URL_NAMES:
            return None
        if not request.user.has_perm(VIEW_PORTAL):
            raise PermissionDenied("This account has no role in the portal yet.")
        return None

    # Django's stub says a redirect; an htmx request gets a 401 carrying HX-Redirect instead.
    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func
    ) -> HttpResponse:
        htmx = getattr(request, "htmx", None)
        if htmx:
            login_url = resolve_url(self.get_login_url(view_func))
            # htmx follows HX-Redirect whatever the status; the page reloads at the login.
            response = HttpResponse(status=401)
            response["HX-Redirect"] = redirect_to_login(
                htmx.current_url_abs_path or request.get_full_path(), login_url
            )["Location"]
            return response
        return super().handle_no_permission(request, view_func)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, a query parameter or a form field: 400 with a plain message.

    No page of the portal has a use for one, PostgreSQL refuses to store one ("A string
    literal cannot contain NUL"), and letting it reach a form or a query turned into 500s
    (`?q=%00` on several pages, issue 12). Refusing it here closes the whole class for every
    view, present and future. Field names are checked too, and so are uploaded file names.
    """

    MESSAGE = "The request contained a NUL character, which no field of the portal accepts. Nothing was changed."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        texts = [request.path]
        for name, values in request.GET.lists():
            texts += [name, *values]
        if request.method == "POST":
            # Reading POST here parses it once; Django keeps the result for the view (and
            # the upload size limits in settings apply while it does).
            for name, values in request.POST.lists():
                texts += [name, *values]
            for name, uploads in request.FILES.lists():
                texts += [name, *(upload.name or "" for upload in uploads)]
        return any("\x00" in text for text in texts)


class RefuseOversizedRequestsMiddleware:
    """A request body larger than PORTAL_MAX_REQUEST_BYTES: 413, before a byte of it is read.

    Django streams big uploads to a temporary file, but the forms then read them: a 300 MB
    MMS picture took a worker from 105 to 411 MB (issue 12). The declared Content-Length is
    what Django itself will read at most (its request stream stops there), so checking it
    here bounds every view. Forms check their own, smaller limits by the file's size.
    """

    MESSAGE = "What you sent is larger than the portal accepts ({limit} MB). Nothing was changed."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.PORTAL_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(
                "The request's length is not a number.", content_type="text/plain; charset=utf-8"
            )
        if length > limit:
            # (No "Connection: close": WSGI leaves hop-by-hop headers to the server.)
            return HttpResponse(
                self.MESSAGE.format(limit=limit // (1024 * 1024)),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages hold customers' numbers, addresses and names: no browser or proxy keeps a copy
    (the back button after sign-out, a shared computer, a caching proxy). Static files are
    served by WhiteNoise before this runs, with their own long cache headers; a view that
    sets Cache-Control itself keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
