"""Sessions end after SESSION_COOKIE_AGE (SESSION_IDLE_SECONDS, a working day) without a request.

Django's own way, SESSION_SAVE_EVERY_REQUEST, writes the session row on every request (three
queries, htmx polling included). Instead the session remembers when it was last refreshed and
is saved again (which moves its expiry to now + the age) only when that is more than
REFRESH_AFTER ago: the idle timeout is exact to within five minutes, at one write per five
minutes of activity. Sign-in sets the mark, so the first pages after it write nothing.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SEEN_KEY = "_portal_refreshed_at"
REFRESH_AFTER = 300  # seconds


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id") is not None:
            now = int(time.time())
            if now - int(session.get(SEEN_KEY) or 0) >= REFRESH_AFTER:
                session[SEEN_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="portal.sessions.mark_sign_in")
def mark_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
