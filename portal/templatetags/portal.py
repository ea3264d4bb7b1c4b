"""Small presentation helpers shared by every page: badges and redaction."""

import json
from typing import Any

from django import template
from django.conf import settings

register = template.Library()

# Status words -> Bootstrap colours, across sync runs, provider calls and VI statuses.
_STATUS_COLOURS = {
    "ok": "success",
    "succeeded": "success",
    "success": "success",
    "active": "success",
    "running": "primary",
    "queued": "secondary",
    "skipped": "secondary",
    "refused": "warning",
    "needs_confirmation": "warning",
    "stale": "warning",
    "pending": "info",
    "failed": "danger",
    "unavailable": "danger",
    "error": "danger",
}

# Parameter names whose values never reach a page, whatever wrote the row.
SECRET_KEYS = {"secret", "pin", "authtoken", "password", "token"}
REDACTED = "•••"


@register.filter
def status_colour(status: str | None) -> str:
    return _STATUS_COLOURS.get((status or "").lower(), "secondary")


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if str(k).lower() in SECRET_KEYS else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


@register.filter
def redact_text(value: str | None) -> str:
    """Hide the configured VI secret if it ever appears in text (an error message, a body)."""
    text = value or ""
    secret = getattr(settings, "VI_SECRET", "")
    if secret and len(secret) >= 4:
        text = text.replace(secret, REDACTED)
    return text


@register.filter
def redacted_json(value: Any) -> str:
    """Pretty JSON of a parameter dict with secret-looking keys hidden (defence in depth:
    the client already redacts before storing)."""
    return json.dumps(_redact(value), indent=2, sort_keys=False, default=str, ensure_ascii=False)
