"""Every page needs a login, except the few that must work without one."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

PUBLIC_PATH_PREFIXES = ("/accounts/login/", "/healthz", "/static/", "/favicon.ico")


class LoginRequiredMiddleware:
    """Deny by default: a view added tomorrow is private unless listed above.

    (Django 5.1 ships a LoginRequiredMiddleware too, but it redirects the admin's own
    login and htmx requests the same way; ours answers htmx with HX-Redirect so a
    fragment swap never renders the login page inside a table cell.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PATH_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/admin/"):
            return self.get_response(request)  # the admin has its own login
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{settings.LOGIN_URL_PATH}?next={request.get_full_path()}"
            return response
        return redirect_to_login(request.get_full_path())
