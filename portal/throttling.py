"""Sign-in throttling with django-axes: after AXES_FAILURE_LIMIT wrong passwords for one
account, or from one address, further attempts are refused for AXES_COOLOFF_TIME, with a
plain page saying so. An Administrator unlocks an account from the user admin (action
"Allow sign-in again"); a superuser also sees every attempt under "Axes" in the admin.

Two adaptations of axes, both small:

* `LoginThrottleBackend` lets an authenticate() without a request through untouched. Every
  sign-in from the web (the login page, the admin's) passes its request; only code calls it
  without one (Django's test client `login`, a shell), and there is no address to throttle.
  Stock axes refuses those with an exception.
* `client_address` reads the client's address behind PORTAL_PROXY_COUNT trusted reverse
  proxies. Behind a proxy REMOTE_ADDR is the proxy's, and locking it would lock everyone.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None  # not a web sign-in: nothing to throttle, the next backend decides
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    proxies = settings.PORTAL_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each trusted proxy appends the address it saw; the one our first proxy saw is the client.
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _is_address(text: str) -> bool:
    # axes stores it in an address column: anything else would fail the sign-in with a 500.
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username an attempt was for, cut to what axes can store (255; ours are 150 at most).

    Django's login form does not enforce the username's length before authenticating, and
    axes stores whatever was typed: a 5,000-character username was a 500.
    """
    source = credentials if credentials else getattr(request, "POST", {})
    # axes.conf sets AXES_USERNAME_FORM_FIELD when it is imported (default: "username").
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    username = source.get(field) if source else None
    return None if username is None else str(username)[:150]


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page a paused sign-in gets: 429, what happened and how long it lasts, in plain words."""
    from axes.helpers import get_client_username, get_cool_off
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
