"""Request types for views: what a view may read from its request.

Every page needs a signed-in person (LoginRequiredMiddleware), so `request.user` is a `User`
in a view, never an anonymous one; views that read `request.htmx` say so with
`HtmxHttpRequest` (django-htmx's pattern).
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class HtmxHttpRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails
