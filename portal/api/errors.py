"""Every API error as application/problem+json (RFC 9457), with a stable `type` per class.

A client branches on `type`; `detail` is plain words for a person (for a service's failure,
the same words a page shows: `portal.staff_errors`); field errors are under
`errors` ({field: [messages]}); when VI refused, `vi_code` and `vi_message` carry VI's own
code and words. Nothing here ever echoes a secret: VI's messages are already scrubbed by the
provider layer.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from portal.staff_errors import staff_error
from portal.voipinnovations.errors import ProviderRejected

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/problems/"


class Problem(exceptions.APIException):
    """An expected refusal raised by API code itself, with its own type."""

    def __init__(self, *, status_code: int, kind: str, title: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.kind = kind
        self.title = title
        self.extra = extra


# DRF's exception classes -> (type slug, title). Anything unlisted is "request-refused".
_KINDS: list[tuple[type[Exception], str, str]] = [
    (exceptions.NotAuthenticated, "not-authenticated", "Authentication needed"),
    (exceptions.AuthenticationFailed, "not-authenticated", "Authentication needed"),
    (exceptions.PermissionDenied, "forbidden", "Not allowed for your role"),
    (exceptions.NotFound, "not-found", "Not found"),
    (exceptions.MethodNotAllowed, "method-not-allowed", "Method not allowed"),
    (exceptions.NotAcceptable, "not-acceptable", "Not acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported-media-type", "Unsupported media type"),
    (exceptions.Throttled, "too-many-requests", "Too many requests"),
    (exceptions.ParseError, "malformed-request", "Malformed request"),
    (exceptions.ValidationError, "invalid-request", "Invalid request"),
]


def problem_response(
    *, status_code: int, kind: str, title: str, detail: str, headers=None, **extra
) -> Response:
    body = {
        "type": TYPE_BASE + kind,
        "title": title,
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error detail -> {"field": ["message", ...]}, nested names joined by dots."""
    flat: dict[str, list[str]] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and value and not all(isinstance(item, str) for item in value):
            for index, inner in enumerate(value):
                walk(inner, f"{path}.{index}" if path else str(index))
        else:
            items = value if isinstance(value, list) else [value]
            flat.setdefault(path or "non_field_errors", []).extend(str(item) for item in items)

    walk(detail, "")
    return flat


def _django_validation_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for item in errors for message in item.messages]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


@cache
def services_expected_errors() -> tuple[type[Exception], ...]:
    """Every services module's `EXPECTED_ERRORS`: failures meant for a person to read.

    An API view maps the ones it knows to a problem of their own (e911's "address-invalid");
    one it lets through is still invalid input, never a 500.
    """
    expected: list[type[Exception]] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.services"
        try:
            found = find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            expected.extend(getattr(import_module(name), "EXPECTED_ERRORS", ()))
    return tuple(dict.fromkeys(expected))


def _service_failure(exc: Exception) -> Response | None:
    """A service's expected failure, in the three kinds every page shows
    (`portal.staff_errors`): VI refused (422, with VI's code and words), VI unreachable (503,
    try again later), invalid input (400, field by field)."""
    error = staff_error(exc, expected=services_expected_errors())
    if error is None:
        return None
    if error.kind == "refused":
        assert isinstance(exc, ProviderRejected)
        return problem_response(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, kind="vi-refused", title="VI refused",
            detail=str(error), vi_code=exc.code, vi_message=exc.message,
        )  # fmt: skip
    if error.kind == "unreachable":
        return problem_response(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, kind="vi-unavailable", title="VI unavailable",
            detail=str(error), headers={"Retry-After": "30"},
        )  # fmt: skip
    errors = (
        _django_validation_errors(exc)
        if isinstance(exc, DjangoValidationError)
        else {"non_field_errors": list(error.problems)}
    )
    first = next(iter(errors.values()), ["Invalid request."])[0]
    return problem_response(
        status_code=400,
        kind="invalid-request",
        title="Invalid request",
        detail=first,
        errors=errors,
    )


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, Problem):
        return problem_response(
            status_code=exc.status_code,
            kind=exc.kind,
            title=exc.title,
            detail=str(exc.detail),
            **exc.extra,
        )
    answered = _service_failure(exc)
    if answered is not None:
        return answered
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's 500 handling, logged
    kind, title = next(
        ((k, t) for cls, k, t in _KINDS if isinstance(exc, cls)),
        ("request-refused", "Request refused"),
    )
    headers = {}
    auth_header = getattr(exc, "auth_header", None)  # NotAuthenticated, AuthenticationFailed
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)  # Throttled
    if wait:
        headers["Retry-After"] = str(int(wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        first = next(iter(errors.values()), ["Invalid request."])[0]
        return problem_response(
            status_code=exc.status_code,
            kind=kind,
            title=title,
            detail=first,
            errors=errors,
            headers=headers,
        )
    return problem_response(
        status_code=exc.status_code, kind=kind, title=title, detail=str(exc.detail), headers=headers
    )
