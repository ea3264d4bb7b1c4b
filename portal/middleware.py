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

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

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

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if getattr(request, "htmx", False):
            login_url = resolve_url(self.get_login_url(view_func))
            # htmx follows HX-Redirect whatever the status; the page reloads at the login.
            response = HttpResponse(status=401)
            response["HX-Redirect"] = redirect_to_login(
                request.htmx.current_url_abs_path or request.get_full_path(), login_url
            )["Location"]
            return response
        return super().handle_no_permission(request, view_func)
