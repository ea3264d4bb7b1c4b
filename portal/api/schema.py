"""The OpenAPI document and the reference page that reads it.

/api/schema/ answers a token or a session; /api/docs/ is a page for a signed-in person
(Swagger UI from the sidecar package's static files; its start-up script is a separate
file, so the Content-Security-Policy needs no inline script).
"""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication

from .authentication import TokenAuthentication
from .permissions import RolePermission

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `type` is stable per class of error.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "vi_code": {"type": "string"},
        "vi_message": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail"],
}

_STANDARD_ERRORS = {
    "400": "The request was refused before VI was asked (field errors in `errors`).",
    "401": "No valid token.",
    "403": "Your role does not allow this.",
    "404": "No such resource.",
    "409": "The resource is not in a state for this (a number no longer on the account).",
    "422": "VI refused (`vi_code`, `vi_message`), or the request cannot be carried out.",
    "429": "Too many requests for this token.",
    "503": "VI could not be reached; nothing was changed.",
}


def add_problem_responses(result, generator, request, public):
    """Every operation may answer these problems; documenting them lets clients (and
    schemathesis) check that error bodies keep their shape."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, words in _STANDARD_ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": words,
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return result


class SchemaView(SpectacularAPIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [RolePermission]


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [RolePermission]
    url_name = "api-schema"


schema_view = login_not_required(SchemaView.as_view())
_docs = DocsView.as_view()


def docs_view(request, *args, **kwargs):
    """DRF marks its views login-not-required; this plain function is not, so the portal's
    login middleware treats the docs as the person's page they are (sign-in redirect, htmx
    401, a role needed)."""
    return _docs(request, *args, **kwargs)
