"""A readable page for 405, which Django answers with an empty body.

`require_POST` and friends return a bare `HttpResponseNotAllowed`: in a browser that is a
blank page. Write views already send a permission holder's GET back to the form
(portal.permissions); every other 405 (a logout link typed in, a bookmark of a POST-only
address) gets templates/405.html with a way back, keeping the status and Allow header.
htmx requests keep the bare answer: portal.js turns it into a message where they acted.
"""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from portal.permissions import page_holding_the_form


class ReadableMethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or getattr(request, "htmx", False):
            return response
        back = page_holding_the_form(request) if request.user.is_authenticated else "/"
        response.content = render_to_string("405.html", {"back": back}, request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
