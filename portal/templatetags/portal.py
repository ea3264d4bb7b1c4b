"""Small presentation helpers shared by every page: badges and redaction."""

import json
import re
from typing import Any

from django import template
from django.conf import settings

from portal.voipinnovations import redaction

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

REDACTED = redaction.REDACTED
# "secret=…", "secret: …", '"secret": "…"' in free text (a form-encoded body, a repr).
_SENSITIVE_PAIR = re.compile(
    r"\b(?P<name>secret|password|pin|authToken)(?P<separator>['\"]?\s*[=:]\s*['\"]?)(?P<value>[^&\s'\"<>,;}]+)",
    re.IGNORECASE,
)
MAX_DISPLAYED_TEXT = 2000


@register.filter
def status_colour(status: str | None) -> str:
    return _STATUS_COLOURS.get((status or "").lower(), "secondary")


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: REDACTED if redaction.is_sensitive(str(k)) else _redact(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


@register.filter
def redact_text(value: str | None) -> str:
    """Text that may have seen a request (an error message) with any secret hidden: the
    configured one, and anything shaped like a secret field, whatever its value (an old,
    rotated secret is still a secret). The client redacts before storing; this is the
    second lock on the door."""
    if not value:
        return ""
    cleaned = redaction.redact_text(value, secrets=[settings.VI_SECRET], limit=MAX_DISPLAYED_TEXT)
    return _SENSITIVE_PAIR.sub(lambda m: f"{m['name']}{m['separator']}{REDACTED}", cleaned)


@register.filter
def redacted_json(value: Any) -> str:
    """Pretty JSON of a parameter dict with secret-looking keys hidden (defence in depth:
    the client already redacts before storing)."""
    return json.dumps(_redact(value), indent=2, sort_keys=False, default=str, ensure_ascii=False)


@register.filter
def sync_totals(counts: dict[str, Any]) -> list[tuple[str, int]]:
    """A run's figures summed over its steps, non-zero ones only: [("seen", 3217), ...]."""
    from portal.sync.context import total_counts

    return [
        (name.replace("_", " "), number)
        for name, number in total_counts(counts or {}).items()
        if number
    ]


@register.filter
def history_changes(change) -> list:
    """A ChangeRecord's fields as labelled before/after pairs, unchanged ones left out:
    `{% for item in change|history_changes %}{{ item.label }}: {{ item.before }} → {{ item.after }}`."""
    from portal.history import shown_changes

    return shown_changes(getattr(change, "model", ""), getattr(change, "changes", None))


@register.filter
def vi_words(code: Any, operation: str | None = None) -> str:
    """VI's code as plain words for staff (codes.describe), for where only a code is stored."""
    from portal.voipinnovations import codes

    return codes.describe(code, operation=operation or None).message


@register.filter
def vi_refusal_code(code: Any) -> str:
    """The code to print beside a failure: VI's code, unless it is VI's "success" — a 100
    beside "not portable" reads as a contradiction (the call worked; the answer is no)."""
    from portal.voipinnovations import codes

    if code is None or str(code).strip() == "":
        return ""
    return "" if codes.describe(code).is_success else str(code).strip()


# Pagination (templates/components/pagination.html) of keyset pages, whose number travels
# in the query string: a typed-in or crafted ?n= must not break or mislead the page.
MAX_PAGE_NUMBER = 1_000_000


@register.filter
def page_number(value: Any, cursor: Any = "") -> int:
    """?n= as a page number: 1 without a cursor (the first page), else 2..MAX."""
    if not cursor:
        return 1
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 2
    return max(2, min(number, MAX_PAGE_NUMBER))


@register.filter
def page_count(count: Any, page_size: Any) -> int:
    try:
        count, page_size = int(count), int(page_size)
    except (TypeError, ValueError):
        return 0
    return max(1, -(-count // page_size)) if page_size > 0 else 0


@register.filter
def page_first_row(number: int, page_size: Any) -> int:
    return (int(number) - 1) * int(page_size or 0) + 1


@register.filter
def page_last_row(number: int, page) -> int:
    return (int(number) - 1) * int(getattr(page, "page_size", 0) or 0) + len(
        getattr(page, "rows", []) or []
    )
