"""Every answer under /api/ that is not the API's own is turned into problem+json.

The portal's middleware refuses some requests before any view runs (a NUL anywhere: 400
text/plain; a body over the size limit: 413), and Django answers an address no route matches
with an HTML 404. An API client must get the one error format it was promised, whatever
answered: this sits first in MIDDLEWARE and rewrites those answers, keeping the status and the
plain words. The docs page (/api/docs/) and the token pages are HTML pages and are left alone.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.utils.html import strip_tags

from .errors import PROBLEM_CONTENT_TYPE, TYPE_BASE

API_PREFIXES = ("/api/v1/", "/api/schema/")
_KINDS = {
    400: "malformed-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "request-too-large",
}
_TITLES = {400: "Malformed request", 401: "Authentication needed", 403: "Not allowed for your role", 404: "Not found",
           405: "Method not allowed", 413: "Request too large"}  # fmt: skip


class ProblemJsonForApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIXES) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith((PROBLEM_CONTENT_TYPE, "application/json"))
            or response.streaming
        ):
            return response
        status = response.status_code
        if status == 404:
            detail = "No such resource."
        elif status >= 500:
            detail = "The portal failed to answer; the error is logged. Nothing may have been changed, or part of it: check before retrying."
        else:
            detail = " ".join(strip_tags(response.content.decode("utf-8", "replace")).split())[
                :500
            ] or _TITLES.get(status, "Refused.")
        body = {"type": TYPE_BASE + _KINDS.get(status, "server-error" if status >= 500 else "request-refused"),
                "title": _TITLES.get(status, "Server error" if status >= 500 else "Request refused"), "status": status, "detail": detail}  # fmt: skip
        problem = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if response.has_header(header):
                problem[header] = response[header]
        return problem
